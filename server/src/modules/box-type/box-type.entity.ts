import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';

export const BoxTypeSchema = defineEntity({
  name: 'BoxType',
  indexes: trigramIndexes('box_type'),
  properties: {
    ...codedEntityProperties(),
    /** Full-box equivalent: FB 1, HB 0.5, QB 0.25, EB 0.125. */
    fbe: p.decimal('string').precision(8).scale(4),
  },
});
export type BoxType = InferEntity<typeof BoxTypeSchema>;
