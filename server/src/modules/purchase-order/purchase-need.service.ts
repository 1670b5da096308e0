import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray } from '../../common/loaders';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { PurchaseNeedFilter } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { PrebookLineSchema, PrebookSchema, type PrebookLine } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';

/** What a prebook line still needs: boxes for a line sold by the box, units for one sold by the unit. */
export interface PurchaseNeed {
  line: PrebookLine;
  quantity: number;
}

const NEEDED = `(case when pl.sell_by = 'BOX' then pl.boxes - coalesce(pu.boxes, 0) else pl.units - coalesce(pu.units, 0) end)`;

async function filterConditions(em: EntityManager, filter: PurchaseNeedFilter | null | undefined): Promise<{ sql: string[]; params: unknown[] }> {
  const sql: string[] = [];
  const params: unknown[] = [];
  const idOf = (entity: typeof CustomerSchema | typeof VendorSchema | typeof ProductSchema, value: string, path: string) =>
    filterReferenceId(em, entity as typeof CustomerSchema, value, path);
  if (filter?.customer) {
    sql.push('p.customer_id = ?');
    params.push(await idOf(CustomerSchema, filter.customer, 'filter.customer'));
  }
  if (filter?.vendor) {
    sql.push('(pl.vendor_id = ? or pl.vendor_id is null)');
    params.push(await idOf(VendorSchema, filter.vendor, 'filter.vendor'));
  }
  if (filter?.product) {
    sql.push('pl.product_id = ?');
    params.push(await idOf(ProductSchema, filter.product, 'filter.product'));
  }
  if (filter?.prebookNumber) {
    sql.push('p.id = ?');
    params.push(await filterDocumentId(em, PrebookSchema, filter.prebookNumber, 'filter.prebookNumber'));
  }
  if (filter?.truckDateFrom) {
    sql.push('p.truck_date >= ?');
    params.push(filter.truckDateFrom);
  }
  if (filter?.truckDateTo) {
    sql.push('p.truck_date <= ?');
    params.push(filter.truckDateTo);
  }
  return { sql, params };
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
  const { sql, params } = await filterConditions(em, options.filter);
  if (options.lineIds) {
    sql.push('pl.id = any(?::int[])');
    params.push(pgIntArray(options.lineIds));
  }
  const page = options.limit === undefined ? '' : ` limit ${Math.trunc(options.limit)} offset ${Math.trunc(options.offset ?? 0)}`;
  const rows = await em.execute<{ id: number; quantity: number; total: string }[]>(
    `select pl.id, ${NEEDED} as quantity, count(*) over () as total
       from prebook_line pl
       join prebook p on p.id = pl.prebook_id
       left join lateral (
         select sum(link.boxes) as boxes, sum(link.units) as units
           from purchase_order_line_link link
           join purchase_order_line pol on pol.id = link.purchase_order_line_id
           join purchase_order po on po.id = pol.purchase_order_id
          where link.prebook_line_id = pl.id and po.status <> 'CANCELLED'
       ) pu on true
      where p.status = 'OPEN' and not pl.unable_to_source and ${NEEDED} > 0
        ${sql.map((condition) => `and ${condition}`).join(' ')}
      order by p.truck_date, p.id, pl.line_no${page}`,
    params,
  );
  const lines = await em.find(
    PrebookLineSchema,
    { id: { $in: rows.map((row) => Number(row.id)) } },
    { populate: ['prebook', 'prebook.customer', 'prebook.shipTo', 'prebook.carrier', 'product', 'boxType', 'vendor'] as never },
  );
  const byId = new Map(lines.map((line) => [line.id, line]));
  return {
    needs: rows.map((row) => ({ line: byId.get(Number(row.id))!, quantity: Number(row.quantity) })),
    totalCount: rows.length ? Number(rows[0].total) : 0,
  };
}

/** Locks prebook lines in id order, so writers that add purchase-order links apply one at a time. */
export async function lockPrebookLines(em: EntityManager, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`select id from prebook_line where id = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
}
