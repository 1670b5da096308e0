import type { Resolvers } from '../../generated/graphql';
import { listProducts, upsertProducts } from './product.service';

export const productResolvers: Resolvers = {
  Query: {
    products: (_, { filter, first, after }, ctx) => listProducts(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertProducts: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertProducts(ctx, input);
      return { products: nodes, errors };
    },
  },
};
