import type { Resolvers } from '../../generated/graphql';
import { listCarriers, upsertCarriers } from './carrier.service';

export const carrierResolvers: Resolvers = {
  Query: {
    carriers: (_, { filter, first, after }, ctx) => listCarriers(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertCarriers: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertCarriers(ctx, input);
      return { carriers: nodes, errors };
    },
  },
};
