// The 4x6 in shipping label of a box on an invoice: who ships it, to whom, with which carrier, box N of M.
import type { Seller, ShippingLabelData } from './document-data';
import { INCH, captioned, drawCode128, fitFontSize, fittedLine, labelText, newPdf, pdfBytes, printable, showDate } from './pdf-document';
import { LABEL_WIDTH_DOTS, zplBand, zplCode128, zplFieldData, zplLabel, zplText } from './zpl';

const WIDTH = 4 * INCH;
const HEIGHT = 6 * INCH;
const M = 12;
const INNER = WIDTH - 2 * M;

/** The ship-to's name and address, or the customer's billing address when the invoice has no ship-to. */
function destination(label: ShippingLabelData): { name: string | null; address: string } {
  if (label.shipToName || label.shipToAddress) return { name: label.shipToName, address: label.shipToAddress ?? '' };
  return { name: null, address: label.billingAddress ?? '' };
}

function sellerLines(seller: Seller): string[] {
  return [...seller.address.split('\n'), seller.phone && `Tel ${seller.phone}`, seller.taxId && `Tax ID ${seller.taxId}`]
    .map((line) => line.trim())
    .filter(Boolean);
}

function drawShippingLabel(doc: PDFKit.PDFDocument, seller: Seller, label: ShippingLabelData): void {
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  const left = INNER * 0.52;
  doc.font('Helvetica').fontSize(7).fillColor('#444444').text('FROM', M, M);
  doc.fillColor('black');
  fittedLine(doc, seller.name || '(company name: set it in Settings)', { x: M, y: M + 8, width: left - 6, font: 'Helvetica-Bold', max: 10, min: 7 });
  doc
    .font('Helvetica')
    .fontSize(7.5)
    .text(printable(sellerLines(seller).join('\n')), M, M + 21, { width: left - 6, height: 38, ellipsis: true, lineGap: -0.5 });
  doc
    .rect(M + left, M, INNER - left, 54)
    .lineWidth(1.5)
    .stroke();
  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor('#444444')
    .text('CARRIER', M + left + 5, M + 4);
  doc.fillColor('black');
  const carrier = printable(label.carrierName ?? label.carrierCode ?? 'No carrier');
  // Two lines at most: the size that fits the longest word on a line, 15 pt down to 9.
  const longest = carrier.split(/\s+/).reduce((a, b) => (a.length >= b.length ? a : b), '');
  const size = Math.min(
    fitFontSize(doc, longest, 'Helvetica-Bold', INNER - left - 10, 15, 9),
    doc.heightOfString(carrier, { width: INNER - left - 10 }) > 40 ? 12 : 15,
  );
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .text(carrier, M + left + 5, M + 14, { width: INNER - left - 10, height: 38, ellipsis: true, lineGap: -2 });
  doc
    .moveTo(M, 72)
    .lineTo(WIDTH - M, 72)
    .lineWidth(1)
    .stroke();

  const to = destination(label);
  doc.font('Helvetica').fontSize(7).fillColor('#444444').text('SHIP TO', M, 78);
  doc.fillColor('black');
  fittedLine(doc, label.customerName, { x: M, y: 87, width: INNER, font: 'Helvetica-Bold', max: 18, min: 10 });
  let y = 109;
  if (to.name) {
    fittedLine(doc, to.name, { x: M, y, width: INNER, font: 'Helvetica-Bold', max: 14, min: 9 });
    y += 18;
  }
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(printable(to.address) || ' ', M, y, { width: INNER, height: 192 - y, ellipsis: true, lineGap: 0 });
  doc
    .moveTo(M, 196)
    .lineTo(WIDTH - M, 196)
    .stroke();

  const half = INNER / 2;
  captioned(doc, 'Invoice #', label.invoiceNumber, { x: M, y: 202, width: half - 6, size: 17 });
  captioned(doc, 'Customer PO', label.customerPo ?? '', { x: M + half, y: 202, width: half, size: 14 });
  captioned(doc, 'Truck date', showDate(label.truckDate), { x: M, y: 236, width: half - 6, size: 14 });
  doc
    .rect(M + half, 234, half, 40)
    .lineWidth(2)
    .stroke();
  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor('#444444')
    .text('BOX', M + half + 5, 237);
  doc.fillColor('black');
  fittedLine(doc, `${label.boxNumber} of ${label.boxCount}`, {
    x: M + half + 5,
    y: 246,
    width: half - 10,
    font: 'Helvetica-Bold',
    max: 24,
    min: 12,
    align: 'center',
  });

  if (!drawCode128(doc, label.label, { x: M, y: 284, width: INNER, height: 80, maxModule: 2.2 })) {
    doc.font('Helvetica').fontSize(10).text('No barcode: Code 128 cannot carry this label.', M, 318, { width: INNER, align: 'center' });
  }
  labelText(doc, label.label, { x: M, y: 370, width: INNER, max: 20 });
  fittedLine(doc, `${label.productName} (${label.productCode}) · ${label.boxType} · ${label.units} units`, {
    x: M,
    y: 400,
    width: INNER,
    font: 'Helvetica',
    max: 9,
    min: 6,
    align: 'center',
  });
}

