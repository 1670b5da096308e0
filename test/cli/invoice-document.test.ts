// The customer invoice document from the command line, printed by LibreOffice: one page for 30 lines,
// the line header repeated on longer ones, page X of Y, and no cost or margin anywhere.
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

const CREATE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } cost } errors { message } } }`;
// A unit cost no price or total on these invoices can equal: 0.4137 a stem, 41.37 a box.
const UNIT_COST = '0.4137';

describe('the customer invoice document (stemline-sheet invoice, printed by LibreOffice)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let short: string;
  let long: string;

  async function invoiceOf(lines: number, customerPo: string, options: { truckDate?: string; customer?: string; vases?: number } = {}): Promise<string> {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: lines, unitCost: UNIT_COST });
    const vases = options.vases ? await stockBoxes(t, { product: 'VASE-20', boxes: options.vases, vendor: 'VASECO', unitCost: '1.10' }) : [];
    const data = await t.ok(CREATE, {
      input: {
        customer: options.customer ?? 'FRESHMART',
        shipTo: options.customer ? null : 'DC-ATL',
        carrier: 'ARMELLINI',
        truckDate: options.truckDate ?? '2027-02-10',
        customerPo,
        lines: [
          ...labels.map((label, i) => ({ labels: [label], unitPrice: i === 3 ? null : '0.85' })),
          ...(vases.length ? [{ labels: vases, unitPrice: '2.75' }] : []),
        ],
      },
    });
    expect(data.createInvoice.errors).toEqual([]);
    expect(data.createInvoice.invoice.lines).toHaveLength(lines + (vases.length ? 1 : 0));
    return data.createInvoice.invoice.number;
  }

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('invoice-document-'));
    await t.ok(`mutation {
      updateSettings(input: { companyName: "Stemline Demo Flowers, Inc.", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122", companyPhone: "+1 305 555 0100", companyTaxId: "65-1234567", timeZone: "America/New_York" }) { errors { message } }
      upsertCustomers(input: [{ code: "FRESHMART", name: "FreshMart Supermarkets", billingAddress: "Accounts Payable\\n1200 Market Street\\nAtlanta, GA 30303", paymentTermsDays: 45 }]) { errors { message } }
    }`);
    short = await invoiceOf(30, 'FM-7781-VALENTINE-WEEK');
    long = await invoiceOf(70, 'FM-7782');
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('prints a 30-line invoice on exactly one page, with seller, bill-to, terms and total, and no cost figure', async () => {
    const file = path.join(dir, 'invoice.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', short, '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    const text = await pdfText(pdf);
    for (const expected of [
      'Stemline Demo Flowers, Inc.',
      'Tax ID 65-1234567',
      'INVOICE',
      short,
      'Net 45',
      'FM-7781-VALENTINE-WEEK',
      'Feb 10, 2027',
      'Armellini',
      'FreshMart Supermarkets',
      '1200 Market Street',
      'Atlanta DC',
      'price pending',
      // A pending invoice with a price missing is a draft, said where the title is.
      'DRAFT — NOT AN INVOICE',
      '30 lines · 30 boxes',
      '3,000 stems',
      '1 line with price pending is not in the total',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
    // 29 priced lines of 100 stems at 0.85.
    expect(text).toMatch(/Total\s+2,465\.00/);
    for (const cost of ['0.4137', '41.37', '1,241.10', '1241.1', '1,199.73', '1199.73']) expect(text).not.toContain(cost);
    expect(text).not.toMatch(/cost|gpm|margin/i);
    expect(text).not.toContain('(s)');
    await pdfPng(pdf, 1, path.join('test-results', 'invoice-30-lines.png'));
  }, 120_000);

  it('writes every invoice of a truck date, one sheet each, each counting its own pages; a long one repeats the line header and ends with lines and the total', async () => {
    const file = path.join(dir, 'day.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', '--truck-date', '2027-02-10', '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([short, long]);
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(3);
    // Printed together, as a day's invoices are: page 1 of 1, then page 1 of 2 and 2 of 2.
    expect(await pdfText(pdf, 1)).toContain('Page 1 of 1');
    expect(await pdfText(pdf, 2)).toContain('Page 1 of 2');
    const second = await pdfText(pdf, 3);
    expect(second).toContain('Page 2 of 2');
    expect(second).toMatch(/Product\s+Boxes\s+Units\s+Unit price\s+Amount/);
    expect(second).toMatch(/Rose Freedom 50cm \(ROSE-FREEDOM-50\)\s+1\s+100\s+0\.85\s+85\.00/);
    expect(second).toContain('70 lines · 70 boxes');
    expect(second).toMatch(/Total\s+5,865\.00/);
    expect(second).not.toContain('Bill to');
    await pdfPng(pdf, 3, path.join('test-results', 'invoice-70-lines-page-2.png'));
    // Printed alone, as a customer gets it: the same two pages.
    const alone = path.join(dir, 'long.xlsx');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', long, '--out', alone, ...args])).toBe(0);
    vi.restoreAllMocks();
    const longPdf = await renderPdf(alone, dir);
    expect(await pdfPages(longPdf)).toBe(2);
    expect(await pdfText(longPdf, 1)).toContain('Page 1 of 2');
    expect(await pdfText(longPdf, 2)).toContain('Page 2 of 2');
  }, 120_000);

  it('prints three one-page invoices in one workbook as page 1 of 1 each', async () => {
    const numbers = [];
    for (const po of ['FM-A', 'FM-B', 'FM-C']) numbers.push(await invoiceOf(2, po, { truckDate: '2027-02-11' }));
    for (const [name, command] of [
      ['three.xlsx', ['invoice', ...numbers]],
      ['day-11.xlsx', ['invoice', '--truck-date', '2027-02-11']],
    ] as const) {
      const file = path.join(dir, name);
      const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      expect(await main([...command, '--out', file, ...args])).toBe(0);
      log.mockRestore();
      const pdf = await renderPdf(file, dir);
      expect(await pdfPages(pdf)).toBe(3);
      for (const page of [1, 2, 3]) {
        const text = await pdfText(pdf, page);
        expect(text, `${name} page ${page}`).toContain('Page 1 of 1');
        expect(text).toContain(numbers[page - 1]);
      }
    }
  }, 120_000);

  it('prints a 40-line invoice on one page, and totals stems and eaches apart', async () => {
    const number = await invoiceOf(40, 'FM-40', { truckDate: '2027-02-12', vases: 4 });
    const file = path.join(dir, 'forty.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', number, '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    const text = await pdfText(pdf);
    expect(text).toContain('41 lines · 44 boxes');
    expect(text).toContain('4,000 stems · 48 each');
    expect(text).toContain('Page 1 of 1');
    await pdfPng(pdf, 1, path.join('test-results', 'invoice-41-lines.png'));
  }, 120_000);

  it("lets a CUSTOMER token print its own invoice, the seller coming with the invoice, and nobody else's", async () => {
    const own = await invoiceOf(2, 'BL-1', { truckDate: '2027-02-13', customer: 'BLOOMS' });
    const token = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
    // The settings stay staff-only; the invoice carries its seller.
    expect((await t.gql(`{ settings { companyName } }`, undefined, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await t.ok(`query($n: String!) { invoice(number: $n) { seller { name address phone taxId timeZone } } }`, { n: own }, token)).toEqual({
      invoice: {
        seller: {
          name: 'Stemline Demo Flowers, Inc.',
          address: '8400 NW 25th Street\nDoral, FL 33122',
          phone: '+1 305 555 0100',
          taxId: '65-1234567',
          timeZone: 'America/New_York',
        },
      },
    });
    const customerArgs = ['--server', t.url, '--token', token];
    const file = path.join(dir, 'own.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', own, '--out', file, ...customerArgs])).toBe(0);
    log.mockRestore();
    const text = await pdfText(await renderPdf(file, dir));
    for (const expected of ['Stemline Demo Flowers, Inc.', 'Tax ID 65-1234567', 'Blooms Florist', own, 'Page 1 of 1']) expect(text).toContain(expected);
    // Another customer's invoice: not found, nothing written, none of its data shown.
    const other = path.join(dir, 'other.xlsx');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['invoice', short, '--out', other, ...customerArgs])).toBe(1);
    const said = error.mock.calls.flat().join(' ');
    error.mockRestore();
    expect(said).toContain(`no invoice ${short}`);
    expect(said).not.toContain('FreshMart');
    await expect(fs.access(other)).rejects.toThrow();
    expect(await t.ok(`query($n: String!) { invoice(number: $n) { seller { name } } }`, { n: short }, token)).toEqual({ invoice: null });
    // A day's invoices with a CUSTOMER token: its own only.
    const day = path.join(dir, 'own-day.xlsx');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', '--truck-date', '2027-02-10', '--out', day, ...customerArgs])).toBe(1);
    expect(await main(['invoice', '--truck-date', '2027-02-13', '--out', day, ...customerArgs])).toBe(0);
    vi.restoreAllMocks();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(day);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([own]);
  }, 120_000);

  it('says which invoice does not exist, and writes nothing', async () => {
    const file = path.join(dir, 'none.xlsx');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['invoice', short, 'INV-999999', '--out', file, ...args])).toBe(1);
    expect(error.mock.calls.flat().join(' ')).toContain('no invoice INV-999999');
    error.mockRestore();
    await expect(fs.access(file)).rejects.toThrow();
  });

  it('widens the flat invoice list so product codes and customer POs are not cut', async () => {
    const file = path.join(dir, 'invoices.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['pull', 'invoices', '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Invoices')!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const width = (name: string) => sheet.getColumn(header.indexOf(name)).width ?? 0;
    expect(width('Product')).toBeGreaterThanOrEqual('ROSE-FREEDOM-50'.length + 1);
    expect(width('Customer PO')).toBeGreaterThanOrEqual('FM-7781-VALENTINE-WEEK'.length + 1);
  });
});
