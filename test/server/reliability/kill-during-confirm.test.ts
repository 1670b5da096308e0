// A server process killed (SIGKILL) while it confirms and bills 10,000 boxes leaves nothing half-done,
// and the same call retried with its idempotency key, on another process, completes it once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../../bench/bench-client';
import { buildDocuments, planFor, seedMasters, shipAll } from '../../../bench/dataset';
import { checkBoxInvariants, checkNoOverbilling } from '../../support/invariants';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { createTestDatabase } from '../../support/test-server';
import { initOrm } from '../../../server/src/db/orm';

const TOKEN = 'kill-test-admin-token-0123456789abcdef';
const BOXES = 10_000;
const CONFIRM = `mutation($p: [String!], $k: String) { confirmStaging(input: { purchaseOrders: $p }, idempotencyKey: $k) { replayed summary { confirmed billed invoices } errors { code } } }`;

describe('SIGKILL in the middle of a confirmation', () => {
  let databaseUrl: string;
  let db: pg.Client;
  let purchaseOrders: string[];
  const servers: ServerProcess[] = [];
  const start = async () => {
    const server = await startServerProcess({ DATABASE_URL: databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_DEMO_DATA: 'off' });
    servers.push(server);
    return server;
  };
  const counts = async () =>
    (
      await db.query(`select (select count(*) from box where status = 'STAGED')::int as staged, (select count(*) from box where status <> 'STAGED')::int as moved,
        (select count(*) from invoice)::int as invoices, (select count(*) from invoice_line_box)::int as takes, (select count(*) from idempotency_record)::int as keys`)
    ).rows[0];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const server = await start();
    await seedMasters(server.url, TOKEN);
    purchaseOrders = (await buildDocuments(server.url, TOKEN, planFor(BOXES))).purchaseOrders;
    expect(await shipAll(server.url, TOKEN, purchaseOrders)).toBe(BOXES);
    await server.stop();
  }, 300_000);
  afterAll(async () => {
    for (const server of servers) await server.stop('SIGKILL');
    await db?.end();
  });

  it('leaves every box staged and nothing billed, then completes on retry with the same key', async () => {
    const doomed = await start();
    const call = graphql(doomed.url, TOKEN, CONFIRM, { p: purchaseOrders, k: 'confirm-valentines' }).catch((error: unknown) => error);
    // Kill it once its transaction holds the boxes (it has locked them and is billing).
    let sawTransaction = false;
    for (let i = 0; i < 600 && !sawTransaction; i++) {
      const { rows } = await db.query(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null and backend_xid is not null`,
      );
      sawTransaction = rows[0].n > 0;
      if (!sawTransaction) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(sawTransaction).toBe(true);
    expect(await doomed.stop('SIGKILL')).toBeNull();
    expect(await call).toBeInstanceOf(Error);

    // PostgreSQL rolls the dead connection's transaction back: untouched, not half-done.
    let after = await counts();
    for (let i = 0; i < 100 && after.moved + after.invoices + after.takes > 0; i++) after = await counts();
    expect(after).toEqual({ staged: BOXES, moved: 0, invoices: 0, takes: 0, keys: 0 });

    const survivor = await start();
    const retried = await graphql(survivor.url, TOKEN, CONFIRM, { p: purchaseOrders, k: 'confirm-valentines' });
    expect(retried.confirmStaging).toMatchObject({ replayed: false, errors: [], summary: { confirmed: BOXES } });
    const billed = retried.confirmStaging.summary.billed;
    expect(billed).toBe(planFor(BOXES).prebookLines * planFor(BOXES).boxesPerLine);

    const again = await graphql(survivor.url, TOKEN, CONFIRM, { p: purchaseOrders, k: 'confirm-valentines' });
    expect(again.confirmStaging).toMatchObject({ replayed: true, summary: retried.confirmStaging.summary });
    expect(await counts()).toMatchObject({ staged: 0, moved: BOXES, takes: billed, invoices: retried.confirmStaging.summary.invoices });

    const orm = await initOrm(databaseUrl, { debug: false });
    try {
      await checkBoxInvariants(orm);
      await checkNoOverbilling(orm);
    } finally {
      await orm.close();
    }
  }, 300_000);
});
