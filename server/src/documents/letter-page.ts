// What the customer-facing Letter documents (credit memo, statement) print alike: dates as "Feb 10, 2027",
// address lines, the seller's block at the top left and a captioned party box (credit to, bill to).
import type { Seller } from './document-data';
import { fittedLine, printable, type Pdf } from './pdf-document';

export const GREEN = '#1E5631';
export const LIGHT = '#EAF2EC';
export const GREY = '#5F6368';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Feb 10, 2027 (an ISO date); empty for none. */
export function printedDate(iso: string | null): string {
  if (!iso) return '';
  const [year, month, day] = iso.split('-').map(Number);
  return month ? `${MONTHS[month - 1]} ${day}, ${year}` : iso;
}

/** The lines of an address typed with line breaks: blank ones dropped, at most six (the rest joined on the sixth). */
export function addressLines(text: string | null | undefined): string[] {
  const lines = (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.length <= 6 ? lines : [...lines.slice(0, 5), lines.slice(5).join(', ')];
}

/** The seller's name, address, phone and tax ID from (x, y) in a column `width` wide. Returns the y below them. */
export function drawSeller(doc: Pdf, seller: Seller, at: { x: number; y: number; width: number }): number {
  let y = at.y;
  doc.fillColor(GREEN);
  fittedLine(doc, seller.name || 'Stemline', { x: at.x, y, width: at.width, font: 'Helvetica-Bold', max: 15, min: 8 });
  y += 20;
  doc.fillColor('black').font('Helvetica').fontSize(9);
  const lines = [...addressLines(seller.address), seller.phone ? `Phone ${seller.phone}` : '', seller.taxId ? `Tax ID ${seller.taxId}` : ''];
  for (const line of lines.filter(Boolean)) {
    doc.text(printable(line), at.x, y, { width: at.width, lineBreak: false, ellipsis: true });
    y += 12;
  }
  return y;
}

/** A captioned band ("Bill to") over the customer's name, code and billing address, from y. Returns the y below it. */
export function drawPartyBox(
  doc: Pdf,
  caption: string,
  party: { code: string; name: string; billingAddress: string | null },
  at: { x: number; y: number; width: number },
): number {
  let y = at.y;
  doc.rect(at.x, y, at.width, 16).fill(LIGHT);
  doc
    .fillColor(GREEN)
    .font('Helvetica-Bold')
    .fontSize(9)
    .text(caption, at.x + 4, y + 4, { lineBreak: false });
  doc.fillColor('black');
  y += 20;
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(printable(`${party.name} (${party.code})`), at.x + 4, y, { width: at.width - 8, lineBreak: false, ellipsis: true });
  y += 13;
  doc.font('Helvetica').fontSize(9);
  for (const line of addressLines(party.billingAddress)) {
    doc.text(printable(line), at.x + 4, y, { width: at.width - 8, lineBreak: false, ellipsis: true });
    y += 12;
  }
  return y;
}
