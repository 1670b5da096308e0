import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties } from '../../common/entity-properties';

export const LocationSchema = defineEntity({
  name: 'Location',
  properties: {
    ...codedEntityProperties(),
    /** Setting billUnitsAsBoxes of DESIGN.md section 3, kept per location. */
    billUnitsAsBoxes: p.boolean().default(false),
  },
});
export type Location = InferEntity<typeof LocationSchema>;
