import type { Resolvers } from '../../generated/graphql';
import { saveCredits } from './credit-sheet.service';

export const creditSheetResolvers: Resolvers = {
  Mutation: {
    saveCredits: (_, { input, idempotencyKey, dryRun }, ctx) => saveCredits(ctx, input, idempotencyKey, dryRun ?? false),
  },
};
