import { requiredRelation } from '../../common/required-relation';
import type { Resolvers } from '../../generated/graphql';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { ProductSchema } from './product.entity';
import { listProducts, upsertProducts } from './product.service';

export const productResolvers: Resolvers = {
  Query: {
    products: (_, { filter, first, after }, ctx) => listProducts(ctx, filter, { first, after }),
  },
  Product: {
    // Lists of invoices, boxes and prebooks populate their products, not each product's box type.
    defaultBoxType: (product, _, ctx) => requiredRelation('Product.defaultBoxType', ctx.loaders.reference(BoxTypeSchema)(product.defaultBoxType)),
    recipe: (product, _, ctx) =>
      (product.recipe ?? []).map((entry) => ({
        component: requiredRelation('RecipeComponent.component', ctx.loaders.reference(ProductSchema)(ctx.em.getReference(ProductSchema, entry.product))),
        units: entry.units,
      })),
  },
  Mutation: {
    upsertProducts: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertProducts(ctx, input);
      return { products: nodes, errors };
    },
  },
};
