import type { EntityManager } from '@mikro-orm/postgresql';
import { toScaled } from '../../common/decimal';
import { pgIntArray } from '../../common/loaders';

// The SQL of the production module: sums over transfers, component POs, finished boxes and costs.

export interface TransferredUnits {
  runId: number;
  productId: number;
  units: number;
  /** Landed cost of those units, scaled (1/10000). */
  cost: bigint;
  /** Of those units, the ones taken from boxes not bought on the run's component POs. */
  unitsFromStock: number;
}

/** Units and landed cost each run's transfers (not void) took, per product. */
export async function transferredByRun(em: EntityManager, runIds: number[]): Promise<TransferredUnits[]> {
  if (runIds.length === 0) return [];
  const rows = await em.execute<{ run_id: number; product_id: number; units: string; cost: string; from_stock: string }[]>(
    `select t.production_run_id as run_id, b.product_id,
            sum(take.units) as units,
            sum(take.units * b.landed_unit_cost) as cost,
            sum(case when rpo.id is null then take.units else 0 end) as from_stock
       from production_run_transfer t
       join invoice i on i.id = t.invoice_id and i.status <> 'VOID'
       join invoice_line il on il.invoice_id = i.id
       join invoice_line_box take on take.invoice_line_id = il.id
       join box b on b.id = take.box_id
       join purchase_order_line pol on pol.id = b.purchase_order_line_id
       left join production_run_purchase_order rpo on rpo.production_run_id = t.production_run_id and rpo.purchase_order_id = pol.purchase_order_id
      where t.production_run_id = any(?::int[])
      group by t.production_run_id, b.product_id`,
    [pgIntArray(runIds)],
  );
  return rows.map((row) => ({
    runId: Number(row.run_id),
    productId: Number(row.product_id),
    units: Number(row.units),
    cost: toScaled(String(row.cost)),
    unitsFromStock: Number(row.from_stock),
  }));
}

/** Units ordered per run and product on the run's component POs that are not cancelled. */
export async function purchasedByRun(em: EntityManager, runIds: number[]): Promise<Array<{ runId: number; productId: number; units: number }>> {
  if (runIds.length === 0) return [];
  const rows = await em.execute<{ run_id: number; product_id: number; units: string }[]>(
    `select rpo.production_run_id as run_id, pol.product_id, sum(pol.boxes * pol.units_per_box) as units
       from production_run_purchase_order rpo
       join purchase_order po on po.id = rpo.purchase_order_id and po.status <> 'CANCELLED'
       join purchase_order_line pol on pol.purchase_order_id = po.id
      where rpo.production_run_id = any(?::int[])
      group by rpo.production_run_id, pol.product_id`,
    [pgIntArray(runIds)],
  );
  return rows.map((row) => ({ runId: Number(row.run_id), productId: Number(row.product_id), units: Number(row.units) }));
}

export interface FinishedGoods {
  productId: number;
  /** Units of boxes confirmed into inventory (not void). */
  received: number;
  /** Units ordered on the PO and their cost (the labour), scaled. */
  ordered: number;
  cost: bigint;
}

/** Per product of each production PO: units received (confirmed boxes) and the labour ordered. */
export async function finishedGoodsByPurchaseOrder(em: EntityManager, purchaseOrderIds: number[]): Promise<Map<number, FinishedGoods[]>> {
  const result = new Map<number, FinishedGoods[]>();
  if (purchaseOrderIds.length === 0) return result;
  const rows = await em.execute<{ po_id: number; product_id: number; ordered: string; cost: string; received: string }[]>(
    `select pol.purchase_order_id as po_id, pol.product_id,
            sum(pol.boxes * pol.units_per_box) as ordered,
            sum(pol.boxes * pol.units_per_box * pol.unit_cost) as cost,
            coalesce(sum(r.units), 0) as received
       from purchase_order_line pol
       left join lateral (
         select sum(b.units) as units from box b
          where b.purchase_order_line_id = pol.id and b.confirmed_at is not null and b.status <> 'VOID' and b.restock_of_id is null
       ) r on true
      where pol.purchase_order_id = any(?::int[])
      group by pol.purchase_order_id, pol.product_id`,
    [pgIntArray(purchaseOrderIds)],
  );
  for (const row of rows) {
    const list = result.get(Number(row.po_id)) ?? [];
    list.push({ productId: Number(row.product_id), received: Number(row.received), ordered: Number(row.ordered), cost: toScaled(String(row.cost)) });
    result.set(Number(row.po_id), list);
  }
  return result;
}

/** Last purchase unit cost of each product (its newest PO line on a PO that is not cancelled). */
export async function lastPurchaseCosts(
  em: EntityManager,
  productIds: number[],
  options: { productionVendorsOnly?: boolean } = {},
): Promise<Map<number, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await em.execute<{ product_id: number; unit_cost: string }[]>(
    `select distinct on (pol.product_id) pol.product_id, pol.unit_cost
       from purchase_order_line pol
       join purchase_order po on po.id = pol.purchase_order_id and po.status <> 'CANCELLED'
       join vendor v on v.id = po.vendor_id
      where pol.product_id = any(?::int[]) ${options.productionVendorsOnly ? `and v.kind = 'PRODUCTION'` : ''}
      order by pol.product_id, po.created_at desc, pol.id desc`,
    [pgIntArray(productIds)],
  );
  return new Map(rows.map((row) => [Number(row.product_id), String(row.unit_cost)]));
}

/** Average landed unit cost of each product's units in inventory, 4 decimals. */
export async function currentLandedCosts(em: EntityManager, productIds: number[]): Promise<Map<number, string>> {
  if (productIds.length === 0) return new Map();
  const rows = await em.execute<{ product_id: number; cost: string }[]>(
    `select b.product_id, round(sum(b.units_remaining * b.landed_unit_cost) / sum(b.units_remaining), 4) as cost
       from box b
      where b.status = 'IN_INVENTORY' and b.units_remaining > 0 and b.product_id = any(?::int[])
      group by b.product_id`,
    [pgIntArray(productIds)],
  );
  return new Map(rows.map((row) => [Number(row.product_id), String(row.cost)]));
}
