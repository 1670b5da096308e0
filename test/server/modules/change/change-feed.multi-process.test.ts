// Two real server processes write while transactions held open with pg_sleep commit out of start order;
// a poller that keeps its cursor must end up with exactly the committed changes, none twice.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { graphql, startServerProcess, type ServerProcess } from '../../../support/server-process';
import { startTestServer, type TestServer } from '../../../support/test-server';

const TOKEN = 'change-feed-admin-token-0123456789abcdef';
const CHANGES = `query($after: String, $first: Int) { changes(after: $after, types: [PREBOOK], first: $first) { nodes { cursor key version change } pageInfo { hasNextPage endCursor } } }`;
const SAVE = `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number version } errors { code message } } }`;
const CLOSE = `mutation($n: String!) { closePrebook(number: $n) { prebook { number version } errors { code } } }`;

const prebookInput = (customerPo: string) => ({
  customer: 'FRESHMART',
  carrier: 'ARMELLINI',
  truckDate: '2027-05-03',
  customerPo,
  lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }],
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('change feed across server processes', () => {
  let t: TestServer;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: t.databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN })));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t.close();
  });

  it('a poller storing its cursor gets every committed change exactly once while long and short transactions overlap', async () => {
    // Prebooks the long transactions will change, made before the poller starts.
    const longTargets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const saved = await graphql(servers[0].url, TOKEN, SAVE, { input: [prebookInput(`LONG-${i}`)] });
      longTargets.push(saved.savePrebooks.prebooks[0].number);
    }
    let cursor: string | null = null;
    for (;;) {
      const page: any = (await graphql(servers[0].url, TOKEN, CHANGES, { after: cursor, first: 1000 })).changes;
      cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }

    const committed: string[] = [];
    const seen: string[] = [];
    const seenCursors: string[] = [];
    let writing = true;
    let pollsWhileLongOpen = 0;
    let longOpen = 0;

    const poll = async (server: ServerProcess) => {
      for (;;) {
        const page: any = (await graphql(server.url, TOKEN, CHANGES, { after: cursor, first: 7 })).changes;
        for (const node of page.nodes) {
          seen.push(`${node.key} v${node.version}`);
          seenCursors.push(node.cursor);
        }
        cursor = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage) return;
      }
    };
    const poller = (async () => {
      for (let i = 0; writing; i++) {
        if (longOpen > 0) pollsWhileLongOpen++;
        await poll(servers[i % servers.length]);
        await sleep(15);
      }
    })();

    // Short writers: each process creates prebooks and closes them, one transaction per call.
    const shortWriter = async (server: ServerProcess, name: string) => {
      for (let i = 0; i < 10; i++) {
        const saved = await graphql(server.url, TOKEN, SAVE, { input: [prebookInput(`${name}-${i}`)] });
        const { number, version } = saved.savePrebooks.prebooks[0];
        committed.push(`${number} v${version}`);
        const closed = await graphql(server.url, TOKEN, CLOSE, { n: number });
        committed.push(`${number} v${closed.closePrebook.prebook.version}`);
      }
    };
    // Long writers: a transaction writes first (so it holds an early transaction id), then sleeps while the
    // short writers commit, then commits: its change becomes visible after theirs.
    const longWriter = async (number: string, delay: number) => {
      await sleep(delay);
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      try {
        for (let round = 0; round < 3; round++) {
          await client.query('begin');
          longOpen++;
          const { rows } = await client.query(`update prebook set customer_po = $2, version = version + 1 where number = $1 returning version`, [
            number,
            `LONG-${round}`,
          ]);
          await client.query('select pg_sleep(0.35)');
          await client.query('commit');
          longOpen--;
          committed.push(`${number} v${rows[0].version}`);
          await sleep(20);
        }
      } finally {
        await client.end();
      }
    };

    await Promise.all([shortWriter(servers[0], 'A'), shortWriter(servers[1], 'B'), longWriter(longTargets[0], 0), longWriter(longTargets[1], 150)]);
    writing = false;
    await poller;
    await poll(servers[1]);

    expect(pollsWhileLongOpen).toBeGreaterThan(0);
    expect(new Set(seenCursors).size).toBe(seenCursors.length);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...committed].sort());
    expect(committed).toHaveLength(2 * 20 + 2 * 3);
  }, 120_000);
});
