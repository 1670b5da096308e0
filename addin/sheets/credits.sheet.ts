// The Credits table: credits to customers, one row per credit line; rows with one Credit # (or Ref) are one credit.
import { decimal, DEFAULT_PARSE_OPTIONS, integer, text, yesNo, type CellError, type ParseOptions } from './cells';
import type { DocumentSheetSpec } from './documents';
import { allColumns, type CellValue } from './tables';

export const CREDIT_KINDS = ['QUANTITY', 'PRICE', 'AMOUNT'] as const;
export type CreditKind = (typeof CREDIT_KINDS)[number];

export interface CreditHeaderInput {
  ref?: string | null;
  number?: string | null;
  version?: number | null;
  customer?: string | null;
  invoice?: string | null;
  reason?: string | null;
  notes?: string | null;
}

export interface CreditLineSheetInput {
  kind: string | null;
  invoiceLine?: string | null;
  product?: string | null;
  units?: number | null;
  amountPerUnit?: string | null;
  amount?: string | null;
  restock: boolean;
}

/**
 * A line's kind: the Kind typed (any case), or, left blank, what the row's numbers say: an Amount per
 * Unit makes a PRICE line, Units alone a QUANTITY line, an Amount alone an AMOUNT line.
 */
export function creditKind(typed: string | null, numbers: { units: boolean; amountPerUnit: boolean; amount: boolean }, errors: CellError[]): CreditKind | null {
  if (typed) {
    const kind = typed.toUpperCase();
    if ((CREDIT_KINDS as readonly string[]).includes(kind)) return kind as CreditKind;
    errors.push({ column: 'Kind', message: `Kind "${typed}" is not one of ${CREDIT_KINDS.join(', ')}` });
    return null;
  }
  if (numbers.amountPerUnit) return 'PRICE';
  if (numbers.units) return 'QUANTITY';
  if (numbers.amount) return 'AMOUNT';
  errors.push({ column: 'Kind', message: 'Kind is required: QUANTITY (with Units), PRICE (with Amount per Unit) or AMOUNT (with Amount)' });
  return null;
}

/** The Credits table read with the company's settings (decimal separator). */
export const creditSheetFor = (options: ParseOptions): DocumentSheetSpec<CreditHeaderInput, CreditLineSheetInput> => ({
  table: 'Credits',
  numberColumn: 'Credit #',
  headerColumns: ['Ref', 'Customer', 'Invoice #', 'Reason', 'Notes'],
  lineColumns: ['Product', 'Kind', 'Units', 'Amount per Unit', 'Amount', 'Restock'],
  parseHeader(row, errors) {
    const v = row.values;
    const customer = text(v.Customer);
    const invoice = text(v['Invoice #']);
    if (!customer && !invoice) errors.push({ column: 'Customer', message: 'Customer is required on a credit without an Invoice #' });
    return {
      ref: text(v.Ref),
      number: text(v['Credit #']),
      version: integer(v.Version, 'Version', errors),
      customer,
      invoice,
      reason: text(v.Reason),
      notes: text(v.Notes),
    };
  },
  parseLine(row, errors) {
    const v = row.values;
    const units = integer(v.Units, 'Units', errors, options);
    const amountPerUnit = decimal(v['Amount per Unit'], 'Amount per Unit', errors, options);
    const amount = decimal(v.Amount, 'Amount', errors, options);
    const kind = creditKind(text(v.Kind), { units: units !== null, amountPerUnit: amountPerUnit !== null, amount: amount !== null }, errors);
    const restock = yesNo(v.Restock, 'Restock', errors) ?? false;
    if (restock && kind && kind !== 'QUANTITY') errors.push({ column: 'Restock', message: 'Restock: only a QUANTITY line returns units to stock' });
    if (kind === 'QUANTITY' && units === null && !errors.some((e) => e.column === 'Units'))
      errors.push({ column: 'Units', message: 'Units is required on a QUANTITY line' });
    if (kind === 'PRICE' && amountPerUnit === null && !errors.some((e) => e.column === 'Amount per Unit'))
      errors.push({ column: 'Amount per Unit', message: 'Amount per Unit is required on a PRICE line' });
    if (kind === 'AMOUNT' && amount === null && !errors.some((e) => e.column === 'Amount'))
      errors.push({ column: 'Amount', message: 'Amount is required on an AMOUNT line' });
    if (kind === 'AMOUNT' && units !== null) errors.push({ column: 'Units', message: 'Units: an AMOUNT line takes an Amount only' });
    // What the server works out (a QUANTITY line's price and amount, a PRICE line's amount) is shown, not sent.
    return {
      kind,
      invoiceLine: text(v['Invoice Line']),
      product: text(v.Product),
      units: kind === 'AMOUNT' ? null : units,
      amountPerUnit: kind === 'PRICE' ? amountPerUnit : null,
      amount: kind === 'AMOUNT' ? amount : null,
      restock,
    };
  },
  fieldColumns: {
    number: 'Credit #',
    version: 'Credit #',
    documentId: 'Credit #',
    customer: 'Customer',
    invoice: 'Invoice #',
    reason: 'Reason',
    notes: 'Notes',
    lines: 'Product',
    'lines.kind': 'Kind',
    'lines.product': 'Product',
    'lines.invoiceLine': 'Product',
    'lines.units': 'Units',
    'lines.amountPerUnit': 'Amount per Unit',
    'lines.amount': 'Amount',
    'lines.restock': 'Restock',
  },
});

