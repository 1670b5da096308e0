// The customer invoice (DESIGN.md section 6): the document a wholesaler sends,
// one sheet per invoice. Seller, bill-to and ship-to, invoice number and date,
// terms and due date, truck date, carrier, customer PO, lines and totals; never
// a cost or a margin (those stay in the Invoices list and gpmReport).
import { cellAddress, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

/** What the document shows, as the INVOICE_DOCUMENT query returns it: no cost field is asked for. */
export interface CustomerInvoice {
  number: string;
  status: string;
  truckDate: string;
  customerPo: string | null;
  createdAt: string;
  confirmedAt: string | null;
  total: string;
  pricePending: boolean;
  customer: { code: string; name: string; billingAddress: string | null; paymentTermsDays: number };
  shipTo: { code: string; name: string; address: string | null } | null;
  carrier: { code: string; name: string } | null;
  lines: Array<{ lineNo: number; product: { code: string; name: string }; boxes: number; units: number; unitPrice: string | null; amount: string | null }>;
}

/** The seller, from Settings. */
export interface Seller {
  companyName: string;
  companyAddress: string;
  companyPhone: string;
  companyTaxId: string;
  timeZone: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Feb 10, 2027: a date no reader can take for another, whatever their locale. */
export function printedDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${MONTHS[month - 1]} ${day}, ${year}`;
}

/** The company's calendar date of an instant (Settings.timeZone), as an ISO date. */
export function companyDate(instant: string, timeZone: string): string {
  const at = new Date(instant);
  const format = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  try {
    return format(timeZone || 'UTC');
  } catch {
    return format('UTC');
  }
}

export function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The invoice's date (confirmation, else creation, in the company's time zone), its terms and due date. */
export function invoiceTerms(
  invoice: Pick<CustomerInvoice, 'createdAt' | 'confirmedAt' | 'customer'>,
  timeZone: string,
): { invoiceDate: string; terms: string; dueDate: string } {
  const invoiceDate = companyDate(invoice.confirmedAt ?? invoice.createdAt, timeZone);
  const days = invoice.customer.paymentTermsDays;
  return { invoiceDate, terms: days > 0 ? `Net ${days}` : 'Due on receipt', dueDate: addDays(invoiceDate, Math.max(0, days)) };
}

function addressLines(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'Invoice';
}

const COLUMNS = ['Product', 'Boxes', 'Units', 'Unit price', 'Amount'];
const WIDTHS = [46, 8, 9, 13, 15];
const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';
const GREY = '#5F6368';
const MONEY = '#,##0.00';
const UNIT_PRICE = '#,##0.00##';

/**
 * The printable invoice: a header block (seller on the left, invoice facts on
 * the right), bill-to and ship-to, the lines under a header row that repeats
 * on every page, and the totals. Portrait, one page wide, page X of Y.
 */
export function customerInvoiceSheet(invoice: CustomerInvoice, seller: Seller): PrintableSheet {
  const rows: PrintValue[][] = [];
  const styles: PrintableSheet['styles'] = [];
  const merges: string[] = [];
  const width = COLUMNS.length;
  const last = width - 1;
  const row = (...values: PrintValue[]) => {
    rows.push([...values, ...Array(width - values.length).fill(null)].slice(0, width));
    return rows.length - 1;
  };
  const style = (r: number, c1: number, c2: number, s: CellStyle) => styles.push({ range: `${cellAddress(r, c1)}:${cellAddress(r, c2)}`, style: s });
  const merge = (r: number, c1: number, c2: number) => merges.push(`${cellAddress(r, c1)}:${cellAddress(r, c2)}`);
  const { invoiceDate, terms, dueDate } = invoiceTerms(invoice, seller.timeZone);

  // Header block: the seller on the left (column A), the invoice's facts on the right (label B:C, value D:E).
  const left: Array<[PrintValue, CellStyle]> = [
    [seller.companyName, { bold: true, size: 15, color: GREEN }],
    ...addressLines(seller.companyAddress).map((line): [PrintValue, CellStyle] => [line, {}]),
    ...(seller.companyPhone ? [[`Phone ${seller.companyPhone}`, {}] as [PrintValue, CellStyle]] : []),
    ...(seller.companyTaxId ? [[`Tax ID ${seller.companyTaxId}`, {}] as [PrintValue, CellStyle]] : []),
  ];
  const facts: Array<[string, PrintValue]> = [
    ['Invoice #', invoice.number],
    ['Invoice date', printedDate(invoiceDate)],
    ['Terms', terms],
    ['Due date', printedDate(dueDate)],
    ['Customer PO', invoice.customerPo ?? ''],
    ['Truck date', printedDate(invoice.truckDate)],
    ['Carrier', invoice.carrier?.name ?? ''],
  ];
  const title = invoice.status === 'VOID' ? 'INVOICE (VOID)' : 'INVOICE';
  const blockRows = Math.max(left.length, facts.length + 1);
  for (let i = 0; i < blockRows; i++) {
    const [text, textStyle] = left[i] ?? [null, {}];
    const fact = i === 0 ? null : facts[i - 1];
    const r = row(text, fact?.[0] ?? null, null, fact?.[1] ?? (i === 0 ? title : null), null);
    if (left[i]) style(r, 0, 0, textStyle);
    merge(r, 1, 2);
    merge(r, 3, 4);
    if (i === 0) style(r, 3, 4, { bold: true, size: 18, color: GREEN, align: 'right' });
    if (fact) {
      style(r, 1, 2, { color: GREY, align: 'right' });
      style(r, 3, 4, { bold: fact[0] === 'Invoice #' || fact[0] === 'Due date', align: 'right' });
    }
  }
  row();

  // Bill to and ship to.
  const billTo = [invoice.customer.name, ...addressLines(invoice.customer.billingAddress)];
  const shipTo = invoice.shipTo ? [invoice.shipTo.name, ...addressLines(invoice.shipTo.address)] : ['Same as bill to'];
  const heading = row('Bill to', 'Ship to');
  merge(heading, 1, 4);
  style(heading, 0, last, { bold: true, color: GREEN, fill: LIGHT, borderBottom: 'thin' });
  for (let i = 0; i < Math.max(billTo.length, shipTo.length); i++) {
    const r = row(billTo[i] ?? null, shipTo[i] ?? null);
    merge(r, 1, 4);
    if (i === 0) style(r, 0, last, { bold: true });
  }
  row();

  // The lines, under a header row repeated on every printed page.
  const header = row(...COLUMNS);
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN });
  style(header, 1, last, { bold: true, color: '#FFFFFF', fill: GREEN, align: 'right' });
  const firstLine = rows.length;
  let boxes = 0;
  let units = 0;
  let pending = 0;
  for (const line of [...invoice.lines].sort((a, b) => a.lineNo - b.lineNo)) {
    boxes += line.boxes;
    units += line.units;
    if (line.unitPrice === null) pending++;
    const r = row(
      `${line.product.name} (${line.product.code})`,
      line.boxes,
      line.units,
      line.unitPrice === null ? 'price pending' : Number(line.unitPrice),
      line.amount === null ? 'price pending' : Number(line.amount),
    );
    if (line.unitPrice === null) style(r, 3, 4, { italic: true, color: '#B3261E', align: 'right', borderBottom: 'thin' });
  }
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    // Ranges over every line, so the number of style calls does not grow with the lines.
    styles.unshift({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, last)}`, style: { borderBottom: 'thin' } });
    styles.push({ range: `${cellAddress(firstLine, 1)}:${cellAddress(lastLine, 2)}`, style: { numberFormat: '#,##0' } });
    styles.push({ range: `${cellAddress(firstLine, 3)}:${cellAddress(lastLine, 3)}`, style: { numberFormat: UNIT_PRICE } });
    styles.push({ range: `${cellAddress(firstLine, 4)}:${cellAddress(lastLine, 4)}`, style: { numberFormat: MONEY } });
  }

  // Totals.
  const totals = row(`${invoice.lines.length} line(s)`, boxes, units, 'Total', Number(invoice.total));
  style(totals, 0, last, { bold: true, borderTop: 'medium' });
  style(totals, 1, 2, { bold: true, borderTop: 'medium', numberFormat: '#,##0' });
  style(totals, 3, 3, { bold: true, borderTop: 'medium', align: 'right' });
  style(totals, 4, 4, { bold: true, borderTop: 'medium', borderBottom: 'double', numberFormat: MONEY });
  if (pending) {
    const note = row(`${pending} line(s) with price pending are not in the total; they will be invoiced once priced.`);
    merge(note, 0, last);
    style(note, 0, last, { italic: true, color: '#B3261E' });
  }
  row();
  const pay = row(`Payment due by ${printedDate(dueDate)} (${terms}). Please quote invoice ${invoice.number} with your payment.`);
  merge(pay, 0, last);
  style(pay, 0, last, { color: GREY });
  const thanks = row('Thank you for your business.');
  merge(thanks, 0, last);
  style(thanks, 0, last, { italic: true, color: GREY });

  return {
    name: sheetName(invoice.number),
    columnWidths: WIDTHS,
    rows,
    styles,
    merges,
    font: { name: 'Arial', size: 10 },
    page: {
      orientation: 'portrait',
      paper: 'letter',
      fitToPagesWide: 1,
      titleRows: [header + 1, header + 1],
      area: `A1:${cellAddress(rows.length - 1, last)}`,
      margins: { left: 0.6, right: 0.6, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
      // & starts a code in a footer: a literal one is doubled.
      footer: { left: invoice.number.replace(/&/g, '&&'), center: 'Page &P of &N', right: (seller.companyName || '').replace(/&/g, '&&') },
    },
  };
}
