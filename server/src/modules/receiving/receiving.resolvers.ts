import type { Resolvers } from '../../generated/graphql';
import { autoBillingModeOf, boxBillingView } from '../billing/box-billing.view';
import { BoxSchema } from '../box/box.entity';
import { ageBandOf, ageDays, arrivalDateOf, isAged } from '../box/box-age';
import type { Box } from '../box/box.entity';
import { ProductCategorySchema } from '../product/product-category.entity';
import { companyToday, requestSettings } from '../settings/settings.service';
import type { RequestContext } from '../../common/request-context';
import { confirmStaging, withSummary } from './confirm-staging.service';
import { scanBoxes } from './scan-boxes.service';
import { shipPurchaseOrder } from './ship-purchase-order.service';
import { findBox, listInventory, listStaging, POPULATE_BOX } from './staging-inventory.service';

async function arrivalOf(box: Box, ctx: RequestContext): Promise<string> {
  const { timeZone } = await requestSettings(ctx.em);
  return arrivalDateOf({ received: box.received, receivedAt: box.receivedAt, expectedArrival: box.shipment.arrivalDate }, timeZone);
}

async function ageOf(box: Box, ctx: RequestContext): Promise<number> {
  return ageDays(await arrivalOf(box, ctx), await companyToday(ctx.em));
}

export const receivingResolvers: Resolvers = {
  Query: {
    staging: (_, { filter, first, after }, ctx) => listStaging(ctx, filter, { first, after }),
    inventory: (_, { filter, first, after }, ctx) => listInventory(ctx, filter, { first, after }),
    box: (_, { label }, ctx) => findBox(ctx, label),
  },
  Mutation: {
    shipPurchaseOrder: (_, { input, idempotencyKey }, ctx) => shipPurchaseOrder(ctx, input, idempotencyKey),
    scanBoxes: (_, { labels, kind, reason }, ctx) => scanBoxes(ctx, labels, kind, reason),
    confirmStaging: async (_, { input, idempotencyKey }, ctx) => withSummary(await confirmStaging(ctx, input, idempotencyKey)),
  },
  ShipPurchaseOrderPayload: {
    boxes: async (result, _, ctx) => {
      if (result.boxes) return result.boxes;
      const boxes = await Promise.all(result.boxIds.map((id) => ctx.loaders.entity(BoxSchema, POPULATE_BOX)(id)));
      return boxes.filter((box): box is NonNullable<typeof box> => box !== null);
    },
  },
  BoxResult: {
    billing: async (result, _, ctx) => boxBillingView(result.label, result.billing, await autoBillingModeOf(ctx)),
    box: (result, _, ctx) => (result.box !== undefined ? result.box : ctx.loaders.entity(BoxSchema, POPULATE_BOX)(result.boxId)),
  },
  ScanResult: {
    billing: async (result, _, ctx) => boxBillingView(result.label, result.billing, await autoBillingModeOf(ctx)),
    box: (result, _, ctx) => ctx.loaders.entity(BoxSchema, POPULATE_BOX)(result.boxId),
  },
  Shipment: {
    purchaseOrderNumber: (shipment) => shipment.purchaseOrder.number,
    boxCount: (shipment, _, ctx) => ctx.em.count(BoxSchema, { shipment }),
  },
  Box: {
    purchaseOrderNumber: (box) => box.purchaseOrderLine.purchaseOrder.number,
    awb: (box) => box.shipment.awb ?? null,
    arrivalDate: (box, _, ctx) => arrivalOf(box, ctx),
    ageDays: (box, _, ctx) => ageOf(box, ctx),
    ageBand: async (box, _, ctx) => ageBandOf(await ageOf(box, ctx), (await requestSettings(ctx.em)).ageBands),
    aged: async (box, _, ctx) => isAged(await ageOf(box, ctx), (await ctx.loaders.reference(ProductCategorySchema)(box.product.category))?.maxAgeDays),
    overdue: async (box, _, ctx) => box.status === 'STAGED' && box.shipment.arrivalDate < (await companyToday(ctx.em)),
    vendor: (box) => box.purchaseOrderLine.purchaseOrder.vendor,
    // In staging a box of a standalone PO with a customer is already reserved for that customer.
    customer: (box) => box.customer ?? (box.status === 'STAGED' ? (box.purchaseOrderLine.purchaseOrder.customer ?? null) : null),
    prebookNumber: (box) => box.prebookLine?.prebook.number ?? null,
    demands: (box) => [...box.demands.getItems()].sort((a, b) => a.id - b.id),
  },
  BoxDemand: {
    prebookNumber: (demand) => demand.prebookLine.prebook.number,
    customer: (demand) => demand.prebookLine.prebook.customer,
  },
};
