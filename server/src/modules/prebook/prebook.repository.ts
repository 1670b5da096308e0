// The SQL of prebooks and their lines.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray, type PurchasedQuantity } from '../../common/loaders';

/** Locks prebook lines in id order: billing (or buying) of one line is serialized across processes. */
export async function lockPrebookLines(em: EntityManager, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`select id from prebook_line where id = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
}

/** Sums, per prebook line, what purchase orders that are not cancelled hold for it. */
export async function purchasedByPrebookLine(em: EntityManager, lineIds: readonly number[]): Promise<Map<number, PurchasedQuantity>> {
  const result = new Map<number, PurchasedQuantity>();
  if (lineIds.length === 0) return result;
  const rows = await em.execute<{ id: number; boxes: string; units: string }[]>(
    `select link.prebook_line_id as id, coalesce(sum(link.boxes), 0) as boxes, coalesce(sum(link.units), 0) as units
       from purchase_order_line_link link
       join purchase_order_line pol on pol.id = link.purchase_order_line_id
       join purchase_order po on po.id = pol.purchase_order_id
      where po.status <> 'CANCELLED' and link.prebook_line_id = any(?::int[])
      group by link.prebook_line_id`,
    [pgIntArray(lineIds)],
  );
  for (const row of rows) result.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
  return result;
}

/** What invoices that are not void bill for each prebook line of an `?::int[]` parameter (id, boxes, units). */
export const BILLED_BY_PREBOOK_LINE = `select il.prebook_line_id as id, coalesce(sum(il.boxes), 0) as boxes, coalesce(sum(il.units), 0) as units
       from invoice_line il join invoice i on i.id = il.invoice_id
      where i.status <> 'VOID' and il.prebook_line_id = any(?::int[])
      group by il.prebook_line_id`;

/** Sums, per prebook line, what invoices that are not void bill for it. */
export async function billedByPrebookLine(em: EntityManager, lineIds: readonly number[]): Promise<Map<number, PurchasedQuantity>> {
  const result = new Map<number, PurchasedQuantity>();
  if (lineIds.length === 0) return result;
  const rows = await em.execute<{ id: number; boxes: string; units: string }[]>(BILLED_BY_PREBOOK_LINE, [pgIntArray(lineIds)]);
  for (const row of rows) result.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
  return result;
}

/** The quantity queries of the request loaders (common/loaders.ts createLoaders). */
export const prebookLineQuantities = { purchased: purchasedByPrebookLine, billed: billedByPrebookLine };
