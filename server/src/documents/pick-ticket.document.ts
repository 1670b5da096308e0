// The pick ticket of an invoice (US Letter): its boxes by warehouse location, each with its label's
// barcode and a box to tick, so a picker walks the locations once and scans or ticks each box.
import type { PickTicketBox, PickTicketData, Seller } from './document-data';
import { INCH, drawCode128, fittedLine, newPdf, pdfBytes, printable, showDate } from './pdf-document';

const WIDTH = 8.5 * INCH;
const HEIGHT = 11 * INCH;
const M = 36;
const INNER = WIDTH - 2 * M;
const ROW = 46;
const BOTTOM = HEIGHT - M - 24;
/** Column x offsets (from the margin) and widths. */
const COLS = { check: [0, 40], label: [44, 170], product: [218, 220], boxType: [440, 44], units: [484, 56] } as const;

function tableHeader(doc: PDFKit.PDFDocument, y: number): number {
  doc.rect(M, y, INNER, 16).fill('#222222');
  doc.fillColor('white').font('Helvetica-Bold').fontSize(8);
  const head = (key: keyof typeof COLS, text: string, align: 'left' | 'right' | 'center' = 'left') =>
    doc.text(text, M + COLS[key][0] + 3, y + 4, { width: COLS[key][1] - 6, align, lineBreak: false });
  head('check', 'PICKED', 'center');
  head('label', 'BOX LABEL');
  head('product', 'PRODUCT');
  head('boxType', 'BOX');
  head('units', 'UNITS', 'right');
  doc.fillColor('black');
  return y + 16;
}

function header(doc: PDFKit.PDFDocument, seller: Seller, ticket: PickTicketData, continued: boolean): number {
  fittedLine(doc, seller.name || 'Stemline', { x: M, y: M, width: INNER * 0.55, font: 'Helvetica-Bold', max: 11, min: 7 });
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .text(continued ? 'PICK TICKET (cont.)' : 'PICK TICKET', M, M - 4, { width: INNER, align: 'right' });
  if (continued) {
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(`${ticket.invoiceNumber} · ${printable(ticket.customerName)}`, M, M + 24, { width: INNER, lineBreak: false, ellipsis: true });
    return tableHeader(doc, M + 46);
  }
  const field = (caption: string, value: string, x: number, y: number, width: number, size = 12) => {
    doc.font('Helvetica').fontSize(7).fillColor('#444444').text(caption.toUpperCase(), x, y, { width, lineBreak: false });
    doc.fillColor('black');
    fittedLine(doc, value || '-', { x, y: y + 8, width, font: 'Helvetica-Bold', max: size, min: 7 });
  };
  const y = M + 30;
  field('Invoice #', ticket.invoiceNumber, M, y, 150, 20);
  field('Customer', `${ticket.customerName} (${ticket.customerCode})`, M + 160, y, INNER - 160, 16);
  field(
    'Ship to',
    [
      ticket.shipToName,
      ticket.shipToAddress
        ?.split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .join(', '),
    ]
      .filter(Boolean)
      .join(' · '),
    M,
    y + 36,
    INNER,
    11,
  );
  field('Carrier', ticket.carrierName ?? '', M, y + 66, 150);
  field('Truck date', showDate(ticket.truckDate), M + 160, y + 66, 130);
  field('Customer PO', ticket.customerPo ?? '', M + 300, y + 66, 120);
  const units = ticket.boxes.reduce((sum, box) => sum + box.units, 0);
  field('Boxes / units', `${ticket.boxes.length} / ${units}`, M + 430, y + 66, INNER - 430);
  if (ticket.status === 'VOID') {
    doc
      .font('Helvetica-Bold')
      .fontSize(14)
      .fillColor('#b00000')
      .text('VOID INVOICE: DO NOT PICK', M, y + 98, { width: INNER, align: 'center' });
    doc.fillColor('black');
    return tableHeader(doc, y + 120);
  }
  return tableHeader(doc, y + 104);
}

