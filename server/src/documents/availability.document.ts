// The availability list a customer is sent (US Letter, portrait, one page wide): what is offered by product
// and box type, on hand and in transit with arrival dates, priced for the customer; never a cost or a vendor.
import type { Seller } from './document-data';
import { INCH, fittedLine, newPdf, pdfBytes, printable, showDate } from './pdf-document';

/** One product and box type of the list, as printed. */
export interface AvailabilityDocumentLine {
  productCode: string;
  productName: string;
  /** STEM, BUNCH or EACH. */
  unit: string;
  boxType: string;
  onHandBoxes: number;
  onHandUnits: number;
  inTransit: Array<{ arrivalDate: string; boxes: number; units: number }>;
  unitPrice: string | null;
  /** How the price reads to the customer (priceBasis): "Your price", "Valentine price", "Quote"; '' with no price. */
  priceBasis: string;
}

/**
 * How an availability price reads to the customer it is priced for: its own list ("Your price", "Your Valentine
 * price"), the master list ("List price", "Valentine price") or the suggested price ("Quote"). Never a cost.
 */
export function priceBasis(source: string | null, season: string | null): string {
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
      return '';
  }
}

export interface AvailabilityDocumentData {
  customer: { code: string; name: string } | null;
  asOf: string;
  onHandOnly: boolean;
  lines: AvailabilityDocumentLine[];
}

const WIDTH = 8.5 * INCH;
const HEIGHT = 11 * INCH;
const M = 36;
const INNER = WIDTH - 2 * M;
const BOTTOM = HEIGHT - M - 24;
/** Column x offsets (from the margin) and widths. */
const COLS = { product: [0, 200], box: [200, 40], onHand: [240, 90], inTransit: [330, 130], price: [460, 80] } as const;

function tableHeader(doc: PDFKit.PDFDocument, y: number): number {
  doc.rect(M, y, INNER, 16).fill('#222222');
  doc.fillColor('white').font('Helvetica-Bold').fontSize(8);
  const head = (key: keyof typeof COLS, text: string, align: 'left' | 'right' = 'left') =>
    doc.text(text, M + COLS[key][0] + 3, y + 4, { width: COLS[key][1] - 6, align, lineBreak: false });
  head('product', 'PRODUCT');
  head('box', 'BOX');
  head('onHand', 'ON HAND', 'right');
  head('inTransit', 'ARRIVING');
  head('price', 'PRICE / UNIT', 'right');
  doc.fillColor('black');
  return y + 16;
}

function header(doc: PDFKit.PDFDocument, seller: Seller, data: AvailabilityDocumentData, continued: boolean): number {
  fittedLine(doc, seller.name || 'Stemline', { x: M, y: M, width: INNER * 0.55, font: 'Helvetica-Bold', max: 11, min: 7 });
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .text(continued ? 'AVAILABILITY (cont.)' : 'AVAILABILITY', M, M - 4, { width: INNER, align: 'right' });
  const customer = data.customer ? `${data.customer.name} (${data.customer.code})` : 'Not priced for a customer';
  if (continued) {
    fittedLine(doc, `${customer} · as of ${data.asOf}`, { x: M, y: M + 24, width: INNER, font: 'Helvetica-Bold', max: 12, min: 7 });
    return tableHeader(doc, M + 46);
  }
  const field = (caption: string, value: string, x: number, y: number, width: number, size = 12) => {
    doc.font('Helvetica').fontSize(7).fillColor('#444444').text(caption.toUpperCase(), x, y, { width, lineBreak: false });
    doc.fillColor('black');
    fittedLine(doc, value || '-', { x, y: y + 8, width, font: 'Helvetica-Bold', max: size, min: 7 });
  };
  const y = M + 30;
  field('Prepared for', customer, M, y, INNER * 0.6, 16);
  field('As of', showDate(data.asOf), M + INNER * 0.62, y, INNER * 0.38, 14);
  const contact = [seller.address.split('\n').join(', '), seller.phone].filter((part) => part.trim()).join(' · ');
  if (contact) field('From', contact, M, y + 34, INNER, 10);
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#444444')
    .text(
      data.onHandOnly
        ? 'Stock on hand today, in boxes / units. Prices per unit, subject to availability when ordered.'
        : 'Stock on hand today and arriving on the dates shown, in boxes / units. Prices per unit, subject to availability when ordered.',
      M,
      y + 62,
      { width: INNER },
    );
  doc.fillColor('black');
  return tableHeader(doc, y + 78);
}

