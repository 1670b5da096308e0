// The SQL of receivables: open amounts of invoices, unapplied payments and credits, balances, locks.
//
// LOCK ORDER (the billing repository's, extended): an application first locks the invoices it may apply to
// (step 4 of that order, in id order), then the payment or credit it applies (in id order). A void of a
// payment locks the invoices its applications name, then the payment. Nothing locks an invoice after a
// payment or a credit, so two applications never wait on each other in a cycle.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import { invoiceAppliedSql, invoiceTotalSql } from '../invoice/invoice.repository';

/** SQL: the APPROVED credits naming invoice `alias`. */
const CREDITED = (alias: string) =>
  `coalesce((select sum(cl.amount) from credit c join credit_line cl on cl.credit_id = c.id where c.invoice_id = ${alias}.id and c.status = 'APPROVED'), 0)`;

/** SQL: the applications to invoice `alias` that count (their payment POSTED, their credit APPROVED). */
const APPLIED = invoiceAppliedSql;

/** SQL: what is still open on invoice `alias`: total - approved credits - applications. */
export function invoiceOpenSql(alias: string, options: { pendingAtCost?: boolean } = {}): string {
  return `(${invoiceTotalSql(alias, options)} - ${CREDITED(alias)} - ${APPLIED(alias)})`;
}

/** SQL: what customer `alias` has received and not applied: POSTED payments and APPROVED credits without an invoice. */
export function unappliedSql(alias: string): string {
  return `(coalesce((select sum(p.amount - coalesce((select sum(a.amount) from payment_application a where a.payment_id = p.id), 0))
                      from payment p where p.customer_id = ${alias}.id and p.status = 'POSTED'), 0)
         + coalesce((select sum(coalesce((select sum(cl.amount) from credit_line cl where cl.credit_id = c.id), 0)
                              - coalesce((select sum(a.amount) from payment_application a where a.credit_id = c.id), 0))
                      from credit c where c.customer_id = ${alias}.id and c.status = 'APPROVED' and c.invoice_id is null), 0))`;
}

/**
 * What each customer of an `?::int[]` parameter owes beyond its opening balance: its invoices' open amounts
 * (every invoice but VOID ones; with pendingAtCost a pending price counts at cost) less what it has received
 * and not applied. Columns id, exposure.
 */
export function customerExposureSql(options: { pendingAtCost?: boolean } = {}): string {
  return `select cu.id, (coalesce((select sum(${invoiceOpenSql('i', options)}) from invoice i where i.customer_id = cu.id and i.status <> 'VOID'), 0)
                 - ${unappliedSql('cu')}) as exposure
            from customer cu where cu.id = any(?::int[])`;
}

/** Each customer's balance: opening balance + open invoices - unapplied payments and credits. */
export async function selectCustomerBalances(em: EntityManager, customerIds: readonly number[]): Promise<Map<number, string>> {
  if (customerIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ id: number; balance: string }>>(
    `select e.id, (cu.open_balance + e.exposure)::text as balance from (${customerExposureSql()}) e join customer cu on cu.id = e.id`,
    [pgIntArray(customerIds)],
  );
  return new Map(rows.map((row) => [Number(row.id), row.balance]));
}

/** An invoice's receivable amounts, as text. */
export interface InvoiceReceivableRow {
  id: number;
  number: string;
  customer_id: number;
  kind: string;
  due_date: string;
  total: string;
  credited: string;
  applied: string;
  open: string;
}

const RECEIVABLE_COLUMNS = `i.id, i.number, i.customer_id, i.kind, to_char(i.invoice_date + cu.payment_terms_days, 'YYYY-MM-DD') as due_date,
  ${invoiceTotalSql('i')}::text as total, ${CREDITED('i')}::text as credited, ${APPLIED('i')}::text as applied, ${invoiceOpenSql('i')}::text as open`;

/** The receivable amounts of invoices by id. */
export async function selectInvoiceReceivables(em: EntityManager, invoiceIds: readonly number[]): Promise<InvoiceReceivableRow[]> {
  if (invoiceIds.length === 0) return [];
  return em.execute<InvoiceReceivableRow[]>(
    `select ${RECEIVABLE_COLUMNS} from invoice i join customer cu on cu.id = i.customer_id where i.id = any(?::int[])`,
    [pgIntArray(invoiceIds)],
  );
}

/**
 * The CONFIRMED invoices of a customer with something open (or those of `numbers`, open or not), locked
 * `for update` in id order, then read again under their locks.
 */
