import type { Resolvers } from '../../generated/graphql';
import { listBillingIssues } from './billing-issues';
import { allocate, fillFromOpenMarket, massAllocate } from './allocation.service';
import { unallocate } from './unallocation.service';

export const billingResolvers: Resolvers = {
  Query: {
    billingIssues: (_, { filter, first, after }, ctx) => listBillingIssues(ctx, filter, { first, after }),
  },
  Mutation: {
    allocate: (_, args, ctx) => allocate(ctx, args),
    massAllocate: (_, { filter, dryRun }, ctx) => massAllocate(ctx, filter, dryRun ?? false),
    fillFromOpenMarket: (_, { prebookLines, dryRun }, ctx) => fillFromOpenMarket(ctx, prebookLines, dryRun ?? false),
    unallocate: (_, { invoiceLine }, ctx) => unallocate(ctx, invoiceLine),
  },
  BillingIssue: {
    label: (issue) => issue.box.label,
    prebookNumber: (issue) => issue.prebookLine?.prebook.number ?? null,
    customer: (issue) => issue.prebookLine?.prebook.customer ?? null,
  },
  BoxBilling: {
    releasedUnits: (billing) => billing.released,
  },
};
