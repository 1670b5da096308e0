import PDFDocument from 'pdfkit';
import { code128Bars } from './barcode';

export type Pdf = PDFKit.PDFDocument;

/** Points per inch: 4x6 in is 288 x 432 pt. */
export const INCH = 72;

export function newPdf(options: { size: [number, number]; title: string; bufferPages?: boolean }): Pdf {
  return new PDFDocument({
    size: options.size,
    margin: 0,
    autoFirstPage: false,
    bufferPages: options.bufferPages ?? false,
    info: { Title: options.title, Creator: 'Stemline', Producer: 'Stemline (pdfkit)' },
  });
}

/** Ends the document and resolves with its bytes. */
export function pdfBytes(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard PDF fonts (WinAnsi) can show: Latin-1 and a few more; anything else loses its
 * accent when it has one (NFKD) or becomes "?", rather than printing as garbage.
 */
export function printable(text: string | null | undefined): string {
  if (!text) return '';
  let out = '';
  for (const char of text.replace(/[\r\t]/g, ' ')) {
    const code = char.codePointAt(0)!;
    if (char === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char)) out += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else {
      const base = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += base && [...base].every((c) => c.charCodeAt(0) <= 0xff) ? base : '?';
    }
  }
  return out;
}

/** Draws a Code 128 symbol of `text` centred in the box, its module at most `maxModule` pt. False when the text has no Code 128 form. */
export function drawCode128(doc: Pdf, text: string, box: { x: number; y: number; width: number; height: number; maxModule?: number }): boolean {
  const symbol = code128Bars(text);
  if (!symbol) return false;
  const module = Math.min(box.maxModule ?? 3, box.width / symbol.modules);
  const left = box.x + (box.width - symbol.modules * module) / 2;
  doc.save();
  for (const bar of symbol.bars) doc.rect(left + bar.x * module, box.y, bar.width * module, box.height);
  doc.fill('black');
  doc.restore();
  return true;
}

/** The largest font size up to `max` at which `text` fits `width` on one line (never below `min`). */
export function fitFontSize(doc: Pdf, text: string, font: string, width: number, max: number, min = 6): number {
  doc.font(font).fontSize(max);
  const natural = doc.widthOfString(text);
  if (natural <= width) return max;
  return Math.max(min, Math.floor(((max * width) / natural) * 10) / 10);
}

/** One line of text shrunk to fit the width (cut with an ellipsis below `min`). */
export function fittedLine(
  doc: Pdf,
  text: string,
  at: { x: number; y: number; width: number; font: string; max: number; min?: number; align?: 'left' | 'center' | 'right' },
): number {
  const shown = printable(text);
  const size = fitFontSize(doc, shown, at.font, at.width, at.max, at.min);
  doc
    .font(at.font)
    .fontSize(size)
    .text(shown, at.x, at.y, { width: at.width, lineBreak: false, ellipsis: true, align: at.align ?? 'left' });
  return size;
}

/** A small grey caption above a value, the way warehouse labels name their fields. */
export function captioned(doc: Pdf, caption: string, value: string, at: { x: number; y: number; width: number; size: number; bold?: boolean }): void {
  doc.font('Helvetica').fontSize(7).fillColor('#444444').text(caption.toUpperCase(), at.x, at.y, { width: at.width, lineBreak: false });
  doc.fillColor('black');
  fittedLine(doc, value || '-', {
    x: at.x,
    y: at.y + 8,
    width: at.width,
    font: at.bold === false ? 'Helvetica' : 'Helvetica-Bold',
    max: at.size,
    min: Math.min(at.size, 8),
  });
}

/** "2027-02-10 Wed": the ISO date a computer reads, and the weekday a loader thinks in. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const day = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return iso;
  return `${iso} ${day.toLocaleDateString('en-US', { weekday: 'short', timeZone: 'UTC' })}`;
}

/**
 * A box label in large type: one line when it fits at 60 % of `max` or more, else two lines, never cut
 * (a clerk must be able to type it when the barcode is damaged).
 */
export function labelText(doc: Pdf, label: string, at: { x: number; y: number; width: number; max: number }): void {
  const shown = printable(label);
  const oneLine = fitFontSize(doc, shown, 'Helvetica-Bold', at.width, at.max, 4);
  if (oneLine >= at.max * 0.6) {
    doc.font('Helvetica-Bold').fontSize(oneLine).text(shown, at.x, at.y, { width: at.width, align: 'center', lineBreak: false });
    return;
  }
  const size = Math.min(at.max * 0.6, fitFontSize(doc, shown, 'Helvetica-Bold', at.width * 1.9, at.max, 6));
  const half = Math.ceil(shown.length / 2);
  doc
    .font('Helvetica-Bold')
    .fontSize(size)
    .text(`${shown.slice(0, half)}\n${shown.slice(half)}`, at.x, at.y, { width: at.width, align: 'center', lineGap: -1 });
}