const ROW = 30;

function rowHeight(line: AvailabilityDocumentLine): number {
  return Math.max(ROW, 12 + line.inTransit.length * 10);
}

function row(doc: PDFKit.PDFDocument, line: AvailabilityDocumentLine, y: number, shade: boolean): void {
  const height = rowHeight(line);
  if (shade) doc.rect(M, y, INNER, height).fill('#f2f2f2');
  doc.fillColor('black');
  const [px, pw] = COLS.product;
  fittedLine(doc, line.productName, { x: M + px + 3, y: y + 5, width: pw - 6, font: 'Helvetica-Bold', max: 10, min: 6 });
  doc
    .font('Helvetica')
    .fontSize(7)
    .text(`${printable(line.productCode)} · ${line.unit}`, M + px + 3, y + 18, { width: pw - 6, lineBreak: false, ellipsis: true });
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(printable(line.boxType), M + COLS.box[0] + 3, y + 9, { width: COLS.box[1] - 6, lineBreak: false });
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(line.onHandBoxes ? `${line.onHandBoxes} / ${line.onHandUnits}` : '-', M + COLS.onHand[0], y + 9, {
      width: COLS.onHand[1] - 6,
      align: 'right',
      lineBreak: false,
    });
  doc.font('Helvetica').fontSize(8);
  if (!line.inTransit.length) doc.text('-', M + COLS.inTransit[0] + 3, y + 10, { width: COLS.inTransit[1] - 6, lineBreak: false });
  line.inTransit.forEach((arrival, index) =>
    doc.text(
      `${showDate(arrival.arrivalDate)}: ${arrival.boxes} / ${arrival.units}`,
      M + COLS.inTransit[0] + 3,
      y + (line.inTransit.length === 1 ? 10 : 6) + index * 10,
      {
        width: COLS.inTransit[1] - 6,
        lineBreak: false,
      },
    ),
  );
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(line.unitPrice ?? '-', M + COLS.price[0], y + 7, { width: COLS.price[1] - 4, align: 'right', lineBreak: false });
  if (line.priceBasis)
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#444444')
      .text(printable(line.priceBasis), M + COLS.price[0], y + 19, { width: COLS.price[1] - 4, align: 'right', lineBreak: false, ellipsis: true })
      .fillColor('black');
  doc
    .moveTo(M, y + height)
    .lineTo(M + INNER, y + height)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke()
    .strokeColor('black');
}

export function availabilityPdf(seller: Seller, data: AvailabilityDocumentData): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: `Availability ${data.customer?.code ?? ''} ${data.asOf}`.replace(/\s+/g, ' '), bufferPages: true });
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  let y = header(doc, seller, data, false);
  if (!data.lines.length)
    doc
      .font('Helvetica')
      .fontSize(11)
      .text('Nothing is available right now.', M, y + 12);
  data.lines.forEach((line, index) => {
    if (y + rowHeight(line) > BOTTOM) {
      doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
      y = header(doc, seller, data, true);
    }
    row(doc, line, y, index % 2 === 1);
    y += rowHeight(line);
  });
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(`Availability ${data.asOf} · page ${page + 1} of ${range.count}`, M, HEIGHT - M - 10, { width: INNER, align: 'right', lineBreak: false });
    doc.fillColor('black');
  }
  doc.flushPages();
  return pdfBytes(doc);
}
