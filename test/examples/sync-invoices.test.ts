// The example integration runs as a real process against a real server and prints each invoice change once.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, isoDate, prebookInStaging } from '../support/billing';
import { seedCatalogue } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

const run = promisify(execFile);

describe('examples/sync-invoices.ts', () => {
  let t: TestServer;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-invoices-'));
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sync = async (token: string, cursorFile = path.join(dir, 'cursor')) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/sync-invoices.ts'], {
      env: { ...process.env, STEMLINE_URL: `${t.url}/graphql`, STEMLINE_TOKEN: token, STEMLINE_CURSOR_FILE: cursorFile },
    });
    return stdout.trim() ? stdout.trim().split('\n') : [];
  };

  it('prints new invoices, then only what changed since the stored cursor', async () => {
    const truckDate = isoDate(7);
    const staged = await prebookInStaging(t, {
      customer: 'BLOOMS',
      truckDate,
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80' }],
    });
    const [first] = await confirm(t, staged.labels);
    const number = first.billing.invoiceNumbers[0];

    expect(await sync(t.adminToken)).toEqual([`new ${number} v1 PENDING BLOOMS truck ${truckDate} lines 1 total 160.00`]);
    expect(await sync(t.adminToken)).toEqual([]);

    const confirmed = await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { invoice { version } errors { code } } }`, { n: number });
    expect(confirmed.confirmInvoice.errors).toEqual([]);
    const version = confirmed.confirmInvoice.invoice.version;
    const more = await prebookInStaging(t, { customer: 'FRESHMART', truckDate, lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12 }] });
    const [second] = await confirm(t, more.labels);
    const other = second.billing.invoiceNumbers[0];
    expect(await sync(t.adminToken)).toEqual([
      `changed ${number} v${version} CONFIRMED BLOOMS truck ${truckDate} lines 1 total 160.00`,
      `new ${other} v1 PENDING FRESHMART truck ${truckDate} lines 1 total 0.00 + price pending`,
    ]);
    expect(await sync(t.adminToken)).toEqual([]);

    // A CUSTOMER token syncs its own invoices only, from its own cursor.
    const token = (await t.ok(`mutation { createApiToken(input: { name: "fm books", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken
      .secret;
    expect(await sync(token, path.join(dir, 'freshmart-cursor'))).toEqual([
      `new ${other} v1 PENDING FRESHMART truck ${truckDate} lines 1 total 0.00 + price pending`,
    ]);
  });
});
