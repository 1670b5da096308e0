// The SQL of prebooks and their lines.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '../../common/prepared-statement.repository';
import { pgArray, pgIntArray, sqlText, type PurchasedQuantity } from '../../common/loaders';
import type { PrebookLine } from './prebook.entity';

/** Locks prebook lines in id order: billing (or buying) of one line is serialized across processes. */
export async function lockPrebookLines(em: EntityManager, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await executePrepared(em, `select id from prebook_line where id = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
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

/** A prebook line as a list reads it: its columns, references by id, money as decimal strings. */
export interface PrebookLineRow {
  id: number;
  prebook_id: number;
  line_no: number;
  product_id: number;
  sell_by: 'BOX' | 'UNIT';
  box_type_id: number;
  boxes: number | null;
  units_per_box: number;
  units: number;
  price: string | null;
  cost: string | null;
  vendor_id: number | null;
  vendor_cost: string | null;
  price_source: PrebookLine['priceSource'];
  unable_to_source: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The lines of many prebooks in one statement, by prebook then line number. */
export async function selectLinesOfPrebooks(em: EntityManager, prebookIds: readonly number[]): Promise<PrebookLineRow[]> {
  if (prebookIds.length === 0) return [];
  return em.execute<PrebookLineRow[]>(
    `select id, prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id, vendor_cost,
            price_source, unable_to_source, created_at, updated_at
       from prebook_line where prebook_id = any(?::int[]) order by prebook_id, line_no`,
    [pgIntArray(prebookIds)],
  );
}

/** Prebook lines by id in one statement (the lines invoices bill). */
export async function selectPrebookLinesByIds(em: EntityManager, lineIds: readonly number[]): Promise<PrebookLineRow[]> {
  if (lineIds.length === 0) return [];
  return em.execute<PrebookLineRow[]>(
    `select id, prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id, vendor_cost,
            price_source, unable_to_source, created_at, updated_at
       from prebook_line where id = any(?::int[])`,
    [pgIntArray(lineIds)],
  );
}

/** The quantity queries of the request loaders (common/loaders.ts createLoaders). */
export const prebookLineQuantities = { purchased: purchasedByPrebookLine, billed: billedByPrebookLine };

/** A new prebook as insertPrebooks writes it (references by id, money as decimal strings). */
export interface NewPrebookRow {
  number: string;
  /** The client's id of the new prebook (a sheet's Document Id), or null. */
  documentId: string | null;
  customerId: number;
  shipToId: number | null;
  carrierId: number;
  truckDate: string;
  customerPo: string | null;
  holiday: boolean;
  lines: Array<{
    lineNo: number;
    productId: number;
    sellBy: string;
    boxTypeId: number;
    boxes: number | null;
    unitsPerBox: number;
    units: number;
    price: string | null;
    cost: string | null;
    vendorId: number | null;
    vendorCost: string | null;
    /** Where the price came from; null while pending. */
    priceSource: string | null;
  }>;
}

/** The columns of a new line, in the order insertPrebooks inserts them after the prebook's id. */
const LINE_COLUMNS = [
  'lineNo',
  'productId',
  'sellBy',
  'boxTypeId',
  'boxes',
  'unitsPerBox',
  'units',
  'price',
  'cost',
  'vendorId',
  'vendorCost',
  'priceSource',
] as const;

/**
 * Inserts new prebooks (source PREBOOK, OPEN, version 1) and their lines in two statements, stamped
 * `at` as created and updated; returns their ids and their lines' ids in the order given.
 */
export async function insertPrebooks(em: EntityManager, prebooks: readonly NewPrebookRow[], at: Date): Promise<Array<{ id: number; lineIds: number[] }>> {
  if (prebooks.length === 0) return [];
  const stamp = at.toISOString();
  const headers = await em.execute<{ id: number; number: string }[]>(
    `insert into prebook (number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, holiday, document_id, source, status, created_at, updated_at)
     select x.number, x.customer_id, x.ship_to_id, x.carrier_id, x.truck_date, x.customer_po, x.holiday, x.document_id, 'PREBOOK', 'OPEN', ?::timestamptz, ?::timestamptz
       from unnest(?::text[], ?::int[], ?::int[], ?::int[], ?::date[], ?::text[], ?::boolean[], ?::text[]) with ordinality
            as x(number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, holiday, document_id, n)
      order by x.n
     returning id, number`,
    [
      stamp,
      stamp,
      sqlText(pgArray(prebooks.map((p) => p.number))),
      sqlText(pgArray(prebooks.map((p) => p.customerId))),
      sqlText(pgArray(prebooks.map((p) => p.shipToId))),
      sqlText(pgArray(prebooks.map((p) => p.carrierId))),
      sqlText(pgArray(prebooks.map((p) => p.truckDate))),
      sqlText(pgArray(prebooks.map((p) => p.customerPo))),
      sqlText(pgArray(prebooks.map((p) => p.holiday))),
      sqlText(pgArray(prebooks.map((p) => p.documentId))),
    ],
  );
  const idOf = new Map(headers.map((row) => [row.number, Number(row.id)]));
  const ids = prebooks.map((p) => idOf.get(p.number)!);
  // The lines as columns, in the order of the insert's unnest, filled in one pass: no object per line.
  const prebookIds: number[] = [];
  const columns = LINE_COLUMNS.map(() => [] as Array<string | number | null>);
  prebooks.forEach((p, i) => {
    for (const line of p.lines) {
      prebookIds.push(ids[i]);
      for (let c = 0; c < LINE_COLUMNS.length; c++) columns[c].push(line[LINE_COLUMNS[c]]);
    }
  });
  const lineIds = prebooks.map((p) => new Array<number>(p.lines.length));
  if (prebookIds.length) {
    // The ids come back per prebook (200 rows, not 5,000), with the line numbers they went to.
    const inserted = await em.execute<{ prebook_id: number; ids: number[]; line_nos: number[] }[]>(
      `with inserted as (
         insert into prebook_line (prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id,
                                   vendor_cost, price_source, unable_to_source, created_at, updated_at)
         select x.prebook_id, x.line_no, x.product_id, x.sell_by, x.box_type_id, x.boxes, x.units_per_box, x.units, x.price, x.cost, x.vendor_id,
                x.vendor_cost, x.price_source, false, ?::timestamptz, ?::timestamptz
           from unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::numeric[], ?::numeric[], ?::int[], ?::numeric[], ?::text[]) with ordinality
                as x(prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id, vendor_cost, price_source, n)
          order by x.n
         returning id, prebook_id, line_no
       )
       select prebook_id, array_agg(id order by line_no) as ids, array_agg(line_no order by line_no) as line_nos from inserted group by prebook_id`,
      [stamp, stamp, sqlText(pgArray(prebookIds)), ...columns.map((column) => sqlText(pgArray(column)))],
    );
    const position = new Map(ids.map((id, i) => [id, i]));
    for (const row of inserted) {
      const i = position.get(Number(row.prebook_id))!;
      const lineIndex = new Map(prebooks[i].lines.map((line, n) => [line.lineNo, n]));
      row.ids.forEach((id, k) => (lineIds[i][lineIndex.get(Number(row.line_nos[k]))!] = Number(id)));
    }
  }
  return prebooks.map((_, i) => ({ id: ids[i], lineIds: lineIds[i] }));
}
