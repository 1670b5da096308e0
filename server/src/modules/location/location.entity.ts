import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';

export const LocationSchema = defineEntity({
  name: 'Location',
  indexes: trigramIndexes('location'),
  properties: {
    ...codedEntityProperties(),
    /** Setting billUnitsAsBoxes (docs/maintainers.md#billing-settings), kept per location. */
    billUnitsAsBoxes: p.boolean().default(false),
  },
});
export type Location = InferEntity<typeof LocationSchema>;
