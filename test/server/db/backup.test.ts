// npm run backup / npm run restore: a backup restored into a new database holds the same invoices,
// and numbering goes on where it was.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { rowsHeld } from '../../../server/src/db/backup';
import { createDatabaseIfMissing } from '../../../server/src/db/embedded-postgres';
import { prebookInStaging, confirm, isoDate } from '../../support/billing';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';

const INVOICES = `{ invoices { totalCount nodes { number customer { code } shipTo { code } truckDate status total cost gpmPercent pricePending
  lines { lineNo product { code } boxes units unitPrice unitCost amount labels prebookLine { prebookNumber } } } } }`;

describe('backup and restore', () => {
  let t: TestServer;
  let restored: TestServer | undefined;
  let dir: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-backup-'));
    const staged = await prebookInStaging(t, {
      customer: 'FRESHMART',
      shipTo: 'DC-ATL',
      truckDate: isoDate(5),
      customerPo: 'PO "quoted", ünïcode',
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.85', cost: '0.52' }],
    });
    await confirm(t, staged.labels);
    const boxes = await stockBoxes(t, { product: 'VASE-20', boxes: 2, unitCost: '1.25', vendor: 'VASECO' });
    await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code } } }`, {
      i: { customer: 'BLOOMS', truckDate: isoDate(6), lines: [{ labels: boxes }] },
    });
    await t.ok(`mutation { recordPayment(input: { customer: "BLOOMS", amount: "125.50", method: CHECK, reference: "CHK 77" }) { errors { code } } }`);
  });
  afterAll(async () => {
    await restored?.close();
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('restores into a new database the same invoices, and numbering continues', async () => {
    const file = path.join(dir, 'stemline.jsonl.gz');
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: t.databaseUrl };
    const backup = await run(process.execPath, ['--import', 'tsx', 'server/src/db/backup-cli.ts', 'backup', '--out', file], { env });
    expect(backup.stdout).toMatch(/Backup written to .*stemline\.jsonl\.gz/);

    const name = `restore_${crypto.randomBytes(4).toString('hex')}`;
    await createDatabaseIfMissing(inject('pgAdminUrl'), name);
    const target = inject('pgAdminUrl').replace(/\/postgres$/, `/${name}`);
    const restore = await run(process.execPath, ['--import', 'tsx', 'server/src/db/backup-cli.ts', 'restore', file], {
      env: { ...process.env, DATABASE_URL: target },
    });
    expect(restore.stdout).toContain('invoices: 2');

    restored = await startTestServer({ databaseUrl: target, adminToken: 'restore-admin' });
    const original = await t.ok(INVOICES);
    expect(original.invoices.totalCount).toBe(2);
    expect(await restored.ok(INVOICES, undefined, 'restore-admin')).toEqual(original);
    // The change feed starts again from the restored documents: each invoice once, at its current version.
    const feed = await restored.ok(
      `{ changes(types: [INVOICE]) { nodes { key version change } } invoices { nodes { number version } } }`,
      undefined,
      'restore-admin',
    );
    expect(feed.changes.nodes).toEqual(
      feed.invoices.nodes.map((i: { number: string; version: number }) => ({ key: i.number, version: i.version, change: 'CREATED' })),
    );

    // Sequences come back too: the next prebook and box take the next numbers, not ones already used.
    const next = await restored.ok(
      `mutation { savePrebooks(input: [{ customer: "BLOOMS", carrier: "FEDEX", truckDate: "2030-01-01", lines: [{ product: "VASE-20", boxes: 1, unitsPerBox: 12 }] }]) { prebooks { number } } }`,
    );
    expect(next.savePrebooks.prebooks[0].number).toBe('PB-000002');
    expect(await stockBoxes(restored, { product: 'VASE-20', boxes: 1, unitCost: '1.00', vendor: 'VASECO' })).toEqual(['B-000006']);

    // Payments come back, with the balances they make, and their numbering goes on.
    const PAYMENTS = `{ payments { nodes { number customer { code balance } amount method reference status unappliedAmount } } }`;
    const payments = await t.ok(PAYMENTS);
    expect(payments.payments.nodes).toEqual([
      {
        number: 'PMT-000001',
        customer: { code: 'BLOOMS', balance: '-125.50' },
        amount: '125.50',
        method: 'CHECK',
        reference: 'CHK 77',
        status: 'POSTED',
        unappliedAmount: '125.50',
      },
    ]);
    expect(await restored.ok(PAYMENTS, undefined, 'restore-admin')).toEqual(payments);
    const another = await restored.ok(
      `mutation { recordPayment(input: { customer: "BLOOMS", amount: "1", method: CASH }) { payment { number } } }`,
      undefined,
      'restore-admin',
    );
    expect(another.recordPayment.payment.number).toBe('PMT-000002');

    // A database that already holds data is refused, and left as it was.
    const again = await run(process.execPath, ['--import', 'tsx', 'server/src/db/backup-cli.ts', 'restore', file], {
      env: { ...process.env, DATABASE_URL: target },
    }).catch((e) => e);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('already holds data');
  }, 120_000);

  it('refuses a database holding only tokens, master data and settings, naming them; --replace saves it first, and that backup puts it back', async () => {
    const file = path.join(dir, 'source.jsonl.gz');
    const run = promisify(execFile);
    const cli = (args: string[], url: string) =>
      run(process.execPath, ['--import', 'tsx', 'server/src/db/backup-cli.ts', ...args], { env: { ...process.env, DATABASE_URL: url } });
    await cli(['backup', '--out', file], t.databaseUrl);

    // A database in use without customers, products, prebooks or invoices: its first token, a vendor, a carrier, a location, settings.
    const other = await startTestServer();
    try {
      await other.ok(`mutation { upsertVendors(input: [{ code: "ONLY-FARM", name: "Only Farm", kind: "FARM" }]) { errors { code message } } }`);
      await other.ok(`mutation { upsertCarriers(input: [{ code: "ONLY-CARRIER", name: "Only Carrier" }]) { errors { code message } } }`);
      await other.ok(`mutation { upsertLocations(input: [{ code: "ONLY-LOC", name: "Only Location" }]) { errors { code message } } }`);
      await other.ok(`mutation { updateSettings(input: { companyName: "Kept Flowers", targetGpm: "41" }) { errors { code } } }`);
      const held = `{ vendors { nodes { code } } carriers { nodes { code } } locations { nodes { code } } settings { companyName targetGpm } }`;
      const before = await other.ok(held);

      const refused = await cli(['restore', file], other.databaseUrl).catch((e) => e);
      expect(refused.code).toBe(3);
      for (const table of ['api_token', 'vendor', 'carrier', 'location', 'settings']) expect(refused.stderr).toContain(table);
      expect(refused.stderr).toMatch(/nothing was changed.*--replace/);
      // Nothing changed: the token still works and everything is there.
      expect(await other.ok(held)).toEqual(before);

      const safety = path.join(dir, 'replaced.jsonl.gz');
      const replaced = await cli(['restore', file, '--replace', '--out', safety], other.databaseUrl);
      expect(replaced.stdout).toContain(`saved to ${safety}`);
      const after = await startTestServer({ databaseUrl: other.databaseUrl, adminToken: 'replaced-admin' });
      try {
        expect((await after.ok(INVOICES, undefined, 'replaced-admin')).invoices.totalCount).toBe(2);
        expect(
          (await after.ok(`{ vendors { nodes { code } } }`, undefined, 'replaced-admin')).vendors.nodes.map((v: { code: string }) => v.code),
        ).not.toContain('ONLY-FARM');
        // The safety backup restores the original (with --replace again, since the database now holds the restored data).
        await cli(['restore', safety, '--replace', '--out', path.join(dir, 'replaced-2.jsonl.gz')], other.databaseUrl);
        expect(await after.ok(held, undefined, 'replaced-admin')).toEqual(before);
        expect((await after.ok(INVOICES, undefined, 'replaced-admin')).invoices.totalCount).toBe(0);
      } finally {
        await after.close();
      }
    } finally {
      await other.close();
    }
  }, 180_000);
  it('counts rows the migrations seed (settings, box types, credit reasons) as data only once someone changed them', async () => {
    const fresh = await startTestServer();
    const client = new pg.Client({ connectionString: fresh.databaseUrl });
    await client.connect();
    try {
      const seeded = await rowsHeld(client);
      for (const table of ['settings', 'box_type', 'credit_reason']) expect(seeded[table]).toBeUndefined();
      await fresh.ok(`mutation { upsertCreditReasons(input: [{ code: "LATE", name: "Arrived late" }]) { errors { code message } } }`);
      expect((await rowsHeld(client)).credit_reason).toBe(1);
    } finally {
      await client.end();
      await fresh.close();
    }
  });
});
