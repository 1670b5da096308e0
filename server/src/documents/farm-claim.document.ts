// The claim sheet a farm gets for a vendor credit (US Letter): who claims, the farm, the claim's number,
// date and reason, and each box with its purchase order, air waybill, units and the amounts claimed
// (product, freight, duty, handling), totalled; page X of Y on every page.
import type { Seller } from './document-data';
import { INCH, captioned, fitFontSize, fittedLine, newPdf, pdfBytes, printable, showDate } from './pdf-document';

export interface FarmClaimLine {
  lineNo: number;
  label: string | null;
  purchaseOrder: string | null;
  awb: string | null;
  product: string;
  units: number;
  productAmount: string;
  freightAmount: string;
  dutyAmount: string;
  handlingAmount: string;
  amount: string;
}

export interface FarmClaimData {
  number: string;
  status: string;
  date: string;
  vendorCode: string;
  vendorName: string;
  reason: string | null;
  notes: string;
  creditNumber: string | null;
  lines: FarmClaimLine[];
  totals: { units: number; productAmount: string; freightAmount: string; dutyAmount: string; handlingAmount: string; amount: string };
}

const WIDTH = 8.5 * INCH;
const HEIGHT = 11 * INCH;
const M = 36;
const INNER = WIDTH - 2 * M;
const ROW = 18;
const BOTTOM = HEIGHT - M - 30;
/** Columns: x offset from the margin, width, alignment. */
const COLS: Array<{ key: keyof FarmClaimLine; title: string; x: number; w: number; right?: boolean }> = [
  { key: 'label', title: 'BOX', x: 0, w: 70 },
  { key: 'purchaseOrder', title: 'PO', x: 70, w: 58 },
  { key: 'awb', title: 'AWB', x: 128, w: 62 },
  { key: 'product', title: 'PRODUCT', x: 190, w: 100 },
  { key: 'units', title: 'UNITS', x: 290, w: 38, right: true },
  { key: 'productAmount', title: 'PRODUCT', x: 328, w: 48, right: true },
  { key: 'freightAmount', title: 'FREIGHT', x: 376, w: 42, right: true },
  { key: 'dutyAmount', title: 'DUTY', x: 418, w: 36, right: true },
  { key: 'handlingAmount', title: 'HANDLING', x: 454, w: 44, right: true },
  { key: 'amount', title: 'TOTAL', x: 498, w: INNER - 498, right: true },
];

/** One line of text that never wraps: shrunk down to 7 pt, then cut with an ellipsis. */
function oneLine(doc: PDFKit.PDFDocument, text: string, at: { x: number; y: number; width: number; font: string; size: number; right?: boolean }): void {
  let shown = printable(text);
  const size = fitFontSize(doc, shown, at.font, at.width, at.size, Math.min(at.size, 7));
  doc.font(at.font).fontSize(size);
  if (doc.widthOfString(shown) > at.width) {
    while (shown.length > 1 && doc.widthOfString(`${shown}…`) > at.width) shown = shown.slice(0, -1);
    shown = `${shown}…`;
  }
  doc.text(shown, at.x, at.y, { width: at.width, align: at.right ? 'right' : 'left', lineBreak: false });
}

function tableHeader(doc: PDFKit.PDFDocument, y: number): number {
  doc.rect(M, y, INNER, 16).fill('#222222');
  doc.fillColor('white');
  for (const col of COLS) oneLine(doc, col.title, { x: M + col.x + 2, y: y + 5, width: col.w - 4, font: 'Helvetica-Bold', size: 7, right: col.right });
  doc.fillColor('black');
  return y + 16;
}

