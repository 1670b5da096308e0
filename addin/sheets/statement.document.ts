// The customer statement as a printable sheet (stemline-sheet statement, and the task pane's Open
// statements): one sheet per customer, laid out like the PDF the server prints: seller, bill-to, the
// period, the opening balance, the lines (Balance Forward: with the balance after each; Open Items: what is
// open of each), the closing balance and the aging line. Never a cost. Each sheet numbers its own pages.
import { addressLines, printedDate, sheetName, type InvoiceSeller } from './customer-invoice.document';
import { cellAddress, PAPER_HEIGHT, pageBreaks, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

type Money = string;
/** What the statement shows, as the STATEMENT_DOCUMENT query returns it. */
export interface CustomerStatement {
  type: 'BALANCE_FORWARD' | 'OPEN_ITEMS';
  from: string;
  to: string;
  openingBalance: Money;
  charges: Money;
  credits: Money;
  closingBalance: Money;
  customer: { code: string; name: string; billingAddress: string | null; paymentTermsDays: number };
  seller: InvoiceSeller;
  lines: Array<{
    kind: string;
    date: string | null;
    number: string;
    description: string;
    dueDate: string | null;
    amount: Money;
    openAmount: Money | null;
    balance: Money | null;
  }>;
  aging: Record<'current' | 'days1To30' | 'days31To60' | 'days61To90' | 'days91To120' | 'over120' | 'total' | 'unapplied' | 'priorBalance' | 'balance', Money>;
}

const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';
const GREY = '#5F6368';
const MONEY = '#,##0.00';
const ROW = 12.75;
const TITLE_ROW = 24;
const HEADER_ROW = 15;
const SPACER = 8;
const PAGE_FILL = 0.97;
/** Date, Number, Description, Due, then Charges, Credits, Balance (Balance Forward) or Amount, Open (Open Items). */
const WIDTHS = [12, 12, 34, 12, 12, 12, 13];
export const STATEMENT_AGING_HEADER = ['Current', '1–30', '31–60', '61–90', '91–120', '121+', 'Unapplied', 'Balance due'];

/** The statement's title. */
export function statementTitle(type: CustomerStatement['type']): string {
  return type === 'OPEN_ITEMS' ? 'STATEMENT (OPEN ITEMS)' : 'STATEMENT';
}

/** The printable statement of one customer: portrait, one page wide, header row repeated, page X of Y of its own. */
export function statementSheet(statement: CustomerStatement): PrintableSheet {
  const { seller, customer } = statement;
  const balanceForward = statement.type === 'BALANCE_FORWARD';
  const columns = balanceForward
    ? ['Date', 'Number', 'Description', 'Due', 'Charges', 'Credits', 'Balance']
    : ['Date', 'Number', 'Description', 'Due', 'Amount', 'Open', null];
  const width = WIDTHS.length;
  const last = width - 1;
  const rows: PrintValue[][] = [];
  const heights: number[] = [];
  const styles: PrintableSheet['styles'] = [];
  const merges: string[] = [];
  const row = (...values: PrintValue[]) => {
    rows.push([...values, ...Array(width - values.length).fill(null)].slice(0, width));
    heights.push(ROW);
    return rows.length - 1;
  };
  const style = (r: number, c1: number, c2: number, s: CellStyle) => styles.push({ range: `${cellAddress(r, c1)}:${cellAddress(r, c2)}`, style: s });
  const merge = (r: number, c1: number, c2: number) => merges.push(`${cellAddress(r, c1)}:${cellAddress(r, c2)}`);
  const money = (value: Money | null) => (value === null ? null : Number(value));

  const left: Array<[PrintValue, CellStyle]> = [
    [seller.name, { bold: true, size: 15, color: GREEN }],
    ...addressLines(seller.address).map((line): [PrintValue, CellStyle] => [line, {}]),
    ...(seller.phone ? [[`Phone ${seller.phone}`, {}] as [PrintValue, CellStyle]] : []),
  ];
  const days = customer.paymentTermsDays;
  const facts: Array<[string, PrintValue]> = [
    ['Statement date', printedDate(statement.to)],
    balanceForward ? ['Period', `${printedDate(statement.from)} – ${printedDate(statement.to)}`] : ['Open as of', printedDate(statement.to)],
    ['Customer #', customer.code],
    ['Terms', days > 0 ? `Net ${days}` : 'Due on receipt'],
    ['Balance due', money(statement.closingBalance)],
  ];
  for (let i = 0; i < Math.max(left.length, facts.length + 1); i++) {
    const [text, textStyle] = left[i] ?? [null, {}];
    if (i === 0) {
      const r = row(text, null, null, statementTitle(statement.type));
      heights[r] = TITLE_ROW;
      merge(r, 0, 2);
      style(r, 0, 0, textStyle);
      merge(r, 3, last);
      style(r, 3, last, { bold: true, size: 16, color: GREEN, align: 'right' });
      continue;
    }
    const fact = facts[i - 1];
    const r = row(text, null, null, fact?.[0] ?? null, null, fact?.[1] ?? null, null);
    merge(r, 0, 2);
    style(r, 0, 0, textStyle);
    merge(r, 3, 4);
    merge(r, 5, last);
    if (fact) {
      style(r, 3, 4, { color: GREY, align: 'right' });
      style(r, 5, last, { align: 'right', bold: fact[0] === 'Balance due', numberFormat: MONEY });
    }
  }
  heights[row()] = SPACER;
  const billHeading = row('Bill to');
  merge(billHeading, 0, last);
  style(billHeading, 0, last, { bold: true, color: GREEN, fill: LIGHT, borderBottom: 'thin' });
  for (const [i, line] of [`${customer.name} (${customer.code})`, ...addressLines(customer.billingAddress)].entries()) {
    const r = row(line);
    merge(r, 0, last);
    if (i === 0) style(r, 0, last, { bold: true });
  }
  heights[row()] = SPACER;
  const header = row(...columns);
  heights[header] = HEADER_ROW;
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN });
  style(header, 4, last, { bold: true, color: '#FFFFFF', fill: GREEN, align: 'right' });
  const firstLine = rows.length;
  if (balanceForward) {
    const r = row(null, null, `Balance forward on ${printedDate(statement.from)}`, null, null, null, money(statement.openingBalance));
    style(r, 2, 2, { italic: true });
    style(r, last, last, { bold: true });
  }
  for (const line of statement.lines) {
    const date = line.date ? printedDate(line.date) : null;
    const due = line.dueDate ? printedDate(line.dueDate) : null;
    const negative = line.amount.startsWith('-');
    if (balanceForward)
      row(date, line.number, line.description, due, negative ? null : money(line.amount), negative ? money(line.amount.slice(1)) : null, money(line.balance));
    else row(date, line.number, line.description, due, money(line.amount), money(line.openAmount), null);
  }
  if (!statement.lines.length && !balanceForward) row(null, null, 'Nothing open.');
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    styles.unshift({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, last)}`, style: { borderBottom: 'thin' } });
    styles.push({ range: `${cellAddress(firstLine, 4)}:${cellAddress(lastLine, last)}`, style: { numberFormat: MONEY } });
  }
  const closing = row(balanceForward ? 'Closing balance' : 'Balance due', null, null, null, null, null, money(statement.closingBalance));
  heights[closing] = HEADER_ROW;
  merge(closing, 0, 2);
  style(closing, 0, last, { bold: true, borderTop: 'medium' });
  style(closing, last, last, { bold: true, borderTop: 'medium', borderBottom: 'double', numberFormat: MONEY });
  heights[row()] = SPACER;
  const agingTitle = row(`Aging as of ${printedDate(statement.to)} (days past due)`);
  merge(agingTitle, 0, last);
  style(agingTitle, 0, last, { bold: true, color: GREEN });
  // Eight amounts in seven columns: the buckets, then Unapplied and Balance due on the row below.
  const a = statement.aging;
  const bucketHead = row(...STATEMENT_AGING_HEADER.slice(0, 6), null);
  style(bucketHead, 0, last, { bold: true, color: GREEN, fill: LIGHT, align: 'right' });
  const buckets = row(money(a.current), money(a.days1To30), money(a.days31To60), money(a.days61To90), money(a.days91To120), money(a.over120), null);
  style(buckets, 0, last, { numberFormat: MONEY });
  const totalsHead = row(a.priorBalance !== '0.00' ? 'Prior balance' : null, null, null, null, 'Unapplied', 'Balance due', null);
  style(totalsHead, 0, last, { bold: true, color: GREEN, fill: LIGHT, align: 'right' });
  const totals = row(
    a.priorBalance !== '0.00' ? money(a.priorBalance) : null,
    null,
    null,
    null,
    a.unapplied === '0.00' ? 0 : -Number(a.unapplied),
    money(a.balance),
    null,
  );
  style(totals, 0, last, { numberFormat: MONEY });
  style(totals, 5, 5, { bold: true, numberFormat: MONEY });
  heights[row()] = SPACER;
  const note = row('Please quote your customer number with your payment. Thank you for your business.');
  merge(note, 0, last);
  style(note, 0, last, { italic: true, color: GREY });

  const margins = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  const pageHeight = (PAPER_HEIGHT.letter - (margins.top + margins.bottom) * 72) * PAGE_FILL;
  const breaks = pageBreaks(heights, { headerRow: header, firstLine, lastLine: Math.max(firstLine, lastLine), keep: 3, height: pageHeight });
  const literal = (text: string) => text.replace(/&/g, '&&');
  return {
    name: sheetName(`Statement ${customer.code}`),
    columnWidths: WIDTHS,
    rowHeights: heights,
    rows,
    styles,
    merges,
    font: { name: 'Arial', size: 10 },
    page: {
      orientation: 'portrait',
      paper: 'letter',
      fitToPagesWide: 1,
      fitToPagesTall: 0,
      titleRows: [header + 1, header + 1],
      area: `A1:${cellAddress(rows.length - 1, last)}`,
      margins,
      breaksBefore: breaks.map((r) => r + 1),
      footer: { left: literal(`Statement ${customer.code} ${statement.to}`), center: `Page &P of ${breaks.length + 1}`, right: literal(seller.name || '') },
    },
  };
}
