import type { Resolvers } from '../../generated/graphql';
import { gpmReport } from './gpm.service';

export const gpmResolvers: Resolvers = {
  Query: {
    gpmReport: (_, { filter }, ctx) => gpmReport(ctx, filter),
  },
};
