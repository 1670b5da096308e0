// The customer statement (US Letter): the seller, bill-to, the period, the opening balance, the period's
// invoices, credits, payments, reversals and charges with a running balance (Balance Forward) or what is
// open at its end (Open Items), the closing balance and the aging line. Never a cost. Each page says
// "page X of Y" of this statement alone.
import type { Seller } from './document-data';
import { printedMoney } from './credit-memo-data';
import { drawPartyBox, drawSeller, GREEN, GREY, LIGHT, printedDate } from './letter-page';
import { INCH, fittedLine, newPdf, pdfBytes, printable, type Pdf } from './pdf-document';

export interface StatementDocumentData {
  type: 'BALANCE_FORWARD' | 'OPEN_ITEMS';
  from: string;
  to: string;
  customer: { code: string; name: string; billingAddress: string | null; paymentTermsDays: number };
  openingBalance: string;
  charges: string;
  credits: string;
  closingBalance: string;
  lines: Array<{
    kind: string;
    date: string | null;
    number: string;
    description: string;
    dueDate: string | null;
    amount: string;
    openAmount: string | null;
    balance: string | null;
  }>;
  aging: Record<'current' | 'days1To30' | 'days31To60' | 'days61To90' | 'days91To120' | 'over120' | 'unapplied' | 'priorBalance' | 'balance', string>;
}

const WIDTH = 8.5 * INCH;
const HEIGHT = 11 * INCH;
const M = 40;
const INNER = WIDTH - 2 * M;
const BOTTOM = HEIGHT - M - 24;

type Column = { key: string; title: string; x: number; w: number; right?: boolean };

function columns(type: StatementDocumentData['type']): Column[] {
  const common: Column[] = [
    { key: 'date', title: 'Date', x: 0, w: 66 },
    { key: 'number', title: 'Number', x: 66, w: 72 },
    { key: 'description', title: 'Description', x: 138, w: 178 },
    { key: 'due', title: 'Due', x: 316, w: 66 },
  ];
  if (type === 'BALANCE_FORWARD')
    return [
      ...common,
      { key: 'charges', title: 'Charges', x: 382, w: 49, right: true },
      { key: 'credits', title: 'Credits', x: 431, w: 50, right: true },
      { key: 'balance', title: 'Balance', x: 481, w: INNER - 481, right: true },
    ];
  return [...common, { key: 'amount', title: 'Amount', x: 382, w: 74, right: true }, { key: 'open', title: 'Open', x: 456, w: INNER - 456, right: true }];
}

function tableHeader(doc: Pdf, y: number, cols: Column[]): number {
  doc.rect(M, y, INNER, 18).fill(GREEN);
  doc.fillColor('white').font('Helvetica-Bold').fontSize(8.5);
  for (const c of cols) doc.text(c.title, M + c.x + 3, y + 5, { width: c.w - 6, align: c.right ? 'right' : 'left', lineBreak: false });
  doc.fillColor('black');
  return y + 20;
}

function title(data: StatementDocumentData): string {
  return data.type === 'OPEN_ITEMS' ? 'STATEMENT (OPEN ITEMS)' : 'STATEMENT';
}

function firstHeader(doc: Pdf, seller: Seller, data: StatementDocumentData): number {
  const left = drawSeller(doc, seller, { x: M, y: M, width: INNER * 0.5 });
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .fillColor(GREEN)
    .text(title(data), M + INNER * 0.4, M - 2, { width: INNER * 0.6, align: 'right', lineBreak: false });
  const days = data.customer.paymentTermsDays;
  const facts: Array<[string, string]> = [
    ['Statement date', printedDate(data.to)],
    data.type === 'OPEN_ITEMS' ? ['Open as of', printedDate(data.to)] : ['Period', `${printedDate(data.from)} – ${printedDate(data.to)}`],
    ['Customer #', data.customer.code],
    ['Terms', days > 0 ? `Net ${days}` : 'Due on receipt'],
    ['Balance due', printedMoney(data.closingBalance)],
  ];
  let right = M + 28;
  for (const [caption, value] of facts) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(GREY)
      .text(caption, M + INNER * 0.4, right, { width: INNER * 0.25 - 6, align: 'right', lineBreak: false });
    doc.fillColor('black');
    fittedLine(doc, value, {
      x: M + INNER * 0.65,
      y: right,
      width: INNER * 0.35,
      font: caption === 'Balance due' ? 'Helvetica-Bold' : 'Helvetica',
      max: 9,
      min: 6,
      align: 'right',
    });
    right += 13;
  }
  let y = Math.max(left, right) + 10;
  y = drawPartyBox(doc, 'Bill to', data.customer, { x: M, y, width: INNER });
  y += 8;
  if (data.type === 'BALANCE_FORWARD') {
    const summary: Array<[string, string]> = [
      ['Opening balance', data.openingBalance],
      ['Charges', data.charges],
      ['Payments and credits', data.credits],
      ['Closing balance', data.closingBalance],
    ];
    const w = INNER / summary.length;
    summary.forEach(([caption, value], i) => {
      doc
        .font('Helvetica')
        .fontSize(8)
        .fillColor(GREY)
        .text(caption, M + i * w, y, { width: w - 6, align: 'center', lineBreak: false });
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .fillColor('black')
        .text(printedMoney(value), M + i * w, y + 11, { width: w - 6, align: 'center', lineBreak: false });
    });
    y += 32;
  }
  return tableHeader(doc, y, columns(data.type));
}

