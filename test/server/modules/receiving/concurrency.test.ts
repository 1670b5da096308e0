// Two servers (each with its own pool, as two processes would) on one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { countRows, startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../../../support/test-server';

describe('concurrent state changes of one box', () => {
  let a: TestServer;
  let b: TestServer;
  beforeAll(async () => {
    a = await startTestServer();
    b = await startTestServer({ databaseUrl: a.databaseUrl });
    await seedCatalogue(a);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const servers = () => [a, b, a, b, a, b];
  const tokenOf = (t: TestServer) => (t === a ? a.adminToken : TEST_ADMIN_TOKEN);

  it('confirms a staged box exactly once when confirmations race', async () => {
    for (let round = 0; round < 5; round++) {
      const [label] = await stockBoxes(a, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', confirm: false });
      const results = await Promise.all(
        servers().map((t) =>
          t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { outcome code } } }`, { l: [label] }, tokenOf(t)),
        ),
      );
      const outcomes = results.map((r) => r.confirmStaging.results[0]);
      expect(outcomes.filter((o) => o.outcome === 'CONFIRMED')).toHaveLength(1);
      expect(outcomes.filter((o) => o.outcome === 'ERROR').every((o) => o.code === 'INVALID_STATUS')).toBe(true);
    }
  });

  it('puts a box on exactly one invoice when invoices race', async () => {
    const labels = await stockBoxes(a, { product: 'VASE-20', boxes: 3, unitCost: '1', vendor: 'VASECO' });
    for (const label of labels) {
      const before = await countRows(a.orm, 'invoice');
      const results = await Promise.all(
        servers().map((t, i) =>
          t.ok(
            `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code } } }`,
            { input: { customer: i % 2 ? 'BLOOMS' : 'FRESHMART', truckDate: '2027-02-10', lines: [{ labels: [label], unitPrice: '2' }] } },
            tokenOf(t),
          ),
        ),
      );
      const winners = results.filter((r) => r.createInvoice.invoice);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.createInvoice.invoice).every((r) => r.createInvoice.errors[0].code === 'INVALID_STATUS')).toBe(true);
      expect(await countRows(a.orm, 'invoice')).toBe(before + 1);
      const [row] = await a.orm.em
        .getConnection()
        .execute(`select count(*)::int as n from invoice_line_box t join box b on b.id = t.box_id where b.label = '${label}'`);
      expect(row.n).toBe(1);
    }
  });
});
