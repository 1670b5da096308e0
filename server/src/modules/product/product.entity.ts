import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, trigramIndexes } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { ProductCategorySchema } from './product-category.entity';

export const PRODUCT_KINDS = ['LIVE', 'HARD', 'FINISHED'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const PRODUCT_UNITS = ['STEM', 'BUNCH', 'EACH'] as const;
export type ProductUnit = (typeof PRODUCT_UNITS)[number];

/** One component of a recipe: a product (by id) and its units per finished unit (an exact decimal). */
export interface RecipeComponentValue {
  product: number;
  units: string;
}

export const ProductSchema = defineEntity({
  name: 'Product',
  indexes: trigramIndexes('product'),
  properties: {
    ...codedEntityProperties(),
    kind: p.enum([...PRODUCT_KINDS]),
    unit: p.enum([...PRODUCT_UNITS]),
    stemsPerBunch: p.integer().nullable(),
    defaultBoxType: () => p.manyToOne(BoxTypeSchema),
    defaultUnitsPerBox: p.integer(),
    /** FINISHED products only: what one finished unit is made of; null when it has none. */
    recipe: p.json<RecipeComponentValue[]>().nullable(),
    /** The category it belongs to (its maximum age); null: none. */
    category: () => p.manyToOne(ProductCategorySchema).nullable(),
  },
});
export type Product = InferEntity<typeof ProductSchema>;
