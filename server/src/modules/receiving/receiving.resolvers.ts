import type { EntityName } from '@mikro-orm/core';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import { paginate } from '../../common/pagination';
import type { RequestContext } from '../../common/request-context';
import type { InventoryFilter, Resolvers, StagingFilter } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { LocationSchema } from '../location/location.entity';
import { PrebookSchema } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { PurchaseOrderSchema } from '../purchase-order/purchase-order.entity';
import { VendorSchema } from '../vendor/vendor.entity';
import { autoBillingModeOf, boxBillingView } from '../billing/box-billing.view';
import { companyToday } from '../settings/settings.service';
import { BoxSchema } from '../box/box.entity';
import { confirmStaging, POPULATE_BOX, scanBoxes, shipPurchaseOrder, type BoxResult } from './receiving.service';

const refId = <T extends { id: number; code: string; name: string }>(ctx: RequestContext, entity: EntityName<T>, value: string, path: string) =>
  filterReferenceId(ctx.em, entity, value, path);

export async function stagingWhere(ctx: RequestContext, filter: StagingFilter | null | undefined): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = { status: 'STAGED' };
  const and: object[] = [];
  if (filter?.purchaseOrder)
    and.push({ purchaseOrderLine: { purchaseOrder: await filterDocumentId(ctx.em, PurchaseOrderSchema, filter.purchaseOrder, 'filter.purchaseOrder') } });
  if (filter?.vendor) and.push({ purchaseOrderLine: { purchaseOrder: { vendor: await refId(ctx, VendorSchema, filter.vendor, 'filter.vendor') } } });
  if (filter?.product) where.product = await refId(ctx, ProductSchema, filter.product, 'filter.product');
  if (filter?.label) where.label = filter.label.trim();
  if (filter?.awb) and.push({ shipment: { awb: filter.awb.trim() } });
  if (filter?.received != null) where.received = filter.received;
  if (filter?.customer) {
    const id = await refId(ctx, CustomerSchema, filter.customer, 'filter.customer');
    and.push({ $or: [{ demands: { prebookLine: { prebook: { customer: id } } } }, { purchaseOrderLine: { purchaseOrder: { customer: id } } }] });
  }
  if (filter?.prebookNumber)
    and.push({ demands: { prebookLine: { prebook: await filterDocumentId(ctx.em, PrebookSchema, filter.prebookNumber, 'filter.prebookNumber') } } });
  if (filter?.overdue != null) {
    const today = await companyToday(ctx.em);
    and.push({ shipment: { arrivalDate: filter.overdue ? { $lt: today } : { $gte: today } } });
  }
  return and.length ? { ...where, $and: and } : where;
}

async function inventoryWhere(ctx: RequestContext, filter: InventoryFilter | null | undefined): Promise<Record<string, unknown>> {
  const where: Record<string, unknown> = { status: 'IN_INVENTORY' };
  if (filter?.product) where.product = await refId(ctx, ProductSchema, filter.product, 'filter.product');
  if (filter?.inventoryType) where.inventoryType = filter.inventoryType;
  if (filter?.customer) where.customer = await refId(ctx, CustomerSchema, filter.customer, 'filter.customer');
  if (filter?.location) where.location = await refId(ctx, LocationSchema, filter.location, 'filter.location');
  if (filter?.received != null) where.received = filter.received;
  if (filter?.portOfOrigin) where.portOfOrigin = filter.portOfOrigin.trim().toUpperCase();
  if (filter?.label) where.label = filter.label.trim();
  return where;
}

function withSummary<P extends { results: BoxResult[] }>(payload: P) {
  const confirmed = payload.results.filter((r) => r.outcome === 'CONFIRMED');
  const summary = {
    confirmed: confirmed.length,
    failed: payload.results.length - confirmed.length,
    billed: confirmed.filter((r) => r.billing?.invoiceNumbers.length).length,
    issues: confirmed.filter((r) => r.billing?.issue).length,
    invoices: new Set(payload.results.flatMap((r) => r.billing?.invoiceNumbers ?? [])).size,
  };
  return { ...payload, summary };
}

export const receivingResolvers: Resolvers = {
  Query: {
    staging: async (_, { filter, first, after }, ctx) =>
      paginate(ctx.em, BoxSchema, await stagingWhere(ctx, filter), { first, after }, { key: 'id', populate: [...POPULATE_BOX] }),
    inventory: async (_, { filter, first, after }, ctx) =>
      paginate(ctx.em, BoxSchema, await inventoryWhere(ctx, filter), { first, after }, { key: 'id', populate: [...POPULATE_BOX] }),
    box: (_, { label }, ctx) => ctx.em.findOne(BoxSchema, { label: label.trim() }, { populate: POPULATE_BOX as never }),
  },
  Mutation: {
    shipPurchaseOrder: (_, { input, idempotencyKey }, ctx) => shipPurchaseOrder(ctx, input, idempotencyKey),
    scanBoxes: (_, { labels, kind }, ctx) => scanBoxes(ctx, labels, kind),
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
    arrivalDate: (box) => box.shipment.arrivalDate,
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
