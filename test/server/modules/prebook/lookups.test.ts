// Direct lookups by number or id, as an API client uses them, and what a CUSTOMER token may see of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

describe('lookups by number or id', () => {
  let t: TestServer;
  let freshmart: { number: string; lineId: string };
  let blooms: { number: string; lineId: string };
  let customerToken: string;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const saved = await t.ok(
      `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number customer { code } lines { id } } errors { code } } }`,
      {
        input: [
          {
            customer: 'FRESHMART',
            carrier: 'ARMELLINI',
            truckDate: '2027-03-01',
            lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80' }],
          },
          { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-03-02', lines: [{ product: 'CARN-WHITE', units: 500, price: '0.20' }] },
        ],
      },
    );
    expect(saved.savePrebooks.errors).toEqual([]);
    const [fm, bl] = saved.savePrebooks.prebooks;
    freshmart = { number: fm.number, lineId: fm.lines[0].id };
    blooms = { number: bl.number, lineId: bl.lines[0].id };
    const token = await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`);
    customerToken = token.createApiToken.secret;
  });
  afterAll(() => t.close());

  it('finds a prebook by number (any case) and a prebook line by id, with its prebook', async () => {
    const data = await t.ok(
      `query($n: String!, $id: ID!) {
      prebook(number: $n) { number customer { code } lines { product { code } boxes } }
      prebookLine(id: $id) { id prebookNumber product { code } units price }
      missing: prebook(number: "PB-999999") { number }
      missingLine: prebookLine(id: "999999") { id }
      badId: prebookLine(id: "not-an-id") { id }
    }`,
      { n: freshmart.number.toLowerCase(), id: blooms.lineId },
    );
    expect(data).toEqual({
      prebook: { number: freshmart.number, customer: { code: 'FRESHMART' }, lines: [{ product: { code: 'ROSE-FREEDOM-50' }, boxes: 2 }] },
      prebookLine: { id: blooms.lineId, prebookNumber: blooms.number, product: { code: 'CARN-WHITE' }, units: 500, price: '0.20' },
      missing: null,
      missingLine: null,
      badId: null,
    });
  });

  it("shows a CUSTOMER token its own prebook and line, and another customer's exactly as a missing one", async () => {
    const own = await t.ok(
      `query($n: String!, $id: ID!) { prebook(number: $n) { number } prebookLine(id: $id) { prebookNumber } }`,
      { n: freshmart.number, id: freshmart.lineId },
      customerToken,
    );
    expect(own).toEqual({ prebook: { number: freshmart.number }, prebookLine: { prebookNumber: freshmart.number } });
    const other = await t.gql(
      `query($n: String!, $id: ID!) { prebook(number: $n) { number } prebookLine(id: $id) { prebookNumber } }`,
      { n: blooms.number, id: blooms.lineId },
      customerToken,
    );
    const missing = await t.gql(
      `query($n: String!, $id: ID!) { prebook(number: $n) { number } prebookLine(id: $id) { prebookNumber } }`,
      { n: 'PB-999999', id: '999999' },
      customerToken,
    );
    expect(other.errors).toBeUndefined();
    expect(other).toEqual(missing);
    expect(other.data).toEqual({ prebook: null, prebookLine: null });
  });

  it('finds a purchase order by number and a standing order by id; a CUSTOMER token may not ask', async () => {
    const po = await t.ok(`mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number } errors { code } } }`, {
      input: [
        { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-20', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, unitCost: '0.38' }] },
      ],
    });
    expect(po.savePurchaseOrders.errors).toEqual([]);
    const so = await t.ok(`mutation($input: StandingOrderInput!) { saveStandingOrder(input: $input) { standingOrder { id number } errors { code } } }`, {
      input: {
        customer: 'BLOOMS',
        carrier: 'FEDEX',
        weekdays: ['MON'],
        startDate: '2027-01-04',
        lines: [{ product: 'CARN-WHITE', units: 500, price: '0.20' }],
      },
    });
    expect(so.saveStandingOrder.errors).toEqual([]);
    const { id, number } = so.saveStandingOrder.standingOrder;
    const poNumber = po.savePurchaseOrders.purchaseOrders[0].number;
    const data = await t.ok(
      `query($po: String!, $so: ID!) {
      purchaseOrder(number: $po) { number vendor { code } lines { boxes unitCost } }
      standingOrder(id: $so) { number customer { code } weekdays }
      noPo: purchaseOrder(number: "PO-999999") { number }
      noSo: standingOrder(id: "999999") { number }
    }`,
      { po: poNumber.toLowerCase(), so: id },
    );
    expect(data).toEqual({
      purchaseOrder: { number: poNumber, vendor: { code: 'ROSAS' }, lines: [{ boxes: 3, unitCost: '0.38' }] },
      standingOrder: { number, customer: { code: 'BLOOMS' }, weekdays: ['MON'] },
      noPo: null,
      noSo: null,
    });
    const forbidden = await t.gql(`query($po: String!) { purchaseOrder(number: $po) { number } }`, { po: poNumber }, customerToken);
    expect(forbidden.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