/** The Credits table read with the default settings (a decimal point). */
export const creditSheet = creditSheetFor(DEFAULT_PARSE_OPTIONS);

/** A credit as the credits query gives it to a pull. */
export interface PulledCredit {
  number: string;
  version: number;
  status: string;
  customer: { code: string };
  invoice: { number: string } | null;
  reason: { code: string } | null;
  notes: string;
  rejectionReason: string | null;
  voidReason: string | null;
  approvedBy: string | null;
  lines: Array<{
    lineNo: number;
    kind: string;
    invoiceLine: { id: string; product: { code: string } } | null;
    units: number | null;
    amountPerUnit: string | null;
    amount: string;
    restock: boolean;
  }>;
}

/** What a credit's rows say of where it stands: a pending one can be edited and pushed again. */
export function creditStatusMessage(credit: Pick<PulledCredit, 'status' | 'rejectionReason' | 'voidReason' | 'approvedBy'>): string {
  switch (credit.status) {
    case 'PENDING':
      return 'PENDING: edit and push, or approve';
    case 'APPROVED':
      return `APPROVED${credit.approvedBy ? ` by ${credit.approvedBy}` : ''}`;
    case 'REJECTED':
      return `REJECTED: ${credit.rejectionReason ?? ''}`.trim();
    case 'VOID':
      return `VOID: ${credit.voidReason ?? ''}`.trim();
    default:
      return credit.status;
  }
}

const money = (value: string | null) => (value === null ? null : Number(value));

/** A credit as rows of the Credits table (standard column order), one per line, with its number, version and invoice line ids. */
export function creditRows(credit: PulledCredit): CellValue[][] {
  return credit.lines.map((line) => {
    const values: Record<string, CellValue> = {
      'Credit #': credit.number,
      Customer: credit.customer.code,
      'Invoice #': credit.invoice?.number ?? null,
      Product: line.invoiceLine?.product.code ?? null,
      Kind: line.kind,
      Units: line.units,
      'Amount per Unit': money(line.amountPerUnit),
      Amount: money(line.amount),
      Reason: credit.reason?.code ?? null,
      Restock: line.restock ? 'Yes' : null,
      Notes: credit.notes || null,
      Status: 'OK',
      Message: `pulled from the server: ${creditStatusMessage(credit)}`,
      Version: credit.version,
      'Invoice Line': line.invoiceLine?.id ?? null,
    };
    return allColumns('Credits').map((column) => values[column] ?? null);
  });
}
