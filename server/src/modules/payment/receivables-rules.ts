// The decisions of receivables, pure: due dates, payment status, aging buckets, how a payment is applied
// and what a finance charge is. Amounts are scaled (1/10000, common/decimal).
import { addDays, daysBetween } from '../../common/dates';
import { divRound, fromScaled } from '../../common/decimal';
import type { ErrorCode } from '../../common/user-error';

/** An invoice's due date: its invoice date plus the customer's payment terms in days. */
export function dueDate(invoiceDate: string, paymentTermsDays: number): string {
  return addDays(invoiceDate, paymentTermsDays);
}

export type InvoicePaymentStatus = 'UNPAID' | 'PARTIAL' | 'PAID';

/** PAID when nothing is open, PARTIAL when something was applied and something is open, else UNPAID. */
export function invoicePaymentStatus(open: bigint, applied: bigint): InvoicePaymentStatus {
  if (open <= 0n) return 'PAID';
  return applied > 0n ? 'PARTIAL' : 'UNPAID';
}

export const AGING_BUCKETS = ['current', 'days1To30', 'days31To60', 'days61To90', 'days91To120', 'over120'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** The aging bucket of an invoice due on `due`, on `asOf`: current until its due date, then by days past due. */
export function agingBucket(due: string, asOf: string): AgingBucket {
  const days = daysBetween(due, asOf);
  if (days <= 0) return 'current';
  if (days <= 30) return 'days1To30';
  if (days <= 60) return 'days31To60';
  if (days <= 90) return 'days61To90';
  if (days <= 120) return 'days91To120';
  return 'over120';
}

/** An invoice money may be applied to, with what is still open on it (scaled). */
export interface OpenInvoice {
  id: number;
  number: string;
  dueDate: string;
  open: bigint;
}

/** An amount asked for one invoice (a remittance's line), scaled. */
export interface RequestedApplication {
  invoice: string;
  amount: bigint;
}

export interface PlannedApplication {
  invoiceId: number;
  number: string;
  amount: bigint;
}

export interface PlanError {
  code: ErrorCode;
  message: string;
  row?: number;
  field: string;
}

/**
 * What `available` (a payment's or credit's unapplied amount) pays: the amounts asked per invoice (each at most what
 * is open on it, all together at most what is available), or, when none is asked, the invoices oldest due first
 * (then by number) until the money runs out. An invoice not among `invoices` (another customer's, not
 * CONFIRMED, nothing open) is refused by row.
 */
export function planApplications(
  available: bigint,
  invoices: readonly OpenInvoice[],
  requested: readonly RequestedApplication[] | null,
): { applications: PlannedApplication[]; errors: PlanError[]; left: bigint } {
  const errors: PlanError[] = [];
  const applications: PlannedApplication[] = [];
  if (!requested) {
    let left = available;
    const ordered = [...invoices].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
    for (const invoice of ordered) {
      if (left <= 0n) break;
      const amount = invoice.open < left ? invoice.open : left;
      if (amount <= 0n) continue;
      applications.push({ invoiceId: invoice.id, number: invoice.number, amount });
      left -= amount;
    }
    return { applications, errors, left };
  }
  const byNumber = new Map(invoices.map((invoice) => [invoice.number, invoice]));
  const asked = new Map<string, bigint>();
  let total = 0n;
  requested.forEach((request, index) => {
    const row = index + 1;
    const number = request.invoice.trim().toUpperCase();
    const invoice = byNumber.get(number);
    if (!invoice) {
      errors.push({ code: 'NOT_FOUND', message: `no confirmed invoice ${number} of this customer with an open amount`, row, field: 'invoice' });
      return;
    }
    if (request.amount <= 0n) {
      errors.push({ code: 'INVALID_VALUE', message: `amount must be greater than 0, got ${fromScaled(request.amount)}`, row, field: 'amount' });
      return;
    }
    const sum = (asked.get(number) ?? 0n) + request.amount;
    if (sum > invoice.open) {
      errors.push({
        code: 'APPLICATION_EXCEEDS_OPEN',
        message: `${number} has ${fromScaled(invoice.open)} open: ${fromScaled(sum)} cannot be applied to it`,
        row,
        field: 'amount',
      });
      return;
    }
    asked.set(number, sum);
    total += request.amount;
    applications.push({ invoiceId: invoice.id, number, amount: request.amount });
  });
  if (!errors.length && total > available) {
    errors.push({
      code: 'APPLICATION_EXCEEDS_UNAPPLIED',
      message: `the applications add up to ${fromScaled(total)}, more than the ${fromScaled(available)} available`,
      field: 'applications',
    });
  }
  return errors.length ? { applications: [], errors, left: available } : { applications, errors, left: available - total };
}

/** A month's finance charge on an overdue amount at `percentMonthly` percent, rounded to cents. */
export function financeCharge(overdue: bigint, percentMonthly: bigint): bigint {
  if (overdue <= 0n || percentMonthly <= 0n) return 0n;
  // overdue x percent is scaled twice (1/10000 each) and in percent: rounded once, straight to cents.
  return divRound(overdue * percentMonthly, 10_000n * 100n * 100n) * 100n;
}

/** The month (YYYY-MM) a finance charge on `asOf` is for. */
export function chargePeriod(asOf: string): string {
  return asOf.slice(0, 7);
}
