// The farm claim sheet from the command line (stemline-sheet credit VC-…), printed by LibreOffice: vendor,
// claim number and date, status, reason, the customer credit it passes on, per box its PO, AWB, product and
// units, the amounts split into product, freight, duty and handling, with totals; never a customer price.
// Cells are read with exceljs and the printed text with pdftotext: nothing here compares pixels.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

// A customer price no claimed amount can equal.
const PRICE = '0.8731';
const AWB = '369-12345675';

describe('the farm claim sheet (stemline-sheet credit VC-…, printed by LibreOffice)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let roses: string[];
  let po: string;
  let credit: string;
  let claim: string;
  let inspection: string;
  let customerToken: string;

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('farm-claim-'));
    await t.ok(
      `mutation { updateSettings(input: { companyName: "Stemline Demo Flowers, Inc.", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122", timeZone: "America/New_York" }) { errors { message } } }`,
    );
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    // Landed 0.50 a stem = 0.40 flower + 0.08 freight (32.00 over 4 boxes of 100) + 0.02 handling.
    const em = t.orm.em.fork();
    await em.execute(`update shipment set freight = 32, awb = ? where id = (select shipment_id from box where label = ?)`, [AWB, roses[0]]);
    await em.execute(`update box set landed_unit_cost = 0.50 where label = any(?::text[])`, [`{${roses.join(',')}}`]);
    po = (await t.ok(`query($label: String!) { box(label: $label) { purchaseOrderNumber } }`, { label: roses[0] })).box.purchaseOrderNumber;
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: PRICE }] },
    });
    const lineId = created.createInvoice.invoice.lines[0].id;
    const requested = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { message } } }`, {
      input: { reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: lineId, units: 100 }] },
    });
    credit = requested.requestCredit.credit.number;
    await t.ok(`mutation { approveCredit(number: "${credit}") { errors { code } } }`);
    const save = async (input: Record<string, unknown>) => {
      const data = await t.ok(
        `mutation($input: SaveVendorCreditInput!) { saveVendorCredit(input: $input) { vendorCredit { number } errors { code message field } } }`,
        { input },
      );
      expect(data.saveVendorCredit.errors).toEqual([]);
      return data.saveVendorCredit.vendorCredit.number as string;
    };
    claim = await save({
      credit,
      reason: 'DAMAGED',
      notes: 'Box crushed on arrival, stems broken.',
      lines: [
        { box: roses[0], units: 100, invoiceLine: lineId },
        { box: roses[1], units: 40 },
      ],
    });
    inspection = await save({ source: 'INSPECTION', reason: 'DEHYDRATED', lines: [{ box: roses[2], units: 25 }] });
    await t.ok(`mutation { setVendorCreditStatus(number: "${claim}", status: SENT) { errors { code } } }`);
    customerToken = (await t.ok(`mutation { createApiToken(input: { name: "bl", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
  });
  afterAll(() => closeCliWorkspace(t, dir));

  const cells = (sheet: ExcelJS.Worksheet) => {
    const values: unknown[] = [];
    sheet.eachRow((row) => row.eachCell((cell) => values.push(cell.value)));
    return values;
  };

  it('writes one sheet per claim beside a credit memo: vendor, PO, AWB, boxes, units, reason and the split amounts with totals', async () => {
    const file = path.join(dir, 'claims.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['credit', claim, inspection.toLowerCase(), credit, '--out', file, ...args])).toBe(0);
    expect(log).toHaveBeenCalledWith(`${file}: 1 credit memo(s) and 2 farm claim sheet(s), one sheet each: ${claim}, ${inspection}, ${credit}.`);
    log.mockRestore();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([claim, inspection, credit]);
    const sheet = workbook.worksheets[0];
    const values = cells(sheet);
    for (const expected of [
      'Stemline Demo Flowers, Inc.',
      'FARM CLAIM (SENT)',
      claim,
      'SENT',
      'Damaged',
      credit,
      'Rosas de la Sabana (ROSAS)',
      'Notes: Box crushed on arrival, stems broken.',
      'Total claimed',
      '2 lines',
    ]) {
      expect(values).toContain(expected);
    }
    const row = (label: string) => {
      let found: unknown[] = [];
      sheet.eachRow((r) => {
        if (r.getCell(4).value === label) found = (r.values as unknown[]).slice(1);
      });
      return found;
    };
    // #, PO, AWB, Box, Product, Units, Product $, Freight, Duty, Handling, Total.
    expect(row(roses[0])).toEqual([1, po, AWB, roses[0], 'Rose Freedom 50cm (ROSE-FREEDOM-50)', 100, 40, 8, 0, 2, 50]);
    expect(row(roses[1])).toEqual([2, po, AWB, roses[1], 'Rose Freedom 50cm (ROSE-FREEDOM-50)', 40, 16, 3.2, 0, 0.8, 20]);
    let totals: unknown[] = [];
    sheet.eachRow((r) => {
      if (r.getCell(5).value === 'Total claimed') totals = (r.values as unknown[]).slice(6);
    });
    expect(totals).toEqual([140, 56, 11.2, 0, 2.8, 70]);
    expect(values).toContain(`Please credit 70.00 to our account for claim ${claim}.`);
    expect(values.some((value) => String(value).includes('0.8731') || String(value).includes('87.31'))).toBe(false);
    const draft = cells(workbook.worksheets[1]);
    expect(draft).toEqual(expect.arrayContaining(['FARM CLAIM (DRAFT)', 'Dehydrated', 'none', 25, 12.5]));
    expect(cells(workbook.worksheets[2])).toContain('CREDIT MEMO');
    expect(sheet.headerFooter.oddFooter).toContain('Page &P of 1');
  });

  it('prints on one Letter page with LibreOffice, as the farm reads it', async () => {
    const file = path.join(dir, 'claim.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['credit', claim, '--out', file, ...args])).toBe(0);
    log.mockRestore();
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    const text = await pdfText(pdf);
    for (const expected of [
      'Stemline Demo Flowers, Inc.',
      'FARM CLAIM (SENT)',
      claim,
      credit,
      'Claimed from',
      'Rosas',
      po,
      AWB,
      roses[0],
      'Total claimed',
      '70.00',
      '11.20',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('0.8731');
    await pdfPng(pdf, 1, path.join('test-results', 'farm-claim.png'));
  });

  it('refuses a CUSTOMER token in words, and writes nothing for an unknown claim', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const customerArgs = args.map((arg, i) => (args[i - 1] === '--token' ? customerToken : arg));
    expect(await main(['credit', claim, '--out', path.join(dir, 'theirs.xlsx'), ...customerArgs])).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining(`farm claim sheets are for staff tokens; this token may not read ${claim}`));
    expect(await main(['credit', claim, 'VC-999999', '--out', path.join(dir, 'missing.xlsx'), ...args])).toBe(1);
    expect(error).toHaveBeenCalledWith('stemline-sheet: no farm claim VC-999999; nothing was written.');
    error.mockRestore();
  });
});
