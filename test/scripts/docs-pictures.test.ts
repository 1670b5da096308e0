import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { customerInvoiceSheet } from '../../addin/sheets/customer-invoice.document';
import { demoInvoice, invoicePicture } from '../../scripts/docs-pictures';
import { PANE_WIDTH, SCALE, TASKPANE_PICTURES } from '../../scripts/taskpane-screenshots';

function pngSize(file: string): [number, number] {
  const buffer = fs.readFileSync(file);
  expect(buffer.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [buffer.readUInt32BE(16), buffer.readUInt32BE(20)];
}

describe('npm run docs:pictures', () => {
  it('draws the printed customer invoice as a Letter page, the picture the sales and accounting guide shows', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-'));
    const file = await invoicePicture(out);
    // 8.5 x 11 inches at 90 dpi.
    expect(pngSize(file)).toEqual([765, 990]);
    expect(fs.readFileSync('docs/sales-and-accounting.md', 'utf8')).toContain('](invoice.png)');
    expect(fs.readFileSync('README.md', 'utf8')).toContain('npm run docs:pictures');
    expect(pngSize('docs/invoice.png')).toEqual([765, 990]);
    fs.rmSync(out, { recursive: true, force: true });
  }, 120_000);

  it('shows every task pane picture it draws in a guide, each at twice the pane width', () => {
    const guides = ['docs/buyers.md', 'docs/warehouse.md', 'docs/sales-and-accounting.md'].map((file) => fs.readFileSync(file, 'utf8')).join('\n');
    expect(TASKPANE_PICTURES.map((p) => p.file)).toEqual(['taskpane-prebooks-errors.png', 'taskpane-staging.png', 'taskpane-invoices.png']);
    for (const { file } of TASKPANE_PICTURES) {
      expect(guides).toContain(`](${file})`);
      const [width, height] = pngSize(path.join('docs', file));
      expect(width).toBe(PANE_WIDTH * SCALE);
      expect(height).toBeGreaterThan(width);
    }
  });

  it('shows an invoice of the demo whose total is the sum of its priced lines', () => {
    const invoice = demoInvoice();
    const priced = invoice.lines.filter((l) => l.amount !== null).reduce((sum, l) => sum + Math.round(Number(l.amount) * 100), 0);
    expect(Math.round(Number(invoice.total) * 100)).toBe(priced);
    expect(customerInvoiceSheet(invoice).rows.flat()).toContain('price pending');
  });
});
