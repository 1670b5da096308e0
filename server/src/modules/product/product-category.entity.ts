import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties } from '../../common/entity-properties';

/** A group of products (roses, greens, ...) and how long its stock keeps: past maxAgeDays a box is proposed for dump. */
export const ProductCategorySchema = defineEntity({
  name: 'ProductCategory',
  properties: {
    ...codedEntityProperties(),
    /** Days after arrival a box of this category is still sellable; null: no limit. */
    maxAgeDays: p.integer().nullable(),
  },
});
export type ProductCategory = InferEntity<typeof ProductCategorySchema>;
