// A list filter naming master data or a document that does not exist is a typed error naming the
// argument, never an empty page that reads as "nothing there".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

/** [query, expected code, expected argument path] for every filter argument that names something. */
const UNKNOWN: Array<[string, string, string]> = [
  [`{ invoices(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ invoices(filter: { number: "INV-999999" }) { totalCount } }`, 'UNKNOWN_INVOICE', 'filter.number'],
  [`{ prebooks(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ prebooks(filter: { number: "PB-999999" }) { totalCount } }`, 'UNKNOWN_PREBOOK', 'filter.number'],
  [`{ standingOrders(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ standingOrders(filter: { number: "SO-999999" }) { totalCount } }`, 'UNKNOWN_STANDING_ORDER', 'filter.number'],
  [`{ purchaseOrders(filter: { number: "PO-999999" }) { totalCount } }`, 'UNKNOWN_PURCHASE_ORDER', 'filter.number'],
  [`{ purchaseOrders(filter: { vendor: "NOBODY" }) { totalCount } }`, 'UNKNOWN_VENDOR', 'filter.vendor'],
  [`{ purchaseOrders(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ purchaseOrders(filter: { location: "NOWHERE" }) { totalCount } }`, 'UNKNOWN_LOCATION', 'filter.location'],
  [`{ purchaseNeeds(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ purchaseNeeds(filter: { vendor: "NOBODY" }) { totalCount } }`, 'UNKNOWN_VENDOR', 'filter.vendor'],
  [`{ purchaseNeeds(filter: { product: "NOTHING" }) { totalCount } }`, 'UNKNOWN_PRODUCT', 'filter.product'],
  [`{ purchaseNeeds(filter: { prebookNumber: "PB-999999" }) { totalCount } }`, 'UNKNOWN_PREBOOK', 'filter.prebookNumber'],
  [`{ staging(filter: { purchaseOrder: "PO-999999" }) { totalCount } }`, 'UNKNOWN_PURCHASE_ORDER', 'filter.purchaseOrder'],
  [`{ staging(filter: { vendor: "NOBODY" }) { totalCount } }`, 'UNKNOWN_VENDOR', 'filter.vendor'],
  [`{ staging(filter: { product: "NOTHING" }) { totalCount } }`, 'UNKNOWN_PRODUCT', 'filter.product'],
  [`{ staging(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ staging(filter: { prebookNumber: "PB-999999" }) { totalCount } }`, 'UNKNOWN_PREBOOK', 'filter.prebookNumber'],
  [`{ inventory(filter: { product: "NOTHING" }) { totalCount } }`, 'UNKNOWN_PRODUCT', 'filter.product'],
  [`{ inventory(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ inventory(filter: { location: "NOWHERE" }) { totalCount } }`, 'UNKNOWN_LOCATION', 'filter.location'],
  [`{ billingIssues(filter: { customer: "NOBODY" }) { totalCount } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ gpmReport(filter: { customer: "NOBODY" }) { revenue } }`, 'UNKNOWN_CUSTOMER', 'filter.customer'],
  [`{ gpmReport(filter: { product: "NOTHING" }) { revenue } }`, 'UNKNOWN_PRODUCT', 'filter.product'],
  [`mutation { massAllocate(filter: { product: "NOTHING" }, dryRun: true) { errors { code } } }`, 'UNKNOWN_PRODUCT', 'filter.product'],
];

describe('filters that name something unknown', () => {
  let t: TestServer;
  let prebookNumber: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const saved = await t.ok(
      `mutation { savePrebooks(input: [{ customer: "BLOOMS", carrier: "FEDEX", truckDate: "2027-03-02", lines: [{ product: "CARN-WHITE", units: 500 }] }]) { prebooks { number } } }`,
    );
    prebookNumber = saved.savePrebooks.prebooks[0].number;
  });
  afterAll(() => t.close());

  it.each(UNKNOWN)('%s answers %s on %s', async (query, code, path) => {
    const result = await t.gql(query);
    expect(result.status).toBe(200);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({ code, field: path, argumentPath: path.split('.') });
    expect(result.errors![0].extensions).not.toHaveProperty('stacktrace');
    expect(result.errors![0].message).toMatch(new RegExp(`^unknown .* in ${path.replace('.', '\\.')}$`));
  });

  it('still answers an empty page for references that exist but match nothing, by code or by name', async () => {
    const data = await t.ok(`{
      a: invoices(filter: { customer: "Blooms Florist" }) { totalCount }
      b: purchaseOrders(filter: { vendor: "rosas", location: "MIA" }) { totalCount }
      c: inventory(filter: { product: "VASE-20" }) { totalCount }
    }`);
    expect(data).toEqual({ a: { totalCount: 0 }, b: { totalCount: 0 }, c: { totalCount: 0 } });
    const found = await t.ok(`query($n: String!) { prebooks(filter: { number: $n, customer: "BLOOMS" }) { nodes { number } } }`, {
      n: prebookNumber.toLowerCase(),
    });
    expect(found.prebooks.nodes).toEqual([{ number: prebookNumber }]);
  });

  it('answers a CUSTOMER token naming another customer or its documents exactly as it answers a missing one', async () => {
    const token = (await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken.secret;
    const other = await t.gql(`query($n: String!) { prebooks(filter: { number: $n }) { totalCount } }`, { n: prebookNumber }, token);
    const missing = await t.gql(`{ prebooks(filter: { number: "PB-999999" }) { totalCount } }`, undefined, token);
    expect(other.errors![0].extensions!.code).toBe('UNKNOWN_PREBOOK');
    expect(other.errors![0].message.replace(prebookNumber, 'X')).toBe(missing.errors![0].message.replace('PB-999999', 'X'));
    for (const query of [`{ invoices(filter: { customer: "BLOOMS" }) { totalCount } }`, `{ gpmReport(filter: { customer: "BLOOMS" }) { revenue } }`]) {
      const blooms = await t.gql(query, undefined, token);
      const nobody = await t.gql(query.replace('BLOOMS', 'NOBODY'), undefined, token);
      expect(blooms.errors![0].extensions).toEqual(nobody.errors![0].extensions);
    }
    const own = await t.ok(`{ invoices(filter: { customer: "FRESHMART" }) { totalCount } }`, undefined, token);
    expect(own.invoices.totalCount).toBe(0);
  });
});
