// The change feed: an outbox written by the writing transaction itself, read only below the oldest
// transaction still running, so a stored cursor never skips a change that commits late.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prebookInStaging, isoDate, confirm } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { initOrm } from '../../../../server/src/db/orm';
import { createTestDatabase, startTestServer, type TestServer } from '../../../support/test-server';

const CHANGES = `query($after: String, $types: [ChangeType!], $first: Int) {
  changes(after: $after, types: $types, first: $first) { nodes { cursor type id key version change } pageInfo { hasNextPage endCursor } totalCount }
}`;

interface Change {
  cursor: string;
  type: string;
  id: string;
  key: string;
  version: number | null;
  change: string;
}

/** Reads the feed to its current end from `after`, page by page, as a client that stores the cursor does. */
async function drain(
  t: TestServer,
  after: string | null,
  options: { types?: string[]; token?: string; first?: number } = {},
): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = [];
  let cursor = after;
  for (;;) {
    const data = await t.ok(CHANGES, { after: cursor, types: options.types ?? null, first: options.first ?? 50 }, options.token);
    changes.push(...data.changes.nodes);
    cursor = data.changes.pageInfo.endCursor;
    if (!data.changes.pageInfo.hasNextPage) return { changes, cursor: cursor! };
  }
}

const summary = (changes: Change[]) => changes.map((c) => `${c.type} ${c.key} ${c.change} v${c.version ?? '-'}`);

