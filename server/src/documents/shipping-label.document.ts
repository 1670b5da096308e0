// The 4x6 in shipping label of a box on an invoice: who ships it, to whom, with which carrier, box N of M.
import type { Seller, ShippingLabelData } from './document-data';
import { INCH, captioned, drawCode128, fitFontSize, fittedLine, labelText, newPdf, pdfBytes, printable, showDate } from './pdf-document';
import { LABEL_WIDTH_DOTS, ZPL_FONT0_ADVANCE, wrapLines, zplBand, zplCode128, zplFieldData, zplLabel, zplText } from './zpl';

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

/** Height of the seller block under its FROM caption, down to the rule under the header. */
const SELLER_BLOCK_HEIGHT = 72 - 2 - (M + 8);
const NAME_GAP = 1;
const LINE_GAP = -0.5;

export interface SellerBlock {
  name: string;
  nameSize: number;
  /** The lines under the name (address, phone, tax id), each wrapped at the block's width when too long. */
  lines: string[];
  size: number;
}

/**
 * The seller's name and lines at the largest type that fits `width` x `height`, wrapped, never cut:
 * 7.5 pt down to 6 pt with the address on its own lines, then with the address on one line
 * ("8200 NW 25th Street, Doral, FL 33122"), then smaller still, down to what fits (Settings keeps the
 * name to 200 characters and the address to 500, which fit at 3 pt).
 */
export function sellerBlock(doc: PDFKit.PDFDocument, seller: Seller, width: number, height: number): SellerBlock {
  const name = printable(seller.name || '(company name: set it in Settings)');
  const address = seller.address
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const rest = sellerLines({ ...seller, address: '' });
  const layouts = [sellerLines(seller), [address.join(', '), ...rest].filter(Boolean)].map((lines) => lines.map((line) => printable(line)));
  const measure = (lines: string[], size: number): SellerBlock & { height: number } => {
    const nameSize = Math.min(10, size + 2.5);
    const nameHeight = doc.font('Helvetica-Bold').fontSize(nameSize).heightOfString(name, { width, lineGap: LINE_GAP });
    const linesHeight = lines.length ? doc.font('Helvetica').fontSize(size).heightOfString(lines.join('\n'), { width, lineGap: LINE_GAP }) : 0;
    return { name, nameSize, lines, size, height: nameHeight + NAME_GAP + linesHeight };
  };
  const sizes = (from: number, to: number) => Array.from({ length: Math.round((from - to) / 0.25) + 1 }, (_, i) => from - i * 0.25);
  for (const [layout, from, to] of [
    [layouts[0], 7.5, 6],
    [layouts[1], 7.5, 6],
    [layouts[1], 5.75, 2],
  ] as const) {
    for (const size of sizes(from, to)) {
      const block = measure(layout, size);
      if (block.height <= height) return block;
    }
  }
  return measure(layouts[1], 2);
}

function drawSellerBlock(doc: PDFKit.PDFDocument, block: SellerBlock, x: number, y: number, width: number): void {
  doc.font('Helvetica-Bold').fontSize(block.nameSize).text(block.name, x, y, { width, lineGap: LINE_GAP });
  if (block.lines.length) {
    doc
      .font('Helvetica')
      .fontSize(block.size)
      .text(block.lines.join('\n'), x, doc.y + NAME_GAP, { width, lineGap: LINE_GAP });
  }
}

function drawShippingLabel(doc: PDFKit.PDFDocument, seller: Seller, label: ShippingLabelData): void {
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  const left = INNER * 0.52;
  doc.font('Helvetica').fontSize(7).fillColor('#444444').text('FROM', M, M);
  doc.fillColor('black');
  drawSellerBlock(doc, sellerBlock(doc, seller, left - 6, SELLER_BLOCK_HEIGHT), M, M + 8, left - 6);
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

/**
 * The seller block in ZPL: the name (one line, or two when it does not fit one at 20 dots) and the
 * lines under it in one ^FB block, each line wrapped at spaces, at the largest height from 20 dots
 * down to 12 (1.5 mm) that fits, then with the address on one line. Only a seller past what any
 * address needs (more than about 550 characters) is cut.
 */
export function zplSellerBlock(seller: Seller, x: number, y: number, width: number, height: number): string[] {
  const name = seller.name || '(company name: set it in Settings)';
  const perLine = (h: number, ratio: number) => Math.max(1, Math.floor(width / (h * ratio * ZPL_FONT0_ADVANCE)));
  // One line when it fits at 20 dots or more (zplText sets it smaller than 28 when it must).
  const nameLines = name.length <= perLine(20, 1.05) ? 1 : 2;
  const nameHeight = nameLines === 1 ? 28 : 24;
  const nameField = zplText(x, y, name, { height: nameHeight, width, lines: nameLines, bold: true });
  const top = y + nameLines * nameHeight + 8;
  const room = y + height - top;
  const address = seller.address
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const layouts = [sellerLines(seller), [address.join(', '), ...sellerLines({ ...seller, address: '' })].filter(Boolean)];
  const wrapped = (lines: string[], h: number) => lines.flatMap((line) => wrapLines(line, perLine(h, 0.9), Number.MAX_SAFE_INTEGER));
  let chosen: { lines: string[]; h: number } | null = null;
  for (const layout of layouts) {
    for (let h = 20; h >= 12 && !chosen; h -= 2) if (wrapped(layout, h).length * h <= room) chosen = { lines: wrapped(layout, h), h };
    if (chosen) break;
  }
  const h = chosen?.h ?? 12;
  const fit = Math.max(1, Math.floor(room / h));
  const lines = chosen?.lines ?? wrapLines(layouts[1].join(' '), perLine(12, 0.9), fit);
  if (!lines.length) return [nameField];
  return [nameField, `^FO${x},${top}^A0N,${h},${Math.round(h * 0.9)}^FB${width},${lines.length},0,L,0^FH^FD${lines.map(zplFieldData).join('\\&')}^FS`];
}

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
    ...zplSellerBlock(seller, DOT_M, 50, left - 16, 184 - 50),
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
