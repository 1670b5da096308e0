import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, type TestServer } from '../support/test-server';
import { closeCliWorkspace, runCli, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';

const FIELD_NAMES = /truckDate|unitsPerBox|sellBy|boxType|customerPo|shipDate|unitCost|portOfOrigin|vendorCost|shipTo/;

const run = runCli;

describe('every error of a document in one push (stemline-sheet on .xlsx files)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('push-errors-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('reports local and server errors together, by Excel row and column header, and defaults a blank Units/Box', async () => {
    const file = path.join(dir, 'prebooks.xlsx');
    const base = { Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': new Date('2027-02-10T00:00:00Z') };
    await writeSheet(file, 'Prebooks', [
      // Excel rows 2-4: one document with a bad date (found locally), an unknown product and -3 boxes (found by the server).
      { ...base, Ref: 'A', 'Truck Date': '2026-02-30', Product: 'TULIP', Boxes: -3, 'Units/Box': 10 },
      { ...base, Ref: 'A', 'Truck Date': '2026-02-30', Product: 'ROSE-FREEDOM-50', Boxes: 2 },
      { ...base, Ref: 'A', 'Truck Date': '2026-02-30', Product: 'ROSE-FREEDOM-50', Boxes: 1, 'Units/Box': 'ten' },
      // Excel row 5: a good document whose blank Units/Box takes the product's 100.
      { ...base, Ref: 'B', Product: 'ROSE-FREEDOM-50', Boxes: 3 },
      // Excel rows 6-7: an ambiguous text date, an unknown customer, 0 units per box and a bad sell-by.
      { ...base, Ref: 'C', Customer: 'NOBODY', 'Truck Date': '03/04/2027', Product: 'CARN-WHITE', Boxes: 1, 'Units/Box': 0 },
      { ...base, Ref: 'C', Customer: 'NOBODY', 'Truck Date': '03/04/2027', Product: 'CARN-WHITE', 'Sell By': 'BUNDLE', Units: 10 },
    ]);
    const { code, out } = await run(['push', 'prebooks', file, ...args]);
    expect(code).toBe(1);
    const rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r.Status, r.Message])).toEqual([
      [
        'ERROR',
        'Truck Date "2026-02-30" is not a date: 2026-02 has 28 days; Product: unknown product "TULIP"; Boxes must be a whole number from 1 to 1000000, got -3',
      ],
      ['ERROR', 'not saved: row 2 of this document has an error'],
      ['ERROR', 'Units/Box "ten" is not a whole number'],
      ['OK', 'saved'],
      [
        'ERROR',
        'Truck Date "03/04/2027" could be 4 March 2027 (month/day) or 3 April 2027 (day/month): type it as 2027-03-04 or 2027-04-03; Customer: unknown customer "NOBODY"; Units/Box must be a whole number from 1 to 100000, got 0',
      ],
      ['ERROR', 'Sell By "BUNDLE" is not one of BOX, UNIT'],
    ]);
    expect(rows.some((r) => FIELD_NAMES.test(String(r.Message)))).toBe(false);
    // The summary names the rows as Excel numbers them.
    expect(out).toContain('Prebooks row 2: ERROR Truck Date "2026-02-30"');
    expect(out).toContain('Prebooks row 7: ERROR Sell By "BUNDLE"');
    expect(out).not.toContain('Prebooks row 5');
    // Only the good document was written, with the product's units per box.
    expect(await countRows(t.orm, 'prebook')).toBe(1);
    const saved = await t.ok(`{ prebooks { nodes { lines { boxes unitsPerBox units boxType { code } } } } }`);
    expect(saved.prebooks.nodes[0].lines).toEqual([{ boxes: 3, unitsPerBox: 100, units: 300, boxType: { code: 'QB' } }]);
  });

  it('does the same for purchase orders: a bad ship date with an unknown vendor and bad quantities, all at once', async () => {
    const file = path.join(dir, 'purchase-orders.xlsx');
    await writeSheet(file, 'PurchaseOrders', [
      { Ref: 'P', Vendor: 'NOFARM', Location: 'MIA', 'Ship Date': '31/31/2027', Product: 'ROSE-FREEDOM-50', Boxes: -1, 'Unit Cost': 0.38 },
      { Ref: 'P', Vendor: 'NOFARM', Location: 'MIA', 'Ship Date': '31/31/2027', Product: 'NOPE', Boxes: 2, 'Unit Cost': 'cheap' },
    ]);
    expect((await run(['push', 'purchase-orders', file, ...args])).code).toBe(1);
    const rows = await readSheet(file, 'PurchaseOrders');
    expect(rows.map((r) => r.Message)).toEqual([
      'Ship Date "31/31/2027" is not a date: neither month/day nor day/month is a real date; Vendor: unknown vendor "NOFARM"; Boxes must be a whole number from 1 to 1000000, got -1',
      'Unit Cost "cheap" is not a number; Product: unknown product "NOPE"',
    ]);
    expect(await countRows(t.orm, 'purchase_order')).toBe(0);
  });
});
