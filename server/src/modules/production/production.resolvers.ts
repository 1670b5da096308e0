import type { Resolvers } from '../../generated/graphql';
import {
  createComponentPurchaseOrders,
  listComponentNeeds,
  listProductionRuns,
  productionRunNumberOfInvoice,
  saveProductionRun,
  suggestedUnitCost,
  transferComponents,
} from './production.service';

export const productionResolvers: Resolvers = {
  Query: {
    productionRuns: (_, { filter, first, after }, ctx) => listProductionRuns(ctx, filter, { first, after }) as never,
    componentNeeds: (_, { filter, first, after }, ctx) => listComponentNeeds(ctx, filter, { first, after }) as never,
  },
  Mutation: {
    saveProductionRun: (_, { input }, ctx) => saveProductionRun(ctx, input) as never,
    createComponentPurchaseOrders: (_, { input, idempotencyKey }, ctx) => createComponentPurchaseOrders(ctx, input, idempotencyKey) as never,
    transferComponents: (_, { productionRun, labels, truckDate, idempotencyKey }, ctx) =>
      transferComponents(ctx, productionRun, labels, truckDate, idempotencyKey) as never,
  },
  PrebookLine: {
    suggestedUnitCost: (line, _, ctx) => suggestedUnitCost(ctx, line),
  },
  Invoice: {
    productionRunNumber: (invoice, _, ctx) => productionRunNumberOfInvoice(ctx, invoice),
  },
};
