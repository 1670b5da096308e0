// The credit memo (US Letter): what a customer is credited, laid out like the customer invoice: the
// seller, bill-to, the credit's number and date, the invoice it credits, its lines, reason and total.
// Never a cost. Each page says "page X of Y" of this memo alone.
import type { Seller } from './document-data';
import { memoLineText, memoTitle, memoTotal, memoUnits, printedMoney, type CreditMemoData } from './credit-memo-data';
import { drawPartyBox, drawSeller, GREEN, GREY, printedDate } from './letter-page';
import { INCH, fittedLine, newPdf, pdfBytes, printable, type Pdf } from './pdf-document';

const WIDTH = 8.5 * INCH;
const HEIGHT = 11 * INCH;
const M = 43;
const INNER = WIDTH - 2 * M;
const BOTTOM = HEIGHT - M - 24;
const RED = '#B3261E';
/** Column x offsets (from the margin) and widths: line, description, units, per unit, amount. */
const COLS = { no: [0, 26], text: [26, 286], units: [312, 78], per: [390, 66], amount: [456, INNER - 456] } as const;

function companyDate(instant: string, timeZone: string): string {
  const format = (zone: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant));
  try {
    return format(timeZone || 'UTC');
  } catch {
    return format('UTC');
  }
}

function tableHeader(doc: Pdf, y: number): number {
  doc.rect(M, y, INNER, 18).fill(GREEN);
  doc.fillColor('white').font('Helvetica-Bold').fontSize(9);
  const head = (key: keyof typeof COLS, text: string, align: 'left' | 'right' = 'left') =>
    doc.text(text, M + COLS[key][0] + 4, y + 5, { width: COLS[key][1] - 8, align, lineBreak: false });
  head('no', '#');
  head('text', 'Description');
  head('units', 'Units', 'right');
  head('per', 'Per unit', 'right');
  head('amount', 'Amount', 'right');
  doc.fillColor('black');
  return y + 20;
}

/** The heading of the first page: seller left, the memo's facts right, then bill-to. Returns where the lines start. */
function firstHeader(doc: Pdf, seller: Seller, memo: CreditMemoData): number {
  const left = drawSeller(doc, seller, { x: M, y: M, width: INNER * 0.5 });
  const title = memoTitle(memo.status);
  doc
    .font('Helvetica-Bold')
    .fontSize(title.length > 14 ? 15 : 20)
    .fillColor(memo.status === 'APPROVED' ? GREEN : RED)
    .text(title, M + INNER * 0.4, M - 2, { width: INNER * 0.6, align: 'right', lineBreak: false });
  doc.fillColor('black');
  const invoiceDate = memo.invoice?.invoicedAt ? printedDate(companyDate(memo.invoice.invoicedAt, memo.timeZone)) : '';
  const facts: Array<[string, string]> = [
    ['Credit #', memo.number],
    ['Credit date', printedDate(memo.date)],
    ['Invoice #', memo.invoice?.number ?? 'none (stands alone)'],
    ...(memo.invoice ? ([['Invoice date', invoiceDate]] as Array<[string, string]>) : []),
    ...(memo.invoice?.customerPo ? ([['Customer PO', memo.invoice.customerPo]] as Array<[string, string]>) : []),
    ['Reason', memo.reason ? memo.reason.name : ''],
  ];
  let right = M + 28;
  for (const [caption, value] of facts) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(GREY)
      .text(caption, M + INNER * 0.45, right, { width: INNER * 0.25 - 6, align: 'right', lineBreak: false });
    doc.fillColor('black');
    fittedLine(doc, value, {
      x: M + INNER * 0.7,
      y: right,
      width: INNER * 0.3,
      font: caption === 'Credit #' || caption === 'Invoice #' ? 'Helvetica-Bold' : 'Helvetica',
      max: 9,
      min: 6,
      align: 'right',
    });
    right += 13;
  }
  let y = Math.max(left, right) + 12;
  y = drawPartyBox(doc, 'Credit to', memo.customer, { x: M, y, width: INNER });
  return tableHeader(doc, y + 10);
}

