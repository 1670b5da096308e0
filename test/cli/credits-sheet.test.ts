// The Credits table with stemline-sheet on real .xlsx files: push (every error at once, nothing written for a
// refused credit), pull, edit while PENDING, push again; a stale or approved credit is not overwritten.
import fs from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCliWorkspace, runCli, startCliWorkspace } from '../support/cli-workspace';
import { stockBoxes } from '../support/receiving';
import { TABLE_COLUMNS } from '../../addin/sheets/tables';
import type { TestServer } from '../support/test-server';
import { readSheet, writeSheet } from '../support/xlsx';

async function edit(file: string, cells: Record<number, Record<string, ExcelJS.CellValue>>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets.find((ws) => ws.getTables?.().length || ws.name === 'Credits') ?? workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  for (const [row, values] of Object.entries(cells))
    for (const [column, value] of Object.entries(values)) sheet.getRow(Number(row) + 1).getCell(header.indexOf(column)).value = value;
  await workbook.xlsx.writeFile(file);
}

const CREDITS = `{ credits { totalCount nodes { number status total customer { code } invoice { number } reason { code } notes
  lines { lineNo kind units amountPerUnit amount restock } } } }`;

describe('stemline-sheet: the Credits table', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let invoice: string;

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-credits-'));
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    const vases = await stockBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '1.00' });
    // 4 boxes × 100 stems × 0.80 = 320.00, and a box of 12 vases at 3.00 = 36.00.
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code message } } }`, {
      input: {
        customer: 'BLOOMS',
        truckDate: '2027-02-10',
        lines: [
          { labels: roses, unitPrice: '0.80' },
          { labels: vases, unitPrice: '3' },
        ],
      },
    });
    expect(data.createInvoice.errors).toEqual([]);
    invoice = data.createInvoice.invoice.number;
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('pushes credits by Ref: every error of a refused credit at once by row and column, nothing written for it, the others saved', async () => {
    const file = path.join(dir, 'credits.xlsx');
    const a = { Ref: 'A', 'Invoice #': invoice, Reason: 'DAMAGED', Notes: 'bruised heads' };
    const b = { Ref: 'B', 'Invoice #': invoice, Reason: 'SHORT' };
    await writeSheet(file, 'Credits', [
      { ...a, Product: 'ROSE-FREEDOM-50', Kind: 'quantity', Units: '100', Restock: 'Yes' },
      { ...a, Product: 'VASE-20', 'Amount per Unit': '0.50' },
      { ...b, Product: 'ROSE-FREEDOM-50', Kind: 'QUANTITY', Units: '1,250' },
      { ...b, Product: 'VASE-20', Kind: 'PRICE', 'Amount per Unit': '0,5' },
      { ...b, Product: 'TULIP', Kind: 'REFUND', Amount: 5, Restock: 'maybe' },
      { Ref: 'C', Customer: 'BLOOMS', Reason: 'LATE', Amount: '25' },
    ]);
    const { code, out } = await runCli(['push', 'credits', file, ...args]);
    expect(code).toBe(1);
    expect(out).toContain('3 row(s) OK, 3 with errors');
    const rows = await readSheet(file, 'Credits');
    expect(rows.map((r) => r.Status)).toEqual(['OK', 'OK', 'ERROR', 'ERROR', 'ERROR', 'OK']);
    expect(rows[0]['Credit #']).toMatch(/^CR-\d{6}$/);
    expect(rows[1]['Credit #']).toBe(rows[0]['Credit #']);
    expect(rows[5]['Credit #']).not.toBe(rows[0]['Credit #']);
    // The server's limit (a dry run of the refused credit) beside the sheet's own checks: one push says all.
    expect(rows[2].Message).toBe(`Units: ${invoice} line 1 (ROSE-FREEDOM-50) has 300 of its 400 units left to credit; 1250 asked`);
    expect(rows[3].Message).toBe('Amount per Unit "0,5" could be 0.5 or 5: this company writes numbers with a decimal point (1,250.50), so type 0.5 or 5');
    expect(rows[4].Message).toBe(
      `Kind "REFUND" is not one of QUANTITY, PRICE, AMOUNT; Restock: choose Yes or leave blank ("maybe" is neither yes nor no); Product: TULIP is not on ${invoice} (its lines: line 1 ROSE-FREEDOM-50, line 2 VASE-20)`,
    );
    expect(out).toMatch(/Credits row 4: ERROR Units: /);
    const credits = (await t.ok(CREDITS)).credits;
    expect(credits.totalCount).toBe(2);
    const byRef = new Map(credits.nodes.map((c: { number: string }) => [c.number, c]));
    expect(byRef.get(rows[0]['Credit #'])).toMatchObject({
      status: 'PENDING',
      total: '86.00',
      reason: { code: 'DAMAGED' },
      notes: 'bruised heads',
      lines: [
        { lineNo: 1, kind: 'QUANTITY', units: 100, amountPerUnit: '0.80', amount: '80.00', restock: true },
        { lineNo: 2, kind: 'PRICE', units: 12, amountPerUnit: '0.50', amount: '6.00', restock: false },
      ],
    });
    expect(byRef.get(rows[5]['Credit #'])).toMatchObject({ customer: { code: 'BLOOMS' }, invoice: null, total: '25.00', lines: [{ kind: 'AMOUNT' }] });

    // The same file pushed again: nothing changed, nothing sent twice.
    expect((await runCli(['push', 'credits', file, ...args])).code).toBe(1);
    expect((await t.ok(CREDITS)).credits.totalCount).toBe(2);
  });

  it('makes an empty Credits table with the Kind and Restock drop-downs', async () => {
    const file = path.join(dir, 'new-credits.xlsx');
    expect((await runCli(['new', 'credits', '--out', file, ...args])).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Credits')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 15)).toEqual([...TABLE_COLUMNS.Credits]);
    // The drop-downs are range validations in the sheet's XML, on a hidden Lists sheet.
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const xml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const listed = new Set([...xml.matchAll(/<dataValidation [^>]*sqref="([A-Z]+)2:\1\d+"/g)].map((m) => m[1]));
    const columns: readonly string[] = TABLE_COLUMNS.Credits;
    const at = (name: string) => String.fromCharCode(65 + columns.indexOf(name));
    for (const name of ['Customer', 'Product', 'Kind', 'Restock']) expect(listed.has(at(name)), name).toBe(true);
  });

  it('pulls credits, edits a PENDING one and pushes it back; a stale or approved credit is refused, not overwritten', async () => {
    const file = path.join(dir, 'pulled.xlsx');
    expect((await runCli(['pull', 'credits', '--out', file, '--invoice', invoice, ...args])).code).toBe(0);
    let rows = await readSheet(file, 'Credits');
    expect(rows.map((r) => [r.Product, r.Kind, r.Units, r['Amount per Unit'], r.Amount, r.Restock, r.Message])).toEqual([
      ['ROSE-FREEDOM-50', 'QUANTITY', 100, 0.8, 80, 'Yes', 'pulled from the server: PENDING: edit and push, or approve'],
      ['VASE-20', 'PRICE', 12, 0.5, 6, null, 'pulled from the server: PENDING: edit and push, or approve'],
    ]);
    const number = String(rows[0]['Credit #']);
    await edit(file, { 1: { Units: 50 } });
    const pushed = await runCli(['push', 'credits', file, ...args]);
    expect(pushed.code).toBe(0);
    rows = await readSheet(file, 'Credits');
    expect(rows.map((r) => r.Message)).toEqual(['saved', 'saved']);
    const credit = (await t.ok(`{ credit(number: "${number}") { total version lines { units amount } } }`)).credit;
    expect(credit.total).toBe('46.00');
    expect(credit.lines[0]).toEqual({ units: 50, amount: '40.00' });

    // Approved by a sales manager meanwhile: the sheet's version is stale; refreshed, the credit no longer changes.
    expect((await t.ok(`mutation { approveCredit(number: "${number}") { errors { code } } }`)).approveCredit.errors).toEqual([]);
    await edit(file, { 1: { Units: 40 } });
    expect((await runCli(['push', 'credits', file, ...args])).code).toBe(1);
    rows = await readSheet(file, 'Credits');
    expect(rows[0].Status).toBe('STALE');
    expect((await runCli(['refresh', 'credits', file, ...args])).code).toBe(0);
    rows = await readSheet(file, 'Credits');
    expect(rows[0].Message).toMatch(/^pulled from the server: APPROVED by /);
    // Pushed back as pulled: nothing to change, so an approved credit among the rows is no error.
    expect((await runCli(['push', 'credits', file, ...args])).code).toBe(0);
    expect((await readSheet(file, 'Credits')).map((r) => r.Message)).toEqual(['no change', 'no change']);
    await edit(file, { 1: { Units: 40 } });
    expect((await runCli(['push', 'credits', file, ...args])).code).toBe(1);
    rows = await readSheet(file, 'Credits');
    expect(rows[0].Message).toBe(`Credit #: ${number} is APPROVED: only a pending credit changes`);
    expect((await t.ok(`{ credit(number: "${number}") { total } }`)).credit.total).toBe('46.00');
  });
});
