// Three real server processes on one PostgreSQL confirm overlapping and disjoint boxes at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate, prebookInStaging } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { graphql, startServerProcess, type ServerProcess } from '../../../support/server-process';
import { startTestServer, type TestServer } from '../../../support/test-server';

const TOKEN = 'multi-process-admin-token-0123456789abcdef';
const CONFIRM = `mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { label outcome billing { invoiceNumbers } } } }`;

describe('automatic billing from several server processes', () => {
  let t: TestServer;
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    servers = await Promise.all([1, 2, 3].map(() => startServerProcess({ DATABASE_URL: t.databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN })));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t.close();
  });

  it('never bills a box twice nor makes two pending invoices for one consolidation key', async () => {
    const truckDate = isoDate(30);
    // Two customers, several prebooks each, all on the same consolidation key per customer.
    const staged = [];
    for (let i = 0; i < 4; i++) {
      staged.push(
        await prebookInStaging(t, {
          customer: i % 2 ? 'BLOOMS' : 'FRESHMART',
          truckDate,
          lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.8' }],
        }),
      );
    }
    const labels = staged.flatMap((s) => s.labels);
    // Every process confirms overlapping slices (each label is sent by two or three processes) at the same time.
    const slices = [labels, labels.slice(0, 8), labels.slice(4)];
    const calls = servers.flatMap((server, i) => [
      graphql(server.url, TOKEN, CONFIRM, { l: slices[i] }),
      graphql(server.url, TOKEN, CONFIRM, { l: [...slices[(i + 1) % 3]].reverse() }),
    ]);
    const results = (await Promise.all(calls)).flatMap((r) => r.confirmStaging.results);
    const confirmedOnce = new Map<string, number>();
    for (const r of results.filter((r: any) => r.outcome === 'CONFIRMED')) confirmedOnce.set(r.label, (confirmedOnce.get(r.label) ?? 0) + 1);
    expect([...confirmedOnce.values()].every((n) => n === 1)).toBe(true);
    expect(confirmedOnce.size).toBe(labels.length);

    const sql = (q: string) => t.orm.em.getConnection().execute(q);
    expect(
      await sql(`select b.label from box b join invoice_line_box x on x.box_id = b.id join invoice_line l on l.id = x.invoice_line_id join invoice i on i.id = l.invoice_id
                       where i.status <> 'VOID' group by b.label having count(*) > 1`),
    ).toEqual([]);
    expect(await sql(`select count(*)::int as n from box where label = any('{${labels.join(',')}}') and status = 'INVOICED'`)).toEqual([{ n: labels.length }]);
    const pending = await sql(`select customer_id, ship_to_id, carrier_id, truck_date, customer_po, count(*)::int as n from invoice where status = 'PENDING'
                               group by 1, 2, 3, 4, 5 having count(*) > 1`);
    expect(pending).toEqual([]);
    const invoices = await sql(`select count(*)::int as n from invoice where status = 'PENDING' and truck_date = '${truckDate}'`);
    expect(invoices).toEqual([{ n: 2 }]);
  });

  it('makes one pending invoice per consolidation key when disjoint boxes of that key are confirmed at once', async () => {
    for (let round = 0; round < 4; round++) {
      const truckDate = isoDate(40 + round);
      const staged = [];
      for (let i = 0; i < 6; i++)
        staged.push(await prebookInStaging(t, { customer: 'FRESHMART', truckDate, lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' }] }));
      await Promise.all(staged.map((s, i) => graphql(servers[i % servers.length].url, TOKEN, CONFIRM, { l: s.labels })));
      const invoices = await t.orm.em
        .getConnection()
        .execute(`select count(*)::int as n from invoice where status = 'PENDING' and truck_date = '${truckDate}'`);
      expect(invoices).toEqual([{ n: 1 }]);
    }
  });
});