function boxRow(doc: PDFKit.PDFDocument, box: PickTicketBox, y: number, shade: boolean): void {
  if (shade) doc.rect(M, y, INNER, ROW).fill('#f2f2f2');
  doc.fillColor('black');
  doc
    .rect(M + COLS.check[0] + 10, y + 12, 20, 20)
    .lineWidth(1.2)
    .stroke();
  const [lx, lw] = COLS.label;
  if (!drawCode128(doc, box.label, { x: M + lx, y: y + 4, width: lw, height: 26, maxModule: 1.2 })) {
    doc
      .font('Helvetica')
      .fontSize(7)
      .text('(no barcode)', M + lx + 3, y + 14, { width: lw - 6 });
  }
  fittedLine(doc, box.label, { x: M + lx, y: y + 32, width: lw, font: 'Helvetica-Bold', max: 10, min: 6, align: 'center' });
  const [px, pw] = COLS.product;
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(printable(box.productName), M + px + 3, y + 8, { width: pw - 6, height: 24, ellipsis: true, lineGap: -1 });
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(printable(box.productCode), M + px + 3, y + 32, { width: pw - 6, lineBreak: false, ellipsis: true });
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(printable(box.boxType), M + COLS.boxType[0] + 3, y + 16, { width: COLS.boxType[1] - 6, lineBreak: false });
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(String(box.units), M + COLS.units[0], y + 12, { width: COLS.units[1] - 4, align: 'right', lineBreak: false });
  doc
    .font('Helvetica')
    .fontSize(7)
    .text(box.unit, M + COLS.units[0], y + 28, { width: COLS.units[1] - 4, align: 'right', lineBreak: false });
  doc
    .moveTo(M, y + ROW)
    .lineTo(M + INNER, y + ROW)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke()
    .strokeColor('black');
}

export function pickTicketPdf(seller: Seller, ticket: PickTicketData): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: `Pick ticket ${ticket.invoiceNumber}`, bufferPages: true });
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  let y = header(doc, seller, ticket, false);
  const locations = [...new Set(ticket.boxes.map((box) => box.location))];
  if (!ticket.boxes.length)
    doc
      .font('Helvetica')
      .fontSize(11)
      .text('This invoice has no boxes to pick.', M, y + 12);
  for (const location of locations) {
    const boxes = ticket.boxes.filter((box) => box.location === location);
    boxes.forEach((box, index) => {
      // A location heading never ends a page alone: it moves with its first box, and is repeated on a new page.
      let newPage = false;
      if (y + (index === 0 ? 22 : 0) + ROW > BOTTOM) {
        doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
        y = header(doc, seller, ticket, true);
        newPage = true;
      }
      if (index === 0 || newPage) {
        doc.rect(M, y, INNER, 20).fill('#d9d9d9');
        doc
          .fillColor('black')
          .font('Helvetica-Bold')
          .fontSize(11)
          .text(
            `LOCATION ${printable(location)} · ${printable(boxes[0].locationName)} · ${boxes.length} box${boxes.length === 1 ? '' : 'es'}${index ? ' (cont.)' : ''}`,
            M + 6,
            y + 5,
            { width: INNER - 12, lineBreak: false },
          );
        y += 22;
      }
      boxRow(doc, box, y, index % 2 === 1);
      y += ROW;
    });
  }
  if (y + 30 > BOTTOM) {
    doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
    y = M;
  }
  doc
    .font('Helvetica')
    .fontSize(10)
    .text('Picked by: ______________________    Checked by: ______________________    Date: ____________', M, y + 14, { width: INNER, lineBreak: false });
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444444')
      .text(`${ticket.invoiceNumber} · page ${page + 1} of ${range.count}`, M, HEIGHT - M - 10, { width: INNER, align: 'right', lineBreak: false });
    doc.fillColor('black');
  }
  doc.flushPages();
  return pdfBytes(doc);
}
