import type { Resolvers } from '../../generated/graphql';
import { listLocations, upsertLocations } from './location.service';

export const locationResolvers: Resolvers = {
  Query: {
    locations: (_, { filter, first, after }, ctx) => listLocations(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertLocations: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertLocations(ctx, input);
      return { locations: nodes, errors };
    },
  },
};