export function shippingLabelsPdf(seller: Seller, labels: ShippingLabelData[]): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: labels.length === 1 ? `Shipping label ${labels[0].label}` : `${labels.length} shipping labels` });
  for (const label of labels) drawShippingLabel(doc, seller, label);
  return pdfBytes(doc);
}

const DOT_M = 32;
const DOT_INNER = LABEL_WIDTH_DOTS - 2 * DOT_M;

export function shippingLabelZpl(seller: Seller, label: ShippingLabelData): string {
  const half = DOT_INNER / 2;
  const left = Math.round(DOT_INNER * 0.52);
  const caption = (x: number, y: number, text: string) => zplText(x, y, text, { height: 22, width: half });
  const to = destination(label);
  // \& is a line break inside a ^FB block; the address lines are escaped one by one.
  const address = to.address
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map(zplFieldData)
    .join('\\&');
  return zplLabel([
    caption(DOT_M, 24, 'FROM'),
    zplText(DOT_M, 50, seller.name || '(company name: set it in Settings)', { height: 28, width: left - 16, bold: true }),
    ...sellerLines(seller)
      .slice(0, 4)
      .map((line, index) => zplText(DOT_M, 86 + index * 22, line, { height: 20, width: left - 16 })),
    `^FO${DOT_M + left},24^GB${DOT_INNER - left},150,4^FS`,
    caption(DOT_M + left + 12, 32, 'CARRIER'),
    zplText(DOT_M + left + 12, 60, label.carrierName ?? label.carrierCode ?? 'No carrier', { height: 44, width: DOT_INNER - left - 24, lines: 2, bold: true }),
    `^FO${DOT_M},194^GB${DOT_INNER},3,3^FS`,
    caption(DOT_M, 206, 'SHIP TO'),
    zplText(DOT_M, 232, label.customerName, { height: 54, width: DOT_INNER, bold: true }),
    zplText(DOT_M, 294, to.name ?? '', { height: 42, width: DOT_INNER, bold: true }),
    `^FO${DOT_M},344^A0N,34,32^FB${DOT_INNER},4,4,L,0^FH^FD${address}^FS`,
    `^FO${DOT_M},540^GB${DOT_INNER},3,3^FS`,
    caption(DOT_M, 556, 'INVOICE #'),
    zplText(DOT_M, 582, label.invoiceNumber, { height: 50, width: half - 12, bold: true }),
    caption(DOT_M + half, 556, 'CUSTOMER PO'),
    zplText(DOT_M + half, 582, label.customerPo ?? '-', { height: 40, width: half, bold: true }),
    caption(DOT_M, 650, 'TRUCK DATE'),
    zplText(DOT_M, 676, showDate(label.truckDate), { height: 40, width: half - 12, bold: true }),
    zplBand(DOT_M + half, 640, half, 96, `BOX ${label.boxNumber} OF ${label.boxCount}`, 52),
    zplCode128(DOT_M, 770, label.label, DOT_INNER, 200) ??
      zplText(DOT_M, 850, 'No barcode: Code 128 cannot carry this label.', { height: 28, width: DOT_INNER, align: 'C' }),
    label.label.length <= 20
      ? zplText(DOT_M, 990, label.label, { height: 56, width: DOT_INNER, bold: true, align: 'C' })
      : zplText(DOT_M, 984, label.label, { height: 36, width: DOT_INNER, lines: 2, bold: true, align: 'C' }),
    zplText(DOT_M, 1070, `${label.productName} (${label.productCode}) - ${label.boxType} - ${label.units} units`, {
      height: 26,
      width: DOT_INNER,
      lines: 2,
      align: 'C',
    }),
  ]);
}

export function shippingLabelsZpl(seller: Seller, labels: ShippingLabelData[]): string {
  return labels.map((label) => shippingLabelZpl(seller, label)).join('\n') + '\n';
}
