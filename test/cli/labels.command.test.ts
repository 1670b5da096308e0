import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { confirm, isoDate, prebookInStaging } from '../support/billing';
import { parseZpl, pdfBarcodes } from '../support/documents';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

describe('stemline-sheet labels', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let labels: string[];
  let po: string;
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-labels-'));
    labels = (
      await prebookInStaging(t, {
        customer: 'FRESHMART',
        truckDate: isoDate(3),
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.85' }],
      })
    ).labels;
    po = (await t.ok(`query($l: String!) { box(label: $l) { purchaseOrderNumber } }`, { l: labels[0] })).box.purchaseOrderNumber;
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('writes the box labels of a PO as PDF or ZPL, by the extension of --out', async () => {
    const pdf = path.join(dir, 'po.pdf');
    expect(await main(['labels', '--po', po, '--out', pdf, ...args])).toBe(0);
    expect(pdfBarcodes(await fs.readFile(pdf))).toEqual(labels.map((l) => [`CODE-128:${l}`]));
    const zpl = path.join(dir, 'po.zpl');
    expect(await main(['labels', '--labels', labels.join(','), '--out', zpl, ...args])).toBe(0);
    expect(parseZpl(await fs.readFile(zpl, 'utf8')).map((label) => label.code128)).toEqual(labels.map((l) => [l]));
    const staging = path.join(dir, 'staging.pdf');
    expect(await main(['labels', '--staging', '--customer', 'FRESHMART', '--out', staging, ...args])).toBe(0);
    expect(pdfBarcodes(await fs.readFile(staging))).toHaveLength(2);
  });

  it('writes the shipping labels and the pick ticket of an invoice', async () => {
    const [result] = await confirm(t, labels);
    const invoice = result.billing!.invoiceNumbers[0];
    const shipping = path.join(dir, 'shipping.zpl');
    expect(await main(['labels', '--shipping', '--invoice', invoice, '--out', shipping, ...args])).toBe(0);
    expect(parseZpl(await fs.readFile(shipping, 'utf8')).map((label) => label.code128)).toEqual(labels.map((l) => [l]));
    const ticket = path.join(dir, 'ticket.pdf');
    expect(await main(['labels', '--pick-ticket', invoice, '--out', ticket, ...args])).toBe(0);
    expect(
      pdfBarcodes(await fs.readFile(ticket), 200)
        .flat()
        .sort(),
    ).toEqual(labels.map((l) => `CODE-128:${l}`).sort());
  });

  it('says what is wrong and writes nothing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const out = path.join(dir, 'none.pdf');
      expect(await main(['labels', '--po', 'PO-999999', '--out', out, ...args])).toBe(1);
      expect(errors.mock.calls.at(-1)?.[0]).toContain('No purchase order PO-999999. (UNKNOWN_PURCHASE_ORDER)');
      expect(await main(['labels', '--po', po, '--out', path.join(dir, 'x.png'), ...args])).toBe(2);
      expect(errors.mock.calls.at(-1)?.[0]).toContain('--out must end in .pdf or .zpl');
      expect(await main(['labels', '--out', out, ...args])).toBe(2);
      expect(await main(['labels', '--colour', 'red', '--out', out, ...args])).toBe(2);
      await expect(fs.access(out)).rejects.toThrow();
    } finally {
      errors.mockRestore();
    }
  });
});
