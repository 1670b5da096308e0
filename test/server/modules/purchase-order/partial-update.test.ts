import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseOrderSheet } from '../../../../addin/sheets/purchase-orders.sheet';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: [PurchaseOrderInput!]!) {
  savePurchaseOrders(input: $input) {
    purchaseOrders { number version customer { code } portOfOrigin lines { boxes unitCost } }
    results { status }
    errors { code field message }
  }
}`;

const base = { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-05-03' };
const lines = [{ product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.38' }];

describe('partial updates of purchase orders', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  async function create() {
    const data = await t.ok(SAVE, { input: [{ ...base, customer: 'BOUQUETWORKS', portOfOrigin: 'UIO', lines }] });
    expect(data.savePurchaseOrders.errors).toEqual([]);
    return data.savePurchaseOrders.purchaseOrders[0];
  }

  it('keeps an omitted customer and port, and clears them when sent as null (the port back to the vendor default)', async () => {
    const po = await create();
    const kept = await t.ok(SAVE, { input: [{ ...base, number: po.number, version: po.version, lines: [{ ...lines[0], boxes: 12 }] }] });
    expect(kept.savePurchaseOrders.errors).toEqual([]);
    expect(kept.savePurchaseOrders.purchaseOrders[0]).toMatchObject({ customer: { code: 'BOUQUETWORKS' }, portOfOrigin: 'UIO', lines: [{ boxes: 12 }] });

    const version = kept.savePurchaseOrders.purchaseOrders[0].version;
    const cleared = await t.ok(SAVE, { input: [{ ...base, number: po.number, version, customer: null, portOfOrigin: null, lines }] });
    expect(cleared.savePurchaseOrders.errors).toEqual([]);
    expect(cleared.savePurchaseOrders.purchaseOrders[0]).toMatchObject({ customer: null, portOfOrigin: 'BOG' });
  });

  it('a sheet row sends every column, so blank Customer and Port still clear and default', async () => {
    const po = await create();
    const header = purchaseOrderSheet.parseHeader(
      { row: 1, values: { 'PO #': po.number, Version: po.version, Vendor: 'ROSAS', Customer: '', Location: 'MIA', 'Ship Date': '2027-05-03', Port: null } },
      [],
    );
    expect(header.customer).toBeNull();
    expect(header.portOfOrigin).toBeNull();
    const data = await t.ok(SAVE, { input: [{ ...header, ref: undefined, lines }] });
    expect(data.savePurchaseOrders.errors).toEqual([]);
    expect(data.savePurchaseOrders.purchaseOrders[0]).toMatchObject({ customer: null, portOfOrigin: 'BOG' });
  });
});
