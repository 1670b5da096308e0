// The SQL of automatic billing and allocation (billing.service.ts, allocation.service.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray, type PurchasedQuantity } from '../../common/loaders';
import { BILLED_BY_PREBOOK_LINE } from '../prebook/prebook.repository';
import { executePrepared } from '../../common/prepared-statement.repository';

/** What each customer's pending invoices amount to (a pending price counted at cost), of an `?::int[]` parameter. */
const PENDING_EXPOSURE = `select i.customer_id as id, coalesce(sum(coalesce(l.unit_price, l.unit_cost) * l.units), 0) as exposure
         from invoice i join invoice_line l on l.invoice_id = i.id
        where i.status = 'PENDING' and i.customer_id = any(?::int[]) group by 1`;

/**
 * What billing reads before it plans, in one statement: what the prebook lines have billed (boxes,
 * units) and what the customers' pending invoices amount to.
 */
export async function selectBilledAndExposure(
  em: EntityManager,
  lineIds: number[],
  customerIds: number[],
): Promise<{ billed: Map<number, PurchasedQuantity>; exposure: Array<{ id: number; exposure: string }> }> {
  const rows = await executePrepared<{ kind: 'line' | 'customer'; id: number; boxes: string | null; units: string | null; exposure: string | null }>(
    em,
    `with billed as (${BILLED_BY_PREBOOK_LINE}), exposure as (${PENDING_EXPOSURE})
     select 'line' as kind, id, boxes::text, units::text, null::text as exposure from billed
     union all
     select 'customer', id, null, null, exposure::text from exposure`,
    [pgIntArray(lineIds), pgIntArray(customerIds)],
  );
  const billed = new Map<number, PurchasedQuantity>();
  const exposure: Array<{ id: number; exposure: string }> = [];
  for (const row of rows) {
    if (row.kind === 'line') billed.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
    else exposure.push({ id: Number(row.id), exposure: row.exposure! });
  }
  return { billed, exposure };
}

/** Marks the open billing issues of the boxes of an `?::int[]` parameter resolved. */
const RESOLVE_OPEN_ISSUES = `update billing_issue set resolved_at = now() where box_id = any(?::int[]) and resolved_at is null`;

/**
 * Takes the transaction-scoped advisory locks of consolidation keys, in one statement: unnest yields
 * the keys in array order, so they are locked in that order. Optionally marks boxes' open billing
 * issues resolved in the same statement.
 */
export async function lockInvoiceKeys(em: EntityManager, lockKeys: string[], resolveIssuesOfBoxIds: number[] = []): Promise<void> {
  if (resolveIssuesOfBoxIds.length === 0) {
    await executePrepared(em, `select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(?::text[]) as k`, [pgArray(lockKeys)]);
    return;
  }
  // With it, the boxes' open billing issues marked resolved (resolveOpenIssues), in the same round trip.
  await executePrepared(
    em,
    `with resolved as (${RESOLVE_OPEN_ISSUES})
     select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(?::text[]) as k`,
    [pgIntArray(resolveIssuesOfBoxIds), pgArray(lockKeys)],
  );
}

/** The highest line number of each invoice. */
export async function selectMaxLineNos(em: EntityManager, invoiceIds: number[]): Promise<Array<{ id: number; max: number }>> {
  return executePrepared<{ id: number; max: number }>(
    em,
    `select invoice_id as id, max(line_no) as max from invoice_line where invoice_id = any(?::int[]) group by 1`,
    [pgIntArray(invoiceIds)],
  );
}

/** What the stored takes of each invoice line add up to: units, distinct boxes and landed cost. */
export async function selectTakeTotals(em: EntityManager, lineIds: number[]): Promise<Array<{ id: number; units: string; boxes: number[]; cost: string }>> {
  return executePrepared<{ id: number; units: string; boxes: number[]; cost: string }>(
    em,
    `select t.invoice_line_id as id, sum(t.units) as units, array_agg(distinct t.box_id) as boxes, sum(b.landed_unit_cost * t.units)::text as cost
           from invoice_line_box t join box b on b.id = t.box_id
          where t.invoice_line_id = any(?::int[]) group by 1`,
    [pgArray(lineIds)],
  );
}

