import type { Resolvers } from '../../generated/graphql';
import { listVendors, upsertVendors } from './vendor.service';

export const vendorResolvers: Resolvers = {
  Query: {
    vendors: (_, { filter, first, after }, ctx) => listVendors(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertVendors: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertVendors(ctx, input);
      return { vendors: nodes, errors };
    },
  },
};
