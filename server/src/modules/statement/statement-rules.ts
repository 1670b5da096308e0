// A customer statement, pure: its receivable documents dated and summed as of a day. Amounts are scaled
// (1/10000, common/decimal).
//
// Dating (how each document moves the balance):
// - an invoice (a sale, a finance charge, an NSF fee) adds its total on its invoice date;
// - an approved credit takes its amount off on its date (a credit on an invoice: not before that invoice's date);
// - a payment takes its amount off on its date, whatever became of it; a voided one (a bounced check) adds
//   it back on the day it was voided (the NSF reversal);
// - an application moves money from a payment or credit to an invoice and leaves the balance as it is: it
//   counts from the later of its source's date and its invoice's date, and stops counting the day its payment
//   was voided.
// So the balance at the end of a day is the customer's opening balance (what predates Stemline) plus every
// movement up to that day, and on the company's today it is Customer.balance.
import { fromScaled, toScaled } from '../../common/decimal';
import { AGING_BUCKETS, agingBucket, type AgingBucket } from '../payment/receivables-rules';
import type { StatementRows } from './statement.repository';

export type StatementType = 'BALANCE_FORWARD' | 'OPEN_ITEMS';
export type StatementLineKind =
  'INVOICE' | 'FINANCE_CHARGE' | 'FEE' | 'CREDIT' | 'PAYMENT' | 'NSF_REVERSAL' | 'UNAPPLIED_PAYMENT' | 'UNAPPLIED_CREDIT' | 'PRIOR_BALANCE';

export interface StatementLineData {
  kind: StatementLineKind;
  /** The line's day; null for the balance from before Stemline. */
  date: string | null;
  /** INV-…, CR-…, PMT-…; '' for the balance from before Stemline. */
  number: string;
  description: string;
  dueDate: string | null;
  /** What it adds to the balance (a negative amount lowers it). */
  amount: string;
  /** Open items: what the invoice still has open (a negative amount: money not applied yet); null on Balance Forward. */
  openAmount: string | null;
  /** Balance Forward: the balance after this line; null on Open Items. */
  balance: string | null;
}

export type StatementAgingData = Record<AgingBucket | 'total' | 'unapplied' | 'priorBalance' | 'balance', string>;

export interface StatementData {
  type: StatementType;
  from: string;
  to: string;
  openingBalance: string;
  lines: StatementLineData[];
  /** What the period's lines added (invoices, fees, reversals) and took off (credits, payments). */
  charges: string;
  credits: string;
  closingBalance: string;
  aging: StatementAgingData;
}

interface Movement {
  kind: StatementLineKind;
  date: string;
  number: string;
  description: string;
  dueDate: string | null;
  amount: bigint;
  order: number;
}

const later = (a: string, b: string) => (a > b ? a : b);
const KIND_ORDER: Record<string, number> = { INVOICE: 0, FINANCE_CHARGE: 0, FEE: 0, CREDIT: 1, PAYMENT: 2, NSF_REVERSAL: 3 };
const METHOD_WORDS: Record<string, string> = { CHECK: 'Check', WIRE: 'Wire', ACH: 'ACH', CARD: 'Card', CASH: 'Cash', OTHER: 'Payment' };

function invoiceWords(kind: string, status: string, customerPo: string | null): string {
  if (kind === 'FINANCE_CHARGE') return 'Finance charge';
  if (kind === 'FEE') return 'Fee (returned payment)';
  const words = kind === 'TRANSFER' ? 'Transfer' : 'Invoice';
  return [status === 'PENDING' ? `${words} (pending)` : words, customerPo ? `PO ${customerPo}` : ''].filter(Boolean).join(', ');
}

function paymentWords(method: string, reference: string): string {
  return [`${METHOD_WORDS[method] ?? 'Payment'} received`, reference ? `ref ${reference}` : ''].filter(Boolean).join(', ');
}

