import type { Resolvers } from '../../generated/graphql';
import { createComponentPurchaseOrders, listComponentNeeds } from './component-purchase.service';
import { productionRunNumberOfInvoice, transferComponents } from './component-transfer.service';
import { listProductionRuns, saveProductionRun } from './production-run.service';
import { suggestedUnitCost } from './suggested-unit-cost.service';

export const productionResolvers: Resolvers = {
  Query: {
    productionRuns: (_, { filter, first, after }, ctx) => listProductionRuns(ctx, filter, { first, after }),
    componentNeeds: (_, { filter, first, after }, ctx) => listComponentNeeds(ctx, filter, { first, after }),
  },
  Mutation: {
    saveProductionRun: (_, { input }, ctx) => saveProductionRun(ctx, input),
    createComponentPurchaseOrders: (_, { input, idempotencyKey }, ctx) => createComponentPurchaseOrders(ctx, input, idempotencyKey),
    transferComponents: (_, { productionRun, labels, truckDate, idempotencyKey }, ctx) =>
      transferComponents(ctx, productionRun, labels, truckDate, idempotencyKey),
  },
  PrebookLine: {
    suggestedUnitCost: (line, _, ctx) => suggestedUnitCost(ctx, line),
  },
  Invoice: {
    productionRunNumber: (invoice, _, ctx) => productionRunNumberOfInvoice(ctx, invoice),
  },
};
