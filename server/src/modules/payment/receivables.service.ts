// receivablesAging and applyFinanceCharges: open invoices by days past due, and a month's finance charges.
import type { EntityManager } from '@mikro-orm/postgresql';
import { daysBetween } from '../../common/dates';
import { fromScaled, toScaled } from '../../common/decimal';
import { badRequest } from '../../common/graphql-errors';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { getSettings } from '../settings/settings.service';
import { AGING_BUCKETS, agingBucket, chargePeriod, financeCharge, type AgingBucket } from './receivables-rules';
import { lockFinanceChargePeriod, selectChargedCustomers, selectOpenReceivables, selectUnapplied } from './receivables.repository';

type Buckets = Record<AgingBucket | 'total' | 'unapplied', string>;
export interface AgingRow extends Buckets {
  customer: Customer;
}
export interface ReceivablesAging {
  asOf: string;
  customers: AgingRow[];
  totals: Buckets;
}

function asBuckets(amounts: Map<string, bigint>): Buckets {
  const out = {} as Record<string, string>;
  for (const key of [...AGING_BUCKETS, 'total', 'unapplied']) out[key] = fromScaled(amounts.get(key) ?? 0n);
  return out as Buckets;
}

/**
 * receivablesAging(asOf, customer?): per customer, what its invoices have open now, in buckets of days past
 * due on asOf (current until the due date), with what it has received and not applied beside them.
 */
export async function receivablesAging(ctx: RequestContext, asOf: string, customer?: string | null): Promise<ReceivablesAging> {
  const customerId = customer?.trim() ? await filterReferenceId(ctx.em, CustomerSchema, customer, 'customer') : null;
  if (customerId === -1) return { asOf, customers: [], totals: asBuckets(new Map()) };
  const [rows, unapplied] = await Promise.all([selectOpenReceivables(ctx.em, customerId), selectUnapplied(ctx.em, customerId)]);
  const perCustomer = new Map<number, Map<string, bigint>>();
  const totals = new Map<string, bigint>();
  const add = (id: number, key: string, amount: bigint) => {
    const amounts = perCustomer.get(id) ?? new Map<string, bigint>();
    perCustomer.set(id, amounts);
    amounts.set(key, (amounts.get(key) ?? 0n) + amount);
    totals.set(key, (totals.get(key) ?? 0n) + amount);
  };
  for (const row of rows) {
    const open = toScaled(row.open);
    add(Number(row.customer_id), agingBucket(row.due_date, asOf), open);
    add(Number(row.customer_id), 'total', open);
  }
  for (const [id, amount] of unapplied) add(id, 'unapplied', toScaled(amount));
  const customers = await ctx.em.find(CustomerSchema, { id: { $in: [...perCustomer.keys()] } }, { orderBy: { code: 'asc' } });
  return {
    asOf,
    customers: customers.map((c) => ({ customer: c, ...asBuckets(perCustomer.get(c.id)!) })),
    totals: asBuckets(totals),
  };
}

export interface FinanceChargeView {
  customer: Customer;
  period: string;
  overdueAmount: string;
  amount: string;
  invoice: Invoice | null;
}

/** What each customer has overdue past the grace days on asOf (finance charges left out: no charge on a charge), less what it has not applied. */
async function overdueByCustomer(em: EntityManager, asOf: string, graceDays: number): Promise<Map<number, bigint>> {
  const [rows, unapplied] = await Promise.all([selectOpenReceivables(em, null), selectUnapplied(em, null)]);
  const overdue = new Map<number, bigint>();
  for (const row of rows) {
    if (row.kind === 'FINANCE_CHARGE' || daysBetween(row.due_date, asOf) <= graceDays) continue;
    const id = Number(row.customer_id);
    overdue.set(id, (overdue.get(id) ?? 0n) + toScaled(row.open));
  }
  for (const [id, amount] of overdue) overdue.set(id, amount - toScaled(unapplied.get(id) ?? '0'));
  return overdue;
}

/**
 * applyFinanceCharges(asOf, dryRun): one FINANCE_CHARGE invoice per customer for asOf's month, on what it has
 * overdue past Settings.financeChargeGraceDays, at Settings.financeChargePercentMonthly. A customer charged for
 * the month already is left out (a unique key on customer and month holds it under concurrent runs too).
 */
export function applyFinanceCharges(
  ctx: RequestContext,
  asOf: string,
  dryRun: boolean,
): Promise<{ charges: FinanceChargeView[]; dryRun: boolean; errors: UserError[] }> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw badRequest('asOf is not an ISO date');
  return inTransaction(ctx, async (em) => {
    const settings = await getSettings(em);
    const percent = toScaled(settings.financeChargePercentMonthly);
    if (percent <= 0n) {
      const message = 'Settings.financeChargePercentMonthly is 0: set it with updateSettings to charge finance charges';
      return { charges: [], dryRun, errors: [userError('INVALID_VALUE', message, undefined, 'financeChargePercentMonthly')] };
    }
    const period = chargePeriod(asOf);
    // One run at a time per month: a second waits, then finds the first's charges.
    await lockFinanceChargePeriod(em, period);
    const [overdue, charged] = await Promise.all([overdueByCustomer(em, asOf, settings.financeChargeGraceDays), selectChargedCustomers(em, period)]);
    const due = [...overdue].filter(([id, amount]) => !charged.has(id) && financeCharge(amount, percent) > 0n);
    const customers = new Map((await em.find(CustomerSchema, { id: { $in: due.map(([id]) => id) } })).map((c) => [c.id, c]));
    const numbers = dryRun ? [] : await nextDocumentNumbers(em, 'INV', due.length);
    const charges = due
      .map(([id, amount], index) => {
        const customer = customers.get(id)!;
        const charge = fromScaled(financeCharge(amount, percent));
        const invoice = dryRun
          ? null
          : em.create(InvoiceSchema, {
              number: numbers[index],
              customer,
              truckDate: asOf,
              status: 'CONFIRMED',
              source: 'MANUAL',
              kind: 'FINANCE_CHARGE',
              invoiceDate: asOf,
              holiday: false,
              pickTicketPrinted: false,
              hasOpenMarket: false,
              confirmedAt: new Date(),
              feeAmount: charge,
              chargePeriod: period,
            });
        return { customer, period, overdueAmount: fromScaled(amount), amount: charge, invoice };
      })
      .sort((a, b) => a.customer.code.localeCompare(b.customer.code));
    if (!dryRun && charges.length) {
      await em.flush();
      recordAudit(em, ctx.actor, 'financeCharges', 'Invoice', period, { asOf, invoices: charges.map((c) => c.invoice!.number) });
      await em.flush();
    }
    return { charges, dryRun, errors: [] };
  });
}
