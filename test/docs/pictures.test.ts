// The warehouse guide's pictures of the documents are what the code prints: the same text and the same
// barcodes (docs/pictures.json, written by npm run docs:pictures beside the PNGs). Compared as text
// and decoded barcodes, never as PNG bytes, so the test passes whatever poppler and fonts a Debian
// machine draws the pixels with, and fails when a document says or encodes something else.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePictures, pdfWords, pictureDocuments, seller, shippingLabel, type PictureFacts } from '../../docs/make-pictures';
import { shippingLabelsPdf } from '../../server/src/documents/shipping-label.document';
import { decodeBarcodes, pdfBarcodes } from '../support/documents';

const REFRESH = 'npm run docs:pictures';
const committedFacts = (): PictureFacts => JSON.parse(fs.readFileSync('docs/pictures.json', 'utf8')) as PictureFacts;

function pngSize(file: string): [number, number] {
  const buffer = fs.readFileSync(file);
  expect(buffer.subarray(1, 4).toString('latin1'), file).toBe('PNG');
  return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
}

describe("the guides' pictures of the documents", () => {
  it('say what the current code prints, and their barcodes scan as what it encodes', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-pictures-'));
    try {
      const fresh = await makePictures(out);
      const facts = JSON.parse(fs.readFileSync(path.join(out, 'pictures.json'), 'utf8')) as PictureFacts;
      expect(fs.existsSync('docs/pictures.json'), `docs/pictures.json is missing: ${REFRESH}`).toBe(true);
      expect(facts, `docs/pictures.json is not what the code prints now: ${REFRESH}`).toEqual(committedFacts());
      for (const file of fresh) {
        const committed = path.join('docs', path.basename(file));
        expect(fs.existsSync(committed), `${committed} is missing: ${REFRESH}`).toBe(true);
        // Same page size and resolution: a size in pixels is the page's, whatever draws it.
        expect(pngSize(committed), `${committed} is not the size the code prints now: ${REFRESH}`).toEqual(pngSize(file));
      }
      // The labels' barcodes scan, in the pictures just drawn and in the committed ones, as what the code encodes.
      const labels = ['box-label.png', 'shipping-label.png'];
      const encoded = labels.map((name) => facts[name].barcodes.map((data) => `CODE-128:${data}`));
      expect(encoded).toEqual([['CODE-128:B-000123'], ['CODE-128:B-000123']]);
      expect(decodeBarcodes(labels.map((name) => path.join(out, name)))).toEqual(encoded);
      expect(decodeBarcodes(labels.map((name) => path.join('docs', name))), `the committed label pictures do not scan as the code encodes: ${REFRESH}`).toEqual(
        encoded,
      );
      // The pick ticket's picture is small; its PDF scans, every box on the first page.
      const ticket = (await pictureDocuments()).find((document) => document.name === 'pick-ticket.png')!;
      expect(pdfBarcodes(ticket.pdf, 200)[0].sort()).toEqual(facts['pick-ticket.png'].barcodes.map((data) => `CODE-128:${data}`).sort());
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    const guide = fs.readFileSync('docs/warehouse.md', 'utf8');
    for (const name of ['box-label.png', 'shipping-label.png', 'pick-ticket.png']) expect(guide).toContain(`(${name})`);
    expect(fs.readFileSync('README.md', 'utf8')).toContain(REFRESH);
  }, 60_000);

  it('tells a label that says or encodes something else from the committed one', async () => {
    const committed = committedFacts()['shipping-label.png'];
    const said = pdfWords(await shippingLabelsPdf(seller, [{ ...shippingLabel, customerPo: 'FM-7782' }]));
    expect(said).not.toEqual(committed.text);
    expect(said.join(' ')).toContain('FM-7782');
    const encoded = pdfBarcodes(await shippingLabelsPdf(seller, [{ ...shippingLabel, label: 'B-000124' }]));
    expect(encoded).toEqual([['CODE-128:B-000124']]);
    expect(encoded[0]).not.toEqual(committed.barcodes.map((data) => `CODE-128:${data}`));
  });
});
