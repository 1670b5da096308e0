// The 4x6 in box label: what a receiving clerk scans and reads from a metre away.
import type { BoxLabelData } from './document-data';
import { INCH, captioned, drawCode128, fittedLine, labelText, newPdf, pdfBytes, printable, showDate } from './pdf-document';
import { LABEL_WIDTH_DOTS, zplBand, zplCode128, zplLabel, zplText } from './zpl';

const WIDTH = 4 * INCH;
const HEIGHT = 6 * INCH;
const M = 12;
const INNER = WIDTH - 2 * M;

function unitsText(box: BoxLabelData): string {
  return `${box.units} ${box.unit === 'EACH' ? 'EA' : box.unit}${box.units === 1 || box.unit === 'EACH' ? '' : 'S'}`;
}

function drawBoxLabel(doc: PDFKit.PDFDocument, box: BoxLabelData): void {
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  labelText(doc, box.label, { x: M, y: M, width: INNER, max: 36 });
  if (!drawCode128(doc, box.label, { x: M, y: 54, width: INNER, height: 96, maxModule: 2.2 })) {
    doc.font('Helvetica').fontSize(10).text('No barcode: Code 128 cannot carry this label.', M, 95, { width: INNER, align: 'center' });
  }
  const name = printable(box.productName);
  doc.font('Helvetica-Bold').fontSize(17).text(name, M, 158, { width: INNER, height: 42, ellipsis: true, lineGap: 0 });
  // The code right under the name: one line of name or two.
  const nameHeight = Math.min(42, doc.heightOfString(name, { width: INNER }));
  doc
    .font('Helvetica')
    .fontSize(11)
    .text(printable(box.productCode), M, 158 + nameHeight + 2, { width: INNER, lineBreak: false, ellipsis: true });
  doc
    .moveTo(M, 216)
    .lineTo(WIDTH - M, 216)
    .lineWidth(1)
    .stroke();

  const third = INNER / 3;
  captioned(doc, 'Box type', box.boxType, { x: M, y: 222, width: third - 6, size: 18 });
  captioned(doc, 'Units', unitsText(box), { x: M + third, y: 222, width: third - 6, size: 18 });
  captioned(doc, 'Location', box.location, { x: M + 2 * third, y: 222, width: third, size: 18 });
  captioned(doc, 'Vendor', box.vendorName, { x: M, y: 254, width: INNER, size: 13 });
  captioned(doc, 'PO #', box.purchaseOrderNumber, { x: M, y: 284, width: INNER / 2 - 6, size: 14 });
  captioned(doc, 'AWB', box.awb ?? '', { x: M + INNER / 2, y: 284, width: INNER / 2, size: 14 });
  captioned(doc, 'Arrival', showDate(box.arrivalDate), { x: M, y: 314, width: INNER, size: 14 });
  doc
    .moveTo(M, 344)
    .lineTo(WIDTH - M, 344)
    .stroke();

  if (box.customer) {
    doc.rect(M, 350, INNER, 26).fill('black');
    doc.fillColor('white');
    fittedLine(doc, `${box.prebookNumbers.length ? 'PRESOLD' : 'RESERVED'}: ${box.customer.name}`, {
      x: M + 6,
      y: 356,
      width: INNER - 12,
      font: 'Helvetica-Bold',
      max: 15,
      min: 8,
    });
    doc.fillColor('black');
    captioned(doc, 'Prebook #', box.prebookNumbers.join(', '), { x: M, y: 384, width: INNER / 2 - 6, size: 15 });
    captioned(doc, 'Truck date', showDate(box.truckDate), { x: M + INNER / 2, y: 384, width: INNER / 2, size: 15 });
  } else {
    doc.font('Helvetica-Bold').fontSize(15).fillColor('#444444').text('OPEN MARKET', M, 362, { width: INNER, align: 'center' });
    doc.fillColor('black');
  }
}