export async function lockOpenInvoices(em: EntityManager, customerId: number, numbers: readonly string[] | null): Promise<InvoiceReceivableRow[]> {
  const which = numbers ? `i.number = any(?::text[])` : `${invoiceOpenSql('i')} > 0`;
  const params: unknown[] = [customerId];
  if (numbers) params.push(pgArray(numbers));
  const locked = await em.execute<Array<{ id: number }>>(
    `select i.id from invoice i where i.customer_id = ? and i.status = 'CONFIRMED' and ${which} order by i.id for update`,
    params,
  );
  return selectInvoiceReceivables(
    em,
    locked.map((row) => Number(row.id)),
  );
}

/** Locks invoices by id, in id order. */
export async function lockInvoiceIds(em: EntityManager, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`select id from invoice where id = any(?::int[]) order by id for update`, [pgIntArray(ids)]);
}

/** A payment or credit money can be applied from, locked, with what is left of it (text). */
export interface SourceRow {
  id: number;
  number: string;
  customer_id: number;
  status: string;
  invoice_id: number | null;
  unapplied: string;
}

/** Locks a payment by number and reads what of it is not applied. */
export async function lockPaymentSource(em: EntityManager, number: string): Promise<SourceRow | null> {
  const [locked] = await em.execute<Array<{ id: number }>>(`select id from payment where number = ? for update`, [number]);
  if (!locked) return null;
  const [row] = await em.execute<SourceRow[]>(
    `select p.id, p.number, p.customer_id, p.status, null as invoice_id,
            (p.amount - coalesce((select sum(a.amount) from payment_application a where a.payment_id = p.id), 0))::text as unapplied
       from payment p where p.id = ?`,
    [locked.id],
  );
  return row ?? null;
}

/** Locks a credit by number and reads what of it is not applied. */
export async function lockCreditSource(em: EntityManager, number: string): Promise<SourceRow | null> {
  const [locked] = await em.execute<Array<{ id: number }>>(`select id from credit where number = ? for update`, [number]);
  if (!locked) return null;
  const [row] = await em.execute<SourceRow[]>(
    `select c.id, c.number, c.customer_id, c.status, c.invoice_id,
            (coalesce((select sum(cl.amount) from credit_line cl where cl.credit_id = c.id), 0)
             - coalesce((select sum(a.amount) from payment_application a where a.credit_id = c.id), 0))::text as unapplied
       from credit c where c.id = ?`,
    [locked.id],
  );
  return row ?? null;
}

/** The invoices a payment's applications name. */
export async function selectAppliedInvoiceIds(em: EntityManager, paymentId: number): Promise<number[]> {
  const rows = await em.execute<Array<{ invoice_id: number }>>(`select distinct invoice_id from payment_application where payment_id = ? order by 1`, [
    paymentId,
  ]);
  return rows.map((row) => Number(row.invoice_id));
}

/** What is applied of each payment (those without applications are left out). */
export async function selectAppliedOfPayments(em: EntityManager, paymentIds: readonly number[]): Promise<Map<number, string>> {
  if (paymentIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ payment_id: number; amount: string }>>(
    `select payment_id, sum(amount)::text as amount from payment_application where payment_id = any(?::int[]) group by 1`,
    [pgIntArray(paymentIds)],
  );
  return new Map(rows.map((row) => [Number(row.payment_id), row.amount]));
}

/** The open invoices (not VOID, something open) of every customer, or of one, for aging and finance charges. */
export async function selectOpenReceivables(em: EntityManager, customerId: number | null): Promise<InvoiceReceivableRow[]> {
  return em.execute<InvoiceReceivableRow[]>(
    `select * from (select ${RECEIVABLE_COLUMNS} from invoice i join customer cu on cu.id = i.customer_id
                     where i.status <> 'VOID' and (?::int is null or i.customer_id = ?::int)) r
      where r.open::numeric <> 0 order by r.customer_id, r.due_date, r.number`,
    [customerId, customerId],
  );
}

/** What each customer has received and not applied (customers with nothing are left out). */
export async function selectUnapplied(em: EntityManager, customerId: number | null): Promise<Map<number, string>> {
  const rows = await em.execute<Array<{ id: number; unapplied: string }>>(
    `select * from (select cu.id, ${unappliedSql('cu')}::text as unapplied from customer cu where (?::int is null or cu.id = ?::int)) r
      where r.unapplied::numeric <> 0`,
    [customerId, customerId],
  );
  return new Map(rows.map((row) => [Number(row.id), row.unapplied]));
}

/** The customers that already have a finance charge for `period`. */
export async function selectChargedCustomers(em: EntityManager, period: string): Promise<Set<number>> {
  const rows = await em.execute<Array<{ customer_id: number }>>(`select customer_id from invoice where charge_period = ?`, [period]);
  return new Set(rows.map((row) => Number(row.customer_id)));
}

/** Takes the transaction's advisory lock of a month's finance charges: one run per month at a time. */
export async function lockFinanceChargePeriod(em: EntityManager, period: string): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`finance-charges:${period}`]);
}
