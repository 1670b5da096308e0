// The SQL of purchase orders.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '../../common/prepared-statement.repository';
import { pgIntArray } from '../../common/loaders';

/**
 * Sets the status of purchase orders from their boxes, in one statement: RECEIVED once every ordered
 * box has shipped and none is left in staging; SHIPPED when all shipped; else CONFIRMED. Returns the
 * orders whose status changed.
 */
export async function updatePurchaseOrderStatusesFromBoxes(em: EntityManager, purchaseOrderIds: number[]): Promise<Array<{ id: number; status: string }>> {
  return em.execute<{ id: number; status: string }[]>(
    `with lines as (
       select l.id, l.purchase_order_id, l.boxes from purchase_order_line l
         join purchase_order po on po.id = l.purchase_order_id
        where po.id = any(?::int[]) and po.status <> 'CANCELLED'
     ), counts as (
       select b.purchase_order_line_id as id, count(*) as shipped, count(*) filter (where b.status = 'STAGED') as staged
         from box b where b.purchase_order_line_id in (select id from lines) and b.restock_of_id is null group by 1
     ), next as (
       select l.purchase_order_id as id,
              case when bool_or(l.boxes > coalesce(c.shipped, 0)) then 'CONFIRMED'
                   when sum(coalesce(c.staged, 0)) > 0 then 'SHIPPED'
                   else 'RECEIVED' end as status
         from lines l left join counts c on c.id = l.id group by 1
     )
     update purchase_order po set status = next.status, updated_at = now()
       from next where po.id = next.id and po.status <> next.status
     returning po.id, po.status`,
    [pgIntArray(purchaseOrderIds)],
  );
}

/**
 * Marks RECEIVED the purchase orders that are SHIPPED and have no box left in staging, in one statement
 * that counts a PO's other staged boxes only up to PostgreSQL's max_connections (counting them all on
 * every scan grew with the PO). Returns each SHIPPED order with its status after the statement and
 * `others`, the staged boxes it still saw (capped there). Boxes that concurrent transactions are taking
 * out of staging still look staged here, and there can be no more such transactions than connections:
 * an order left SHIPPED with fewer others than that may be waiting only on them (recheck after commit).
 */
export async function markPurchaseOrdersReceived(
  em: EntityManager,
  purchaseOrderIds: number[],
  leavingStagingBoxIds: number[],
): Promise<Array<{ id: number; status: string; others: number; cap: number }>> {
  return executePrepared<{ id: number; status: string; others: number; cap: number }>(
    em,
    `with cap as (select current_setting('max_connections')::int as n),
     target as (
       select po.id,
              (select count(*) from (select 1 from purchase_order_line l join box b on b.purchase_order_line_id = l.id
                                      where l.purchase_order_id = po.id and b.status = 'STAGED' and b.id <> all(?::int[])
                                      limit (select n from cap)) s)::int as others
         from purchase_order po where po.id = any(?::int[]) and po.status = 'SHIPPED'
     ),
     marked as (
       update purchase_order po set status = 'RECEIVED', updated_at = now()
         from target t where po.id = t.id and t.others = 0
       returning po.id, po.status
     )
     select t.id, coalesce(m.status, 'SHIPPED') as status, t.others, (select n from cap) as cap
       from target t left join marked m on m.id = t.id`,
    [pgIntArray(leavingStagingBoxIds), pgIntArray(purchaseOrderIds)],
  );
}

/**
 * What is still to buy of a prebook line, in SQL: its boxes or units less what purchase orders that are
 * not cancelled hold for it. The same rule as stillToBuy (prebook.service.ts), here to filter and page
 * in the database.
 */
const NEEDED = `(case when pl.sell_by = 'BOX' then pl.boxes - coalesce(pu.boxes, 0) else pl.units - coalesce(pu.units, 0) end)`;

/** Filters of the purchase needs, references resolved to ids. */
export interface PurchaseNeedWhere {
  customerId?: number;
  vendorId?: number;
  productId?: number;
  prebookId?: number;
  truckDateFrom?: string;
  truckDateTo?: string;
  lineIds?: number[];
}

/**
 * Open prebook lines (of OPEN prebooks, not marked unable to source) with something left to buy, oldest
 * truck date first, with what is left and the count of all of them.
 */
export async function selectPurchaseNeedRows(
  em: EntityManager,
  where: PurchaseNeedWhere,
  paging: { limit: number; offset: number } | null,
): Promise<Array<{ id: number; quantity: number; total: string }>> {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (where.customerId !== undefined) {
    sql.push('p.customer_id = ?');
    params.push(where.customerId);
  }
  if (where.vendorId !== undefined) {
    sql.push('(pl.vendor_id = ? or pl.vendor_id is null)');
    params.push(where.vendorId);
  }
  if (where.productId !== undefined) {
    sql.push('pl.product_id = ?');
    params.push(where.productId);
  }
  if (where.prebookId !== undefined) {
    sql.push('p.id = ?');
    params.push(where.prebookId);
  }
  if (where.truckDateFrom) {
    sql.push('p.truck_date >= ?');
    params.push(where.truckDateFrom);
  }
  if (where.truckDateTo) {
    sql.push('p.truck_date <= ?');
    params.push(where.truckDateTo);
  }
  if (where.lineIds) {
    sql.push('pl.id = any(?::int[])');
    params.push(pgIntArray(where.lineIds));
  }
  const page = paging === null ? '' : ` limit ${Math.trunc(paging.limit)} offset ${Math.trunc(paging.offset)}`;
  return em.execute<{ id: number; quantity: number; total: string }[]>(
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
}