function cells(line: StatementDocumentData['lines'][number], type: StatementDocumentData['type']): Record<string, string> {
  const negative = line.amount.startsWith('-');
  const base = {
    date: line.date ? printedDate(line.date) : '',
    number: line.number,
    description: line.description,
    due: line.dueDate ? printedDate(line.dueDate) : '',
  };
  if (type === 'BALANCE_FORWARD')
    return {
      ...base,
      charges: negative ? '' : printedMoney(line.amount),
      credits: negative ? printedMoney(line.amount.slice(1)) : '',
      balance: printedMoney(line.balance),
    };
  return { ...base, amount: printedMoney(line.amount), open: printedMoney(line.openAmount) };
}

/** The aging line: what is owed at the period's end by days past due, then what is not applied and the balance due. */
function agingLine(doc: Pdf, y: number, data: StatementDocumentData): number {
  const a = data.aging;
  const entries: Array<[string, string]> = [
    ['Current', a.current],
    ['1–30', a.days1To30],
    ['31–60', a.days31To60],
    ['61–90', a.days61To90],
    ['91–120', a.days91To120],
    ['121+', a.over120],
    ...(a.priorBalance !== '0.00' ? ([['Prior balance', a.priorBalance]] as Array<[string, string]>) : []),
    ['Unapplied', a.unapplied === '0.00' ? a.unapplied : `-${a.unapplied}`.replace('--', '')],
    ['Balance due', a.balance],
  ];
  doc
    .font('Helvetica-Bold')
    .fontSize(9)
    .fillColor(GREEN)
    .text(`Aging as of ${printedDate(data.to)} (days past due)`, M, y, { lineBreak: false });
  y += 13;
  const w = INNER / entries.length;
  doc.rect(M, y, INNER, 15).fill(LIGHT);
  entries.forEach(([caption, value], i) => {
    doc
      .fillColor(GREEN)
      .font('Helvetica-Bold')
      .fontSize(8)
      .text(caption, M + i * w + 2, y + 4, { width: w - 4, align: 'right', lineBreak: false });
    doc
      .fillColor('black')
      .font(i === entries.length - 1 ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9)
      .text(printedMoney(value), M + i * w + 2, y + 19, { width: w - 4, align: 'right', lineBreak: false });
  });
  return y + 34;
}

/** The statement as a PDF. */
export function statementPdf(seller: Seller, data: StatementDocumentData): Promise<Buffer> {
  const doc = newPdf({ size: [WIDTH, HEIGHT], title: `Statement ${data.customer.code} ${data.to}`, bufferPages: true });
  doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
  const cols = columns(data.type);
  let y = firstHeader(doc, seller, data);
  if (data.type === 'BALANCE_FORWARD') {
    doc
      .font('Helvetica-Oblique')
      .fontSize(8.5)
      .text(`Balance forward on ${printedDate(data.from)}`, M + 141, y + 2, { lineBreak: false });
    doc.font('Helvetica-Bold').text(printedMoney(data.openingBalance), M + cols[cols.length - 1].x + 3, y + 2, {
      width: cols[cols.length - 1].w - 6,
      align: 'right',
      lineBreak: false,
    });
    y += 16;
  }
  const description = cols.find((c) => c.key === 'description')!;
  data.lines.forEach((line, index) => {
    const values = cells(line, data.type);
    doc.font('Helvetica').fontSize(8.5);
    const text = printable(values.description);
    const height = Math.max(15, doc.heightOfString(text, { width: description.w - 6 }) + 5);
    if (y + height > BOTTOM) {
      doc.addPage({ size: [WIDTH, HEIGHT], margin: 0 });
      doc
        .font('Helvetica-Bold')
        .fontSize(12)
        .fillColor('black')
        .text(`${title(data)} ${data.customer.code} (continued)`, M, M, { width: INNER, lineBreak: false });
      y = tableHeader(doc, M + 24, cols);
    }
    if (index % 2 === 1) doc.rect(M, y - 2, INNER, height).fill('#F7F7F7');
    doc.fillColor('black').font('Helvetica').fontSize(8.5);
    for (const c of cols) {
      const value = c.key === 'description' ? text : printable(values[c.key] ?? '');
      doc.text(
        value,
        M + c.x + 3,
        y + 2,
        c.key === 'description' ? { width: c.w - 6 } : { width: c.w - 6, align: c.right ? 'right' : 'left', lineBreak: false },
      );
    }
    y += height;
  });
  if (!data.lines.length) {
    doc
      .font('Helvetica-Oblique')
      .fontSize(9)
      .fillColor(GREY)
      .text(data.type === 'OPEN_ITEMS' ? 'Nothing open.' : 'No activity in this period.', M + 4, y + 2, { lineBreak: false });
    doc.fillColor('black');
    y += 16;
  }
  if (y + 96 > BOTTOM) {
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
    .text(data.type === 'OPEN_ITEMS' ? 'Balance due' : 'Closing balance', M + 4, y + 6, { lineBreak: false });
  doc.text(printedMoney(data.closingBalance), M + INNER - 150, y + 6, { width: 147, align: 'right', lineBreak: false });
  y = agingLine(doc, y + 28, data);
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(GREY)
    .text('Please quote your customer number with your payment. Thank you for your business.', M, y + 6, { width: INNER });
  doc.fillColor('black');
  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(`Statement ${data.customer.code} ${data.to} · page ${page + 1} of ${range.count}`, M, HEIGHT - M - 10, {
        width: INNER,
        align: 'right',
        lineBreak: false,
      });
    doc.fillColor('black');
  }
  doc.flushPages();
  return pdfBytes(doc);
}
