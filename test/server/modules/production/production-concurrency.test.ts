// Two buyers at once: a prebook line goes into one run only, and a run's components are bought once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

describe('production runs under concurrency', () => {
  let t: TestServer;
  let lineId = '';
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation {
      c: upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { message } }
      p: upsertProducts(input: [{ code: "BQT-SPRING", recipe: [{ component: "ROSE-FREEDOM-50", units: "10" }, { component: "VASE-20", units: "1" }] }]) { errors { message } }
    }`);
    const prebook = await t.ok(
      `mutation { savePrebooks(input: [{ customer: "FRESHMART", carrier: "ARMELLINI", truckDate: "2027-03-01", lines: [{ product: "BQT-SPRING", sellBy: "UNIT", units: 40, price: "10.00", cost: "6.00" }] }]) { prebooks { lines { id } } errors { message } } }`,
    );
    lineId = prebook.savePrebooks.prebooks[0].lines[0].id;
  });
  afterAll(() => t.close());

  it('puts a prebook line in one run when two runs claim it at once', async () => {
    const SAVE = `mutation($l: ID!) { saveProductionRun(input: { productionCompany: "BOUQUETWORKS", prebookLines: [$l] }) { productionRun { number } errors { code message } } }`;
    const results = await Promise.all([1, 2, 3].map(() => t.ok(SAVE, { l: lineId })));
    const saved = results.filter((r) => r.saveProductionRun.productionRun);
    expect(saved).toHaveLength(1);
    for (const r of results.filter((r) => !r.saveProductionRun.productionRun)) expect(r.saveProductionRun.errors[0].code).toBe('INVALID_VALUE');
    expect(await countRows(t.orm, 'production_run_line')).toBe(1);
    expect(await countRows(t.orm, 'production_run')).toBe(1);
  });

  it('buys a run component once when two calls come at once', async () => {
    const runs = await t.ok(`{ productionRuns { nodes { number } } }`);
    const run = runs.productionRuns.nodes[0].number;
    const CREATE = `mutation($r: String!) { createComponentPurchaseOrders(input: { productionRun: $r, components: [{ component: "VASE-20", vendor: "VASECO", location: "MIA", unitCost: "1.00" }] }) {
      purchaseOrders { lines { boxes } } errors { code } } }`;
    const results = await Promise.all([1, 2, 3].map(() => t.ok(CREATE, { r: run })));
    const bought = results.filter((r) => r.createComponentPurchaseOrders.purchaseOrders.length);
    expect(bought).toHaveLength(1);
    expect(bought[0].createComponentPurchaseOrders.purchaseOrders[0].lines).toEqual([{ boxes: 4 }]); // 40 vases, 12 a box
    for (const r of results.filter((r) => !r.createComponentPurchaseOrders.purchaseOrders.length))
      expect(r.createComponentPurchaseOrders.errors.map((e: any) => e.code)).toEqual(['NOTHING_TO_PURCHASE']);
    expect(await countRows(t.orm, 'production_run_purchase_order')).toBe(1);
  });
});
