// stemline-sheet aging --as-of D --out: the receivables aging as a printable workbook, printed by LibreOffice.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

describe('stemline-sheet aging', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('aging-'));
    await t.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", paymentTermsDays: 30 }]) { errors { message } } }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.40' });
    for (const [labels, price, date] of [
      [roses.slice(0, 5), '2.00', '2027-03-01'],
      [roses.slice(5), '1.00', '2027-04-10'],
    ] as const) {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer: 'FRESHMART', truckDate: date, lines: [{ labels, unitPrice: price }] },
      });
      const number = data.createInvoice.invoice.number;
      await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
      await t.orm.em.getConnection().execute(`update invoice set invoice_date = ? where number = ?`, [date, number]);
    }
  }, 120_000);
  afterAll(() => closeCliWorkspace(t, dir));

  it('writes one row per customer in buckets of days past due, with totals, printed on one page', async () => {
    const file = path.join(dir, 'aging.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['aging', '--as-of', '2027-05-15', '--out', file, ...args])).toBe(0);
    expect(log.mock.calls.flat().join('\n')).toContain('receivables aging as of 2027-05-15, 1 customer(s)');
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Aging')!;
    expect(sheet.getRow(2).values).toEqual([undefined, 'Customer', 'Name', 'Current', '1–30', '31–60', '61–90', '91–120', '121+', 'Total', 'Unapplied']);
    expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual(['FRESHMART', expect.any(String), 0, 500, 1000, 0, 0, 0, 1500, 0]);
    expect((sheet.getRow(4).values as unknown[]).slice(1)).toEqual(['Total', '1 customer(s)', 0, 500, 1000, 0, 0, 0, 1500, 0]);
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    expect(await pdfText(pdf)).toContain('Receivables aging as of 2027-05-15');
    await pdfPng(pdf, 1, path.resolve('test-results/aging.png'));
  });

  it('refuses a missing or impossible --as-of as a usage error', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['aging', '--out', path.join(dir, 'x.xlsx'), ...args])).toBe(2);
    expect(await main(['aging', '--as-of', '2027-02-30', '--out', path.join(dir, 'x.xlsx'), ...args])).toBe(2);
    error.mockRestore();
  });
});