function header(doc: PDFKit.PDFDocument, seller: Seller, claim: FarmClaimData, continued: boolean): number {
  fittedLine(doc, seller.name || 'Stemline', { x: M, y: M, width: INNER * 0.5, font: 'Helvetica-Bold', max: 12, min: 7 });
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(printable([seller.address.replace(/\n+/g, ', '), seller.phone].filter(Boolean).join(' · ')), M, M + 15, {
      width: INNER * 0.55,
      height: 20,
      ellipsis: true,
    });
  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .text(continued ? 'FARM CLAIM (cont.)' : 'FARM CLAIM', M, M - 2, { width: INNER, align: 'right' });
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(claim.number, M, M + 22, { width: INNER, align: 'right' });
  if (continued) return tableHeader(doc, M + 46);
  const y = M + 46;
  captioned(doc, 'Vendor (farm)', `${claim.vendorName} (${claim.vendorCode})`, { x: M, y, width: 300, size: 14 });
  captioned(doc, 'Date', showDate(claim.date), { x: M + 310, y, width: 110, size: 11 });
  captioned(doc, 'Status', claim.status, { x: M + 430, y, width: INNER - 430, size: 11 });
  captioned(doc, 'Reason', claim.reason ?? '', { x: M, y: y + 32, width: 300, size: 11 });
  captioned(doc, 'Customer credit', claim.creditNumber ?? '', { x: M + 310, y: y + 32, width: INNER - 310, size: 11 });
  let next = y + 64;
  if (claim.notes.trim()) {
    doc.font('Helvetica').fontSize(7).fillColor('#444444').text('NOTES', M, next, { width: INNER, lineBreak: false });
    doc
      .fillColor('black')
      .font('Helvetica')
      .fontSize(9)
      .text(printable(claim.notes), M, next + 9, { width: INNER, height: 36, ellipsis: true });
    next += 48;
  }
  return tableHeader(doc, next);
}

function cell(line: FarmClaimLine, key: keyof FarmClaimLine): string {
  const value = line[key];
  return value === null || value === undefined ? '' : String(value);
}

export function farmClaimPdf(seller: Seller, claim: FarmClaimData): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: `Farm claim ${claim.number}`, bufferPages: true });
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  let y = header(doc, seller, claim, false);
  claim.lines.forEach((line, index) => {
    if (y + ROW > BOTTOM) {
      doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
      y = header(doc, seller, claim, true);
    }
    if (index % 2 === 1) doc.rect(M, y, INNER, ROW).fill('#f2f2f2');
    doc.fillColor('black');
    for (const col of COLS) {
      oneLine(doc, cell(line, col.key), { x: M + col.x + 2, y: y + 5, width: col.w - 4, font: 'Helvetica', size: 8.5, right: col.right });
    }
    y += ROW;
  });
  if (y + 60 > BOTTOM) {
    doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
    y = header(doc, seller, claim, true);
  }
  doc
    .moveTo(M, y)
    .lineTo(M + INNER, y)
    .lineWidth(1)
    .stroke();
  const t = claim.totals;
  const totals: Partial<Record<keyof FarmClaimLine, string>> = {
    units: String(t.units),
    productAmount: t.productAmount,
    freightAmount: t.freightAmount,
    dutyAmount: t.dutyAmount,
    handlingAmount: t.handlingAmount,
    amount: t.amount,
  };
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .text('TOTAL CLAIMED', M + 2, y + 6, { width: 300, lineBreak: false });
  for (const col of COLS) {
    const value = totals[col.key];
    if (value !== undefined) oneLine(doc, value, { x: M + col.x + 2, y: y + 6, width: col.w - 4, font: 'Helvetica-Bold', size: 9, right: true });
  }
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      `Please credit ${t.amount} to our account for the ${t.units} units above. Amounts split the landed cost of each box: product (your unit price), freight, duty and handling.`,
      M,
      y + 28,
      { width: INNER },
    );
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(`${claim.number} · page ${page + 1} of ${range.count}`, M, HEIGHT - M - 10, { width: INNER, align: 'right', lineBreak: false });
    doc.fillColor('black');
  }
  doc.flushPages();
  return pdfBytes(doc);
}
