// The receivables aging as a printable sheet: one row per customer with its open amounts by days past due,
// and the totals. Pure: the task pane and the command-line tool write the same page.
import { cellAddress, columnLetter, type PrintableSheet, type PrintValue } from './printable-sheet';

export const AGING_BUCKET_FIELDS = ['current', 'days1To30', 'days31To60', 'days61To90', 'days91To120', 'over120', 'total', 'unapplied'] as const;
type Amounts = Record<(typeof AGING_BUCKET_FIELDS)[number], string>;

export interface AgingData {
  asOf: string;
  customers: Array<Amounts & { customer: { code: string; name: string } }>;
  totals: Amounts;
}

export const AGING_HEADER = ['Customer', 'Name', 'Current', '1–30', '31–60', '61–90', '91–120', '121+', 'Total', 'Unapplied'];
const MONEY = '#,##0.00';
const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';

/** The aging of `data` as one landscape sheet: a title, the header (repeated on every page), the customers and the totals. */
export function agingSheet(data: AgingData): PrintableSheet {
  const amounts = (row: Amounts): PrintValue[] => AGING_BUCKET_FIELDS.map((field) => Number(row[field]));
  const rows: PrintValue[][] = [
    [`Receivables aging as of ${data.asOf}`, ...Array<PrintValue>(AGING_HEADER.length - 1).fill(null)],
    AGING_HEADER,
    ...data.customers.map((row) => [row.customer.code, row.customer.name, ...amounts(row)]),
    ['Total', `${data.customers.length} customer(s)`, ...amounts(data.totals)],
  ];
  const last = AGING_HEADER.length - 1;
  const lastRow = rows.length - 1;
  const range = (top: number, left: number, bottom: number, right: number) => `${cellAddress(top, left)}:${cellAddress(bottom, right)}`;
  return {
    name: 'Aging',
    columnWidths: [16, 32, 12, 12, 12, 12, 12, 12, 13, 13],
    rowHeights: rows.map((_, i) => (i === 0 ? 24 : 16)),
    rows,
    styles: [
      { range: range(0, 0, 0, last), style: { bold: true, size: 14, color: GREEN } },
      { range: range(1, 0, 1, last), style: { bold: true, fill: LIGHT, borderBottom: 'medium' } },
      { range: range(1, 2, 1, last), style: { align: 'right' } },
      { range: range(2, 2, lastRow, last), style: { numberFormat: MONEY } },
      { range: range(lastRow, 0, lastRow, last), style: { bold: true, borderTop: 'medium' } },
    ],
    merges: [range(0, 0, 0, last)],
    font: { name: 'Calibri', size: 10 },
    page: {
      orientation: 'landscape',
      paper: 'letter',
      fitToPagesWide: 1,
      fitToPagesTall: 0,
      titleRows: [2, 2],
      area: `A1:${columnLetter(last)}${rows.length}`,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      breaksBefore: [],
      footer: { left: `Aging as of ${data.asOf}`, right: 'Page &P of &N' },
    },
  };
}
