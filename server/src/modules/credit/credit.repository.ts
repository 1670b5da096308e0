// The SQL of credits.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray } from '../../common/loaders';

/** An invoice line as a credit reads it under its lock, with what credits that still count already take off it. */
export interface CreditableLineRow {
  id: number;
  line_no: number;
  units: number;
  unit_price: string | null;
  product_code: string;
  invoice_id: number;
  invoice_number: string;
  invoice_status: string;
  customer_id: number;
  credited_units: string;
  credited_amount: string;
}

/**
 * Locks invoice lines in id order (`for update`: two requests crediting one line wait on each other, so
 * the second sees the first's credit), with every line of `invoiceId` when given, and reads them with the units and amounts of the PENDING and
 * APPROVED credits on them, leaving out the lines of credit `exceptCreditId` (the one being updated).
 */
export async function lockCreditableLines(
  em: EntityManager,
  lineIds: readonly number[],
  exceptCreditId: number | null,
  invoiceId: number | null,
): Promise<CreditableLineRow[]> {
  // With the credit's invoice, all its lines: a void of that invoice (which locks them) then waits, or is waited for.
  await em.execute(`select id from invoice_line where id = any(?::int[]) or invoice_id = ? order by id for update`, [pgIntArray(lineIds), invoiceId ?? 0]);
  if (lineIds.length === 0) return [];
  return em.execute<CreditableLineRow[]>(
    `select l.id, l.line_no, l.units, l.unit_price::text as unit_price, p.code as product_code,
            i.id as invoice_id, i.number as invoice_number, i.status as invoice_status, i.customer_id,
            coalesce((select sum(cl.units) from credit_line cl join credit c on c.id = cl.credit_id
                       where cl.invoice_line_id = l.id and cl.kind = 'QUANTITY' and c.status in ('PENDING', 'APPROVED') and c.id <> ?), 0) as credited_units,
            coalesce((select sum(cl.amount) from credit_line cl join credit c on c.id = cl.credit_id
                       where cl.invoice_line_id = l.id and c.status in ('PENDING', 'APPROVED') and c.id <> ?), 0)::text as credited_amount
       from invoice_line l join invoice i on i.id = l.invoice_id join product p on p.id = l.product_id
      where l.id = any(?::int[]) order by l.id`,
    [exceptCreditId ?? 0, exceptCreditId ?? 0, pgIntArray(lineIds)],
  );
}

/** The amount of APPROVED credits of each invoice (those without any are left out). */
export async function selectApprovedCreditAmounts(em: EntityManager, invoiceIds: readonly number[]): Promise<Map<number, string>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ invoice_id: number; amount: string }>>(
    `select c.invoice_id, sum(cl.amount)::text as amount from credit c join credit_line cl on cl.credit_id = c.id
      where c.invoice_id = any(?::int[]) and c.status = 'APPROVED' group by c.invoice_id`,
    [pgIntArray(invoiceIds)],
  );
  return new Map(rows.map((row) => [Number(row.invoice_id), row.amount]));
}

/** The total of each credit's lines. */
export async function selectCreditTotals(em: EntityManager, creditIds: readonly number[]): Promise<Map<number, string>> {
  if (creditIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ credit_id: number; amount: string }>>(
    `select credit_id, sum(amount)::text as amount from credit_line where credit_id = any(?::int[]) group by credit_id`,
    [pgIntArray(creditIds)],
  );
  return new Map(rows.map((row) => [Number(row.credit_id), row.amount]));
}

/** Locks one credit by number and returns its id. */
export async function lockCreditByNumber(em: EntityManager, number: string): Promise<number | null> {
  const [row] = await em.execute<Array<{ id: number }>>(`select id from credit where number = ? for update`, [number]);
  return row ? Number(row.id) : null;
}

/** A box an invoice line took, as a restock reads it: what the line took from it and what approved credits already returned. */
export interface RestockTakeRow {
  invoice_line_id: number;
  box_id: number;
  label: string;
  taken: number;
  restocked: string;
  shipped_out_at: Date | null;
  landed_unit_cost: string;
  shipment_id: number;
  purchase_order_line_id: number;
  product_id: number;
  box_type_id: number;
  location_id: number;
  port_of_origin: string;
}

/**
 * The boxes invoice lines took (box id order), each with the units taken, the units APPROVED credits already
 * returned to stock from it for that line, and whether it left the warehouse (an outbound scan). With `lock`,
 * the boxes are locked first (`for update`, id order: the lock order of boxes).
 */
export async function selectRestockTakes(em: EntityManager, invoiceLineIds: readonly number[], lock: boolean): Promise<RestockTakeRow[]> {
  if (invoiceLineIds.length === 0) return [];
  if (lock) {
    await em.execute(
      `select b.id from box b where b.id in (select box_id from invoice_line_box where invoice_line_id = any(?::int[])) order by b.id for update`,
      [pgIntArray(invoiceLineIds)],
    );
  }
  return em.execute<RestockTakeRow[]>(
    `select t.invoice_line_id, b.id as box_id, b.label, sum(t.units)::int as taken,
            coalesce((select sum(r.units) from credit_restock r join credit_line cl on cl.id = r.credit_line_id join credit c on c.id = cl.credit_id
                       where r.source_box_id = b.id and cl.invoice_line_id = t.invoice_line_id and c.status = 'APPROVED'), 0)::text as restocked,
            b.shipped_out_at, b.landed_unit_cost::text as landed_unit_cost, b.shipment_id, b.purchase_order_line_id, b.product_id,
            b.box_type_id, b.location_id, b.port_of_origin
       from invoice_line_box t join box b on b.id = t.box_id
      where t.invoice_line_id = any(?::int[])
      group by t.invoice_line_id, b.id order by t.invoice_line_id, b.id`,
    [pgIntArray(invoiceLineIds)],
  );
}

/** The restock boxes of a credit's lines, locked (`for update`), with what they still hold. */
export async function lockRestockBoxesOfCredit(
  em: EntityManager,
  creditId: number,
): Promise<Array<{ restock_id: number; box_id: number; label: string; status: string; units: number; units_remaining: number }>> {
  return em.execute(
    `select r.id as restock_id, b.id as box_id, b.label, b.status, b.units, b.units_remaining
       from credit_restock r join credit_line cl on cl.id = r.credit_line_id join box b on b.id = r.box_id
      where cl.credit_id = ? order by b.id for update of b`,
    [creditId],
  );
}
