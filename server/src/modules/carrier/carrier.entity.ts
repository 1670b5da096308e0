import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';

export const CarrierSchema = defineEntity({
  name: 'Carrier',
  indexes: trigramIndexes('carrier'),
  properties: { ...codedEntityProperties() },
});
export type Carrier = InferEntity<typeof CarrierSchema>;
