// A purchase order's last staged boxes scanned at once by two server processes: each scan sees the other's box
// still staged while its own transaction runs, so neither may mark the order RECEIVED inside it; the one that
// commits last must still find it done. The test holds both scans inside their transactions (on the advisory
// lock billing takes for the invoice's consolidation key, after the order's status was looked at) until both
// wait there, then lets them commit.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const SCAN = `mutation($labels: [String!]!) { scanBoxes(labels: $labels, kind: INBOUND) { results { label outcome billing { invoiceNumbers } } } }`;

describe('purchase order status under concurrent scans', () => {
  let one: TestServer;
  let two: TestServer;
  let holder: pg.Client;

  beforeAll(async () => {
    one = await startTestServer();
    two = await startTestServer({ databaseUrl: one.databaseUrl });
    await seedCatalogue(one);
    await setSettings(one, { autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION' });
    holder = new pg.Client({ connectionString: one.databaseUrl });
    await holder.connect();
  });
  afterAll(async () => {
    await holder.end();
    await two.close();
    await one.close();
  });

  it('is RECEIVED after two processes scan its last two boxes at the same time', async () => {
    const truckDate = isoDate(3);
    // Two lines (so the two scans lock different prebook lines), one box each, on one invoice key.
    const staged = await prebookInStaging(one, {
      customer: 'FRESHMART',
      truckDate,
      customerPo: 'RACE-1',
      lines: [
        { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.80' },
        { product: 'CARN-WHITE', boxes: 1, unitsPerBox: 100, price: '0.30' },
      ],
    });
    expect(staged.labels).toHaveLength(2);
    const {
      rows: [prebook],
    } = await holder.query(`select customer_id, ship_to_id, carrier_id, truck_date::text as truck_date, customer_po from prebook where number = $1`, [
      staged.number,
    ]);
    const {
      rows: [order],
    } = await holder.query(
      `select distinct po.id, po.status from purchase_order po join purchase_order_line l on l.purchase_order_id = po.id join box b on b.purchase_order_line_id = l.id where b.label = any($1)`,
      [staged.labels],
    );
    expect(order.status).toBe('SHIPPED');
    // The consolidation key's advisory lock, as billing names it (customer|ship-to|carrier|truck date|customer PO).
    const key = `stemline:invoice:${[prebook.customer_id, prebook.ship_to_id, prebook.carrier_id, prebook.truck_date, prebook.customer_po].map((p) => p ?? '').join('|')}`;
    await holder.query(`select pg_advisory_lock(hashtextextended($1, 0))`, [key]);
    const scans = [one.gql(SCAN, { labels: [staged.labels[0]] }), two.gql(SCAN, { labels: [staged.labels[1]] })];
    try {
      // Both scans wait on the key inside their transactions, past the point where they looked at the order.
      for (let waited = 0; ; waited += 50) {
        const {
          rows: [{ n }],
        } = await holder.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'`);
        if (n >= 2) break;
        if (waited > 20_000) throw new Error('the scans never waited on the consolidation key');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await holder.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
    }
    const results = await Promise.all(scans);
    for (const result of results) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.scanBoxes.results[0].outcome).toBe('SCANNED');
      expect(result.data!.scanBoxes.results[0].billing.invoiceNumbers).toHaveLength(1);
    }
    const {
      rows: [after],
    } = await holder.query(`select status from purchase_order where id = $1`, [order.id]);
    expect(after.status).toBe('RECEIVED');
    const { rows: boxes } = await holder.query(`select status from box where label = any($1)`, [staged.labels]);
    expect(boxes.map((b) => b.status)).toEqual(['INVOICED', 'INVOICED']);
  });
});
