import { filterReferenceId } from '../../common/references';
import { paginate } from '../../common/pagination';
import type { Resolvers } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { BillingIssueSchema } from './billing-issue.entity';
import { allocate, fillFromOpenMarket, massAllocate, unallocate } from './allocation.service';

export const billingResolvers: Resolvers = {
  Query: {
    billingIssues: async (_, { filter, first, after }, ctx) => {
      const where: Record<string, unknown> = { resolvedAt: filter?.resolved ? { $ne: null } : null };
      if (filter?.code) where.code = filter.code;
      if (filter?.label) where.box = { label: filter.label.trim() };
      if (filter?.customer) where.prebookLine = { prebook: { customer: await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer') } };
      return paginate(
        ctx.em,
        BillingIssueSchema,
        where,
        { first, after },
        { key: 'id', populate: ['box', 'prebookLine', 'prebookLine.prebook', 'prebookLine.prebook.customer'] },
      );
    },
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
