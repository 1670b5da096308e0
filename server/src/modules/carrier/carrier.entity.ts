import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties } from '../../common/entity-properties';

export const CarrierSchema = defineEntity({
  name: 'Carrier',
  properties: { ...codedEntityProperties() },
});
export type Carrier = InferEntity<typeof CarrierSchema>;
