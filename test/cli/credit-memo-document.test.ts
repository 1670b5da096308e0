// The credit memo from the command line (stemline-sheet credit), printed by LibreOffice: seller, credit-to,
// the credit's number and date, the invoice it credits, lines, reason and total; no cost. Cells are read
// with exceljs and the printed text with pdftotext: nothing here compares pixels.
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

// A unit cost no credited amount can equal.
const UNIT_COST = '0.4137';

describe('the credit memo document (stemline-sheet credit, printed by LibreOffice)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let invoice: string;
  let credit: string;
  let standalone: string;
  let customerToken: string;

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('credit-memo-'));
    await t.ok(`mutation {
      updateSettings(input: { companyName: "Stemline Demo Flowers, Inc.", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122", companyPhone: "+1 305 555 0100", companyTaxId: "65-1234567", timeZone: "America/New_York" }) { errors { message } }
      upsertCustomers(input: [{ code: "FRESHMART", name: "FreshMart Supermarkets", billingAddress: "Accounts Payable\\n1200 Market Street\\nAtlanta, GA 30303" }]) { errors { message } }
    }`);
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: UNIT_COST });
    const created = await t.ok(
      `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } errors { message } } }`,
      {
        input: { customer: 'FRESHMART', truckDate: '2027-02-10', customerPo: 'FM-7781', lines: [{ labels, unitPrice: '0.80' }] },
      },
    );
    invoice = created.createInvoice.invoice.number;
    const lineId = created.createInvoice.invoice.lines[0].id;
    const request = async (input: Record<string, unknown>) => {
      const data = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`, {
        input,
      });
      expect(data.requestCredit.errors).toEqual([]);
      return data.requestCredit.credit.number as string;
    };
    // 4 boxes × 100 stems × 0.80 = 320.00: one box damaged (80.00) and 0.05 off 200 stems (10.00).
    credit = await request({
      reason: 'DAMAGED',
      notes: 'Box 2 arrived crushed.',
      lines: [
        { kind: 'QUANTITY', invoiceLine: lineId, units: 100 },
        { kind: 'PRICE', invoiceLine: lineId, units: 200, amountPerUnit: '0.05' },
      ],
    });
    await t.ok(`mutation { approveCredit(number: "${credit}") { errors { code } } }`);
    standalone = await request({ customer: 'FRESHMART', reason: 'LATE', lines: [{ kind: 'AMOUNT', amount: '25.00' }] });
    customerToken = (await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken
      .secret;
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('writes one sheet per credit, with the cells of the memo and no cost', async () => {
    const file = path.join(dir, 'credits.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['credit', credit, standalone.toLowerCase(), '--out', file, ...args])).toBe(0);
    expect(log).toHaveBeenCalledWith(`${file}: 2 credit memo(s), one sheet each: ${credit}, ${standalone}.`);
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([credit, standalone]);
    const cells = (sheet: ExcelJS.Worksheet) => {
      const values: unknown[] = [];
      sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
      return values;
    };
    const memo = cells(workbook.worksheets[0]);
    for (const expected of [
      'Stemline Demo Flowers, Inc.',
      'CREDIT MEMO',
      credit,
      invoice,
      'FM-7781',
      'Damaged',
      'FreshMart Supermarkets (FRESHMART)',
      'Accounts Payable',
      'Rose Freedom 50cm (ROSE-FREEDOM-50)\nUnits credited, invoice line 1',
      '100 stems',
      0.8,
      80,
      'Rose Freedom 50cm (ROSE-FREEDOM-50)\nPrice reduction per unit, invoice line 1',
      0.05,
      10,
      'Total credit',
      90,
      'Notes: Box 2 arrived crushed.',
      `This credit is taken off what is owed on invoice ${invoice}.`,
    ]) {
      expect(memo).toContain(expected);
    }
    expect(memo.some((value) => String(value).includes('0.4137') || String(value).includes('41.37'))).toBe(false);
    const loose = cells(workbook.worksheets[1]);
    expect(loose).toEqual(expect.arrayContaining(['CREDIT REQUEST (PENDING)', 'none (stands alone)', 'Amount credited', 25, 'Late delivery']));
    expect(workbook.worksheets[0].headerFooter.oddFooter).toContain('Page &P of 1');
  });

  it('prints on one Letter page with LibreOffice, as a customer reads it', async () => {
    const file = path.join(dir, 'memo.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['credit', credit, '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    const text = await pdfText(pdf);
    for (const expected of ['Stemline Demo Flowers, Inc.', 'CREDIT MEMO', credit, invoice, 'Credit to', 'Total credit', '90.00', 'Page 1 of 1']) {
      expect(text).toContain(expected);
    }
    await pdfPng(pdf, 1, path.join('test-results', 'credit-memo.png'));
  });

  it("writes a customer's own credit with its token, and nothing when a number is unknown to it", async () => {
    const file = path.join(dir, 'own.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const customerArgs = args.map((arg, i) => (args[i - 1] === '--token' ? customerToken : arg));
    expect(await main(['credit', credit, '--out', file, ...customerArgs])).toBe(0);
    const missing = path.join(dir, 'missing.xlsx');
    expect(await main(['credit', credit, 'CR-999999', '--out', missing, ...args])).toBe(1);
    expect(error).toHaveBeenCalledWith('stemline-sheet: no credit CR-999999; nothing was written.');
    expect(await main(['credit', credit, '--out', path.join(dir, 'memo.pdf'), ...args])).toBe(2);
    expect(await main(['credit', '--out', file, ...args])).toBe(2);
    log.mockRestore();
    error.mockRestore();
    await expect(fs.access(missing)).rejects.toThrow();
  });
});
