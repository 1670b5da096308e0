// npm run demo against a server with the demo catalogue: it runs, says what happened, and the
// invoices it made are right. Twice, to show it can be replayed; and it says what is wrong when
// it cannot run.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalogue } from '../../../server/src/demo/demo-catalogue';
import { createLogger } from '../../../server/src/logger';
import { startTestServer, type TestServer } from '../../support/test-server';

const execFileAsync = promisify(execFile);
const SCRIPT = 'server/src/demo/play-demo.ts';

/** Runs npm run demo's script with only the given settings (none inherited from the test's environment). */
function demo(args: string[], env: Record<string, string> = {}) {
  const { STEMLINE_SERVER, STEMLINE_TOKEN, STEMLINE_DATA_DIR, PORT, ...inherited } = process.env;
  void [STEMLINE_SERVER, STEMLINE_TOKEN, STEMLINE_DATA_DIR, PORT];
  return execFileAsync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...inherited, ...env }, timeout: 120_000 });
}

/** The same, expected to fail: its exit code and what it said. */
async function demoFails(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const error = await demo(args, env).then(
    () => {
      throw new Error('npm run demo succeeded');
    },
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  return { code: error.code, stdout: error.stdout, stderr: error.stderr };
}

const INVOICES = `query($c: String) { invoices(filter: { customer: $c }, first: 100) { nodes {
  number status total cost gpmPercent pricePending lines { product { code kind } boxes units unitPrice unitCost }
} } }`;

describe('npm run demo', () => {
  let t: TestServer;
  const dataDir = path.join(os.tmpdir(), `stemline-demo-${process.pid}-${Date.now()}`);
  beforeAll(async () => {
    t = await startTestServer();
    expect((await seedDemoCatalogue(t.orm, createLogger('silent'))).seeded).toBe(true);
    await fs.mkdir(dataDir, { recursive: true });
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('plays the production flow, printing each step, its invoices and GPM; a second run does it again', async () => {
    // The first run is given server and token; the second finds them as npm start leaves them: STEMLINE_SERVER, <data dir>/admin-token.
    await fs.writeFile(path.join(dataDir, 'admin-token'), `${t.adminToken}\n`, { mode: 0o600 });
    const runs = [() => demo(['--server', t.url, '--token', t.adminToken]), () => demo([], { STEMLINE_SERVER: t.url, STEMLINE_DATA_DIR: dataDir })];
    for (const [index, play] of runs.entries()) {
      const attempt = index + 1;
      const { stdout } = await play();
      for (const step of [
        '1. Prebooks',
        '2. Standalone POs',
        '3. The farm',
        '4. The components',
        '5. The finished-goods PO',
        '6. Bouquet Works ships',
        '7. Blooms agrees',
        'gpmReport',
      ]) {
        expect(stdout, `run ${attempt}`).toContain(step);
      }
      expect(stdout).toContain('60 boxes scanned in, 60 confirmed, 60 billed on 2 consolidated invoices, no billing issues');
      expect(stdout).toContain('Bouquet Works has no boxes left in inventory');
      // The production run: whole boxes of sleeves and food went over, so the actual cost is above the estimate:
      // (47 x 125 roses x 0.37 + 500 x 0.08 + 1000 x 0.02) / 480 + 1.50 = 2233.75 / 480 + 1.50 = 6.1536.
      expect(stdout).toMatch(/Production run PR-\d+: 480 of 480 bouquets received, 480 billed/);
      expect(stdout).toContain('FLOWER-FOOD-10G: required 480.00, transferred 1000 (over 520.00), landed $20.00');
      expect(stdout).toContain('unit cost: estimated $6.04, actual $6.1536; GPM at $8.99: estimated 32.81 %, actual 31.55 %');

      // FreshMart: one invoice per run of the 400 bouquets (50 boxes) it prebooked at 8.99; the cost is the
      // prebook's rolled-up cost 6.04 (12 x 0.37 roses + 0.08 sleeve + 0.02 food + 1.50 labour), not the PO's labour.
      const freshmart = (await t.ok(INVOICES, { c: 'FRESHMART' })).invoices.nodes;
      expect(freshmart).toHaveLength(attempt);
      const latest = freshmart.find((i: any) => stdout.includes(`${i.number} FRESHMART`));
      expect(latest).toMatchObject({ status: 'PENDING', total: '3596.00', cost: '2416.00', pricePending: false });
      expect(latest.lines).toEqual([
        { product: { code: 'BQT-VALENTINE-DOZEN', kind: 'FINISHED' }, boxes: 50, units: 400, unitPrice: '8.99', unitCost: '6.04' },
      ]);
      const gpm = ((Number(latest.total) - Number(latest.cost)) / Number(latest.total)) * 100;
      expect(latest.gpmPercent).toBe(gpm.toFixed(2));
      expect(latest.gpmPercent).toBe('32.81');
      expect(stdout).toContain(`${latest.number} FRESHMART (PENDING): $3,596.00, cost $2,416.00, GPM 32.81 %`);

      // Blooms: billed with its price pending, priced later at 9.49.
      const blooms = (await t.ok(INVOICES, { c: 'BLOOMS-NYC' })).invoices.nodes;
      expect(blooms).toHaveLength(attempt);
      for (const invoice of blooms) expect(invoice).toMatchObject({ total: '759.20', cost: '483.20', gpmPercent: '36.35', pricePending: false });

      // Bouquet Works: the components at 0.00, and none of them left in inventory.
      const components = (await t.ok(INVOICES, { c: 'BOUQUETWORKS' })).invoices.nodes;
      expect(components).toHaveLength(attempt);
      for (const invoice of components) {
        expect(invoice.total).toBe('0.00');
        expect(invoice.lines.map((l: any) => l.product.code).sort()).toEqual(['FLOWER-FOOD-10G', 'ROSE-FREEDOM-50-RED', 'SLEEVE-CLEAR-50CM']);
      }
      const stock = await t.ok(`{ inventory(filter: { customer: "BOUQUETWORKS" }) { totalCount } staging { totalCount } }`);
      expect(stock).toEqual({ inventory: { totalCount: 0 }, staging: { totalCount: 0 } });
    }
  }, 240_000);

  it('says how to start the server when none answers', async () => {
    const failed = await demoFails(['--server', 'http://127.0.0.1:9', '--token', 'x']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Start it with npm start');
  });

  it('says where to find a token when it has none, and that the token was refused when it is wrong, before writing anything', async () => {
    const before = await t.ok(`{ prebooks { totalCount } }`);
    const missing = await demoFails(['--server', t.url], { STEMLINE_DATA_DIR: path.join(dataDir, 'empty') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`no API token: give --token or STEMLINE_TOKEN`);
    expect(missing.stderr).toContain(path.join(dataDir, 'empty', 'admin-token'));

    const refused = await demoFails(['--server', t.url], { STEMLINE_TOKEN: 'stl_not-a-token' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('the server refused the token from STEMLINE_TOKEN (UNAUTHENTICATED)');
    expect(refused.stdout).toBe('');

    const sales = await t.ok(`mutation { createApiToken(input: { name: "sales", role: "SALES" }) { secret } }`);
    const weak = await demoFails(['--server', t.url, '--token', sales.createApiToken.secret]);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('has role SALES: the demo needs an ADMIN or BUYER token');
    expect(await t.ok(`{ prebooks { totalCount } }`)).toEqual(before);
  });

  it('says the demo catalogue is missing on a database that had data before, and writes nothing', async () => {
    const other = await startTestServer();
    try {
      await other.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", name: "FreshMart" }]) { errors { code } } }`);
      const failed = await demoFails(['--server', other.url, '--token', other.adminToken]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('this server lacks the demo catalogue (product BQT-VALENTINE-DOZEN');
      expect(failed.stderr).not.toContain('customer FRESHMART');
      expect(failed.stderr).toContain('STEMLINE_DATA_DIR=.data-demo npm start');
      expect(await other.ok(`{ prebooks { totalCount } purchaseOrders { totalCount } }`)).toEqual({
        prebooks: { totalCount: 0 },
        purchaseOrders: { totalCount: 0 },
      });
    } finally {
      await other.close();
    }
  });

  it('exits non-zero and says why when automatic billing is off or leaves boxes unbilled; follows billing at the inbound scan', async () => {
    const other = await startTestServer();
    try {
      expect((await seedDemoCatalogue(other.orm, createLogger('silent'))).seeded).toBe(true);
      await other.ok(`mutation { updateSettings(input: { autoBilling: "OFF" }) { errors { code } } }`);
      const off = await demoFails(['--server', other.url, '--token', other.adminToken]);
      expect(off.code).toBe(1);
      expect(off.stderr).toContain('automatic billing is OFF on this server');

      await other.ok(`mutation { updateSettings(input: { autoBilling: "ON_MANUAL_CONFIRMATION" }) { errors { code } } }`);
      await other.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", excludedFromAutoBilling: true }]) { errors { code } } }`);
      const excluded = await demoFails(['--server', other.url, '--token', other.adminToken]);
      expect(excluded.code).toBe(1);
      expect(excluded.stdout).toContain('6. Bouquet Works ships');
      expect(excluded.stderr).toMatch(/automatic billing left 50 boxes unbilled: \S+ CUSTOMER_EXCLUDED/);

      await other.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", excludedFromAutoBilling: false }]) { errors { code } } }`);
      await other.ok(`mutation { updateSettings(input: { autoBilling: "ON_INCOMING_SCAN_OR_CONFIRMATION" }) { errors { code } } }`);
      const { stdout } = await demo(['--server', other.url, '--token', other.adminToken]);
      expect(stdout).toContain('60 boxes scanned in, 0 confirmed, 60 billed (60 at the scan) on 2 consolidated invoices, no billing issues');
    } finally {
      await other.close();
    }
  });
});
