// The Payments table: money received, one row per application; rows with one Payment # (or Ref) are one payment.
import { date, decimal, DEFAULT_PARSE_OPTIONS, integer, text, type ParseOptions } from './cells';
import type { DocumentSheetSpec } from './documents';
import { allColumns, type CellValue } from './tables';

export const PAYMENT_METHODS = ['CHECK', 'WIRE', 'ACH', 'CARD', 'CASH', 'OTHER'] as const;

export interface PaymentHeaderInput {
  ref?: string | null;
  number?: string | null;
  version?: number | null;
  customer?: string | null;
  date?: string | null;
  amount?: string | null;
  method?: string | null;
  reference?: string | null;
}

export interface PaymentLineSheetInput {
  invoice: string | null;
  applied: string | null;
}

/** The Payments table read with the company's settings (decimal separator). */
export const paymentSheetFor = (options: ParseOptions): DocumentSheetSpec<PaymentHeaderInput, PaymentLineSheetInput> => ({
  table: 'Payments',
  numberColumn: 'Payment #',
  headerColumns: ['Ref', 'Customer', 'Date', 'Amount', 'Method', 'Reference'],
  lineColumns: ['Invoice #', 'Applied'],
  parseHeader(row, errors) {
    const v = row.values;
    const customer = text(v.Customer);
    if (!customer) errors.push({ column: 'Customer', message: 'Customer is required' });
    const amount = decimal(v.Amount, 'Amount', errors, options);
    if (amount === null && !errors.some((e) => e.column === 'Amount')) errors.push({ column: 'Amount', message: 'Amount is required' });
    else if (amount !== null && Number(amount) <= 0) errors.push({ column: 'Amount', message: `Amount must be greater than 0, got ${amount}` });
    const typed = text(v.Method);
    const method = typed?.toUpperCase() ?? null;
    if (!method) errors.push({ column: 'Method', message: `Method is required (${PAYMENT_METHODS.join(', ')})` });
    else if (!(PAYMENT_METHODS as readonly string[]).includes(method))
      errors.push({ column: 'Method', message: `Method "${typed}" is not one of ${PAYMENT_METHODS.join(', ')}` });
    return {
      ref: text(v.Ref),
      number: text(v['Payment #']),
      version: integer(v.Version, 'Version', errors),
      customer,
      date: date(v.Date, 'Date', errors),
      amount,
      method,
      reference: text(v.Reference),
    };
  },
  parseLine(row, errors) {
    const v = row.values;
    const invoice = text(v['Invoice #']);
    const applied = decimal(v.Applied, 'Applied', errors, options);
    if (applied !== null && !invoice) errors.push({ column: 'Invoice #', message: 'Invoice #: Applied needs the invoice it pays' });
    if (invoice && applied === null && !errors.some((e) => e.column === 'Applied'))
      errors.push({ column: 'Applied', message: `Applied is required: how much of ${invoice} this payment pays` });
    if (applied !== null && Number(applied) <= 0) errors.push({ column: 'Applied', message: `Applied must be greater than 0, got ${applied}` });
    return { invoice, applied };
  },
  fieldColumns: {
    number: 'Payment #',
    version: 'Payment #',
    documentId: 'Payment #',
    customer: 'Customer',
    date: 'Date',
    amount: 'Amount',
    method: 'Method',
    reference: 'Reference',
    applied: 'Applied',
    lines: 'Invoice #',
    'lines.invoice': 'Invoice #',
    'lines.applied': 'Applied',
  },
});

/** The Payments table read with the default settings (a decimal point). */
export const paymentSheet = paymentSheetFor(DEFAULT_PARSE_OPTIONS);

/** A payment as the payments query gives it to a pull. */
export interface PulledPayment {
  number: string;
  version: number;
  status: string;
  customer: { code: string };
  date: string;
  amount: string;
  method: string;
  reference: string;
  voidReason: string | null;
  unappliedAmount: string;
  applications: Array<{ invoice: { number: string }; amount: string; credit: string | null }>;
}

const money = (value: string | null) => (value === null ? null : Number(value));

/** What a payment's rows say of it: what it applied, what is left, or why it was voided. */
export function paymentStatusMessage(payment: Pick<PulledPayment, 'status' | 'voidReason' | 'unappliedAmount' | 'applications'>): string {
  if (payment.status === 'VOID') return `VOID: ${payment.voidReason ?? ''}`.trim();
  const invoices = new Set(payment.applications.map((a) => a.invoice.number)).size;
  return `POSTED: applied to ${invoices} invoice(s), ${payment.unappliedAmount} unapplied`;
}

/**
 * A payment as rows of the Payments table (standard column order): one per invoice it pays (its
 * applications by invoice, in the order made), or one row without an Invoice # when it pays none.
 */
export function paymentRows(payment: PulledPayment): CellValue[][] {
  const byInvoice = new Map<string, number>();
  for (const a of payment.applications) byInvoice.set(a.invoice.number, (byInvoice.get(a.invoice.number) ?? 0) + Math.round(Number(a.amount) * 100));
  const lines: Array<[string | null, number | null]> = byInvoice.size ? [...byInvoice].map(([n, cents]) => [n, cents / 100]) : [[null, null]];
  const message = `pulled from the server: ${paymentStatusMessage(payment)}`;
  return lines.map(([invoice, applied]) => {
    const values: Record<string, CellValue> = {
      'Payment #': payment.number,
      Customer: payment.customer.code,
      Date: payment.date,
      Amount: money(payment.amount),
      Method: payment.method,
      Reference: payment.reference || null,
      'Invoice #': invoice,
      Applied: applied,
      Status: 'OK',
      Message: message,
      Version: payment.version,
    };
    return allColumns('Payments').map((column) => values[column] ?? null);
  });
}
