import { fromScaled, multiplyDecimal, toScaled } from '../../common/decimal';
import type { Resolvers } from '../../generated/graphql';
import { createPurchaseOrdersFromPrebooks } from './purchase-from-prebooks.service';
import { listPurchaseNeeds } from './purchase-need.service';
import { changePurchaseOrderStatus } from './purchase-order-status.service';
import { findPurchaseOrder, listPurchaseOrders } from './purchase-order.service';
import { savePurchaseOrders } from './save-purchase-orders.service';

export const purchaseOrderResolvers: Resolvers = {
  Query: {
    purchaseOrders: (_, { filter, first, after }, ctx) => listPurchaseOrders(ctx, filter, { first, after }),
    purchaseOrder: (_, { number }, ctx) => findPurchaseOrder(ctx, number),
    purchaseNeeds: (_, { filter, first, after }, ctx) => listPurchaseNeeds(ctx, filter, { first, after }),
  },
  Mutation: {
    savePurchaseOrders: (_, { input, idempotencyKey, dryRun }, ctx) => savePurchaseOrders(ctx, input, idempotencyKey, dryRun ?? false),
    createPurchaseOrdersFromPrebooks: (_, { input, idempotencyKey }, ctx) => createPurchaseOrdersFromPrebooks(ctx, input, idempotencyKey),
    confirmPurchaseOrder: (_, { number }, ctx) => changePurchaseOrderStatus(ctx, number, 'confirm'),
    cancelPurchaseOrder: (_, { number }, ctx) => changePurchaseOrderStatus(ctx, number, 'cancel'),
  },
  PurchaseOrder: {
    lines: (po) => [...po.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo),
    total: (po) => fromScaled(po.lines.getItems().reduce((sum, line) => sum + toScaled(line.unitCost) * BigInt(line.boxes * line.unitsPerBox), 0n)),
  },
  PurchaseOrderLine: {
    units: (line) => line.boxes * line.unitsPerBox,
    amount: (line) => multiplyDecimal(line.unitCost, line.boxes * line.unitsPerBox),
    prebookLinks: (line) => line.links.getItems(),
  },
  PrebookLink: {
    prebookNumber: (link) => link.prebookLine.prebook.number,
  },
  PurchaseNeed: {
    prebookLine: (need) => need.line,
    prebookNumber: (need) => need.line.prebook.number,
    customer: (need) => need.line.prebook.customer,
    shipTo: (need) => need.line.prebook.shipTo ?? null,
    carrier: (need) => need.line.prebook.carrier,
    truckDate: (need) => need.line.prebook.truckDate,
    holiday: (need) => need.line.prebook.holiday,
    product: (need) => need.line.product,
    sellBy: (need) => need.line.sellBy,
    boxType: (need) => need.line.boxType,
    unitsPerBox: (need) => need.line.unitsPerBox,
    vendor: (need) => need.line.vendor ?? null,
    vendorCost: (need) => need.line.vendorCost ?? null,
  },
};
