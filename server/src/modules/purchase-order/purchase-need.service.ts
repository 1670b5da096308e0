import type { EntityManager } from '@mikro-orm/postgresql';
import { offsetConnection, offsetPage, type PageArgs } from '../../common/pagination';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { PurchaseNeedFilter } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { PrebookLineSchema, PrebookSchema, type PrebookLine } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';
import { selectPurchaseNeedRows, type PurchaseNeedWhere } from './purchase-order.repository';

/** What a prebook line still needs: boxes for a line sold by the box, units for one sold by the unit. */
export interface PurchaseNeed {
  line: PrebookLine;
  quantity: number;
}

/** Resolves the filter's references to ids, in the filter's order (the first unknown one is the error). */
async function needWhere(em: EntityManager, filter: PurchaseNeedFilter | null | undefined): Promise<PurchaseNeedWhere> {
  const where: PurchaseNeedWhere = {};
  if (filter?.customer) where.customerId = await filterReferenceId(em, CustomerSchema, filter.customer, 'filter.customer');
  if (filter?.vendor) where.vendorId = await filterReferenceId(em, VendorSchema, filter.vendor, 'filter.vendor');
  if (filter?.product) where.productId = await filterReferenceId(em, ProductSchema, filter.product, 'filter.product');
  if (filter?.prebookNumber) where.prebookId = await filterDocumentId(em, PrebookSchema, filter.prebookNumber, 'filter.prebookNumber');
  if (filter?.truckDateFrom) where.truckDateFrom = filter.truckDateFrom;
  if (filter?.truckDateTo) where.truckDateTo = filter.truckDateTo;
  return where;
}

/**
 * Open prebook lines (of OPEN prebooks, not marked unable to source) with
 * something left to buy, oldest truck date first. Quantities come from the
 * links of purchase orders that are not cancelled.
 */
export async function findPurchaseNeeds(
  em: EntityManager,
  options: { filter?: PurchaseNeedFilter | null; lineIds?: number[]; limit?: number; offset?: number },
): Promise<{ needs: PurchaseNeed[]; totalCount: number }> {
  const where = await needWhere(em, options.filter);
  if (options.lineIds) where.lineIds = options.lineIds;
  const rows = await selectPurchaseNeedRows(em, where, options.limit === undefined ? null : { limit: options.limit, offset: options.offset ?? 0 });
  const lines = await em.find(
    PrebookLineSchema,
    { id: { $in: rows.map((row) => Number(row.id)) } },
    { populate: ['prebook', 'prebook.customer', 'prebook.shipTo', 'prebook.carrier', 'product', 'boxType', 'vendor'] },
  );
  const byId = new Map(lines.map((line) => [line.id, line]));
  return {
    needs: rows.map((row) => ({ line: byId.get(Number(row.id))!, quantity: Number(row.quantity) })),
    totalCount: rows.length ? Number(rows[0].total) : 0,
  };
}

/** The purchaseNeeds query: a page of findPurchaseNeeds. */
export async function listPurchaseNeeds(ctx: RequestContext, filter: PurchaseNeedFilter | null | undefined, page: PageArgs) {
  const { limit, offset } = offsetPage(page);
  const { needs, totalCount } = await findPurchaseNeeds(ctx.em, { filter, limit, offset });
  return offsetConnection(needs, totalCount, offset);
}
