import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const REPORT = `query($f: GpmReportFilter) { gpmReport(filter: $f) {
  revenue cost margin gpmPercent
  rows { customer { code } product { code } units revenue cost margin gpmPercent targetGpm belowTarget pricePendingUnits }
} }`;

describe('gpmReport', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "40" }]) { errors { code } } }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.50' });
    const vases = await stockBoxes(t, { product: 'VASE-20', boxes: 2, unitCost: '1.00', vendor: 'VASECO' });
    const invoice = (customer: string, truckDate: string, lines: object[]) =>
      t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code } } }`, { i: { customer, truckDate, lines } });
    // BLOOMS: roses 100 x 0.80 (cost 0.50): 37.5 % < its 40 % target; a pending-price box.
    await invoice('BLOOMS', '2027-02-10', [{ labels: [roses[0]], unitPrice: '0.80' }, { labels: [roses[1]] }]);
    // FRESHMART: roses 100 x 1.00 (50 %) and vases 24 x 2.00 (50 %), later truck date.
    await invoice('FRESHMART', '2027-02-12', [
      { labels: [roses[2]], unitPrice: '1.00' },
      { labels: vases, unitPrice: '2.00' },
    ]);
  });
  afterAll(() => t.close());

  it('reports revenue, cost, margin and GPM by customer and product, flagging rows under target', async () => {
    const data = await t.ok(REPORT);
    expect(data.gpmReport).toEqual({
      revenue: '228.00',
      cost: '124.00',
      margin: '104.00',
      gpmPercent: '45.61',
      rows: [
        {
          customer: { code: 'BLOOMS' },
          product: { code: 'ROSE-FREEDOM-50' },
          units: 200,
          revenue: '80.00',
          cost: '50.00',
          margin: '30.00',
          gpmPercent: '37.50',
          targetGpm: '40.00',
          belowTarget: true,
          pricePendingUnits: 100,
        },
        {
          customer: { code: 'FRESHMART' },
          product: { code: 'ROSE-FREEDOM-50' },
          units: 100,
          revenue: '100.00',
          cost: '50.00',
          margin: '50.00',
          gpmPercent: '50.00',
          targetGpm: '30.00',
          belowTarget: false,
          pricePendingUnits: 0,
        },
        {
          customer: { code: 'FRESHMART' },
          product: { code: 'VASE-20' },
          units: 24,
          revenue: '48.00',
          cost: '24.00',
          margin: '24.00',
          gpmPercent: '50.00',
          targetGpm: '30.00',
          belowTarget: false,
          pricePendingUnits: 0,
        },
      ],
    });
  });

  it('filters by customer, product, truck dates, and rows below target', async () => {
    const byProduct = await t.ok(REPORT, { f: { product: 'VASE-20' } });
    expect(byProduct.gpmReport.rows.map((r: any) => r.customer.code)).toEqual(['FRESHMART']);
    const dated = await t.ok(REPORT, { f: { truckDateTo: '2027-02-11' } });
    expect(dated.gpmReport.revenue).toBe('80.00');
    const below = await t.ok(REPORT, { f: { belowTargetOnly: true } });
    expect(below.gpmReport.rows.map((r: any) => [r.customer.code, r.belowTarget])).toEqual([['BLOOMS', true]]);
  });

  it('shows a CUSTOMER only its own numbers', async () => {
    const token = await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`);
    // Its revenue only: cost, margin and GPM are @staffOnly (test/server/common/customer-fields.test.ts).
    const customerReport = `query($f: GpmReportFilter) { gpmReport(filter: $f) { revenue rows { customer { code } product { code } units revenue pricePendingUnits } } }`;
    const other = await t.gql(customerReport, { f: { customer: 'BLOOMS' } }, token.createApiToken.secret);
    expect(other.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
    const own = await t.ok(customerReport, undefined, token.createApiToken.secret);
    expect(own.gpmReport.revenue).toBe('148.00');
    expect((await t.gql(REPORT, undefined, token.createApiToken.secret)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps component transfers to a PRODUCTION customer out of revenue, cost and GPM, and lists them apart', async () => {
    // The production flow: components invoiced at 0.00 to the production company (landed cost 24.00), then
    // the bouquets sold at 190.00 with the prebook's rolled-up cost of 80.00 (which already holds the components).
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { code } } }`);
    const components = await stockBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '2.00', vendor: 'VASECO', customer: 'BOUQUETWORKS' });
    const bouquets = await stockBoxes(t, { product: 'BQT-SPRING', boxes: 1, unitCost: '10.00', vendor: 'BOUQUETWORKS' });
    const make = (customer: string, lines: object[]) =>
      t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number kind } errors { code message } } }`, {
        i: { customer, truckDate: '2027-03-01', lines },
      });
    const transfer = await make('BOUQUETWORKS', [{ labels: components, unitPrice: '0.00' }]);
    expect(transfer.createInvoice.invoice.kind).toBe('TRANSFER');
    const sale = await make('FRESHMART', [{ labels: bouquets, unitPrice: '23.75' }]);
    expect(sale.createInvoice.invoice.kind).toBe('SALE');
    const data = await t.ok(
      `query($f: GpmReportFilter) { gpmReport(filter: $f) { revenue cost gpmPercent rows { customer { code } } transfers { customer { code } product { code } units cost } transferCost } }`,
      { f: { truckDateFrom: '2027-03-01', truckDateTo: '2027-03-01' } },
    );
    expect(data.gpmReport).toEqual({
      revenue: '190.00',
      cost: '80.00',
      gpmPercent: '57.89',
      rows: [{ customer: { code: 'FRESHMART' } }],
      transfers: [{ customer: { code: 'BOUQUETWORKS' }, product: { code: 'VASE-20' }, units: 12, cost: '24.00' }],
      transferCost: '24.00',
    });
  });
});