function continuedHeader(doc: Pdf, memo: CreditMemoData): number {
  doc
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(`${memoTitle(memo.status)} ${memo.number} (continued)`, M, M, { width: INNER, lineBreak: false });
  return tableHeader(doc, M + 24);
}

/** The credit memo as a PDF. */
export function creditMemoPdf(seller: Seller, memo: CreditMemoData): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: `Credit memo ${memo.number}`, bufferPages: true });
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  let y = firstHeader(doc, seller, memo);
  const [tx, tw] = COLS.text;
  memo.lines.forEach((line, index) => {
    const words = memoLineText(line);
    const text = printable(words.title);
    const detail = printable(words.detail);
    doc.font('Helvetica').fontSize(9);
    const height = Math.max(16, doc.heightOfString(text, { width: tw - 8 }) + (detail ? 11 : 0) + 6);
    if (y + height > BOTTOM) {
      doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
      y = continuedHeader(doc, memo);
    }
    if (index % 2 === 1) doc.rect(M, y - 2, INNER, height).fill('#F7F7F7');
    doc.fillColor('black').font('Helvetica').fontSize(9);
    doc.text(String(line.lineNo), M + COLS.no[0] + 4, y + 2, { width: COLS.no[1] - 8, lineBreak: false });
    doc.text(text, M + tx + 4, y + 2, { width: tw - 8 });
    if (detail) {
      doc
        .fontSize(8)
        .fillColor(GREY)
        .text(detail, M + tx + 4, doc.y + 1, { width: tw - 8, lineBreak: false, ellipsis: true });
      doc.fillColor('black').fontSize(9);
    }
    const cell = (key: 'units' | 'per' | 'amount', value: string) =>
      doc.text(value, M + COLS[key][0] + 4, y + 2, { width: COLS[key][1] - 8, align: 'right', lineBreak: false });
    cell('units', memoUnits(line));
    cell('per', line.kind === 'AMOUNT' ? '' : printedMoney(line.amountPerUnit));
    cell('amount', printedMoney(line.amount));
    y += height;
    doc
      .moveTo(M, y - 2)
      .lineTo(M + INNER, y - 2)
      .lineWidth(0.4)
      .strokeColor('#9AA0A6')
      .stroke()
      .strokeColor('black');
  });
  const notes = memo.notes ? printable(`Notes: ${memo.notes}`) : '';
  doc.font('Helvetica').fontSize(9);
  const tail = 60 + (notes ? doc.heightOfString(notes, { width: INNER }) + 8 : 0);
  if (y + tail > BOTTOM) {
    doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
    y = M;
  }
  y += 4;
  doc
    .moveTo(M, y)
    .lineTo(M + INNER, y)
    .lineWidth(1.2)
    .stroke();
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(`${memo.lines.length} line${memo.lines.length === 1 ? '' : 's'}`, M + 4, y + 6, { lineBreak: false });
  doc.text('Total credit', M + COLS.per[0] - 60, y + 6, { width: COLS.per[1] + 56, align: 'right', lineBreak: false });
  doc.text(printedMoney(memoTotal(memo.lines)), M + COLS.amount[0] + 4, y + 6, { width: COLS.amount[1] - 8, align: 'right', lineBreak: false });
  y += 28;
  doc.font('Helvetica').fontSize(9).fillColor('black');
  if (notes) {
    doc.text(notes, M, y, { width: INNER });
    y = doc.y + 8;
  }
  const applied =
    memo.status === 'APPROVED'
      ? memo.invoice
        ? `This credit is taken off what is owed on invoice ${memo.invoice.number}.`
        : 'This credit is taken off your account balance.'
      : memo.status === 'PENDING'
        ? 'This credit is requested and not yet approved: it changes nothing owed until it is.'
        : `This credit is ${memo.status.toLowerCase()}: it changes nothing owed.`;
  doc.fillColor(GREY).text(applied, M, y, { width: INNER });
  doc.fillColor('black');
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(`${memo.number} · page ${page + 1} of ${range.count}`, M, HEIGHT - M - 10, { width: INNER, align: 'right', lineBreak: false });
    doc.fillColor('black');
  }
  doc.flushPages();
  return pdfBytes(doc);
}
