// stemline-sheet statement: customer statements as a printable workbook, one sheet per customer, each page
// numbered within its statement; cells read with exceljs, pages printed by LibreOffice and read as text.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

describe('stemline-sheet statement', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  const invoices: string[] = [];

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('statement-'));
    await t.ok(
      `mutation { upsertCustomers(input: [{ code: "FRESHMART", paymentTermsDays: 30, billingAddress: "1 Market St\\nTampa, FL" }, { code: "LONGCO", name: "Long Co", paymentTermsDays: 30 }]) { errors { message } } }`,
    );
    await t.ok(
      `mutation { updateSettings(input: { companyName: "Stemline Demo Flowers, Inc.", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122", companyPhone: "+1 305 555 0100" }) { errors { message } } }`,
    );
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 50, unitCost: '0.40' });
    const invoice = async (customer: string, labels: string[], price: string, date: string) => {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer, truckDate: date, lines: [{ labels, unitPrice: price }] },
      });
      const number = data.createInvoice.invoice.number;
      await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
      await t.orm.em.getConnection().execute(`update invoice set invoice_date = ? where number = ?`, [date, number]);
      return number;
    };
    invoices.push(await invoice('FRESHMART', roses.splice(0, 5), '2.00', '2027-03-01'));
    invoices.push(await invoice('FRESHMART', roses.splice(0, 5), '1.00', '2027-04-10'));
    await t.ok(
      `mutation { recordPayment(input: { customer: "FRESHMART", amount: "1200.00", method: CHECK, reference: "CHK 1001", date: "2027-05-15" }) { errors { code } } }`,
    );
    for (let i = 0; i < 40; i++) await invoice('LONGCO', roses.splice(0, 1), '1.00', `2027-05-${String((i % 28) + 1).padStart(2, '0')}`);
  }, 180_000);
  afterAll(() => closeCliWorkspace(t, dir));

  it('writes one sheet per customer: the opening balance, the period, the closing balance and the aging line; each numbers its own pages', async () => {
    const file = path.join(dir, 'statements.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(
      await main(['statement', '--customer', 'FRESHMART', '--customer', 'LONGCO', '--from', '2027-05-01', '--to', '2027-05-31', '--out', file, ...args]),
    ).toBe(0);
    expect(log.mock.calls.flat().join('\n')).toContain('2 statement(s) to 2027-05-31, one sheet each (closing balances: FRESHMART 300.00, LONGCO 4000.00)');
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Statement FRESHMART', 'Statement LONGCO']);
    const sheet = workbook.getWorksheet('Statement FRESHMART')!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const find = (first: unknown) => rows.find((r) => r.includes(first));
    expect(find('Date')).toEqual(['Date', 'Number', 'Description', 'Due', 'Charges', 'Credits', 'Balance']);
    expect(find('Balance forward on May 1, 2027')?.at(-1)).toBe(1500);
    expect(find('Check received, ref CHK 1001')?.slice(4)).toEqual([null, 1200, 300].map((v) => v ?? undefined));
    expect(find('Closing balance')?.at(-1)).toBe(300);
    const bucketRow = rows[rows.findIndex((r) => r[0] === 'Current') + 1];
    // On May 31: INV-2's 300.00 left is 21 days past due.
    expect(bucketRow.slice(0, 6)).toEqual([0, 300, 0, 0, 0, 0]);
    expect(sheet.headerFooter.oddFooter).toContain('Page &P of 1');
    expect(workbook.getWorksheet('Statement LONGCO')!.headerFooter.oddFooter).toContain('Page &P of 2');

    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(3);
    const first = await pdfText(pdf, 1);
    for (const expected of [
      'Stemline Demo Flowers, Inc.',
      '8400 NW 25th Street',
      'STATEMENT',
      'FRESHMART',
      '1 Market St',
      'May 1, 2027 – May 31, 2027',
      'Closing balance',
      '1,500.00',
      '300.00',
      'Aging as of May 31, 2027',
      'Page 1 of 1',
    ])
      expect(first, expected).toContain(expected);
    expect(await pdfText(pdf, 2)).toContain('Page 1 of 2');
    expect(await pdfText(pdf, 3)).toContain('Page 2 of 2');
    await pdfPng(pdf, 1, path.resolve('test-results/statement.png'));
  });

  it('writes Open Items: the invoices open at the period end with their open amounts', async () => {
    const file = path.join(dir, 'open.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['statement', '--customer', 'FRESHMART', '--to', '2027-05-31', '--type', 'open-items', '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const rows: unknown[][] = [];
    workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows.find((r) => r.includes('Date'))?.slice(0, 6)).toEqual(['Date', 'Number', 'Description', 'Due', 'Amount', 'Open']);
    expect(rows.find((r) => r.includes(invoices[1]))?.slice(4, 6)).toEqual([500, 300]);
    expect(rows.some((r) => r.includes(invoices[0]))).toBe(false);
  });

  it('refuses a missing --to or --customer, a bad --type, and an unknown customer, writing nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const out = path.join(dir, 'x.xlsx');
    expect(await main(['statement', '--customer', 'FRESHMART', '--out', out, ...args])).toBe(2);
    expect(await main(['statement', '--to', '2027-05-31', '--out', out, ...args])).toBe(2);
    expect(await main(['statement', '--customer', 'FRESHMART', '--to', '2027-05-31', '--type', 'weekly', '--out', out, ...args])).toBe(2);
    expect(await main(['statement', '--customer', 'FRESHMART', '--to', '2027-02-30', '--out', out, ...args])).toBe(2);
    expect(await main(['statement', '--customer', 'NOPE', '--to', '2027-05-31', '--out', out, ...args])).toBe(1);
    expect(error.mock.calls.flat().join('\n')).toMatch(/unknown customer "NOPE"/);
    error.mockRestore();
  });
});
