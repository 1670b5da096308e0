// The SQL of invoices.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InvoiceLine } from './invoice.entity';
import { pgArray, pgIntArray } from '../../common/loaders';

/** Locks invoices by number, in id order (as voids and billing do). */
export async function lockInvoicesByNumber(em: EntityManager, numbers: string[]): Promise<Array<{ id: number }>> {
  return em.execute<{ id: number }[]>(`select id from invoice where number = any(?::text[]) order by id for update`, [pgArray(numbers)]);
}

/** The takes of invoice lines, label and units only, in the order they were taken. */
export async function selectTakesOfLines(em: EntityManager, lineIds: readonly number[]): Promise<Array<{ line_id: number; label: string; units: number }>> {
  return em.execute<{ line_id: number; label: string; units: number }[]>(
    `select t.invoice_line_id as line_id, b.label, t.units from invoice_line_box t join box b on b.id = t.box_id
          where t.invoice_line_id = any(?::int[]) order by t.id`,
    [pgIntArray(lineIds)],
  );
}

/** An invoice line as a list reads it: its columns, references by id, money as decimal strings. */
export interface InvoiceLineRow {
  id: number;
  invoice_id: number;
  line_no: number;
  product_id: number;
  boxes: number;
  units: number;
  unit_price: string | null;
  unit_cost: string;
  prebook_line_id: number | null;
  inventory_type: 'P' | 'S' | 'M';
  price_source: InvoiceLine['priceSource'];
}

/** The lines of many invoices in one statement, by invoice then line number. */
export async function selectLinesOfInvoices(em: EntityManager, invoiceIds: readonly number[]): Promise<InvoiceLineRow[]> {
  if (invoiceIds.length === 0) return [];
  return em.execute<InvoiceLineRow[]>(
    `select id, invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type, price_source
       from invoice_line where invoice_id = any(?::int[]) order by invoice_id, line_no`,
    [pgIntArray(invoiceIds)],
  );
}

/** The production run each of these invoices is a transfer of (invoices of no run are absent). */
export async function selectProductionRunsOfInvoices(em: EntityManager, invoiceIds: readonly number[]): Promise<Map<number, string>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await em.execute<{ invoice_id: number; number: string }[]>(
    `select t.invoice_id, r.number from production_run_transfer t join production_run r on r.id = t.production_run_id
      where t.invoice_id = any(?::int[])`,
    [pgIntArray(invoiceIds)],
  );
  return new Map(rows.map((row) => [Number(row.invoice_id), row.number]));
}

/**
 * Locks the boxes an invoice's lines took, in id order, before the invoice itself: the order every path
 * locks them in (boxes, then prebook lines, then invoices: billing.repository.ts), so voiding an invoice never
 * waits on a billing that holds one of its boxes while it waits on the invoice. Returns their ids.
 */
export async function lockBoxesOfInvoice(em: EntityManager, number: string): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(
    `select b.id from box b
      where b.id in (select t.box_id from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
                       join invoice i on i.id = l.invoice_id where i.number = ?)
      order by b.id for update`,
    [number],
  );
  return rows.map((row) => Number(row.id));
}

/** The ids of the boxes an invoice's lines took, unlocked (read under the invoice's lock, they no longer change). */
export async function selectBoxIdsOfInvoice(em: EntityManager, invoiceId: number): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(
    `select distinct t.box_id as id from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id where l.invoice_id = ?`,
    [invoiceId],
  );
  return rows.map((row) => Number(row.id));
}

/** What PENDING or APPROVED credits take off one invoice line: their number and amount. */
export interface LineCredits {
  lineId: number;
  credits: number;
  amount: string;
}

/**
 * Locks invoice lines in id order, `for update`: a credit request locks the lines it credits, so it either
 * committed before this transaction's reads of credits or waits for it. By line ids, or by the invoices
 * they are on.
 */
