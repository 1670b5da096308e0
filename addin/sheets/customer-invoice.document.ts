// The customer invoice (docs/maintainers.md#the-sheets): the document a wholesaler sends,
// one sheet per invoice. Seller, bill-to and ship-to, invoice number and date,
// terms and due date, truck date, carrier, customer PO, lines and totals; never
// a cost or a margin (those stay in the Invoices list and gpmReport).
import { cellAddress, PAPER_HEIGHT, pageBreaks, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

/** The seller as the invoice itself carries it (Invoice.seller): any token that may read the invoice may read it. */
export interface InvoiceSeller {
  name: string;
  address: string;
  phone: string;
  taxId: string;
  /** The company's time zone: the invoice's date is its calendar day. */
  timeZone: string;
}

/** What the document shows, as the INVOICE_DOCUMENT query returns it: no cost field is asked for. */
export interface CustomerInvoice {
  number: string;
  status: string;
  truckDate: string;
  customerPo: string | null;
  createdAt: string;
  confirmedAt: string | null;
  total: string;
  /** The lines' amounts; with charges, printed above them. */
  subtotal?: string;
  /** Charges besides the lines (fuel surcharge, handling, ...), in the total; none for a customer with FOB prices' folded fuel surcharge. */
  charges?: Array<{ description: string; amount: string }>;
  pricePending: boolean;
  customer: { code: string; name: string; billingAddress: string | null; paymentTermsDays: number };
  shipTo: { code: string; name: string; address: string | null } | null;
  carrier: { code: string; name: string } | null;
  /** unit: STEM, BUNCH or EACH, what the line's units count. */
  lines: Array<{
    lineNo: number;
    product: { code: string; name: string; unit: string };
    boxes: number;
    units: number;
    unitPrice: string | null;
    amount: string | null;
  }>;
  seller: InvoiceSeller;
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

/** An address's lines, at most six (the rest joined to the sixth), so the heading always fits the first page. */
export function addressLines(text: string | null | undefined): string[] {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length <= 6 ? lines : [...lines.slice(0, 5), lines.slice(5).join(', ')];
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
export function sheetName(text: string): string {
  return text.replace(/[:\\/?*[\]]/g, '-').slice(0, 31) || 'Invoice';
}

/** "1 line", "3 lines", "1 box", "2 boxes", "1,300 stems": a count and its word, never "line(s)". */
export function counted(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

const UNIT_WORDS: Record<string, [string, string]> = { STEM: ['stem', 'stems'], BUNCH: ['bunch', 'bunches'], EACH: ['each', 'each'] };

/** The units of the lines per unit of measure, stems first: "800 stems · 48 each" (adding stems to bunches means nothing). */
export function unitTotals(lines: CustomerInvoice['lines']): string {
  const byUnit = new Map<string, number>();
  for (const line of lines) byUnit.set(line.product.unit, (byUnit.get(line.product.unit) ?? 0) + line.units);
  const order = (unit: string) => (unit in UNIT_WORDS ? Object.keys(UNIT_WORDS).indexOf(unit) : 99);
  return [...byUnit]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([unit, units]) => counted(units, ...(UNIT_WORDS[unit] ?? [unit.toLowerCase(), unit.toLowerCase()])))
    .join(' · ');
}

/** The title: a pending invoice with a price missing is a draft, never taken for a bill. */
export function invoiceTitle(invoice: Pick<CustomerInvoice, 'status' | 'pricePending'>): string {
  if (invoice.status === 'VOID') return 'INVOICE (VOID)';
  if (invoice.status === 'PENDING' && invoice.pricePending) return 'DRAFT — NOT AN INVOICE';
  return 'INVOICE';
}

const COLUMNS = ['Product', 'Boxes', 'Units', 'Unit price', 'Amount'];
const WIDTHS = [46, 8, 9, 13, 15];
const GREEN = '#1E5631';
const LIGHT = '#EAF2EC';
const GREY = '#5F6368';
const RED = '#B3261E';
const MONEY = '#,##0.00';
const UNIT_PRICE = '#,##0.00##';
/** Row heights in points: a row of 10 pt text, the title's, the line header's and a spacer. */
const ROW = 12.75;
const TITLE_ROW = 24;
const HEADER_ROW = 15;
const SPACER = 8;
/** The lines kept on the page of the totals: a last page never holds only the notes. */
const KEEP_WITH_TOTALS = 3;
/** What a page holds of the printable height (paper less margins): room for how Excel and LibreOffice round. */
const PAGE_FILL = 0.97;
/** An invoice that fits one page at this scale or more prints on one page (a 40-line invoice does), scaled to fit. */
const ONE_PAGE_SCALE = 0.82;

/**
 * The printable invoice: a header block (seller on the left, invoice facts on the right), bill-to and
 * ship-to, the lines under a header row that repeats on every page, and the totals. Portrait, one page
 * wide; it breaks its own pages (the totals always with lines) and prints "Page X of Y" with its own Y.
 */
export function customerInvoiceSheet(invoice: CustomerInvoice): PrintableSheet {
  const { seller } = invoice;
  const rows: PrintValue[][] = [];
  const heights: number[] = [];
  const styles: PrintableSheet['styles'] = [];
  const merges: string[] = [];
  const width = COLUMNS.length;
  const last = width - 1;
  const row = (...values: PrintValue[]) => {
    rows.push([...values, ...Array(width - values.length).fill(null)].slice(0, width));
    heights.push(ROW);
    return rows.length - 1;
  };
  const spacer = () => (heights[row()] = SPACER);
  const style = (r: number, c1: number, c2: number, s: CellStyle) => styles.push({ range: `${cellAddress(r, c1)}:${cellAddress(r, c2)}`, style: s });
  const merge = (r: number, c1: number, c2: number) => merges.push(`${cellAddress(r, c1)}:${cellAddress(r, c2)}`);
  const { invoiceDate, terms, dueDate } = invoiceTerms(invoice, seller.timeZone);

  // Header block: the seller on the left (column A), the invoice's facts on the right (label B:C, value D:E).
  const left: Array<[PrintValue, CellStyle]> = [
    [seller.name, { bold: true, size: 15, color: GREEN }],
    ...addressLines(seller.address).map((line): [PrintValue, CellStyle] => [line, {}]),
    ...(seller.phone ? [[`Phone ${seller.phone}`, {}] as [PrintValue, CellStyle]] : []),
    ...(seller.taxId ? [[`Tax ID ${seller.taxId}`, {}] as [PrintValue, CellStyle]] : []),
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
  const title = invoiceTitle(invoice);
  const draft = title.startsWith('DRAFT');
  const blockRows = Math.max(left.length, facts.length + 1);
  for (let i = 0; i < blockRows; i++) {
    const [text, textStyle] = left[i] ?? [null, {}];
    const fact = i === 0 ? null : facts[i - 1];
    if (i === 0) {
      // The title spans B:E, so the draft's longer title prints whole.
      const r = row(text, title);
      heights[r] = TITLE_ROW;
      if (left[i]) style(r, 0, 0, textStyle);
      merge(r, 1, 4);
      style(r, 1, 4, { bold: true, size: draft ? 14 : 18, color: draft ? RED : GREEN, align: 'right' });
      continue;
    }
    const r = row(text, fact?.[0] ?? null, null, fact?.[1] ?? null, null);
    if (left[i]) style(r, 0, 0, textStyle);
    merge(r, 1, 2);
    merge(r, 3, 4);
    if (fact) {
      style(r, 1, 2, { color: GREY, align: 'right' });
      style(r, 3, 4, { bold: fact[0] === 'Invoice #' || fact[0] === 'Due date', align: 'right' });
    }
  }
  spacer();

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
  spacer();

  // The lines, under a header row repeated on every printed page.
  const header = row(...COLUMNS);
  heights[header] = HEADER_ROW;
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN });
  style(header, 1, last, { bold: true, color: '#FFFFFF', fill: GREEN, align: 'right' });
  const firstLine = rows.length;
  let boxes = 0;
  let pending = 0;
  for (const line of [...invoice.lines].sort((a, b) => a.lineNo - b.lineNo)) {
    boxes += line.boxes;
    if (line.unitPrice === null) pending++;
    const r = row(
      `${line.product.name} (${line.product.code})`,
      line.boxes,
      line.units,
      line.unitPrice === null ? 'price pending' : Number(line.unitPrice),
      line.amount === null ? 'price pending' : Number(line.amount),
    );
    if (line.unitPrice === null) style(r, 3, 4, { italic: true, color: RED, align: 'right', borderBottom: 'thin' });
  }
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    // Ranges over every line, so the number of style calls does not grow with the lines.
    styles.unshift({ range: `${cellAddress(firstLine, 0)}:${cellAddress(lastLine, last)}`, style: { borderBottom: 'thin' } });
    styles.push({ range: `${cellAddress(firstLine, 1)}:${cellAddress(lastLine, 2)}`, style: { numberFormat: '#,##0' } });
    styles.push({ range: `${cellAddress(firstLine, 3)}:${cellAddress(lastLine, 3)}`, style: { numberFormat: UNIT_PRICE } });
    styles.push({ range: `${cellAddress(firstLine, 4)}:${cellAddress(lastLine, 4)}`, style: { numberFormat: MONEY } });
  }

  // Totals: lines and boxes in words, the units per unit of measure (stems and bunches do not add up), the amount;
  // with charges, the lines' subtotal and each charge above the total.
  const charges = invoice.charges ?? [];
  const summary = `${counted(invoice.lines.length, 'line')} · ${counted(boxes, 'box', 'boxes')}`;
  if (charges.length) {
    const sub = row(summary, null, null, 'Subtotal', Number(invoice.subtotal ?? invoice.total));
    style(sub, 0, last, { bold: true, borderTop: 'medium' });
    style(sub, 3, 4, { bold: true, borderTop: 'medium', align: 'right', numberFormat: MONEY });
    for (const charge of charges) {
      const r = row(null, charge.description, null, null, Number(charge.amount));
      merge(r, 1, 3);
      style(r, 1, 3, { color: GREY, align: 'right' });
      style(r, 4, 4, { numberFormat: MONEY });
    }
  }
  const totals = row(charges.length ? null : summary, null, null, 'Total', Number(invoice.total));
  heights[totals] = HEADER_ROW;
  style(totals, 0, last, { bold: true, borderTop: charges.length ? 'thin' : 'medium' });
  style(totals, 3, 3, { bold: true, borderTop: 'medium', align: 'right' });
  style(totals, 4, 4, { bold: true, borderTop: 'medium', borderBottom: 'double', numberFormat: MONEY });
  if (invoice.lines.length) {
    const units = row(unitTotals(invoice.lines));
    merge(units, 0, 2);
    style(units, 0, 2, { color: GREY });
  }
  if (pending) {
    const note = row(
      pending === 1
        ? '1 line with price pending is not in the total; it will be invoiced once priced.'
        : `${pending} lines with price pending are not in the total; they will be invoiced once priced.`,
    );
    merge(note, 0, last);
    style(note, 0, last, { italic: true, color: RED });
  }
  spacer();
  const pay = row(`Payment due by ${printedDate(dueDate)} (${terms}). Please quote invoice ${invoice.number} with your payment.`);
  merge(pay, 0, last);
  style(pay, 0, last, { color: GREY });
  const thanks = row('Thank you for your business.');
  merge(thanks, 0, last);
  style(thanks, 0, last, { italic: true, color: GREY });

  const margins = { left: 0.6, right: 0.6, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  const paper = 'letter';
  const pageHeight = (PAPER_HEIGHT[paper] - (margins.top + margins.bottom) * 72) * PAGE_FILL;
  // One page, scaled to fit, when it takes little scaling; else pages broken here, never automatically:
  // at 100 % (or less, to fit the width) each holds what this counts, so the count in the footer is right.
  const onePage = heights.reduce((a, b) => a + b, 0) <= pageHeight / ONE_PAGE_SCALE;
  const breaks = onePage ? [] : pageBreaks(heights, { headerRow: header, firstLine, lastLine, keep: KEEP_WITH_TOTALS, height: pageHeight });
  // & starts a code in a footer: a literal one is doubled.
  const literal = (text: string) => text.replace(/&/g, '&&');
  return {
    name: sheetName(invoice.number),
    columnWidths: WIDTHS,
    rowHeights: heights,
    rows,
    styles,
    merges,
    font: { name: 'Arial', size: 10 },
    page: {
      orientation: 'portrait',
      paper,
      fitToPagesWide: 1,
      fitToPagesTall: onePage ? 1 : 0,
      titleRows: [header + 1, header + 1],
      area: `A1:${cellAddress(rows.length - 1, last)}`,
      margins,
      breaksBefore: breaks.map((r) => r + 1),
      footer: {
        left: literal(draft ? `${invoice.number} · DRAFT` : invoice.number),
        center: `Page &P of ${breaks.length + 1}`,
        right: literal(seller.name || ''),
      },
    },
  };
}
