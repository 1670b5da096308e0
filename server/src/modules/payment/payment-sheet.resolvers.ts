import type { Resolvers } from '../../generated/graphql';
import { savePayments } from './payment-sheet.service';

export const paymentSheetResolvers: Resolvers = {
  Mutation: {
    savePayments: (_, { input, idempotencyKey, dryRun }, ctx) => savePayments(ctx, input, idempotencyKey, dryRun ?? false),
  },
};
