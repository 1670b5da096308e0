// The farm claim sheet as a printable sheet (stemline-sheet credit VC-…, and the task pane's Open claim
// sheet), laid out like the credit memo: who claims, the farm, the claim's number, date, status, reason and
// the customer credit it passes on, then per box its PO, AWB, product and units, and the amounts claimed
// split into product, freight, duty and handling, with totals. Our cost, never a customer price.
import { addressLines, companyDate, counted, printedDate, sheetName } from './customer-invoice.document';
import { letterSheet, ROW, sheetRows } from './printable-layout';
import { cellAddress, type CellStyle, type PrintValue, type PrintableSheet } from './printable-sheet';

type Product = { code: string; name: string; unit: string };

/** What the claim sheet shows, as the FARM_CLAIM_DOCUMENT query returns it. */
export interface FarmClaim {
  number: string;
  status: string;
  createdAt: string;
  notes: string;
  total: string;
  vendor: { code: string; name: string };
  reason: { code: string; name: string } | null;
  sourceCredit: { number: string } | null;
  lines: Array<{
    lineNo: number;
    boxLabel: string | null;
    units: number;
    productAmount: string;
    freightAmount: string;
    dutyAmount: string;
    handlingAmount: string;
    amount: string;
    box: { purchaseOrderNumber: string; awb: string | null; product: Product } | null;
    purchaseOrderLine: { lineNo: number; product: Product } | null;
  }>;
}

/** Who claims: the company, from the settings. */
export interface Claimant {
  companyName: string;
  companyAddress: string;
  companyPhone: string;
  timeZone: string;
}

const COLUMNS = ['#', 'PO', 'AWB', 'Box', 'Product', 'Units', 'Product $', 'Freight', 'Duty', 'Handling', 'Total'];
const WIDTHS = [4, 10, 14, 14, 30, 7, 10, 9, 8, 9, 11];
const AMOUNTS = ['productAmount', 'freightAmount', 'dutyAmount', 'handlingAmount', 'amount'] as const;
const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';
const GREY = '#5F6368';
const MONEY = '#,##0.00';

/** The sum of decimal strings, exact to the cent. */
function cents(values: string[]): number {
  return Number(values.reduce((total, value) => total + BigInt(Math.round(Number(value) * 100)), 0n)) / 100;
}

/** The printable farm claim sheet: one page wide, its own page breaks and "Page X of Y". */
export function farmClaimSheet(claim: FarmClaim, claimant: Claimant): PrintableSheet {
  const width = COLUMNS.length;
  const last = width - 1;
  const built = sheetRows(width);
  const { rows, heights, row, spacer, style, merge } = built;
  const title = claim.status === 'PENDING' ? 'FARM CLAIM (DRAFT)' : `FARM CLAIM (${claim.status})`;
  const left: Array<[PrintValue, CellStyle]> = [
    [claimant.companyName, { bold: true, size: 15, color: GREEN }],
    ...addressLines(claimant.companyAddress).map((line): [PrintValue, CellStyle] => [line, {}]),
    ...(claimant.companyPhone ? [[`Phone ${claimant.companyPhone}`, {}] as [PrintValue, CellStyle]] : []),
  ];
  const facts: Array<[string, PrintValue]> = [
    ['Claim #', claim.number],
    ['Claim date', printedDate(companyDate(claim.createdAt, claimant.timeZone))],
    ['Status', claim.status],
    ['Reason', claim.reason?.name ?? ''],
    ['Customer credit', claim.sourceCredit?.number ?? 'none'],
  ];
  for (let i = 0; i < Math.max(left.length, facts.length + 1); i++) {
    const [text, textStyle] = left[i] ?? [null, {}];
    if (i === 0) {
      const r = row(text, null, null, null, null, null, title);
      heights[r] = 24;
      merge(r, 0, 5);
      merge(r, 6, last);
      if (left[i]) style(r, 0, 5, textStyle);
      style(r, 6, last, { bold: true, size: 14, color: GREEN, align: 'right' });
      continue;
    }
    const fact = facts[i - 1];
    const r = row(text, null, null, null, null, null, null, fact?.[0] ?? null, null, fact?.[1] ?? null);
    merge(r, 0, 5);
    merge(r, 7, 8);
    merge(r, 9, last);
    if (left[i]) style(r, 0, 5, textStyle);
    if (fact) {
      style(r, 7, 8, { color: GREY, align: 'right' });
      style(r, 9, last, { bold: fact[0] === 'Claim #', align: 'right' });
    }
  }
  spacer();
  const heading = row('Claimed from');
  merge(heading, 0, last);
  style(heading, 0, last, { bold: true, color: GREEN, fill: LIGHT, borderBottom: 'thin' });
  const vendor = row(`${claim.vendor.name} (${claim.vendor.code})`);
  merge(vendor, 0, last);
  style(vendor, 0, last, { bold: true });
  spacer();

  const header = row(...COLUMNS);
  heights[header] = 15;
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN });
  style(header, 5, last, { bold: true, color: '#FFFFFF', fill: GREEN, align: 'right' });
  const firstLine = rows.length;
  const lines = [...claim.lines].sort((a, b) => a.lineNo - b.lineNo);
  for (const line of lines) {
    const product = line.box?.product ?? line.purchaseOrderLine?.product;
    const po = line.box?.purchaseOrderNumber ?? (line.purchaseOrderLine ? `line ${line.purchaseOrderLine.lineNo}` : null);
    row(
      line.lineNo,
      po,
      line.box?.awb ?? null,
      line.boxLabel,
      product ? `${product.name} (${product.code})` : null,
      line.units,
      ...AMOUNTS.map((key) => Number(line[key])),
    );
  }
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    built.styles.unshift({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, last)}`, style: { borderBottom: 'thin' } });
    built.styles.push({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, 0)}`, style: { align: 'left' } });
    built.styles.push({ range: `${cellAddress(firstLine, 6)}:${cellAddress(lastLine, last)}`, style: { numberFormat: MONEY } });
  }
  const units = lines.reduce((total, line) => total + line.units, 0);
  const totals = row(null, counted(lines.length, 'line'), null, null, 'Total claimed', units, ...AMOUNTS.map((key) => cents(lines.map((line) => line[key]))));
  heights[totals] = 15;
  style(totals, 0, last, { bold: true, borderTop: 'medium' });
  style(totals, 6, last, { bold: true, borderTop: 'medium', borderBottom: 'double', numberFormat: MONEY });
  spacer();
  if (claim.notes) {
    const notes = row(`Notes: ${claim.notes}`);
    merge(notes, 0, last);
    style(notes, 0, last, { wrap: true });
    heights[notes] = ROW * Math.min(6, Math.ceil(claim.notes.length / 110) || 1);
  }
  const ask = row(`Please credit ${claim.total} to our account for claim ${claim.number}.`);
  merge(ask, 0, last);
  style(ask, 0, last, { color: GREY });
  return letterSheet(built, {
    name: sheetName(claim.number),
    columnWidths: WIDTHS,
    header,
    firstLine,
    lastLine,
    footerLeft: claim.number,
    footerRight: claimant.companyName || '',
  });
}
