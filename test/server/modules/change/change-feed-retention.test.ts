// The change feed keeps what clients need and no more: events older than Settings.changeFeedRetentionDays are
// pruned in batches by the scheduler's run, and a cursor from before the pruned events is refused as
// CURSOR_EXPIRED (resync) rather than continuing past a silent gap.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger } from '../../../../server/src/logger';
import { runChangeFeedPruning } from '../../../../server/src/modules/change/change.scheduler';
import { pruneChangeFeed } from '../../../../server/src/modules/change/change.service';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const CHANGES = `query($after: String, $first: Int) {
  changes(after: $after, first: $first) { nodes { cursor key change } pageInfo { hasNextPage endCursor } }
}`;

const SAVE = `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number } errors { code message } } }`;

describe('changes: retention', () => {
  let t: TestServer;
  let sql: (query: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

  /** Saves one prebook (one PREBOOK event) and returns its number. */
  async function savePrebook(po: string): Promise<string> {
    const data = await t.ok(SAVE, {
      input: [{ customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: '2027-04-01', customerPo: po, lines: [{ product: 'CARN-WHITE', units: 100 }] }],
    });
    return data.savePrebooks.prebooks[0].number;
  }

  /** The feed's end now, from the start. */
  async function endCursor(after: string | null = null): Promise<string> {
    let cursor = after;
    for (;;) {
      const data = await t.ok(CHANGES, { after: cursor, first: 1000 });
      cursor = data.changes.pageInfo.endCursor;
      if (!data.changes.pageInfo.hasNextPage) return cursor!;
    }
  }

  /** Makes the events of these prebooks look `days` old. */
  async function age(numbers: string[], days: number): Promise<void> {
    await sql(`update change_event set at = now() - make_interval(days => ?) where type = 'PREBOOK' and key = any(?::text[])`, [
      days,
      `{${numbers.join(',')}}`,
    ]);
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    sql = (query, params = []) => (t.orm.em.fork() as EntityManager).execute(query, params);
  });
  afterAll(() => t.close());

  it('prunes events past the retention in feed order, stopping at the first newer one, and refuses a cursor from before them', async () => {
    const start = await endCursor();
    const old1 = await savePrebook('OLD-1');
    const afterOld1 = await endCursor(start);
    const old2 = await savePrebook('OLD-2');
    const recent = await savePrebook('RECENT');
    const old3 = await savePrebook('OLD-3');
    const afterAll = await endCursor(afterOld1);
    await age([old1, old2, old3], 100);
    await age([recent], 10);
    // What the catalogue's seeding wrote before them is older still.
    await sql(
      `update change_event set at = now() - interval '400 days' where xid < (select xid from change_event where key = ? and type = 'PREBOOK' limit 1)`,
      [old1],
    );

    const em = t.orm.em.fork() as EntityManager;
    // Everything before the recent event goes; OLD-3 comes after it in the feed and stays until it can go in order.
    expect(await pruneChangeFeed(em, { now: new Date(), days: 90, batchSize: 1 })).toBeGreaterThan(2);
    const kept = await sql(`select key from change_event where type = 'PREBOOK' and key = any(?::text[]) order by xid, id`, [
      `{${old1},${old2},${recent},${old3}}`,
    ]);
    expect(kept.map((r) => r.key)).toEqual([recent, old3]);

    // A cursor from before the pruned events would skip them: a typed error saying to resync.
    for (const cursor of [start, afterOld1]) {
      const refused = await t.gql(CHANGES, { after: cursor, first: 10 });
      expect(refused.errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
      expect(refused.errors?.[0]?.message).toMatch(/Resync/);
      expect(refused.data ?? null).toBeNull();
    }
    // A cursor after them reads on as before; a client starting afresh (no cursor) gets what is kept.
    const current = await t.gql(CHANGES, { after: afterAll, first: 10 });
    expect(current.errors).toBeUndefined();
    const fresh = await t.ok(CHANGES, { after: null, first: 1000 });
    const keys = fresh.changes.nodes.map((n: { key: string }) => n.key);
    expect(keys).toContain(recent);
    expect(keys).not.toContain(old1);
    expect(keys).not.toContain(old2);
  });

  it('runs from the scheduler with the retention of the settings, and a cursor at the pruned edge still reads on', async () => {
    const updated = await t.ok(`mutation { updateSettings(input: { changeFeedRetentionDays: 30 }) { settings { changeFeedRetentionDays } errors { code } } }`);
    expect(updated.updateSettings.settings.changeFeedRetentionDays).toBe(30);
    const before = await endCursor();
    const mid = await savePrebook('MID');
    const edge = await endCursor(before);
    const late = await savePrebook('LATE');
    await age([mid], 40);
    // Everything older than MID's stand-in age is older than 30 days too (the first test's events), so MID is the edge.
    await sql(
      `update change_event set at = now() - interval '400 days' where xid < (select xid from change_event where key = ? and type = 'PREBOOK' limit 1)`,
      [mid],
    );
    const deleted = await runChangeFeedPruning(t.orm, createLogger('silent'));
    expect(deleted).toBeGreaterThan(0);
    const [state] = await sql(`select pruned_at from change_feed_state where id = 1`);
    expect(state.pruned_at).not.toBeNull();
    // The client had read MID: its cursor is at (or past) the pruned position, so nothing was skipped for it.
    const page = await t.ok(CHANGES, { after: edge, first: 10 });
    expect(page.changes.nodes.map((n: { key: string }) => n.key)).toEqual([late]);
    expect((await t.gql(CHANGES, { after: before, first: 10 })).errors?.[0]?.extensions?.code).toBe('CURSOR_EXPIRED');
  });

  it('refuses a retention below one day, and never lets an overflowing cursor reach the database', async () => {
    const refused = await t.ok(`mutation { updateSettings(input: { changeFeedRetentionDays: 0 }) { errors { code field } } }`);
    expect(refused.updateSettings.errors).toEqual([{ code: 'INVALID_VALUE', field: 'changeFeedRetentionDays' }]);
    for (const pair of [
      ['1', '9999999999999999999'],
      ['18446744073709551616', '0'],
      ['99999999999999999999', '0'],
    ]) {
      const result = await t.gql(CHANGES, { after: Buffer.from(JSON.stringify(pair)).toString('base64url'), first: 1 });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    }
  });
});
