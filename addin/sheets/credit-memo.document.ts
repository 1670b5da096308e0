// The credit memo as a printable sheet (stemline-sheet credit, and the task pane's Open credit memo): laid
// out like the customer invoice: seller, credit-to, the credit's number and date, the invoice it credits,
// its lines, reason and total. Never a cost. The server prints the same memo as a PDF.
import { addressLines, companyDate, counted, printedDate, sheetName, type InvoiceSeller } from './customer-invoice.document';
import { letterSheet, ROW, sheetRows } from './printable-layout';
import { cellAddress, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

/** What the memo shows, as the CREDIT_MEMO_DOCUMENT query returns it. */
export interface CreditMemo {
  number: string;
  status: string;
  date: string;
  notes: string;
  total: string;
  reason: { code: string; name: string } | null;
  customer: { code: string; name: string; billingAddress: string | null };
  invoice: { number: string; customerPo: string | null; createdAt: string; confirmedAt: string | null } | null;
  lines: Array<{
    lineNo: number;
    kind: string;
    units: number | null;
    amountPerUnit: string | null;
    amount: string;
    invoiceLine: { lineNo: number; product: { code: string; name: string; unit: string } } | null;
  }>;
  seller: InvoiceSeller;
}

/** Only an approved credit is a credit memo; a pending one is a request, a rejected or void one says so. */
export function creditMemoTitle(status: string): string {
  if (status === 'APPROVED') return 'CREDIT MEMO';
  if (status === 'PENDING') return 'CREDIT REQUEST (PENDING)';
  return `CREDIT MEMO (${status})`;
}

const UNIT_WORDS: Record<string, string> = { STEM: 'stems', BUNCH: 'bunches', EACH: 'each' };

/** What a line credits, in words (as the PDF words it): the product, and under it the kind of credit and the invoice line. */
export function creditLineText(line: CreditMemo['lines'][number]): string {
  const title = line.invoiceLine ? `${line.invoiceLine.product.name} (${line.invoiceLine.product.code})` : 'Amount credited';
  const kind = line.kind === 'QUANTITY' ? 'Units credited' : line.kind === 'PRICE' ? 'Price reduction per unit' : line.invoiceLine ? 'Amount credited' : '';
  const detail = [kind, line.invoiceLine ? `invoice line ${line.invoiceLine.lineNo}` : ''].filter(Boolean).join(', ');
  return detail ? `${title}\n${detail}` : title;
}

/** What the memo says about what is owed. */
export function creditMemoEffect(memo: Pick<CreditMemo, 'status' | 'invoice'>): string {
  if (memo.status === 'APPROVED')
    return memo.invoice ? `This credit is taken off what is owed on invoice ${memo.invoice.number}.` : 'This credit is taken off your account balance.';
  if (memo.status === 'PENDING') return 'This credit is requested and not yet approved: it changes nothing owed until it is.';
  return `This credit is ${memo.status.toLowerCase()}: it changes nothing owed.`;
}

const COLUMNS = ['#', 'Description', 'Units', 'Per unit', 'Amount'];
const WIDTHS = [5, 55, 12, 11, 14];
const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';
const GREY = '#5F6368';
const RED = '#B3261E';
const MONEY = '#,##0.00';
const PER_UNIT = '#,##0.00##';
const TITLE_ROW = 24;
const HEADER_ROW = 15;

/** The printable credit memo: one page wide, its own page breaks and "Page X of Y". */
export function creditMemoSheet(memo: CreditMemo): PrintableSheet {
  const { seller } = memo;
  const width = COLUMNS.length;
  const last = width - 1;
  const built = sheetRows(width);
  const { rows, heights, styles, row, spacer, style, merge } = built;

  // Header block: the seller on the left (A:B), the memo's facts on the right (label C, value D:E).
  const left: Array<[PrintValue, CellStyle]> = [
    [seller.name, { bold: true, size: 15, color: GREEN }],
    ...addressLines(seller.address).map((line): [PrintValue, CellStyle] => [line, {}]),
    ...(seller.phone ? [[`Phone ${seller.phone}`, {}] as [PrintValue, CellStyle]] : []),
    ...(seller.taxId ? [[`Tax ID ${seller.taxId}`, {}] as [PrintValue, CellStyle]] : []),
  ];
  const invoiceDate = memo.invoice ? printedDate(companyDate(memo.invoice.confirmedAt ?? memo.invoice.createdAt, seller.timeZone)) : null;
  const facts: Array<[string, PrintValue]> = [
    ['Credit #', memo.number],
    ['Credit date', printedDate(memo.date)],
    ['Invoice #', memo.invoice?.number ?? 'none (stands alone)'],
    ...(memo.invoice ? ([['Invoice date', invoiceDate]] as Array<[string, PrintValue]>) : []),
    ...(memo.invoice?.customerPo ? ([['Customer PO', memo.invoice.customerPo]] as Array<[string, PrintValue]>) : []),
    ['Reason', memo.reason?.name ?? ''],
  ];
  const title = creditMemoTitle(memo.status);
  for (let i = 0; i < Math.max(left.length, facts.length + 1); i++) {
    const [text, textStyle] = left[i] ?? [null, {}];
    if (i === 0) {
      const r = row(text, null, title);
      heights[r] = TITLE_ROW;
      merge(r, 0, 1);
      merge(r, 2, 4);
      if (left[i]) style(r, 0, 1, textStyle);
      style(r, 2, 4, { bold: true, size: title.length > 14 ? 14 : 18, color: memo.status === 'APPROVED' ? GREEN : RED, align: 'right' });
      continue;
    }
    const fact = facts[i - 1];
    const r = row(text, null, fact?.[0] ?? null, fact?.[1] ?? null);
    merge(r, 0, 1);
    merge(r, 3, 4);
    if (left[i]) style(r, 0, 1, textStyle);
    if (fact) {
      style(r, 2, 2, { color: GREY, align: 'right' });
      style(r, 3, 4, { bold: fact[0] === 'Credit #' || fact[0] === 'Invoice #', align: 'right' });
    }
  }
  spacer();

  const heading = row('Credit to');
  merge(heading, 0, last);
  style(heading, 0, last, { bold: true, color: GREEN, fill: LIGHT, borderBottom: 'thin' });
  [`${memo.customer.name} (${memo.customer.code})`, ...addressLines(memo.customer.billingAddress)].forEach((line, i) => {
    const r = row(line);
    merge(r, 0, last);
    if (i === 0) style(r, 0, last, { bold: true });
  });
  spacer();

  const header = row(...COLUMNS);
  heights[header] = HEADER_ROW;
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN });
  style(header, 2, last, { bold: true, color: '#FFFFFF', fill: GREEN, align: 'right' });
  const firstLine = rows.length;
  for (const line of [...memo.lines].sort((a, b) => a.lineNo - b.lineNo)) {
    const unit = line.invoiceLine?.product.unit ?? 'STEM';
    const units = line.units === null || line.kind === 'AMOUNT' ? null : `${line.units.toLocaleString('en-US')} ${UNIT_WORDS[unit] ?? unit.toLowerCase()}`;
    const text = creditLineText(line);
    const r = row(line.lineNo, text, units, line.kind === 'AMOUNT' || line.amountPerUnit === null ? null : Number(line.amountPerUnit), Number(line.amount));
    if (text.includes('\n')) heights[r] = ROW * 2;
  }
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    styles.unshift({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, last)}`, style: { borderBottom: 'thin' } });
    styles.push({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, 0)}`, style: { align: 'left' } });
    styles.push({ range: `${cellAddress(firstLine, 1)}:${cellAddress(lastLine, 1)}`, style: { wrap: true } });
    styles.push({ range: `${cellAddress(firstLine, 2)}:${cellAddress(lastLine, 2)}`, style: { align: 'right' } });
    styles.push({ range: `${cellAddress(firstLine, 3)}:${cellAddress(lastLine, 3)}`, style: { numberFormat: PER_UNIT } });
    styles.push({ range: `${cellAddress(firstLine, 4)}:${cellAddress(lastLine, 4)}`, style: { numberFormat: MONEY } });
  }
  const totals = row(null, counted(memo.lines.length, 'line'), 'Total credit', null, Number(memo.total));
  heights[totals] = HEADER_ROW;
  merge(totals, 2, 3);
  style(totals, 0, last, { bold: true, borderTop: 'medium' });
  style(totals, 2, 3, { bold: true, borderTop: 'medium', align: 'right' });
  style(totals, 4, 4, { bold: true, borderTop: 'medium', borderBottom: 'double', numberFormat: MONEY });
  spacer();
  if (memo.notes) {
    const notes = row(`Notes: ${memo.notes}`);
    merge(notes, 0, last);
    style(notes, 0, last, { wrap: true });
    heights[notes] = ROW * Math.min(6, Math.ceil(memo.notes.length / 90) || 1);
  }
  const effect = row(creditMemoEffect(memo));
  merge(effect, 0, last);
  style(effect, 0, last, { color: GREY });

  return letterSheet(built, {
    name: sheetName(memo.number),
    columnWidths: WIDTHS,
    header,
    firstLine,
    lastLine,
    footerLeft: memo.number,
    footerRight: seller.name || '',
  });
}
