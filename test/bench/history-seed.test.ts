// npm run bench -- --history: the year written before the day's work is one the server can work on: the
// box invariants hold over it, every final state is there, and the server's reads and writes go on from it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyPlan, seedHistory, type HistoryCounts } from '../../bench/history-seed';
import type { EntityManager } from '@mikro-orm/postgresql';
import { pruneChangeFeed } from '../../server/src/modules/change/change.service';
import { countInvariantViolations } from '../../soak/box-invariants';
import { seedCatalogue } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

describe('a year of history for the bench', () => {
  let t: TestServer;
  let counts: HistoryCounts;
  let db: pg.Client;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    counts = await seedHistory(t.databaseUrl, historyPlan('20000'));
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  }, 240_000);
  afterAll(async () => {
    await db.end();
    await t.close();
  });

  it('reads --history as 1y or a number of boxes', () => {
    expect(historyPlan('1y')).toMatchObject({ boxes: 1_000_000, customers: 500, products: 1000 });
    expect(historyPlan('250000').boxes).toBe(250_000);
    for (const bad of ['1x', '0', '12.5', '']) expect(() => historyPlan(bad)).toThrow(/--history takes 1y or a number of boxes/);
  });

  it('writes about the boxes asked, over about 250 working days with peaks, in every final state', async () => {
    expect(counts.box).toBeGreaterThan(19_000);
    expect(counts.box).toBeLessThanOrEqual(20_000);
    const days = await db.query<{ days: string; peak: string; normal: string }>(
      `select count(distinct received_at::date) as days,
              max(n) filter (where extract(month from d) = 2 and extract(day from d) <= 13) as peak,
              percentile_disc(0.5) within group (order by n) as normal
         from (select received_at, received_at::date as d, count(*) over (partition by received_at::date) as n from box where received_at is not null) x`,
    );
    expect(Number(days.rows[0].days)).toBeGreaterThanOrEqual(240);
    expect(Number(days.rows[0].days)).toBeLessThanOrEqual(262);
    expect(Number(days.rows[0].peak)).toBeGreaterThan(3 * Number(days.rows[0].normal));
    const states = await db.query<{ status: string; n: string }>(`select status, count(*) as n from box group by status`);
    expect(states.rows.map((r) => r.status).sort()).toEqual(['INVOICED', 'IN_INVENTORY', 'VOID']);
    expect(states.rows.every((r) => Number(r.n) > 0)).toBe(true);
    for (const table of ['prebook', 'invoice', 'credit', 'inventory_adjustment', 'audit_event', 'change_event', 'purchase_order'])
      expect(counts[table]).toBeGreaterThan(0);
    const { rows } = await db.query(`select count(*) as n from prebook where source = 'STANDING_ORDER'`);
    expect(Number(rows[0].n)).toBeGreaterThan(0);
    // Every prebooked line of the year was bought: nothing of it is left for purchaseNeeds.
    const needs = await t.ok<{ purchaseNeeds: { totalCount: number } }>(`{ purchaseNeeds(first: 1) { totalCount } }`);
    expect(needs.purchaseNeeds.totalCount).toBe(0);
  });

  it('holds the box invariants, and the feed is dated over the year', async () => {
    expect(await countInvariantViolations(t.databaseUrl)).toEqual({
      boxesBilledTwice: 0,
      boxesLost: 0,
      boxesInBadState: 0,
      prebookLinesOverbilled: 0,
      invoiceLinesUnbalanced: 0,
    });
    const feed = await db.query<{ oldest: Date; newest: Date }>(`select min(at) as oldest, max(at) as newest from change_event where key like 'PB-%'`);
    expect(Date.now() - feed.rows[0].oldest.getTime()).toBeGreaterThan(300 * 86_400_000);
  });

  it('is a database the server reads and writes on: invoices of a customer, a credit, and numbering going on', async () => {
    const data = await t.ok<{ invoices: { totalCount: number; nodes: Array<{ number: string; total: string; creditedAmount: string }> } }>(
      `{ invoices(filter: { customer: "H-C0007" }, first: 50) { totalCount nodes { number total creditedAmount } } }`,
    );
    expect(data.invoices.totalCount).toBeGreaterThan(0);
    const [line] = (
      await db.query<{ number: string; id: number }>(
        `select i.number, l.id from invoice_line l join invoice i on i.id = l.invoice_id where l.prebook_line_id is not null
          and not exists (select 1 from credit_line c where c.invoice_line_id = l.id) order by l.id limit 1`,
      )
    ).rows;
    const credit = await t.ok<{ requestCredit: { credit: { number: string } | null; errors: unknown[] } }>(
      `mutation($i: RequestCreditInput!) { requestCredit(input: $i) { credit { number } errors { message } } }`,
      { i: { invoice: line.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: String(line.id), units: 10 }] } },
    );
    expect(credit.requestCredit.errors).toEqual([]);
    const highest = await db.query<{ n: string }>(`select max(substr(number, 4)::int) as n from credit where number <> $1`, [
      credit.requestCredit.credit!.number,
    ]);
    expect(credit.requestCredit.credit!.number).toBe(`CR-${String(Number(highest.rows[0].n) + 1).padStart(6, '0')}`);
  });

  it("prunes the year's feed past its retention in batches, each its own transaction, while the server writes", async () => {
    const old = async () => Number((await db.query<{ n: string }>(`select count(*) as n from change_event where at < now() - interval '90 days'`)).rows[0].n);
    const before = await old();
    expect(before).toBeGreaterThan(10_000);
    const pruning = pruneChangeFeed(t.orm.em.fork() as EntityManager, { now: new Date(), days: 90, batchSize: 1000 });
    // A write in the middle of the pruning goes through; the pruning never holds it for its whole run.
    const write = await t.ok<{ upsertCustomers: { errors: unknown[] } }>(
      `mutation { upsertCustomers(input: [{ code: "DURING-PRUNE", name: "Written while pruning" }]) { errors { message } } }`,
    );
    expect(write.upsertCustomers.errors).toEqual([]);
    expect(await pruning).toBe(before);
    expect(await old()).toBe(0);
    // Read from the start, the feed begins after what was pruned: the customer written meanwhile is there.
    const kept = await t.ok<{ changes: { nodes: Array<{ key: string }> } }>(`{ changes(types: [CUSTOMER], first: 500) { nodes { key } } }`);
    expect(kept.changes.nodes.map((n) => n.key)).toContain('DURING-PRUNE');
  });
});
