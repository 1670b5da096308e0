// The buyer's round trip with stemline-sheet on real .xlsx files: costs on prebooks, shipments, re-confirming, pulls.
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { TABLE_COLUMNS } from '../../addin/sheets/tables';
import { countRows, type TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';

/** Edits cells of a workbook's table sheet: data row n (1 = first under the header) -> column -> value. */
async function edit(file: string, table: string, cells: Record<number, Record<string, ExcelJS.CellValue>>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(table)!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  for (const [row, values] of Object.entries(cells)) {
    for (const [column, value] of Object.entries(values)) {
      const col = header.indexOf(column);
      if (col < 1) throw new Error(`${table} has no column ${column}`);
      sheet.getRow(Number(row) + 1).getCell(col).value = value;
    }
  }
  await workbook.xlsx.writeFile(file);
}

describe('stemline-sheet round trip', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-round-trip-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('names a missing file or table and how to make one', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await main(['push', 'prebooks', path.join(dir, 'nowhere.xlsx'), ...args])).toBe(1);
      expect(errors.at(-1)).toContain('nowhere.xlsx: no such file (stemline-sheet new, or a pull with --out, makes one)');
      const other = path.join(dir, 'other.xlsx');
      await writeSheet(other, 'Invoices', []);
      expect(await main(['push', 'prebooks', other, ...args])).toBe(1);
      expect(errors.at(-1)).toContain('no Prebooks table (an Excel table named Prebooks, or a sheet of that name): stemline-sheet new creates one');
    } finally {
      console.error = original;
    }
  });

  it('prebooks carry Vendor and Vendor Cost, so the needs pulled from them have a cost', async () => {
    const file = path.join(dir, 'costed.xlsx');
    const base = { Ref: 'V', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-03-01' };
    await writeSheet(file, 'Prebooks', [
      { ...base, Product: 'ROSE-FREEDOM-50', Boxes: 2, 'Units/Box': 100, Price: 0.9, Vendor: 'ROSAS', 'Vendor Cost': 0.41 },
      { ...base, Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 200, Vendor: 'FLORES-EC', 'Vendor Cost': '0.095' },
    ]);
    const copy = path.join(dir, 'costed-copy.xlsx');
    await fs.copyFile(file, copy);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    const [row] = await readSheet(file, 'Prebooks');
    // A copy saved before the push is another file: its identical rows are another order (a customer's second, identical order), not a replay.
    expect(await main(['push', 'prebooks', copy, ...args])).toBe(0);
    const [copied] = await readSheet(copy, 'Prebooks');
    expect(copied['Prebook #']).not.toBe(row['Prebook #']);
    expect(copied.Message).toBe('saved');
    const needs = await t.ok(`query($n: String) { purchaseNeeds(filter: { prebookNumber: $n }) { nodes { product { code } vendor { code } vendorCost } } }`, {
      n: row['Prebook #'],
    });
    expect(needs.purchaseNeeds.nodes).toEqual([
      { product: { code: 'ROSE-FREEDOM-50' }, vendor: { code: 'ROSAS' }, vendorCost: '0.41' },
      { product: { code: 'CARN-WHITE' }, vendor: { code: 'FLORES-EC' }, vendorCost: '0.095' },
    ]);
  });

  it('ships from a Shipments sheet (one shipment per PO # and AWB), then confirms staging twice without touching what was confirmed', async () => {
    expect(TABLE_COLUMNS.PurchaseOrders).not.toContain('AWB');
    const pos = path.join(dir, 'ship-pos.xlsx');
    await writeSheet(pos, 'PurchaseOrders', [
      { Ref: 'S', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-03-01', Product: 'ROSE-FREEDOM-50', Boxes: 3, 'Unit Cost': 0.4 },
      { Ref: 'S', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-03-01', Product: 'CARN-WHITE', Boxes: 2, 'Unit Cost': 0.1 },
    ]);
    expect(await main(['push', 'purchase-orders', pos, ...args])).toBe(0);
    const po = (await readSheet(pos, 'PurchaseOrders'))[0]['PO #'] as string;

    const shipments = path.join(dir, 'shipments.xlsx');
    expect(await main(['new', 'shipments', '--out', shipments, ...args])).toBe(0);
    expect((await readSheet(shipments, 'Shipments')).length).toBe(1); // the template's one empty row
    await edit(shipments, 'Shipments', {
      1: { 'PO #': po, 'PO Line': 1, Boxes: 2, AWB: 'AWB-100', 'Arrival Date': new Date('2027-03-03T00:00:00Z'), Freight: 40, Labels: 'R-1, R-2' },
      2: { 'PO #': po, Product: 'CARN-WHITE', Boxes: 1, AWB: 'AWB-100' },
      3: { 'PO #': po, 'PO Line': 9, Boxes: 1, AWB: 'AWB-101' },
      4: { 'PO #': po, 'PO Line': 1, Boxes: 5, AWB: 'AWB-102' },
      5: { 'PO #': 'PO-999999', 'PO Line': 1, Boxes: 1, AWB: 'AWB-103' },
    });
    expect(await main(['push', 'shipments', shipments, ...args])).toBe(1);
    let rows = await readSheet(shipments, 'Shipments');
    expect(rows.map((r) => [r.Status, r.Message])).toEqual([
      ['OK', 'shipped: 2 box(es) in staging on AWB AWB-100'],
      ['OK', 'shipped: 1 box(es) in staging on AWB AWB-100'],
      ['ERROR', `PO Line: ${po} has no line 9`],
      ['ERROR', 'Boxes: line 1 (ROSE-FREEDOM-50) has 1 of 3 boxes left to ship, not 5'],
      ['ERROR', 'PO #: no purchase order PO-999999'],
    ]);
    expect(rows[0].Labels).toBe('R-1, R-2');
    expect(String(rows[1].Labels)).toMatch(/\S/);
    const staged = await t.ok(`query($po: String) { staging(filter: { purchaseOrder: $po }) { nodes { label awb arrivalDate } } }`, { po });
    expect(staged.staging.nodes.map((b: { awb: string }) => b.awb)).toEqual(['AWB-100', 'AWB-100', 'AWB-100']);
    expect(staged.staging.nodes[0].arrivalDate).toBe('2027-03-03');

    // Fixed and pushed again: only the rows not shipped yet are sent.
    const blank = { 'PO #': null, 'PO Line': null, Boxes: null, AWB: null, Status: null, Message: null };
    await edit(shipments, 'Shipments', { 3: blank, 4: { Boxes: 1 }, 5: blank });
    expect(await main(['push', 'shipments', shipments, ...args])).toBe(0);
    rows = await readSheet(shipments, 'Shipments');
    expect(rows.map((r) => r.Status)).toEqual(['OK', 'OK', null, 'OK', null]);
    expect(await countRows(t.orm, 'box')).toBe(4);

    // Staging: confirm two boxes, then one more; the first two keep Result and Invoice #, and are not sent again.
    const staging = path.join(dir, 'ship-staging.xlsx');
    expect(await main(['pull', 'staging', '--out', staging, '--po', po, ...args])).toBe(0);
    expect((await readSheet(staging, 'Staging')).length).toBe(4);
    await edit(staging, 'Staging', { 1: { Confirm: 'x' }, 2: { Confirm: 'x' } });
    expect(await main(['confirm', staging, ...args])).toBe(0);
    let confirmed = await readSheet(staging, 'Staging');
    expect(confirmed.map((r) => r.Result)).toEqual(['CONFIRMED', 'CONFIRMED', null, null]);
    await edit(staging, 'Staging', { 3: { Confirm: 'x' } });
    const copy = path.join(dir, 'ship-staging-copy.xlsx');
    await fs.copyFile(staging, copy);
    const log: string[] = [];
    const original = console.log;
    console.log = (line: string) => log.push(line);
    try {
      expect(await main(['confirm', staging, ...args])).toBe(0);
      confirmed = await readSheet(staging, 'Staging');
      expect(confirmed.map((r) => [r.Result, r.Message])).toEqual([
        ['CONFIRMED', 'in inventory'],
        ['CONFIRMED', 'in inventory'],
        ['CONFIRMED', 'in inventory'],
        [null, null],
      ]);
      expect(log.at(-1)).toContain('1 box(es) confirmed, 0 error(s). 2 marked row(s) were confirmed by an earlier run and were not sent again.');

      // The copy saved before that run, confirmed again: the server replays its answer, and the tool says so.
      expect(await main(['confirm', copy, ...args])).toBe(0);
      expect(log.at(-1)).toContain('This was a replay');
      expect((await readSheet(copy, 'Staging')).map((r) => r.Result)).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED', null]);
    } finally {
      console.log = original;
    }
    const inventory = await t.ok(`query($po: String) { staging(filter: { purchaseOrder: $po }) { totalCount } }`, { po });
    expect(inventory.staging.totalCount).toBe(1);
  });

  it('pulls prebooks by filter to edit and push again as updates; after STALE, refresh replaces only the stale documents', async () => {
    const made = path.join(dir, 'made.xlsx');
    const base = { Customer: 'FRESHMART', 'Ship To': 'DC-ATL', Carrier: 'ARMELLINI' };
    await writeSheet(made, 'Prebooks', [
      {
        ...base,
        Ref: 'P',
        'Truck Date': '2027-05-04',
        Product: 'ROSE-FREEDOM-50',
        Boxes: 2,
        'Units/Box': 100,
        Price: 0.8,
        Vendor: 'ROSAS',
        'Vendor Cost': 0.4,
      },
      { ...base, Ref: 'P', 'Truck Date': '2027-05-04', Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 300 },
      { ...base, Ref: 'Q', 'Truck Date': '2027-05-06', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 },
      { ...base, Ref: 'R', 'Truck Date': '2027-06-01', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 },
    ]);
    expect(await main(['push', 'prebooks', made, ...args])).toBe(0);
    const numbers = [...new Set((await readSheet(made, 'Prebooks')).map((r) => r['Prebook #'] as string))];
    const [p, q] = numbers;

    // Pulled by customer and truck-date range into a new workbook: May only, with numbers, versions and line ids.
    const pulled = path.join(dir, 'pulled.xlsx');
    expect(await main(['pull', 'prebooks', '--out', pulled, '--customer', 'FRESHMART', '--from', '2027-05-01', '--to', '2027-05-31', ...args])).toBe(0);
    let rows = await readSheet(pulled, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Product, r.Boxes, r.Units, r.Vendor, r['Vendor Cost'], r.Version])).toEqual([
      [p, 'ROSE-FREEDOM-50', 2, null, 'ROSAS', 0.4, 1],
      [p, 'CARN-WHITE', null, 300, null, null, 1],
      [q, 'VASE-20', 1, null, null, null, 1],
    ]);
    expect(rows.every((r) => typeof r['Line Id'] === 'string')).toBe(true);
    expect(rows[0]['Truck Date']).toEqual(new Date('2027-05-04T00:00:00Z'));
    const pulledBook = new ExcelJS.Workbook();
    await pulledBook.xlsx.readFile(pulled);
    const sheet = pulledBook.getWorksheet('Prebooks')!;
    const productColumn = (sheet.getRow(1).values as unknown[]).indexOf('Product');
    expect(sheet.getColumn(productColumn).width).toBeGreaterThanOrEqual('ROSE-FREEDOM-50'.length);

    // By vendor: the prebooks with a line naming it (P names ROSAS on its rose line).
    const byVendor = path.join(dir, 'by-vendor.xlsx');
    expect(await main(['pull', 'prebooks', '--out', byVendor, '--vendor', 'ROSAS', '--from', '2027-05-01', '--to', '2027-06-30', ...args])).toBe(0);
    expect((await readSheet(byVendor, 'Prebooks')).map((r) => [r['Prebook #'], r.Product])).toEqual([
      [p, 'ROSE-FREEDOM-50'],
      [p, 'CARN-WHITE'],
    ]);
    const portal = await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`);
    const refused = await t.gql(`{ prebooks(filter: { vendor: "ROSAS" }) { totalCount } }`, undefined, portal.createApiToken.secret);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // Edited and pushed: an update of the same prebook (version 2), nothing duplicated.
    const prebooks = await countRows(t.orm, 'prebook');
    await edit(pulled, 'Prebooks', { 1: { Boxes: 5 } });
    expect(await main(['push', 'prebooks', pulled, ...args])).toBe(0);
    rows = await readSheet(pulled, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Status, r.Version])).toEqual([
      [p, 'OK', 2],
      [p, 'OK', 2],
      [q, 'OK', 1],
    ]);
    expect(await countRows(t.orm, 'prebook')).toBe(prebooks);

    // Someone else changes P; the buyer's next edit of P comes back STALE.
    const server = await t.ok(`query($n: String) { prebooks(filter: { number: $n }) { nodes { version lines { id } } } }`, { n: p });
    const saved = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { results { status } } }`, {
      i: [
        {
          number: p,
          version: server.prebooks.nodes[0].version,
          customer: 'FRESHMART',
          shipTo: 'DC-ATL',
          carrier: 'ARMELLINI',
          truckDate: '2027-05-04',
          lines: [{ id: server.prebooks.nodes[0].lines[0].id, product: 'ROSE-FREEDOM-50', boxes: 7, unitsPerBox: 100, price: '0.8' }],
        },
      ],
    });
    expect(saved.savePrebooks.results[0].status).toBe('SAVED');
    await edit(pulled, 'Prebooks', { 2: { Units: 400 } });
    expect(await main(['push', 'prebooks', pulled, ...args])).toBe(1);
    rows = await readSheet(pulled, 'Prebooks');
    expect(rows.map((r) => r.Status)).toEqual(['STALE', 'STALE', 'OK']);

    // Meanwhile the buyer edits Q (not pushed yet); refresh replaces P's rows only: the server's one line now.
    await edit(pulled, 'Prebooks', { 3: { Boxes: 3 } });
    expect(await main(['refresh', 'prebooks', pulled, ...args])).toBe(0);
    rows = await readSheet(pulled, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Product, r.Boxes, r.Status, r.Version])).toEqual([
      [p, 'ROSE-FREEDOM-50', 7, 'OK', 3],
      [q, 'VASE-20', 3, 'OK', 1],
    ]);
    expect(await main(['push', 'prebooks', pulled, ...args])).toBe(0);
    rows = await readSheet(pulled, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Message, r.Version])).toEqual([
      [p, 'no change', 3],
      [q, 'saved', 2],
    ]);

    // Purchase orders pull by vendor, status and ship dates the same way.
    const pos = path.join(dir, 'pulled-pos-source.xlsx');
    await writeSheet(pos, 'PurchaseOrders', [
      { Ref: 'X', Vendor: 'VASECO', Location: 'NYC', 'Ship Date': '2027-07-01', Product: 'VASE-20', Boxes: 2, 'Unit Cost': 1.25 },
      { Ref: 'Y', Vendor: 'VASECO', Location: 'NYC', 'Ship Date': '2027-08-01', Product: 'VASE-20', Boxes: 1, 'Unit Cost': 1.25 },
    ]);
    expect(await main(['push', 'purchase-orders', pos, ...args])).toBe(0);
    const orders = path.join(dir, 'pulled-pos.xlsx');
    expect(await main(['pull', 'purchase-orders', '--out', orders, '--vendor', 'VASECO', '--status', 'open', '--to', '2027-07-15', ...args])).toBe(0);
    const poRows = await readSheet(orders, 'PurchaseOrders');
    expect(poRows.map((r) => [r.Vendor, r.Location, r['Ship Date'], r.Product, r.Boxes, r['Unit Cost'], r.Version, r.Status])).toEqual([
      ['VASECO', 'NYC', new Date('2027-07-01T00:00:00Z'), 'VASE-20', 2, 1.25, 1, 'OK'],
    ]);
    await edit(orders, 'PurchaseOrders', { 1: { Boxes: 4 } });
    expect(await main(['push', 'purchase-orders', orders, ...args])).toBe(0);
    expect((await readSheet(orders, 'PurchaseOrders')).map((r) => [r.Message, r.Version])).toEqual([['saved', 2]]);
  });
});
