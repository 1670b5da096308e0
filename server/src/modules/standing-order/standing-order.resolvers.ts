import type { Resolvers } from '../../generated/graphql';
import { findStandingOrder, generateStandingOrderPrebooks, listStandingOrders, saveStandingOrder } from './standing-order.service';

export const standingOrderResolvers: Resolvers = {
  Query: {
    standingOrders: (_, { filter, first, after }, ctx) => listStandingOrders(ctx, filter, { first, after }),
    standingOrder: (_, { id }, ctx) => findStandingOrder(ctx, id),
  },
  Mutation: {
    saveStandingOrder: (_, { input, idempotencyKey }, ctx) => saveStandingOrder(ctx, input, idempotencyKey),
    generateStandingOrderPrebooks: (_, args, ctx) => generateStandingOrderPrebooks(ctx, args),
  },
  StandingOrder: {
    weekdays: (so) => so.weekdays,
    lines: (so) => [...so.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo),
  },
};
