// The document layouts on their own (no server): what a page holds, how a long ticket breaks, what scans.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { boxLabelsPdf, boxLabelZpl } from '../../../server/src/documents/box-label.document';
import { code128Bars } from '../../../server/src/documents/barcode';
import type { BoxLabelData, PickTicketData } from '../../../server/src/documents/document-data';
import { pickTicketPdf } from '../../../server/src/documents/pick-ticket.document';
import { LABEL_WIDTH_DOTS } from '../../../server/src/documents/zpl';
import { boxLabel, pickTicket, seller } from '../../../docs/make-pictures';
import { parseZpl, pdfBarcodes } from '../../support/documents';

const pageTexts = (body: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' }).split('\f').slice(0, -1);

describe('pick ticket', () => {
  it('breaks a long ticket into pages by location: every box once, headings repeated, page X of Y', async () => {
    const boxes = Array.from({ length: 30 }, (_, i) => ({
      ...pickTicket.boxes[0],
      location: i < 18 ? 'MIA' : 'NYC',
      locationName: i < 18 ? 'Miami warehouse' : 'New York cross-dock',
      label: `B-${String(500 + i).padStart(6, '0')}`,
    }));
    const ticket: PickTicketData = { ...pickTicket, boxes };
    const body = await pickTicketPdf(seller, ticket);
    const pages = pdfBarcodes(body, 200);
    expect(pages.flat().sort()).toEqual(boxes.map((box) => `CODE-128:${box.label}`).sort());
    const texts = pageTexts(body);
    expect(texts.length).toBe(pages.length);
    expect(texts.length).toBeGreaterThan(2);
    texts.forEach((text, index) => {
      expect(text).toContain(`INV-000031 · page ${index + 1} of ${texts.length}`);
      expect(text).toContain('LOCATION');
    });
    expect(texts[0]).toContain('30 / 3000');
    expect(texts.at(-1)).toContain('Picked by');
    // Boxes listed by location (MIA first), then label, as the text reads down the pages.
    const all = texts.join('\n');
    const positions = boxes.map((box) => all.indexOf(box.label));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(all.indexOf('LOCATION NYC')).toBeGreaterThan(positions[17]);
    expect(all.indexOf('LOCATION NYC')).toBeLessThan(positions[18]);
  });

  it('warns not to pick a void invoice', async () => {
    expect(pageTexts(await pickTicketPdf(seller, { ...pickTicket, status: 'VOID' }))[0]).toContain('VOID INVOICE: DO NOT PICK');
  });
});

describe('box label', () => {
  const variants: Array<[string, BoxLabelData, string]> = [
    ['presold', boxLabel, 'PRESOLD: FreshMart Supermarkets'],
    ['reserved', { ...boxLabel, prebookNumbers: [], truckDate: null }, 'RESERVED: FreshMart Supermarkets'],
    ['open market', { ...boxLabel, customer: null, prebookNumbers: [], truckDate: null }, 'OPEN MARKET'],
  ];
  it.each(variants)('says whose box it is (%s)', async (_, box, expected) => {
    const body = await boxLabelsPdf([box]);
    expect(pageTexts(body)[0]).toContain(expected);
    expect(parseZpl(boxLabelZpl(box))[0].texts).toContain(expected);
  });

  it('prints the longest label a box may have in full, and its barcode scans at 300 dpi', async () => {
    const label = 'FARM-2027-0000012345-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';
    const body = await boxLabelsPdf([{ ...boxLabel, label }]);
    expect(pdfBarcodes(body, 300)).toEqual([[`CODE-128:${label}`]]);
    expect(pageTexts(body)[0].replace(/\s+/g, '')).toContain(label);
  });

  it('keeps the ZPL barcode, quiet zones included, inside the 812-dot label', () => {
    for (const label of ['B-1', 'B-000123', 'X'.repeat(30), 'FARM-2027-0000012345-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789']) {
      const zpl = boxLabelZpl({ ...boxLabel, label });
      const [, x, module] = /\^FO(\d+),\d+\^BY(\d+),\d+,\d+\^BC/.exec(zpl)!.map(Number);
      const { modules } = code128Bars(label)!;
      expect(x - 10 * Number(module), label).toBeGreaterThanOrEqual(0);
      expect(x - 10 * Number(module) + modules * Number(module), label).toBeLessThanOrEqual(LABEL_WIDTH_DOTS);
    }
  });
});