describe('changes: the change feed', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('reports each document once per transaction with its version and kind, and continues from the stored cursor', async () => {
    const start = (await drain(t, null)).cursor;
    const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number } errors { code } } }`, {
      input: [
        {
          customer: 'FRESHMART',
          carrier: 'ARMELLINI',
          truckDate: '2027-04-01',
          lines: [
            { product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100 },
            { product: 'CARN-WHITE', units: 500 },
          ],
        },
      ],
    });
    const number = saved.savePrebooks.prebooks[0].number;
    await t.ok(`mutation($n: String!) { closePrebook(number: $n) { errors { code } } }`, { n: number });
    // A rejected document writes nothing, so it leaves no change either.
    const rejected = await t.ok(
      `mutation { savePrebooks(input: [{ customer: "NOBODY", carrier: "ARMELLINI", truckDate: "2027-04-01", lines: [] }]) { errors { code } } }`,
    );
    expect(rejected.savePrebooks.errors.length).toBeGreaterThan(0);

    const firstPage = await t.ok(CHANGES, { after: start, first: 1 });
    expect(firstPage.changes.totalCount).toBe(2);
    const { changes, cursor } = await drain(t, start, { first: 1 });
    expect(summary(changes)).toEqual([`PREBOOK ${number} CREATED v1`, `PREBOOK ${number} UPDATED v2`]);
    expect(new Set(changes.map((c) => c.id)).size).toBe(1);
    // Asking again with the stored cursor: nothing new, nothing twice; a node's own cursor continues after it.
    expect((await drain(t, cursor)).changes).toEqual([]);
    expect(summary((await drain(t, changes[0].cursor)).changes)).toEqual([`PREBOOK ${number} UPDATED v2`]);
  });

  it('covers set-based billing writes: confirming boxes reports the boxes and the invoice they went on', async () => {
    const staged = await prebookInStaging(t, {
      customer: 'BLOOMS',
      truckDate: isoDate(5),
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80' }],
    });
    const { cursor } = await drain(t, null);
    const results = await confirm(t, staged.labels);
    const invoiceNumber = results[0].billing.invoiceNumbers[0];
    expect(invoiceNumber).toBeTruthy();
    const { changes } = await drain(t, cursor, { types: ['INVOICE', 'BOX'] });
    expect(summary(changes).sort()).toEqual(
      [`BOX ${staged.labels[0]} UPDATED v-`, `BOX ${staged.labels[1]} UPDATED v-`, `INVOICE ${invoiceNumber} CREATED v1`].sort(),
    );
    const withInvoice = await t.ok(
      `query($after: String) { changes(after: $after, types: [INVOICE]) { nodes { invoice { number total customer { code } } } } }`,
      { after: cursor },
    );
    expect(withInvoice.changes.nodes).toEqual([{ invoice: { number: invoiceNumber, total: '160.00', customer: { code: 'BLOOMS' } } }]);
  });

  it('never hands out a cursor past a transaction still running: a change that commits late is not skipped', async () => {
    const { cursor: start } = await drain(t, null);
    const long = new pg.Client({ connectionString: t.databaseUrl });
    await long.connect();
    try {
      await long.query('begin');
      await long.query(`update customer set name = 'FreshMart (renamed)' where code = 'FRESHMART'`);
      // A later transaction commits first.
      await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", name: "Blooms Florist Inc." }]) { errors { code } } }`);
      const during = await drain(t, start);
      expect(during.changes).toEqual([]);
      await long.query('commit');
    } finally {
      await long.end();
    }
    const after = await drain(t, start);
    expect(summary(after.changes)).toEqual(['CUSTOMER FRESHMART UPDATED v-', 'CUSTOMER BLOOMS UPDATED v-']);
  });

  it('gives a CUSTOMER token only its own invoices and prebooks', async () => {
    const token = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
    const all = await drain(t, null);
    const own = await drain(t, null, { token });
    expect(own.changes.length).toBeGreaterThan(0);
    expect(new Set(own.changes.map((c) => c.type))).toEqual(new Set(['INVOICE', 'PREBOOK']));
    const ownKeys = await t.ok(
      `{ invoices(filter: { customer: "BLOOMS" }) { nodes { number } } prebooks(filter: { customer: "BLOOMS" }) { nodes { number } } }`,
    );
    const expected = all.changes.filter((c) =>
      (c.type === 'INVOICE' ? ownKeys.invoices.nodes : c.type === 'PREBOOK' ? ownKeys.prebooks.nodes : []).some((n: { number: string }) => n.number === c.key),
    );
    expect(own.changes.map((c) => c.cursor)).toEqual(expected.map((c) => c.cursor));
    // Asking for other types or another customer's documents yields nothing more.
    expect((await drain(t, null, { token, types: ['BOX', 'PURCHASE_ORDER', 'CUSTOMER'] })).changes).toEqual([]);
  });

  it('tells a customer when its prebook moves to another customer (REMOVED, without the document), and the new owner sees it', async () => {
    const blooms = (await t.ok(`mutation { createApiToken(input: { name: "blooms-move", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken
      .secret;
    const fresh = (await t.ok(`mutation { createApiToken(input: { name: "freshmart-move", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`))
      .createApiToken.secret;
    const bloomsStart = (await drain(t, null, { token: blooms })).cursor;
    const freshStart = (await drain(t, null, { token: fresh })).cursor;
    const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number version } errors { code } } }`, {
      input: [{ customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: '2027-04-02', lines: [{ product: 'CARN-WHITE', units: 100 }] }],
    });
    const { number, version } = saved.savePrebooks.prebooks[0];
    const moved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number } errors { code message } } }`, {
      input: [{ number, version, customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: '2027-04-02', lines: [{ product: 'CARN-WHITE', units: 100 }] }],
    });
    expect(moved.savePrebooks.errors).toEqual([]);
    const PREBOOK_CHANGES = `query($after: String) { changes(after: $after, types: [PREBOOK]) { nodes { key change prebook { number customer { code } } } } }`;
    const old = await t.ok(PREBOOK_CHANGES, { after: bloomsStart }, blooms);
    expect(old.changes.nodes).toEqual([
      { key: number, change: 'CREATED', prebook: null },
      { key: number, change: 'REMOVED', prebook: null },
    ]);
    const now = await t.ok(PREBOOK_CHANGES, { after: freshStart }, fresh);
    expect(now.changes.nodes).toEqual([{ key: number, change: 'UPDATED', prebook: { number, customer: { code: 'FRESHMART' } } }]);
    // Staff see one ordinary update.
    const staff = await drain(t, bloomsStart, { types: ['PREBOOK'] });
    expect(staff.changes.filter((c) => c.key === number).map((c) => c.change)).toEqual(['CREATED', 'UPDATED']);
  });

  it('refuses a cursor it did not make, or one beyond what this database has handed out (another database, or before a restore)', async () => {
    const result = await t.gql(CHANGES, { after: 'not-a-cursor' });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const future = Buffer.from(JSON.stringify(['999999999999', '0'])).toString('base64url');
    const beyond = await t.gql(CHANGES, { after: future });
    expect(beyond.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(beyond.errors?.[0].message).toMatch(/from the start/);
  });

  it('enters documents that existed before the feed once, as created by its migration', async () => {
    const orm = await initOrm(await createTestDatabase());
    try {
      const migrator = orm.getMigrator();
      const feed = (await migrator.getExecutedMigrations()).map((m) => m.name).find((name) => name.endsWith('_change_feed'))!;
      await migrator.down({ migrations: [feed] });
      const sql = (q: string) => orm.em.getConnection().execute(q);
      await sql(`insert into customer (code, name, created_at, updated_at) values ('OLDCO', 'Old customer', now(), now())`);
      await migrator.up();
      expect(await sql(`select type, key, version, change from change_event`)).toEqual([{ type: 'CUSTOMER', key: 'OLDCO', version: null, change: 'CREATED' }]);
    } finally {
      await orm.close();
    }
  });
});
