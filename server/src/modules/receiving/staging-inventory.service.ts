import type { EntityName } from '@mikro-orm/core';
import { paginate, type PageArgs } from '../../common/pagination';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { InventoryFilter, StagingFilter } from '../../generated/graphql';
import { BoxSchema } from '../box/box.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { LocationSchema } from '../location/location.entity';
import { PrebookSchema } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { PurchaseOrderSchema } from '../purchase-order/purchase-order.entity';
import { companyToday } from '../settings/settings.service';
import { VendorSchema } from '../vendor/vendor.entity';

// Reading boxes: the staging and inventory lists, their filters, and one box by label.

/** A box with everything its GraphQL type shows. */
export const POPULATE_BOX = [
  'product',
  'product.category',
  'boxType',
  'location',
  'customer',
  'prebookLine',
  'prebookLine.prebook',
  'shipment',
  'purchaseOrderLine',
  'purchaseOrderLine.purchaseOrder',
  'purchaseOrderLine.purchaseOrder.vendor',
  'purchaseOrderLine.purchaseOrder.customer',
  'demands',
  'demands.prebookLine',
  'demands.prebookLine.prebook',
  'demands.prebookLine.prebook.customer',
] as const;

const refId = <T extends { id: number; code: string; name: string }>(ctx: RequestContext, entity: EntityName<T>, value: string, path: string) =>
  filterReferenceId(ctx.em, entity, value, path);

/** The boxes in staging a filter selects (the staging query, and the staging sheet's document). */
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

export async function listStaging(ctx: RequestContext, filter: StagingFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, BoxSchema, await stagingWhere(ctx, filter), page, { key: 'id', populate: [...POPULATE_BOX] });
}

export async function listInventory(ctx: RequestContext, filter: InventoryFilter | null | undefined, page: PageArgs) {
  return paginate(ctx.em, BoxSchema, await inventoryWhere(ctx, filter), page, { key: 'id', populate: [...POPULATE_BOX] });
}

export async function findBox(ctx: RequestContext, label: string) {
  return ctx.em.findOne(BoxSchema, { label: label.trim() }, { populate: POPULATE_BOX });
}
