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
