import type { Resolvers } from '../../generated/graphql';
import { listBoxTypes, upsertBoxTypes } from './box-type.service';

export const boxTypeResolvers: Resolvers = {
  Query: {
    boxTypes: (_, { filter, first, after }, ctx) => listBoxTypes(ctx, filter, { first, after }),
  },
  Mutation: {
    upsertBoxTypes: async (_, { input }, ctx) => {
      const { nodes, errors } = await upsertBoxTypes(ctx, input);
      return { boxTypes: nodes, errors };
    },
  },
};
