import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';

export const LocationSchema = defineEntity({
  name: 'Location',
  indexes: trigramIndexes('location'),
  properties: {
    ...codedEntityProperties(),
    /** Setting billUnitsAsBoxes of DESIGN.md section 3, kept per location. */
    billUnitsAsBoxes: p.boolean().default(false),
  },
});
export type Location = InferEntity<typeof LocationSchema>;
