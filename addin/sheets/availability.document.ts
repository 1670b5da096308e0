// The availability list as a printable sheet (docs/sales-and-accounting.md#availability-lists): what is offered by product and
// box type, on hand and arriving, priced for one customer; never a cost or a vendor. Written by the task pane
// (Excel adapter) and by stemline-sheet availability (exceljs), like the customer invoice.
import { addressLines, printedDate, sheetName } from './customer-invoice.document';
import { cellAddress, PAPER_HEIGHT, pageBreaks, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

/** What the document shows, as the AVAILABILITY_DOCUMENT query returns it: no cost field is asked for. */
export interface AvailabilityList {
  customer: { code: string; name: string } | null;
  asOf: string;
  onHandOnly: boolean;
  seller: { name: string; address: string; phone: string };
  lines: Array<{
    product: { code: string; name: string; unit: string };
    boxType: string;
    onHandBoxes: number;
    onHandUnits: number;
    inTransit: Array<{ arrivalDate: string; boxes: number; units: number }>;
    unitPrice: string | null;
    /** SUGGESTED, CUSTOMER_SEASON, CUSTOMER_LIST, MASTER_SEASON or MASTER_LIST; null with no price. */
    priceSource?: string | null;
    /** The season whose list price it is. */
    priceSeason?: string | null;
  }>;
}

/**
 * How an availability price reads to the customer it is priced for (the Price basis column): its own list
 * ("Your price", "Your Valentine price"), the master list ("List price", "Valentine price") or the suggested
 * price ("Quote"). The PDF under /documents/availability words it the same.
 */
export function priceBasis(source: string | null | undefined, season: string | null | undefined): string | null {
  switch (source) {
    case 'CUSTOMER_LIST':
      return 'Your price';
    case 'CUSTOMER_SEASON':
      return `Your ${season ?? 'season'} price`;
    case 'MASTER_LIST':
      return 'List price';
    case 'MASTER_SEASON':
      return `${season ?? 'Season'} price`;
    case 'SUGGESTED':
      return 'Quote';
    default:
      return null;
  }
}

const COLUMNS = ['Product', 'Box', 'On hand boxes', 'On hand units', 'Arriving', 'Boxes', 'Units', 'Price / unit', 'Price basis'];
const WIDTHS = [32, 6, 9, 9, 15, 7, 8, 10, 16];
/** The Price / unit column (the Price basis column follows it). */
const PRICE = 7;
const GREEN = '#1E5631';
const GREY = '#5F6368';
const ROW = 12.75;
const TITLE_ROW = 24;
const HEADER_ROW = 27;
const SPACER = 8;
const PAGE_FILL = 0.97;

/**
 * The availability list: the seller and the customer it is priced for, then one row per product and box type
 * (each further arrival date on a row of its own under it) under a header row repeated on every page.
 * Portrait, one page wide; it breaks its own pages and prints "Page X of Y".
 */
export function availabilitySheet(list: AvailabilityList): PrintableSheet {
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
  const style = (r: number, c1: number, c2: number, s: CellStyle) => styles.push({ range: `${cellAddress(r, c1)}:${cellAddress(r, c2)}`, style: s });
  const merge = (r: number, c1: number, c2: number) => merges.push(`${cellAddress(r, c1)}:${cellAddress(r, c2)}`);

  const title = row(list.seller.name || 'Availability', null, null, null, 'AVAILABILITY');
  heights[title] = TITLE_ROW;
  merge(title, 0, 3);
  merge(title, 4, last);
  style(title, 0, 3, { bold: true, size: 15, color: GREEN });
  style(title, 4, last, { bold: true, size: 18, color: GREEN, align: 'right' });
  const contact = [...addressLines(list.seller.address), list.seller.phone].filter(Boolean).join(' · ');
  const facts: Array<[string, string]> = [
    ['Prepared for', list.customer ? `${list.customer.name} (${list.customer.code})` : 'Not priced for a customer'],
    ['As of', printedDate(list.asOf)],
  ];
  facts.forEach(([label, value], index) => {
    const r = row(index === 0 ? contact : null, null, null, null, label, null, value);
    merge(r, 0, 3);
    merge(r, 4, 5);
    merge(r, 6, last);
    style(r, 0, 3, { color: GREY });
    style(r, 4, 5, { color: GREY, align: 'right' });
    style(r, 6, last, { bold: true, align: 'right' });
  });
  const note = row(
    list.onHandOnly
      ? 'Stock on hand today. Prices per unit, subject to availability when ordered.'
      : 'Stock on hand today and arriving on the dates shown. Prices per unit, subject to availability when ordered.',
  );
  merge(note, 0, last);
  style(note, 0, last, { italic: true, color: GREY });
  heights[row()] = SPACER;

  const header = row(...COLUMNS);
  heights[header] = HEADER_ROW;
  style(header, 0, last, { bold: true, color: '#FFFFFF', fill: GREEN, wrap: true });
  style(header, 2, last, { bold: true, color: '#FFFFFF', fill: GREEN, wrap: true, align: 'right' });
  style(header, 4, 4, { bold: true, color: '#FFFFFF', fill: GREEN, wrap: true, align: 'center' });
  style(header, PRICE + 1, PRICE + 1, { bold: true, color: '#FFFFFF', fill: GREEN, wrap: true, align: 'center' });
  const firstLine = rows.length;
  for (const line of list.lines) {
    const [first, ...more] = line.inTransit;
    const r = row(
      `${line.product.name} (${line.product.code})`,
      line.boxType,
      line.onHandBoxes,
      line.onHandUnits,
      first ? printedDate(first.arrivalDate) : null,
      first ? first.boxes : null,
      first ? first.units : null,
      line.unitPrice === null ? null : Number(line.unitPrice),
      priceBasis(line.priceSource, line.priceSeason),
    );
    style(r, 0, last, { borderTop: 'thin' });
    for (const arrival of more) row(null, null, null, null, printedDate(arrival.arrivalDate), arrival.boxes, arrival.units);
  }
  const lastLine = rows.length - 1;
  if (lastLine >= firstLine) {
    styles.push({ range: `${cellAddress(firstLine, 2)}:${cellAddress(lastLine, 3)}`, style: { numberFormat: '#,##0' } });
    styles.push({ range: `${cellAddress(firstLine, 5)}:${cellAddress(lastLine, 6)}`, style: { numberFormat: '#,##0' } });
    styles.push({ range: `${cellAddress(firstLine, PRICE)}:${cellAddress(lastLine, PRICE)}`, style: { numberFormat: '#,##0.00##', bold: true } });
    styles.push({ range: `${cellAddress(firstLine, PRICE + 1)}:${cellAddress(lastLine, PRICE + 1)}`, style: { color: GREY, align: 'center' } });
    styles.push({ range: `${cellAddress(firstLine, 4)}:${cellAddress(lastLine, 4)}`, style: { align: 'center' } });
  } else {
    const none = row('Nothing is available right now.');
    merge(none, 0, last);
    style(none, 0, last, { italic: true });
  }
  const end = row(`${list.lines.length} product${list.lines.length === 1 ? '' : 's'} offered`);
  merge(end, 0, last);
  style(end, 0, last, { color: GREY, borderTop: 'medium' });

  const margins = { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  const paper = 'letter';
  const pageHeight = (PAPER_HEIGHT[paper] - (margins.top + margins.bottom) * 72) * PAGE_FILL;
  const breaks = lastLine >= firstLine ? pageBreaks(heights, { headerRow: header, firstLine, lastLine, keep: 1, height: pageHeight }) : [];
  const literal = (text: string) => text.replace(/&/g, '&&');
  return {
    name: sheetName(`Availability ${list.customer?.code ?? ''}`.trim()),
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
      fitToPagesTall: 0,
      titleRows: [header + 1, header + 1],
      area: `A1:${cellAddress(rows.length - 1, last)}`,
      margins,
      breaksBefore: breaks.map((r) => r + 1),
      footer: {
        left: literal(`Availability ${list.asOf}`),
        center: `Page &P of ${breaks.length + 1}`,
        right: literal(list.seller.name || ''),
      },
    },
  };
}