/** Marks the boxes' open billing issues resolved, in one statement. */
export async function resolveOpenIssues(em: EntityManager, boxIds: number[]): Promise<void> {
  await em.execute(RESOLVE_OPEN_ISSUES, [pgArray(boxIds)]);
}

/** Locks, in id order, the stock an allocation may take: in inventory (or, for fills, staged open market) of these products. */
export async function lockStockBoxIds(
  em: EntityManager,
  productIds: number[],
  options: { maxAgeDays?: number | null; staged: boolean },
): Promise<Array<{ id: number }>> {
  const age = options.maxAgeDays != null ? ` and b.confirmed_at >= now() - make_interval(days => ${Math.trunc(options.maxAgeDays)})` : '';
  const staged = options.staged
    ? ` or (b.status = 'STAGED' and not exists (select 1 from box_demand d where d.box_id = b.id)
          and (select po.customer_id from purchase_order_line l join purchase_order po on po.id = l.purchase_order_id where l.id = b.purchase_order_line_id) is null)`
    : '';
  return em.execute<{ id: number }[]>(
    `select b.id from box b where b.product_id = any(?::int[]) and b.units_remaining > 0
        and ((b.status = 'IN_INVENTORY'${age})${staged})
      order by b.id for update`,
    [pgIntArray(productIds)],
  );
}

/** Units of staged boxes already linked to each prebook line. */
export async function selectStagedUnitsByLine(em: EntityManager, lineIds: number[]): Promise<Array<{ id: number; units: string }>> {
  return em.execute<{ id: number; units: string }[]>(
    `select d.prebook_line_id as id, sum(d.units) as units from box_demand d join box b on b.id = d.box_id where b.status = 'STAGED' and d.prebook_line_id = any(?::int[]) group by 1`,
    [pgIntArray(lineIds)],
  );
}

/** Locks the invoice an invoice line is on; none when there is no such line. */
export async function lockInvoiceOfLine(em: EntityManager, lineId: number): Promise<Array<{ invoiceId: number }>> {
  return em.execute<{ invoiceId: number }[]>(
    `select i.id as "invoiceId" from invoice i join invoice_line l on l.invoice_id = i.id where l.id = ? for update of i`,
    [lineId],
  );
}

/** An invoice line a billing run adds, written with the others in one statement. */
export interface InvoiceLineRow {
  invoiceId: number;
  lineNo: number;
  productId: number;
  boxes: number;
  units: number;
  unitPrice: string | null;
  unitCost: string;
  prebookLineId: number;
  inventoryType: string;
}

/** Inserts invoice lines in one statement; their ids come back with their invoice and line number (unique on an invoice). */
export async function insertInvoiceLineRows(
  em: EntityManager,
  rows: readonly InvoiceLineRow[],
): Promise<Array<{ id: number; invoice_id: number; line_no: number }>> {
  return executePrepared<{ id: number; invoice_id: number; line_no: number }>(
    em,
    `insert into invoice_line (invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type)
     select * from unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::numeric[], ?::numeric[], ?::int[], ?::text[])
     returning id, invoice_id, line_no`,
    [
      pgArray(rows.map((r) => r.invoiceId)),
      pgArray(rows.map((r) => r.lineNo)),
      pgArray(rows.map((r) => r.productId)),
      pgArray(rows.map((r) => r.boxes)),
      pgArray(rows.map((r) => r.units)),
      pgArray(rows.map((r) => r.unitPrice)),
      pgArray(rows.map((r) => r.unitCost)),
      pgArray(rows.map((r) => r.prebookLineId)),
      pgArray(rows.map((r) => r.inventoryType)),
    ],
  );
}

/** Writes the boxes, units and cost of invoice lines in one statement. */
export async function updateInvoiceLineTotals(
  em: EntityManager,
  rows: ReadonlyArray<{ id: number; boxes: number; units: number; unitCost: string }>,
): Promise<void> {
  await executePrepared(
    em,
    `update invoice_line l set boxes = x.boxes, units = x.units, unit_cost = x.unit_cost
       from unnest(?::int[], ?::int[], ?::int[], ?::numeric[]) as x(id, boxes, units, unit_cost)
      where l.id = x.id`,
    [pgArray(rows.map((r) => r.id)), pgArray(rows.map((r) => r.boxes)), pgArray(rows.map((r) => r.units)), pgArray(rows.map((r) => r.unitCost))],
  );
}
