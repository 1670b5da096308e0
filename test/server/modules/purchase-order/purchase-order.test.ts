import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const PO_FIELDS = `number version status vendor { code } customer { code } location { code } shipDate portOfOrigin total
  lines { lineNo product { code } boxType { code } boxes unitsPerBox units unitCost amount prebookLinks { prebookNumber boxes units } }`;
const SAVE = `mutation($input: [PurchaseOrderInput!]!, $key: String) {
  savePurchaseOrders(input: $input, idempotencyKey: $key) {
    purchaseOrders { ${PO_FIELDS} }
    results { index ref number version status }
    errors { code message row field }
    replayed
  }
}`;

describe('standalone purchase orders', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertVendors(input: [{ code: "NOPORT", name: "Farm without port", kind: "FARM" }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('creates POs for the production company with the vendor default port, totals and numbers', async () => {
    const data = await t.ok(SAVE, {
      input: [
        {
          ref: 'components',
          vendor: 'ROSAS',
          customer: 'BOUQUETWORKS',
          location: 'MIA',
          shipDate: '2027-02-03',
          lines: [
            { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.38' },
            { product: 'CARN-WHITE', boxType: 'QB', boxes: 2, unitsPerBox: 250, unitCost: '0.12' },
          ],
        },
      ],
    });
    expect(data.savePurchaseOrders.errors).toEqual([]);
    expect(data.savePurchaseOrders.results).toEqual([{ index: 1, ref: 'components', number: 'PO-000001', version: 1, status: 'SAVED' }]);
    expect(data.savePurchaseOrders.purchaseOrders[0]).toEqual({
      number: 'PO-000001',
      version: 1,
      status: 'OPEN',
      vendor: { code: 'ROSAS' },
      customer: { code: 'BOUQUETWORKS' },
      location: { code: 'MIA' },
      shipDate: '2027-02-03',
      portOfOrigin: 'BOG',
      total: '440.00',
      lines: [
        {
          lineNo: 1,
          product: { code: 'ROSE-FREEDOM-50' },
          boxType: { code: 'QB' },
          boxes: 10,
          unitsPerBox: 100,
          units: 1000,
          unitCost: '0.38',
          amount: '380.00',
          prebookLinks: [],
        },
        {
          lineNo: 2,
          product: { code: 'CARN-WHITE' },
          boxType: { code: 'QB' },
          boxes: 2,
          unitsPerBox: 250,
          units: 500,
          unitCost: '0.12',
          amount: '60.00',
          prebookLinks: [],
        },
      ],
    });
  });

  it('rejects a bad PO per row and field and writes nothing for it', async () => {
    const before = await countRows(t.orm, 'purchase_order');
    const data = await t.ok(SAVE, {
      input: [
        { vendor: 'NOBODY', location: 'LAX', shipDate: '03/02/2027', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 0, unitCost: '-1' }] },
        { vendor: 'NOPORT', location: 'MIA', shipDate: '2027-02-03', lines: [{ product: 'TULIP', boxes: 1, unitCost: '1' }] },
      ],
    });
    expect(data.savePurchaseOrders.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'vendor', 'UNKNOWN_VENDOR'],
      [1, 'location', 'UNKNOWN_LOCATION'],
      [1, 'shipDate', 'INVALID_DATE'],
      [1, 'lines.1.boxes', 'INVALID_VALUE'],
      [1, 'lines.1.unitCost', 'INVALID_VALUE'],
      [2, 'portOfOrigin', 'REQUIRED'],
      [2, 'lines.1.product', 'UNKNOWN_PRODUCT'],
    ]);
    expect(await countRows(t.orm, 'purchase_order')).toBe(before);
  });

  it('updates an OPEN PO by version, refuses a stale one, and freezes it once confirmed', async () => {
    const base = {
      number: 'PO-000001',
      vendor: 'ROSAS',
      customer: 'BOUQUETWORKS',
      location: 'MIA',
      shipDate: '2027-02-04',
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 12, unitCost: '0.38' }],
    };
    const saved = await t.ok(SAVE, { input: [{ ...base, version: 1 }] });
    expect(saved.savePurchaseOrders.results[0]).toMatchObject({ status: 'SAVED', version: 2 });
    expect(saved.savePurchaseOrders.purchaseOrders[0]).toMatchObject({ shipDate: '2027-02-04', total: '456.00', lines: [{ boxes: 12 }] });

    const stale = await t.ok(SAVE, { input: [{ ...base, version: 1, shipDate: '2027-02-09' }] });
    expect(stale.savePurchaseOrders.results[0].status).toBe('STALE');
    const same = await t.ok(SAVE, { input: [{ ...base, version: 2, lines: [{ product: 'ROSE-FREEDOM-50', boxes: 12, unitCost: '0.3800' }] }] });
    expect(same.savePurchaseOrders.results[0]).toMatchObject({ status: 'UNCHANGED', version: 2 });

    const confirmed = await t.ok(`mutation { confirmPurchaseOrder(number: "PO-000001") { purchaseOrder { status } errors { code } } }`);
    expect(confirmed.confirmPurchaseOrder).toEqual({ purchaseOrder: { status: 'CONFIRMED' }, errors: [] });
    const frozen = await t.ok(SAVE, { input: [{ ...base, version: 3, shipDate: '2027-02-09' }] });
    expect(frozen.savePurchaseOrders.errors[0]).toMatchObject({ code: 'INVALID_STATUS', row: 1, field: 'number' });
  });

  it('returns the first result for a retried idempotency key', async () => {
    const input = [{ vendor: 'VASECO', location: 'MIA', shipDate: '2027-02-01', lines: [{ product: 'VASE-20', boxes: 3, unitCost: '1.10' }] }];
    const first = await t.ok(SAVE, { input, key: 'po-push-1' });
    const rows = await countRows(t.orm, 'purchase_order');
    const again = await t.ok(SAVE, { input, key: 'po-push-1' });
    expect(again.savePurchaseOrders.replayed).toBe(true);
    expect(again.savePurchaseOrders.results).toEqual(first.savePurchaseOrders.results);
    expect(await countRows(t.orm, 'purchase_order')).toBe(rows);
  });

  it('links a line to a prebook by its number, never beyond what the prebook line needs', async () => {
    await t.ok(
      `mutation { savePrebooks(input: [{ customer: "BLOOMS", carrier: "FEDEX", truckDate: "2027-02-12", lines: [{ product: "ROSE-FREEDOM-50", boxes: 3, unitsPerBox: 100, price: "0.9" }] }]) { errors { message } } }`,
    );
    const tooMany = await t.ok(SAVE, {
      input: [
        { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-08', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.4', prebook: 'PB-000001' }] },
      ],
    });
    expect(tooMany.savePurchaseOrders.errors).toEqual([
      { code: 'INVALID_VALUE', message: 'Row 1, line 1: PB-000001 line 1 needs only 3 more box(es)', row: 1, field: 'lines.1.boxes' },
    ]);
    const wrongProduct = await t.ok(SAVE, {
      input: [
        { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-08', lines: [{ product: 'CARN-WHITE', boxes: 1, unitCost: '0.4', prebook: 'PB-000001' }] },
      ],
    });
    expect(wrongProduct.savePurchaseOrders.errors[0]).toMatchObject({ code: 'NOT_FOUND', field: 'lines.1.prebook' });

    const linked = await t.ok(SAVE, {
      input: [
        { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-08', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.4', prebook: 'PB-000001' }] },
      ],
    });
    expect(linked.savePurchaseOrders.purchaseOrders[0].lines[0].prebookLinks).toEqual([{ prebookNumber: 'PB-000001', boxes: 2, units: null }]);
    const prebook = await t.ok(`{ prebooks(filter: { number: "PB-000001" }) { nodes { lines { ordered purchased needed lockedByPo } } } }`);
    expect(prebook.prebooks.nodes[0].lines[0]).toEqual({ ordered: 3, purchased: 2, needed: 1, lockedByPo: true });
  });

  it('lists by vendor, customer, status and ship-date range', async () => {
    const data = await t.ok(`{
      rosas: purchaseOrders(filter: { vendor: "ROSAS" }) { totalCount }
      bw: purchaseOrders(filter: { customer: "BOUQUETWORKS" }) { nodes { number } }
      confirmed: purchaseOrders(filter: { status: CONFIRMED }) { nodes { number } }
      early: purchaseOrders(filter: { shipDateTo: "2027-02-02" }) { nodes { vendor { code } } }
    }`);
    expect(data.rosas.totalCount).toBe(2);
    expect(data.bw.nodes).toEqual([{ number: 'PO-000001' }]);
    expect(data.confirmed.nodes).toEqual([{ number: 'PO-000001' }]);
    expect(data.early.nodes).toEqual([{ vendor: { code: 'VASECO' } }]);
  });
});
