// What a credit memo shows, and how it words each line: shared by the PDF (credit-memo.document.ts) and
// tests. Never a cost: what the customer is credited, from what was billed.
import { fromScaled, toScaled } from '../common/decimal';

export interface CreditMemoLine {
  lineNo: number;
  /** QUANTITY, PRICE or AMOUNT. */
  kind: string;
  units: number | null;
  amountPerUnit: string | null;
  amount: string;
  /** The invoice line credited (its number on the invoice); null for an AMOUNT line standing alone. */
  invoiceLineNo: number | null;
  product: { code: string; name: string; unit: string } | null;
}

export interface CreditMemoData {
  number: string;
  status: string;
  /** The credit's date (the company's calendar day it was requested). */
  date: string;
  customer: { code: string; name: string; billingAddress: string | null };
  invoice: { number: string; invoicedAt: string | null; customerPo: string | null; truckDate: string | null } | null;
  reason: { code: string; name: string } | null;
  notes: string;
  timeZone: string;
  lines: CreditMemoLine[];
}

const UNIT_WORDS: Record<string, string> = { STEM: 'stems', BUNCH: 'bunches', EACH: 'each' };

/** What a line credits, in words: the product (or "Amount credited") and, under it, what kind of credit on which invoice line. */
export function memoLineText(line: CreditMemoLine): { title: string; detail: string } {
  const on = line.invoiceLineNo !== null ? `invoice line ${line.invoiceLineNo}` : '';
  const title = line.product ? `${line.product.name} (${line.product.code})` : 'Amount credited';
  const kind = line.kind === 'QUANTITY' ? 'Units credited' : line.kind === 'PRICE' ? 'Price reduction per unit' : line.product ? 'Amount credited' : '';
  return { title, detail: [kind, on].filter(Boolean).join(', ') };
}

/** "100 stems", or "" for an AMOUNT line. */
export function memoUnits(line: CreditMemoLine): string {
  if (line.units === null || line.kind === 'AMOUNT') return '';
  return `${line.units.toLocaleString('en-US')} ${UNIT_WORDS[line.product?.unit ?? 'STEM'] ?? (line.product?.unit ?? '').toLowerCase()}`;
}

/** The memo's total: the sum of its lines, exact. */
export function memoTotal(lines: readonly CreditMemoLine[]): string {
  return fromScaled(lines.reduce((sum, line) => sum + toScaled(line.amount), 0n));
}

/** The title: only an approved credit is a credit memo; a pending one is a request, a rejected or void one says so. */
export function memoTitle(status: string): string {
  if (status === 'APPROVED') return 'CREDIT MEMO';
  if (status === 'PENDING') return 'CREDIT REQUEST (PENDING)';
  return `CREDIT MEMO (${status})`;
}

/** 1,234.50: money as printed, from an exact decimal string (cents; more places when the price has them). */
export function printedMoney(value: string | null, minPlaces = 2): string {
  if (value === null) return '';
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  const trimmed = fraction.replace(/0+$/, '');
  const places = Math.max(minPlaces, trimmed.length);
  return `${negative ? '-' : ''}${Number(whole).toLocaleString('en-US')}.${trimmed.padEnd(places, '0')}`;
}