export async function lockInvoiceLines(em: EntityManager, by: { lineIds?: readonly number[]; invoiceIds?: readonly number[] }): Promise<void> {
  const [column, ids] = by.lineIds ? ['id', by.lineIds] : ['invoice_id', by.invoiceIds ?? []];
  if (ids.length === 0) return;
  await em.execute(`select id from invoice_line where ${column} = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
}

/**
 * Locks invoice lines (lockInvoiceLines) and reads the PENDING or APPROVED credits on each; lines without
 * any are left out.
 */
export async function lockLinesWithCredits(em: EntityManager, by: { lineIds?: readonly number[]; invoiceIds?: readonly number[] }): Promise<LineCredits[]> {
  const [column, ids] = by.lineIds ? ['id', by.lineIds] : ['invoice_id', by.invoiceIds ?? []];
  if (ids.length === 0) return [];
  await lockInvoiceLines(em, by);
  const rows = await em.execute<Array<{ line_id: number; credits: string; amount: string }>>(
    `select cl.invoice_line_id as line_id, count(distinct c.id) as credits, sum(cl.amount)::text as amount
       from credit_line cl join credit c on c.id = cl.credit_id join invoice_line l on l.id = cl.invoice_line_id
      where l.${column} = any(?::int[]) and c.status in ('PENDING', 'APPROVED')
      group by cl.invoice_line_id`,
    [pgIntArray(ids)],
  );
  return rows.map((row) => ({ lineId: Number(row.line_id), credits: Number(row.credits), amount: row.amount }));
}

/**
 * Per invoice, how many PENDING or APPROVED credits name it or credit its lines (they must be voided before
 * the invoice is voided or merged away); invoices with none are left out. One statement for all of them.
 */
export async function countCreditsOfInvoices(em: EntityManager, invoiceIds: readonly number[]): Promise<Map<number, number>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ invoice_id: number; count: string }>>(
    `select x.id as invoice_id, count(c.id) as count
       from unnest(?::int[]) as x(id)
       join credit c on c.status in ('PENDING', 'APPROVED')
        and (c.invoice_id = x.id or exists (select 1 from credit_line cl join invoice_line l on l.id = cl.invoice_line_id where cl.credit_id = c.id and l.invoice_id = x.id))
      group by x.id`,
    [pgIntArray(invoiceIds)],
  );
  return new Map(rows.map((row) => [Number(row.invoice_id), Number(row.count)]));
}

/**
 * SQL of the total of invoice `alias` (the SQL twin of Invoice.total: the priced lines, its charges, and a
 * fee invoice's amount); with pendingAtCost, a pending price counts at cost (what credit-limit exposure counts).
 */
export function invoiceTotalSql(alias: string, options: { pendingAtCost?: boolean } = {}): string {
  const price = options.pendingAtCost ? 'coalesce(l.unit_price, l.unit_cost)' : 'l.unit_price';
  return `(coalesce((select sum(${price} * l.units) from invoice_line l where l.invoice_id = ${alias}.id), 0)
    + coalesce((select sum(c.amount) from invoice_charge c where c.invoice_id = ${alias}.id), 0) + coalesce(${alias}.fee_amount, 0))`;
}

/** SQL: what payments and credits applied to invoice `alias` take (an application counts while its payment is POSTED, its credit APPROVED). */
export function invoiceAppliedSql(alias: string): string {
  return `coalesce((select sum(a.amount) from payment_application a
     left join payment p on p.id = a.payment_id left join credit cr on cr.id = a.credit_id
     where a.invoice_id = ${alias}.id and (a.payment_id is null or p.status = 'POSTED') and (a.credit_id is null or cr.status = 'APPROVED')), 0)`;
}

/** What is applied to an invoice (payments, credits) and what its APPROVED credits take, as text. */
export async function selectAppliedAndCredited(em: EntityManager, invoiceId: number): Promise<{ applied: string; credited: string }> {
  const [row] = await em.execute<Array<{ applied: string; credited: string }>>(
    `select ${invoiceAppliedSql('i')}::text as applied,
            coalesce((select sum(cl.amount) from credit c join credit_line cl on cl.credit_id = c.id where c.invoice_id = i.id and c.status = 'APPROVED'), 0)::text as credited
       from invoice i where i.id = ?`,
    [invoiceId],
  );
  return row ?? { applied: '0', credited: '0' };
}
