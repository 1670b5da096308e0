// The shipping label's seller block (FROM): every word of the seller's name, address, phone and tax
// id printed inside the block, wrapped or in smaller type, never cut, for the demo company and for a
// long name and address; read back from the PDF's words and their boxes (pdftotext -bbox) and from
// the ZPL's fields.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shippingLabel } from '../../../docs/make-pictures';
import type { Seller } from '../../../server/src/documents/document-data';
import { shippingLabelsPdf, shippingLabelZpl } from '../../../server/src/documents/shipping-label.document';
import { parseZpl } from '../../support/documents';

const DEMO: Seller = {
  name: 'Stemline Demo Flowers, Inc.',
  address: '8200 NW 25th Street\nDoral, FL 33122\nUSA',
  phone: '+1 305 555 0142',
  taxId: 'EIN 59-1234567',
};
const LONG: Seller = {
  name: 'Stemline Demo Wholesale Florists and Event Decorators of South Florida, LLC',
  address: 'Building C, Dock Doors 14-18\n8200 Northwest Twenty-Fifth Street, Suite 104\nDoral (Miami-Dade County), FL 33122-1504\nUnited States of America',
  phone: '+1 305 555 0142 ext. 2201 (orders), +1 305 555 0143 (accounts)',
  taxId: 'EIN 59-1234567',
};
// Settings' limits: a 200-character name and a 500-character address.
const LONGEST: Seller = {
  name: 'Stemline Demo Wholesale Florists '.repeat(7).slice(0, 200),
  address: Array.from({ length: 10 }, (_, i) => `Line ${i + 1} of a long address, Doral FL 33122`)
    .join('\n')
    .slice(0, 500),
  phone: '+1 305 555 0142 ext. 2201 (orders), +1 305 555 0143 (accounts)',
  taxId: 'EIN 59-1234567',
};

/** The 4x6 in label's FROM block: 12 pt margin, 52 % of the inner width less 6 pt, down to the rule at 72 pt. */
const BLOCK = { left: 12, right: 12 + (288 - 24) * 0.52 - 6, top: 12, bottom: 72 };

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

function pdfWordBoxes(pdf: Buffer): Word[] {
  const html = execFileSync('pdftotext', ['-bbox', '-', '-'], { input: pdf, encoding: 'utf8' });
  const unescape = (text: string) =>
    text
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'");
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: unescape(m[5]),
  }));
}

const words = (...texts: string[]) => texts.join(' ').split(/\s+/).filter(Boolean);
const sellerWords = (seller: Seller, join: string) =>
  words(
    seller.name,
    seller.address
      .split('\n')
      .map((l) => l.trim())
      .join(join),
    `Tel ${seller.phone}`,
    `Tax ID ${seller.taxId}`,
  );

describe('the shipping label seller block', () => {
  it.each([
    ['the demo company', DEMO],
    ['a long name and address', LONG],
    ['the longest name and address Settings take', LONGEST],
  ])('prints every word of %s inside its box, without an ellipsis (PDF)', async (_, seller) => {
    const pdf = await shippingLabelsPdf(seller, [shippingLabel]);
    const all = pdfWordBoxes(pdf);
    expect(all.map((w) => w.text).join(' ')).not.toMatch(/…|\.\.\./);
    // The words that start in the left column above the rule are FROM and the seller, in order, all of them.
    const block = all.filter((w) => w.xMin < BLOCK.right && w.yMin < BLOCK.bottom);
    const shown = block.map((w) => w.text);
    expect([
      ['FROM', ...sellerWords(seller, ' ')],
      ['FROM', ...sellerWords(seller, ', ')],
    ]).toContainEqual(shown);
    for (const word of block) {
      expect(word.xMin, word.text).toBeGreaterThanOrEqual(BLOCK.left - 0.5);
      expect(word.xMax, word.text).toBeLessThanOrEqual(BLOCK.right + 0.5);
      expect(word.yMin, word.text).toBeGreaterThanOrEqual(BLOCK.top - 0.5);
      expect(word.yMax, word.text).toBeLessThanOrEqual(BLOCK.bottom);
    }
    // No seller word anywhere else on the label (nothing spilled below the rule or into the carrier box).
    const elsewhere = all.filter((w) => !block.includes(w)).map((w) => w.text);
    expect(elsewhere).not.toContain('Tel');
    expect(elsewhere).not.toContain('59-1234567');
  });

  it('prints the demo company in 6 pt type or larger, its phone and tax id whole', async () => {
    const pdf = await shippingLabelsPdf(DEMO, [shippingLabel]);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
    expect(text).toContain('Tel +1 305 555 0142\n');
    expect(text).toContain('Tax ID EIN 59-1234567');
    const phone = pdfWordBoxes(pdf).find((w) => w.text === '0142')!;
    // A word's box is about the font size tall.
    expect(phone.yMax - phone.yMin).toBeGreaterThanOrEqual(6);
  });

  it.each([
    ['the demo company', DEMO],
    ['a long name and address', LONG],
  ])('prints every line of %s in ZPL, none cut, above the rule under the header', (_, seller) => {
    const zpl = shippingLabelZpl(seller, shippingLabel);
    const [label] = parseZpl(zpl);
    const texts = label.texts.join(' ');
    expect(texts).not.toContain('...');
    for (const word of sellerWords(seller, ' ')) expect(texts).toContain(word.replace(/,$/, ''));
    expect(texts).toContain(`Tel ${seller.phone}`.split(' ').slice(0, 3).join(' '));
    // The block under the name: its lines times their height end above the rule at 194 dots.
    const [, y, h, lines] = /\^FO32,(\d+)\^A0N,(\d+),\d+\^FB\d+,(\d+),0,L,0\^FH\^FD[^^]*Tax ID/.exec(zpl)!.map(Number);
    expect(y + h * lines).toBeLessThanOrEqual(184);
    expect(h).toBeGreaterThanOrEqual(12);
  });
});
