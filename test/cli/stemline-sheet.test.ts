import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ENTRY, CLI_STAMP, sha256 } from '../../bin/cli-build-stamp.js';
import { parseTimings, TIMINGS_ENV } from '../../cli/phase-timings';
import { main } from '../../cli/stemline-sheet';
import { TABLE_COLUMNS, allColumns } from '../../addin/sheets/tables';
import { countRows, type TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';

describe('stemline-sheet (command-line tool on .xlsx files)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-sheet-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('pushes a prebooks workbook: numbers and statuses written back, a bad document rejected whole with row messages', async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    const base = { Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': new Date('2027-02-10T00:00:00Z') };
    await writeSheet(file, 'Prebooks', [
      { ...base, Ref: 'A', 'Ship To': 'DC-ATL', Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Units/Box': 100, Price: 0.85, Cost: 0.52 },
      { ...base, Ref: 'A', 'Ship To': 'DC-ATL', Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 750 },
      { ...base, Ref: 'B', Product: 'TULIP', Boxes: 1, 'Units/Box': 10 },
      { ...base, Ref: 'B', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 },
      { ...base, Ref: 'C', 'Truck Date': 'next tuesday', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 },
    ]);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    const rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Status, r.Message])).toEqual([
      ['PB-000001', 'OK', 'saved'],
      ['PB-000001', 'OK', 'saved'],
      [null, 'ERROR', 'Product: unknown product "TULIP"'],
      [null, 'ERROR', 'not saved: row 4 of this document has an error'],
      [null, 'ERROR', 'Truck Date "next tuesday" is not a date: type it as YYYY-MM-DD, or use an Excel date'],
    ]);
    expect(rows[0].Version).toBe(1);
    expect(rows[0]['Line Id']).not.toBeNull();
    expect(rows[1]['Line Id']).not.toBe(rows[0]['Line Id']);
    expect(allColumns('Prebooks').every((c) => c in rows[0])).toBe(true);
    expect(await countRows(t.orm, 'prebook')).toBe(1);
  });

  it('sends only what changed on a second push, and updates by number and version', async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Prebooks')!;
    // Fix the bad rows of documents B and C, and change nothing in A.
    const col = (name: string) => (sheet.getRow(1).values as unknown[]).indexOf(name);
    sheet.getRow(4).getCell(col('Product')).value = 'ROSE-FREEDOM-50';
    sheet.getRow(4).getCell(col('Units/Box')).value = 100;
    sheet.getRow(6).getCell(col('Truck Date')).value = '2027-02-12';
    await workbook.xlsx.writeFile(file);

    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    let rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Message])).toEqual([
      ['PB-000001', 'unchanged since the last push'],
      ['PB-000001', 'unchanged since the last push'],
      ['PB-000002', 'saved'],
      ['PB-000002', 'saved'],
      ['PB-000003', 'saved'],
    ]);
    expect(await countRows(t.orm, 'prebook')).toBe(3);

    // The buyer raises a quantity on PB-000001: an update, version 2, same line ids.
    await workbook.xlsx.readFile(file);
    const lineId = sheet.getRow(2).getCell(col('Line Id')).value;
    const edited = new ExcelJS.Workbook();
    await edited.xlsx.readFile(file);
    edited.getWorksheet('Prebooks')!.getRow(2).getCell(col('Boxes')).value = 6;
    await edited.xlsx.writeFile(file);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    rows = await readSheet(file, 'Prebooks');
    expect(rows[0]).toMatchObject({ 'Prebook #': 'PB-000001', Status: 'OK', Message: 'saved', Version: 2, 'Line Id': lineId });
    const server = await t.ok(`{ prebooks(filter: { number: "PB-000001" }) { nodes { version lines { boxes } } } }`);
    expect(server.prebooks.nodes[0]).toEqual({ version: 2, lines: [{ boxes: 6 }, { boxes: null }] });
  });

  it('marks a row STALE when the prebook changed on the server since the sheet read it', async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    await t.ok(`mutation { closePrebook(number: "PB-000003") { errors { code } } } `);
    await t.ok(`mutation { reopenPrebook(number: "PB-000003") { errors { code } } }`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Prebooks')!;
    const col = (name: string) => (sheet.getRow(1).values as unknown[]).indexOf(name);
    sheet.getRow(6).getCell(col('Boxes')).value = 2;
    await workbook.xlsx.writeFile(file);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    const rows = await readSheet(file, 'Prebooks');
    expect(rows[4]).toMatchObject({ 'Prebook #': 'PB-000003', Status: 'STALE' });
    expect(String(rows[4].Message)).toContain('changed by someone else');
  });

  it('pushes purchase orders, pulls staging, previews and confirms, and pulls invoices', async () => {
    const pos = path.join(dir, 'purchase-orders.xlsx');
    await writeSheet(pos, 'PurchaseOrders', [
      {
        Ref: 'P1',
        Vendor: 'ROSAS',
        Location: 'MIA',
        'Ship Date': '2027-02-05',
        Product: 'ROSE-FREEDOM-50',
        Boxes: 6,
        'Unit Cost': 0.38,
        'Prebook #': 'PB-000001',
      },
      { Ref: 'P1', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-02-05', Product: 'ROSE-FREEDOM-50', Boxes: 2, 'Unit Cost': 0.38 },
    ]);
    expect(await main(['push', 'purchase-orders', pos, ...args])).toBe(0);
    const poRows = await readSheet(pos, 'PurchaseOrders');
    expect(poRows.map((r) => [r['PO #'], r.Status])).toEqual([
      ['PO-000001', 'OK'],
      ['PO-000001', 'OK'],
    ]);
    const po = await t.ok(`{ purchaseOrders { nodes { number lines { id boxes } } } }`);
    const lines = po.purchaseOrders.nodes[0].lines;
    await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { errors { message } } }`, {
      i: { purchaseOrder: 'PO-000001', awb: 'AWB-77', lines: lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
    });

    const staging = path.join(dir, 'staging.xlsx');
    expect(await main(['pull', 'staging', '--out', staging, ...args])).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(staging);
    const sheet = workbook.getWorksheet('Staging')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([...TABLE_COLUMNS.Staging]);
    expect(sheet.rowCount).toBe(9);
    const confirmCol = (sheet.getRow(1).values as unknown[]).indexOf('Confirm');
    sheet.getRow(2).getCell(confirmCol).value = 'x';
    sheet.getRow(8).getCell(confirmCol).value = 'yes';
    await workbook.xlsx.writeFile(staging);

    expect(await main(['confirm', staging, '--preview', ...args])).toBe(0);
    let rows = await readSheet(staging, 'Staging');
    expect(rows[0]).toMatchObject({ Result: 'WOULD BILL', 'Invoice #': '(new invoice 1)', 'Prebook #': 'PB-000001', Customer: 'FRESHMART' });
    expect(rows[6]).toMatchObject({ Result: 'WOULD CONFIRM' });
    expect(await countRows(t.orm, 'invoice')).toBe(0);

    expect(await main(['confirm', staging, ...args])).toBe(0);
    rows = await readSheet(staging, 'Staging');
    expect(rows[0]).toMatchObject({ Result: 'BILLED', 'Invoice #': 'INV-000001' });
    expect(rows[6]).toMatchObject({ Result: 'CONFIRMED', Message: 'in inventory' });
    expect(rows[1].Result).toBeNull();

    const invoices = path.join(dir, 'invoices.xlsx');
    expect(await main(['pull', 'invoices', '--out', invoices, '--customer', 'FRESHMART', ...args])).toBe(0);
    const invoiceRows = await readSheet(invoices, 'Invoices');
    expect(invoiceRows).toHaveLength(1);
    expect(invoiceRows[0]).toMatchObject({
      'Invoice #': 'INV-000001',
      Customer: 'FRESHMART',
      Status: 'PENDING',
      Product: 'ROSE-FREEDOM-50',
      Boxes: 1,
      Units: 100,
      'Unit Price': 0.85,
      Amount: 85,
    });
  });

  it('runs as a command (npx stemline-sheet), with a clear error for a bad token', async () => {
    const run = promisify(execFile);
    const help = await run(process.execPath, ['bin/stemline-sheet.js', '--help']);
    expect(help.stdout).toContain('stemline-sheet push prebooks <file.xlsx>');
    const file = path.join(dir, 'prebooks.xlsx');
    const failed = await run(process.execPath, ['bin/stemline-sheet.js', 'push', 'prebooks', file, '--server', t.url, '--token', 'wrong']).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('UNAUTHENTICATED');
  });

  it('says where a push spent its time when asked (STEMLINE_SHEET_TIMINGS=1, for the bench): each step, in order', async () => {
    const run = promisify(execFile);
    const file = path.join(dir, 'timed.xlsx');
    const row = { Ref: 'T', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': new Date('2027-02-11T00:00:00Z'), Product: 'ROSE-FREEDOM-50' };
    await writeSheet(file, 'Prebooks', [{ ...row, Boxes: 2, 'Units/Box': 100, Price: 0.85, Cost: 0.52 }]);
    const timed = await run(process.execPath, ['bin/stemline-sheet.js', 'push', 'prebooks', file, ...args], {
      env: { ...process.env, [TIMINGS_ENV]: '1' },
    });
    const at = parseTimings(timed.stderr)!;
    const steps = ['started', 'opened', 'firstRequest', 'lastAnswer', 'worked', 'saved'] as const;
    expect(steps.map((step) => typeof at[step])).toEqual(steps.map(() => 'number'));
    for (let i = 1; i < steps.length; i++) expect(at[steps[i]]!, steps[i]).toBeGreaterThanOrEqual(at[steps[i - 1]]!);
    expect((await readSheet(file, 'Prebooks'))[0].Status).toBe('OK');
    // Unasked, a run says nothing of it.
    await writeSheet(file, 'Prebooks', [{ ...row, Ref: 'U', Boxes: 3, 'Units/Box': 100, Price: 0.85, Cost: 0.52 }]);
    const plain = await run(process.execPath, ['bin/stemline-sheet.js', 'push', 'prebooks', file, ...args], { env: { ...process.env, [TIMINGS_ENV]: '' } });
    expect(parseTimings(plain.stderr)).toBeUndefined();
  });

  it('runs the build in dist/ only while it is a build of the current sources, and names the command that builds it', async () => {
    const run = promisify(execFile);
    // A checkout in miniature: the real bin, a bundle that says so, one source recorded in the stamp.
    const root = await fs.mkdtemp(path.join(dir, 'checkout-'));
    await fs.mkdir(path.join(root, 'bin'));
    for (const file of ['stemline-sheet.js', 'cli-build-stamp.js'])
      await fs.copyFile(path.join(import.meta.dirname, '../../bin', file), path.join(root, 'bin', file));
    const source = path.join(root, 'cli.ts');
    await fs.writeFile(source, 'export const a = 1;\n');
    await fs.mkdir(path.join(root, path.dirname(CLI_ENTRY)), { recursive: true });
    await fs.writeFile(path.join(root, CLI_ENTRY), "console.log('the bundle ran', process.argv.slice(2).join(' '));\n");
    const mtimeMs = (await fs.stat(source)).mtimeMs;
    await fs.writeFile(path.join(root, CLI_STAMP), JSON.stringify({ inputs: { 'cli.ts': { mtimeMs, sha256: sha256(source) } } }));
    const bin = path.join(root, 'bin/stemline-sheet.js');
    expect((await run(process.execPath, [bin, '--help'])).stdout).toBe('the bundle ran --help\n');
    // Touched but the same (a checkout, a save without a change): still current.
    const later = new Date(Date.now() + 5000);
    await fs.utimes(source, later, later);
    expect((await run(process.execPath, [bin, 'push'])).stdout).toBe('the bundle ran push\n');
    // Changed: refused, never run.
    await fs.writeFile(source, 'export const a = 2;\n');
    const stale = await run(process.execPath, [bin, '--help']).catch((e) => e);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain('is older than cli.ts: run npm run build:cli');
    // No build at all.
    await fs.rm(path.join(root, CLI_STAMP));
    const none = await run(process.execPath, [bin, '--help']).catch((e) => e);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('dist/stemline-sheet has no build of the tool: run npm run build:cli');
  });
});