/** One 4x6 in page per box. */
export function boxLabelsPdf(boxes: BoxLabelData[]): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: boxes.length === 1 ? `Box label ${boxes[0].label}` : `${boxes.length} box labels` });
  for (const box of boxes) drawBoxLabel(doc, box);
  return pdfBytes(doc);
}

const DOT_M = 32;
const DOT_INNER = LABEL_WIDTH_DOTS - 2 * DOT_M;

/** One ^XA...^XZ label per box, laid out like the PDF (203 dpi). */
export function boxLabelZpl(box: BoxLabelData): string {
  const half = DOT_INNER / 2;
  const third = Math.floor(DOT_INNER / 3);
  const caption = (x: number, y: number, text: string) => zplText(x, y, text, { height: 22, width: third * 2 });
  const fields = [
    // A long vendor label goes on two lines rather than being cut.
    box.label.length <= 14
      ? zplText(DOT_M, 24, box.label, { height: 80, width: DOT_INNER, bold: true, align: 'C' })
      : zplText(DOT_M, 20, box.label, { height: 42, width: DOT_INNER, lines: 2, bold: true, align: 'C' }),
    zplCode128(DOT_M, 120, box.label, DOT_INNER, 200) ??
      zplText(DOT_M, 200, 'No barcode: Code 128 cannot carry this label.', { height: 28, width: DOT_INNER, align: 'C' }),
    zplText(DOT_M, 340, box.productName, { height: 44, width: DOT_INNER, lines: 2, bold: true }),
    zplText(DOT_M, 436, box.productCode, { height: 30, width: DOT_INNER }),
    `^FO${DOT_M},476^GB${DOT_INNER},3,3^FS`,
    caption(DOT_M, 490, 'BOX TYPE'),
    zplText(DOT_M, 516, box.boxType, { height: 44, width: third - 12, bold: true }),
    caption(DOT_M + third, 490, 'UNITS'),
    zplText(DOT_M + third, 516, unitsText(box), { height: 44, width: third - 12, bold: true }),
    caption(DOT_M + 2 * third, 490, 'LOCATION'),
    zplText(DOT_M + 2 * third, 516, box.location, { height: 44, width: third, bold: true }),
    caption(DOT_M, 580, 'VENDOR'),
    zplText(DOT_M, 606, box.vendorName, { height: 36, width: DOT_INNER, bold: true }),
    caption(DOT_M, 660, 'PO #'),
    zplText(DOT_M, 686, box.purchaseOrderNumber, { height: 38, width: half - 12, bold: true }),
    caption(DOT_M + half, 660, 'AWB'),
    zplText(DOT_M + half, 686, box.awb ?? '-', { height: 38, width: half, bold: true }),
    caption(DOT_M, 740, 'ARRIVAL'),
    zplText(DOT_M, 766, showDate(box.arrivalDate), { height: 38, width: DOT_INNER, bold: true }),
    `^FO${DOT_M},824^GB${DOT_INNER},3,3^FS`,
  ];
  if (box.customer) {
    fields.push(
      zplBand(DOT_M, 842, DOT_INNER, 70, `${box.prebookNumbers.length ? 'PRESOLD' : 'RESERVED'}: ${box.customer.name}`, 40),
      caption(DOT_M, 930, 'PREBOOK #'),
      zplText(DOT_M, 956, box.prebookNumbers.join(', ') || '-', { height: 40, width: half - 12, bold: true }),
      caption(DOT_M + half, 930, 'TRUCK DATE'),
      zplText(DOT_M + half, 956, showDate(box.truckDate) || '-', { height: 40, width: half, bold: true }),
    );
  } else {
    fields.push(zplText(DOT_M, 870, 'OPEN MARKET', { height: 44, width: DOT_INNER, bold: true, align: 'C' }));
  }
  return zplLabel(fields);
}

export function boxLabelsZpl(boxes: BoxLabelData[]): string {
  return boxes.map(boxLabelZpl).join('\n') + '\n';
}
