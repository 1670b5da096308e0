// How the sheet tool reads what a buyer types, against a real server: numbers by the company's
// decimal separator, truck dates against its today, and yes/no cells (Confirm).
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { closeCliWorkspace, runCli, FIXTURE_TODAY, startCliWorkspace } from '../support/cli-workspace';
import { countRows, type TestServer } from '../support/test-server';
import { readSheet, writeSheet } from '../support/xlsx';

const run = runCli;

/** An ISO date `days` after the company's today in these tests (FIXTURE_TODAY). */
function daysFromNow(days: number): string {
  return new Date(Date.parse(`${FIXTURE_TODAY}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('what the sheet tool reads from the cells a buyer types', () => {
  let t: TestServer;
  let dir: string;
  let server: string[];
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    ({ t, dir } = await startCliWorkspace('sheet-reading-'));
    server = ['--server', t.url];
    for (const role of ['SALES', 'BUYER', 'WAREHOUSE']) {
      const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, { input: { name: role, role } });
      tokens[role] = data.createApiToken.secret;
    }
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it("reads a text price or boxes by Settings.decimalSeparator: 0,85 is refused with both readings under '.', and saved as 0.85 under ','", async () => {
    const file = path.join(dir, 'decimal-comma.xlsx');
    const base = { Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': daysFromNow(30), Product: 'ROSE-FREEDOM-50', 'Units/Box': 100 };
    await writeSheet(file, 'Prebooks', [
      { ...base, Ref: 'A', Boxes: 2, Price: '0,85' },
      { ...base, Ref: 'B', Boxes: '2,5', Price: 0.9 },
    ]);
    const sales = [...server, '--token', tokens.SALES];
    const refused = await run(['push', 'prebooks', file, ...sales]);
    expect(refused.code).toBe(1);
    expect((await readSheet(file, 'Prebooks')).map((r) => [r.Status, r.Message])).toEqual([
      ['ERROR', 'Price "0,85" could be 0.85 or 85: this company writes numbers with a decimal point (1,250.50), so type 0.85 or 85'],
      [
        'ERROR',
        'Boxes "2,5" could be 2.5 or 25: a whole number has no decimals and groups its thousands by threes (1,000); type the number you mean, such as 25',
      ],
    ]);
    expect(await countRows(t.orm, 'prebook')).toBe(0);

    await t.ok(`mutation { updateSettings(input: { decimalSeparator: "," }) { errors { code } } }`);
    try {
      expect((await run(['push', 'prebooks', file, ...sales])).code).toBe(1);
      const rows = await readSheet(file, 'Prebooks');
      expect(rows.map((r) => [r.Status, r.Message])).toEqual([
        ['OK', 'saved'],
        ['ERROR', 'Boxes "2,5" is not a whole number'],
      ]);
      const saved = await t.ok(`{ prebooks { nodes { number lines { boxes price } } } }`);
      expect(saved.prebooks.nodes.map((p: any) => [p.number, p.lines[0].boxes, Number(p.lines[0].price)])).toEqual([[rows[0]['Prebook #'], 2, 0.85]]);
    } finally {
      await t.ok(`mutation { updateSettings(input: { decimalSeparator: "." }) { errors { code } } }`);
    }
  });

  it("refuses a new prebook's truck date before the company's today unless --allow-past, warns of one more than a year ahead, and takes a pulled past prebook pushed again", async () => {
    const file = path.join(dir, 'truck-dates.xlsx');
    const base = { Customer: 'FRESHMART', Carrier: 'ARMELLINI', Product: 'ROSE-FREEDOM-50', Boxes: 1, 'Units/Box': 100 };
    const far = daysFromNow(400);
    await writeSheet(file, 'Prebooks', [
      { ...base, Ref: 'PAST', 'Truck Date': '2025-01-05' },
      { ...base, Ref: 'FAR', 'Truck Date': far },
    ]);
    const buyer = [...server, '--token', tokens.BUYER];
    const before = await countRows(t.orm, 'prebook');
    const first = await run(['push', 'prebooks', file, ...buyer]);
    expect(first.code).toBe(1);
    let rows = await readSheet(file, 'Prebooks');
    expect(rows[0]).toMatchObject({
      Status: 'ERROR',
      Message: expect.stringMatching(/^Truck Date 2025-01-05 is before today \(2026-12-07\): correct it/),
    });
    expect(rows[1]).toMatchObject({ Status: 'OK', Message: `saved; warning: Truck Date ${far} is more than a year ahead: check it` });
    expect(first.out).toContain('Prebooks row 2: ERROR Truck Date 2025-01-05 is before today');
    expect(first.out).toContain('1 row(s) OK, 1 with errors, 0 stale. 1 row(s) OK with a warning in Message: a truck date more than a year ahead.');
    expect(await countRows(t.orm, 'prebook')).toBe(before + 1);

    expect((await run(['push', 'prebooks', file, '--allow-past', ...buyer])).code).toBe(0);
    rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => r.Status)).toEqual(['OK', 'OK']);
    const past = String(rows[0]['Prebook #']);
    expect(await countRows(t.orm, 'prebook')).toBe(before + 2);

    // Last week's prebook, pulled and pushed again with a new price: its truck date is the one saved.
    const pulled = path.join(dir, 'pulled.xlsx');
    expect((await run(['pull', 'prebooks', '--out', pulled, '--number', past, ...buyer])).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(pulled);
    const sheet = workbook.getWorksheet('Prebooks')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    sheet.getRow(2).getCell(header.indexOf('Price') + 1).value = 1.1;
    await workbook.xlsx.writeFile(pulled);
    expect((await run(['push', 'prebooks', pulled, ...buyer])).code).toBe(0);
    expect((await readSheet(pulled, 'Prebooks'))[0]).toMatchObject({ 'Prebook #': past, Status: 'OK', Message: 'saved' });
  });

  it('gives Confirm a Yes/No drop-down that still takes x or ok, and makes a Confirm that is neither yes nor blank an error counted in the exit code', async () => {
    const template = path.join(dir, 'staging-template.xlsx');
    expect(await main(['new', 'staging', '--out', template, ...server, '--token', tokens.WAREHOUSE])).toBe(0);
    const zip = await JSZip.loadAsync(await fs.readFile(template));
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const confirmLetter = String.fromCharCode(65 + [...(await readHeader(template, 'Staging'))].indexOf('Confirm'));
    const validation = new RegExp(`<dataValidation [^>]*sqref="${confirmLetter}2:${confirmLetter}\\d+"[^>]*>`).exec(sheetXml)?.[0] ?? '';
    expect(validation).toContain('type="list"');
    expect(validation).not.toContain('showErrorMessage="1"');
    const lists = (await loadWorkbook(template)).getWorksheet('Lists')!;
    const listColumn = (lists.getRow(1).values as unknown[]).indexOf('Confirm');
    expect([lists.getRow(2).getCell(listColumn).value, lists.getRow(3).getCell(listColumn).value]).toEqual(['Yes', 'No']);

    // Four staged boxes of a purchase order, shipped.
    const pos = path.join(dir, 'confirm-pos.xlsx');
    await writeSheet(pos, 'PurchaseOrders', [
      { Ref: 'P', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': daysFromNow(20), Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Unit Cost': '0.38' },
    ]);
    expect((await run(['push', 'purchase-orders', pos, ...server, '--token', tokens.BUYER])).code).toBe(0);
    const number = String((await readSheet(pos, 'PurchaseOrders'))[0]['PO #']);
    const po = await t.ok(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: number });
    await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { errors { message } } }`, {
      i: { purchaseOrder: number, awb: 'AWB-CONFIRM', lines: po.purchaseOrders.nodes[0].lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
    });
    const staging = path.join(dir, 'staging.xlsx');
    const warehouse = [...server, '--token', tokens.WAREHOUSE];
    expect((await run(['pull', 'staging', '--out', staging, '--po', number, ...warehouse])).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(staging);
    const sheet = workbook.getWorksheet('Staging')!;
    const confirm = (sheet.getRow(1).values as unknown[]).indexOf('Confirm');
    ['ok', 'Done', '✓', 'maybe'].forEach((value, i) => (sheet.getRow(i + 2).getCell(confirm).value = value));
    await workbook.xlsx.writeFile(staging);

    const confirmed = await run(['confirm', staging, ...warehouse]);
    expect(confirmed.code).toBe(1);
    expect(confirmed.out).toContain('3 box(es) confirmed, 1 error(s).');
    expect(confirmed.out).toContain('Staging row 5: ERROR Confirm: choose Yes or leave blank ("maybe" is neither yes nor no)');
    const rows = await readSheet(staging, 'Staging');
    expect(rows.map((r) => r.Result)).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'ERROR']);
  });
});

async function loadWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

async function readHeader(file: string, table: string): Promise<string[]> {
  return ((await loadWorkbook(file)).getWorksheet(table)!.getRow(1).values as unknown[]).slice(1).map(String);
}