/** Every movement of the balance, each with its day, in the order they are listed. */
export function movements(rows: StatementRows): Movement[] {
  const invoiceDates = new Map(rows.invoices.map((i) => [Number(i.id), i.date]));
  const out: Movement[] = [];
  for (const i of rows.invoices) {
    const kind: StatementLineKind = i.kind === 'FINANCE_CHARGE' ? 'FINANCE_CHARGE' : i.kind === 'FEE' ? 'FEE' : 'INVOICE';
    out.push({
      kind,
      date: i.date,
      number: i.number,
      description: invoiceWords(i.kind, i.status, i.customer_po),
      dueDate: i.due_date,
      amount: toScaled(i.total),
      order: 0,
    });
  }
  for (const c of rows.credits) {
    const date = c.invoice_id === null ? c.date : later(c.date, invoiceDates.get(Number(c.invoice_id)) ?? c.date);
    const words = ['Credit', c.invoice_number ? `on ${c.invoice_number}` : '', c.reason ? `(${c.reason})` : ''].filter(Boolean).join(' ');
    out.push({ kind: 'CREDIT', date, number: c.number, description: words, dueDate: null, amount: -toScaled(c.amount), order: 1 });
  }
  for (const p of rows.payments) {
    out.push({
      kind: 'PAYMENT',
      date: p.date,
      number: p.number,
      description: paymentWords(p.method, p.reference),
      dueDate: null,
      amount: -toScaled(p.amount),
      order: 2,
    });
    if (p.status === 'VOID') {
      const why = p.void_reason ? `: ${p.void_reason}` : '';
      out.push({
        kind: 'NSF_REVERSAL',
        date: later(p.void_date ?? p.date, p.date),
        number: p.number,
        description: `Payment reversed${why}`,
        dueDate: null,
        amount: toScaled(p.amount),
        order: 3,
      });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.number.localeCompare(b.number));
}

/** What is open at the end of `day`: each invoice's open amount, and each payment's or credit's unapplied amount. */
export function openAt(rows: StatementRows, day: string) {
  const invoices = new Map(rows.invoices.filter((i) => i.date <= day).map((i) => [Number(i.id), { row: i, open: toScaled(i.total) }]));
  const payments = new Map(
    rows.payments
      .filter((p) => p.date <= day && !(p.status === 'VOID' && later(p.void_date ?? p.date, p.date) <= day))
      .map((p) => [Number(p.id), { row: p, left: toScaled(p.amount) }]),
  );
  const credits = new Map<number, { row: StatementRows['credits'][number]; left: bigint }>();
  for (const c of rows.credits) {
    const invoice = c.invoice_id === null ? null : invoices.get(Number(c.invoice_id));
    if (c.invoice_id !== null) {
      if (invoice && later(c.date, invoice.row.date) <= day) invoice.open -= toScaled(c.amount);
    } else if (c.date <= day) credits.set(Number(c.id), { row: c, left: toScaled(c.amount) });
  }
  for (const a of rows.applications) {
    const invoice = invoices.get(Number(a.invoice_id));
    const source = a.payment_id !== null ? payments.get(Number(a.payment_id)) : a.credit_id !== null ? credits.get(Number(a.credit_id)) : undefined;
    if (!invoice || !source) continue;
    const sourceDate = source.row.date;
    if (later(sourceDate, invoice.row.date) > day) continue;
    invoice.open -= toScaled(a.amount);
    source.left -= toScaled(a.amount);
  }
  return { invoices: [...invoices.values()], payments: [...payments.values()], credits: [...credits.values()] };
}

/** The statement of a customer (its rows and opening balance from before Stemline) for from..to. */
export function buildStatement(rows: StatementRows, priorBalance: string, type: StatementType, from: string, to: string): StatementData {
  const prior = toScaled(priorBalance);
  const all = movements(rows).filter((m) => m.date <= to);
  const opening = all.filter((m) => m.date < from).reduce((sum, m) => sum + m.amount, prior);
  let balance = opening;
  let charges = 0n;
  let credits = 0n;
  const period = all.filter((m) => m.date >= from);
  for (const m of period) {
    if (m.amount >= 0n) charges += m.amount;
    else credits -= m.amount;
  }
  const closing = opening + charges - credits;
  const open = openAt(rows, to);
  const buckets = new Map<string, bigint>(AGING_BUCKETS.map((b) => [b, 0n]));
  let openTotal = 0n;
  for (const { row, open: amount } of open.invoices) {
    if (amount === 0n) continue;
    const bucket = agingBucket(row.due_date, to);
    buckets.set(bucket, buckets.get(bucket)! + amount);
    openTotal += amount;
  }
  const unapplied = [...open.payments, ...open.credits].reduce((sum, s) => sum + s.left, 0n);
  const aging = {
    ...Object.fromEntries(AGING_BUCKETS.map((b) => [b, fromScaled(buckets.get(b)!)])),
    total: fromScaled(openTotal),
    unapplied: fromScaled(unapplied),
    priorBalance: fromScaled(prior),
    balance: fromScaled(prior + openTotal - unapplied),
  } as StatementAgingData;
  let lines: StatementLineData[];
  if (type === 'BALANCE_FORWARD') {
    lines = period.map((m) => {
      balance += m.amount;
      return {
        kind: m.kind,
        date: m.date,
        number: m.number,
        description: m.description,
        dueDate: m.dueDate,
        amount: fromScaled(m.amount),
        openAmount: null,
        balance: fromScaled(balance),
      };
    });
  } else {
    const invoiceLines = open.invoices
      .filter((i) => i.open !== 0n)
      .sort((a, b) => a.row.date.localeCompare(b.row.date) || a.row.number.localeCompare(b.row.number))
      .map(({ row, open: amount }): StatementLineData => {
        const kind: StatementLineKind = row.kind === 'FINANCE_CHARGE' ? 'FINANCE_CHARGE' : row.kind === 'FEE' ? 'FEE' : 'INVOICE';
        const description = invoiceWords(row.kind, row.status, row.customer_po);
        return {
          kind,
          date: row.date,
          number: row.number,
          description,
          dueDate: row.due_date,
          amount: fromScaled(toScaled(row.total)),
          openAmount: fromScaled(amount),
          balance: null,
        };
      });
    const sourceLines = [
      ...open.payments.map(({ row, left }) => ({
        kind: 'UNAPPLIED_PAYMENT' as const,
        row,
        left,
        description: `${paymentWords(row.method, row.reference)}, not applied`,
      })),
      ...open.credits.map(({ row, left }) => ({
        kind: 'UNAPPLIED_CREDIT' as const,
        row,
        left,
        description: `Credit${row.reason ? ` (${row.reason})` : ''}, not applied`,
      })),
    ]
      .filter((s) => s.left !== 0n)
      .sort((a, b) => a.row.date.localeCompare(b.row.date) || a.row.number.localeCompare(b.row.number))
      .map((s): StatementLineData => ({
        kind: s.kind,
        date: s.row.date,
        number: s.row.number,
        description: s.description,
        dueDate: null,
        amount: fromScaled(-toScaled(s.row.amount)),
        openAmount: fromScaled(-s.left),
        balance: null,
      }));
    const priorLine: StatementLineData[] =
      prior === 0n
        ? []
        : [
            {
              kind: 'PRIOR_BALANCE',
              date: null,
              number: '',
              description: 'Opening balance carried over from earlier records',
              dueDate: null,
              amount: fromScaled(prior),
              openAmount: fromScaled(prior),
              balance: null,
            },
          ];
    lines = [...priorLine, ...invoiceLines, ...sourceLines];
  }
  return {
    type,
    from,
    to,
    openingBalance: fromScaled(opening),
    lines,
    charges: fromScaled(charges),
    credits: fromScaled(credits),
    closingBalance: fromScaled(closing),
    aging,
  };
}
