// The buyer's round trip with stemline-sheet on real .xlsx files: costs on prebooks, shipments, re-confirming, pulls.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { seedCatalogue } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';
import { readSheet, writeSheet } from '../support/xlsx';

describe('stemline-sheet round trip', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-round-trip-'));
    args = ['--server', t.url, '--token', t.adminToken];
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('prebooks carry Vendor and Vendor Cost, so the needs pulled from them have a cost', async () => {
    const file = path.join(dir, 'costed.xlsx');
    const base = { Ref: 'V', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-03-01' };
    await writeSheet(file, 'Prebooks', [
      { ...base, Product: 'ROSE-FREEDOM-50', Boxes: 2, 'Units/Box': 100, Price: 0.9, Vendor: 'ROSAS', 'Vendor Cost': 0.41 },
      { ...base, Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 200, Vendor: 'FLORES-EC', 'Vendor Cost': '0.095' },
    ]);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    const [row] = await readSheet(file, 'Prebooks');
    const needs = await t.ok(`query($n: String) { purchaseNeeds(filter: { prebookNumber: $n }) { nodes { product { code } vendor { code } vendorCost } } }`, { n: row['Prebook #'] });
    expect(needs.purchaseNeeds.nodes).toEqual([
      { product: { code: 'ROSE-FREEDOM-50' }, vendor: { code: 'ROSAS' }, vendorCost: '0.41' },
      { product: { code: 'CARN-WHITE' }, vendor: { code: 'FLORES-EC' }, vendorCost: '0.095' },
    ]);
  });
});
