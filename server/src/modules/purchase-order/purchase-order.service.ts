import { LockMode, type EntityName, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { dateRange } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { PurchaseOrderFilter } from '../../generated/graphql';
import type { BoxType } from '../box-type/box-type.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { LocationSchema, type Location } from '../location/location.entity';
import type { PrebookLine } from '../prebook/prebook.entity';
import type { Product } from '../product/product.entity';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { PurchaseOrderLineLinkSchema, PurchaseOrderLineSchema, PurchaseOrderSchema, type PurchaseOrder } from './purchase-order.entity';

// A purchase order as every use case reads, locks and makes it: the sheet's push (save-purchase-orders),
// buying for prebooks (purchase-from-prebooks) and for production runs (production module).

export interface LinkValues {
  prebookLine: PrebookLine;
  boxes: number | null;
  units: number | null;
}

export interface PurchaseOrderLineValues {
  product: Product;
  boxType: BoxType;
  boxes: number;
  unitsPerBox: number;
  unitCost: string;
  links: LinkValues[];
}

export interface PurchaseOrderValues {
  vendor: Vendor;
  customer: Customer | null;
  location: Location;
  shipDate: string;
  portOfOrigin: string;
  lines: PurchaseOrderLineValues[];
}

export const POPULATE_PURCHASE_ORDER = [
  'vendor',
  'customer',
  'location',
  'lines',
  'lines.product',
  'lines.boxType',
  'lines.links',
  'lines.links.prebookLine',
  'lines.links.prebookLine.prebook',
] as const;

/** Adds lines (and their prebook links) to a purchase order. */
export function addPurchaseOrderLines(em: EntityManager, purchaseOrder: PurchaseOrder, lines: PurchaseOrderLineValues[]): void {
  let lineNo = Math.max(0, ...purchaseOrder.lines.getItems().map((l) => l.lineNo));
  for (const { links, ...values } of lines) {
    const line = em.create(PurchaseOrderLineSchema, { ...values, purchaseOrder, lineNo: ++lineNo });
    purchaseOrder.lines.add(line);
    for (const link of links) line.links.add(em.create(PurchaseOrderLineLinkSchema, { ...link, purchaseOrderLine: line }));
  }
}

/** A new purchase order; `documentId` is a sheet's id of it (savePurchaseOrders), kept so a retried push finds it. */
export function createPurchaseOrder(em: EntityManager, number: string, values: PurchaseOrderValues, documentId: string | null = null): PurchaseOrder {
  const { lines, ...header } = values;
  const purchaseOrder = em.create(PurchaseOrderSchema, { ...header, number, status: 'OPEN', documentId });
  addPurchaseOrderLines(em, purchaseOrder, lines);
  return purchaseOrder;
}

/** Locks purchase orders (FOR UPDATE) and loads their lines and links. */
export async function lockPurchaseOrders(em: EntityManager, where: FilterQuery<PurchaseOrder>): Promise<PurchaseOrder[]> {
  const purchaseOrders = await em.find(PurchaseOrderSchema, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
  await em.populate(purchaseOrders, POPULATE_PURCHASE_ORDER, { refresh: true });
  return purchaseOrders;
}

export async function listPurchaseOrders(ctx: RequestContext, filter: PurchaseOrderFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  const refId = <T extends { id: number; code: string; name: string }>(entity: EntityName<T>, value: string, path: string) =>
    filterReferenceId(ctx.em, entity, value, path);
  if (filter?.number) where.id = await filterDocumentId(ctx.em, PurchaseOrderSchema, filter.number, 'filter.number');
  if (filter?.vendor) where.vendor = await refId(VendorSchema, filter.vendor, 'filter.vendor');
  if (filter?.customer) where.customer = await refId(CustomerSchema, filter.customer, 'filter.customer');
  if (filter?.location) where.location = await refId(LocationSchema, filter.location, 'filter.location');
  if (filter?.status) where.status = filter.status;
  if (filter?.shipDateFrom || filter?.shipDateTo) where.shipDate = dateRange(filter.shipDateFrom, filter.shipDateTo);
  return paginate(ctx.em, PurchaseOrderSchema, where, page, { key: 'id', populate: [...POPULATE_PURCHASE_ORDER] });
}

/** One purchase order by number (staff only: a PO carries vendors and costs). */
export async function findPurchaseOrder(ctx: RequestContext, number: string): Promise<PurchaseOrder | null> {
  return ctx.em.findOne(PurchaseOrderSchema, { number: number.trim().toUpperCase() }, { populate: POPULATE_PURCHASE_ORDER });
}
