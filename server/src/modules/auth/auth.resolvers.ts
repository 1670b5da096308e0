import type { Resolvers } from '../../generated/graphql';
import { listAuditEvents } from '../audit/audit.service';
import { CustomerSchema } from '../customer/customer.entity';
import { createApiToken, listApiTokens, revokeApiToken } from './auth.service';

export const authResolvers: Resolvers = {
  Query: {
    me: (_, __, ctx) => ctx.actor,
    apiTokens: (_, { includeRevoked, first, after }, ctx) => listApiTokens(ctx, includeRevoked ?? false, { first, after }),
    auditEvents: (_, { filter, first, after }, ctx) => listAuditEvents(ctx, filter, { first, after }),
  },
  Mutation: {
    createApiToken: (_, { input }, ctx) => createApiToken(ctx, input),
    revokeApiToken: (_, { id }, ctx) => revokeApiToken(ctx, id),
  },
  Caller: {
    customer: (actor, _, ctx) => (actor.customerId === null ? null : ctx.em.findOne(CustomerSchema, actor.customerId)),
  },
};
