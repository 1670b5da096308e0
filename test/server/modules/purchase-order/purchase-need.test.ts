import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const NEEDS = `query($filter: PurchaseNeedFilter) {
  purchaseNeeds(filter: $filter) { totalCount nodes { prebookNumber customer { code } truckDate product { code } sellBy quantity vendor { code } vendorCost prebookLine { id } } }
}`;
const CREATE = `mutation($input: CreatePurchaseOrdersFromPrebooksInput!, $key: String) {
  createPurchaseOrdersFromPrebooks(input: $input, idempotencyKey: $key) {
    purchaseOrders { number vendor { code } shipDate portOfOrigin lines { product { code } boxes unitsPerBox unitCost prebookLinks { prebookNumber boxes units } } }
    errors { code message row field }
    replayed
  }
}`;
const SAVE_PREBOOKS = `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number lines { id } } errors { message } } }`;

async function prebook(t: TestServer, customer: string, truckDate: string, lines: object[], carrier = 'ARMELLINI') {
  const data = await t.ok(SAVE_PREBOOKS, { input: [{ customer, carrier, truckDate, lines }] });
  expect(data.savePrebooks.errors).toEqual([]);
  return data.savePrebooks.prebooks[0] as { number: string; lines: Array<{ id: string }> };
}

describe('purchase needs and POs from prebooks', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('lists open prebook lines still to buy, oldest truck date first, and drops a need once purchased', async () => {
    const late = await prebook(t, 'FRESHMART', '2027-02-14', [{ product: 'ROSE-FREEDOM-50', boxes: 5, unitsPerBox: 100, vendor: 'ROSAS', vendorCost: '0.40' }]);
    const early = await prebook(t, 'BLOOMS', '2027-02-10', [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12 }]);
    const needs = await t.ok(NEEDS);
    expect(needs.purchaseNeeds.nodes.map((n: any) => [n.prebookNumber, n.truckDate, n.quantity, n.vendor?.code ?? null])).toEqual([
      [early.number, '2027-02-10', 2, null],
      [late.number, '2027-02-14', 5, 'ROSAS'],
    ]);

    const created = await t.ok(CREATE, { input: { location: 'MIA', prebookLines: [{ id: late.lines[0].id }] } });
    expect(created.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
    expect(created.createPurchaseOrdersFromPrebooks.purchaseOrders).toEqual([
      {
        number: 'PO-000001',
        vendor: { code: 'ROSAS' },
        shipDate: '2027-02-14',
        portOfOrigin: 'BOG',
        lines: [
          {
            product: { code: 'ROSE-FREEDOM-50' },
            boxes: 5,
            unitsPerBox: 100,
            unitCost: '0.40',
            prebookLinks: [{ prebookNumber: late.number, boxes: 5, units: null }],
          },
        ],
      },
    ]);
    const after = await t.ok(NEEDS);
    expect(after.purchaseNeeds.nodes.map((n: any) => n.prebookNumber)).toEqual([early.number]);

    const again = await t.ok(CREATE, { input: { location: 'MIA', prebookLines: [{ id: late.lines[0].id }] } });
    expect(again.createPurchaseOrdersFromPrebooks.purchaseOrders).toEqual([]);
    expect(again.createPurchaseOrdersFromPrebooks.errors[0]).toMatchObject({ code: 'NOTHING_TO_PURCHASE', row: 1 });

    // Cancelling the PO makes the line needed again.
    await t.ok(`mutation { cancelPurchaseOrder(number: "PO-000001") { errors { code } } }`);
    expect((await t.ok(NEEDS, { filter: { prebookNumber: late.number } })).purchaseNeeds.totalCount).toBe(1);
  });

  it('locks a purchased line: only its price may change', async () => {
    const pb = await prebook(t, 'BLOOMS', '2027-02-20', [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, vendor: 'ROSAS', vendorCost: '0.40' }]);
    await t.ok(CREATE, { input: { location: 'MIA', prebookLines: [{ id: pb.lines[0].id }] } });
    const base = { number: pb.number, version: 1, customer: 'BLOOMS', carrier: 'ARMELLINI', truckDate: '2027-02-20' };
    const line = { id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', unitsPerBox: 100, vendor: 'ROSAS', vendorCost: '0.40' };
    const locked = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { results { status } errors { code field message } } }`, {
      input: [{ ...base, truckDate: '2027-02-21', lines: [{ ...line, boxes: 3 }] }],
    });
    expect(locked.savePrebooks.errors.map((e: any) => [e.code, e.field])).toEqual([
      ['LOCKED_BY_PO', 'truckDate'],
      ['LOCKED_BY_PO', 'lines.1.boxes'],
    ]);
    const removed = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { errors { code field } } }`, {
      input: [{ ...base, lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12 }] }],
    });
    expect(removed.savePrebooks.errors).toEqual([{ code: 'LOCKED_BY_PO', field: 'lines' }]);
    const priced = await t.ok(
      `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { results { status version } errors { code } prebooks { lines { price } } } }`,
      {
        input: [{ ...base, lines: [{ ...line, boxes: 2, price: '1.25' }] }],
      },
    );
    expect(priced.savePrebooks).toEqual({ results: [{ status: 'SAVED', version: 2 }], errors: [], prebooks: [{ lines: [{ price: '1.25' }] }] });
  });

  it('pools lines sold in units by customer, truck date and carrier and rounds up to whole boxes', async () => {
    const a = await prebook(t, 'FRESHMART', '2027-03-01', [{ product: 'CARN-WHITE', units: 600, vendorCost: '0.10' }]);
    const b = await prebook(t, 'FRESHMART', '2027-03-01', [{ product: 'CARN-WHITE', units: 450, vendorCost: '0.10' }]);
    const otherDay = await prebook(t, 'FRESHMART', '2027-03-02', [{ product: 'CARN-WHITE', units: 100, vendorCost: '0.10' }]);
    const otherCarrier = await prebook(t, 'FRESHMART', '2027-03-01', [{ product: 'CARN-WHITE', units: 100, vendorCost: '0.10' }], 'FEDEX');
    const data = await t.ok(CREATE, {
      input: { vendor: 'FLORES-EC', location: 'MIA', shipDate: '2027-02-25', prebookLines: [a, b, otherDay, otherCarrier].map((p) => ({ id: p.lines[0].id })) },
    });
    const [po] = data.createPurchaseOrdersFromPrebooks.purchaseOrders;
    expect(po).toMatchObject({ vendor: { code: 'FLORES-EC' }, shipDate: '2027-02-25', portOfOrigin: 'UIO' });
    expect(po.lines.map((l: any) => [l.boxes, l.unitsPerBox, l.prebookLinks.map((k: any) => [k.prebookNumber, k.units])])).toEqual([
      [
        3,
        500,
        [
          [a.number, 600],
          [b.number, 450],
        ],
      ],
      [1, 500, [[otherDay.number, 100]]],
      [1, 500, [[otherCarrier.number, 100]]],
    ]);
  });

  it('puts each box line on its own PO line, or pools across truck dates with allowMultiplePrebookLinesPerPoLine', async () => {
    const lines = [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, vendor: 'VASECO', vendorCost: '1.00' }];
    const mon = await prebook(t, 'BLOOMS', '2027-04-05', lines);
    const tue = await prebook(t, 'BLOOMS', '2027-04-06', lines);
    const separate = await t.ok(CREATE, { input: { location: 'NYC', prebookLines: [{ id: mon.lines[0].id }, { id: tue.lines[0].id }] } });
    expect(separate.createPurchaseOrdersFromPrebooks.purchaseOrders[0].lines.map((l: any) => l.boxes)).toEqual([1, 1]);

    await t.ok(`mutation { updateSettings(input: { allowMultiplePrebookLinesPerPoLine: true }) { errors { code } } }`);
    const wed = await prebook(t, 'BLOOMS', '2027-04-07', lines);
    const thu = await prebook(t, 'BLOOMS', '2027-04-08', lines);
    const fri = await prebook(t, 'BLOOMS', '2027-04-08', lines, 'FEDEX');
    const pooled = await t.ok(CREATE, { input: { location: 'NYC', prebookLines: [wed, thu, fri].map((p) => ({ id: p.lines[0].id })) } });
    expect(pooled.createPurchaseOrdersFromPrebooks.purchaseOrders[0].lines.map((l: any) => [l.boxes, l.prebookLinks.length])).toEqual([
      [2, 2],
      [1, 1],
    ]);
    await t.ok(`mutation { updateSettings(input: { allowMultiplePrebookLinesPerPoLine: false }) { errors { code } } }`);
  });

  it('reports needs without a vendor or a cost per row, and still buys the others; a line vendor makes its own PO', async () => {
    const noVendor = await prebook(t, 'BLOOMS', '2027-05-01', [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, vendorCost: '0.4' }]);
    const noCost = await prebook(t, 'BLOOMS', '2027-05-01', [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, vendor: 'ROSAS' }]);
    const ecuador = await prebook(t, 'BLOOMS', '2027-05-01', [
      { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, vendor: 'FLORES-EC', vendorCost: '0.45' },
    ]);
    const free = await prebook(t, 'BLOOMS', '2027-05-01', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, vendorCost: '0.00' }]);
    const bad = await t.ok(CREATE, { input: { location: 'MIA', prebookLines: [noVendor, noCost, ecuador, free].map((p) => ({ id: p.lines[0].id })) } });
    expect(bad.createPurchaseOrdersFromPrebooks.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'prebookLines.1.vendor', 'REQUIRED'],
      [2, 'prebookLines.2.unitCost', 'MISSING_COST'],
      [4, 'prebookLines.4.vendor', 'REQUIRED'],
    ]);
    expect(bad.createPurchaseOrdersFromPrebooks.purchaseOrders.map((po: any) => po.vendor.code)).toEqual(['FLORES-EC']);

    const good = await t.ok(CREATE, {
      input: {
        vendor: 'VASECO',
        location: 'MIA',
        prebookLines: [{ id: noVendor.lines[0].id }, { id: noCost.lines[0].id, unitCost: '0.41' }, { id: free.lines[0].id }],
      },
    });
    expect(good.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
    expect(good.createPurchaseOrdersFromPrebooks.purchaseOrders.map((po: any) => [po.vendor.code, po.lines.map((l: any) => l.unitCost)])).toEqual([
      ['VASECO', ['0.40', '0.00']],
      ['ROSAS', ['0.41']],
    ]);
  });

  it('buys everything a filter matches, and concurrent calls never buy a line twice', async () => {
    const lines = Array.from({ length: 4 }, () => ({ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, vendorCost: '0.39' }));
    const pb = await prebook(t, 'FRESHMART', '2027-06-01', lines);
    const calls = await Promise.all(
      Array.from({ length: 3 }, () => t.ok(CREATE, { input: { vendor: 'ROSAS', location: 'MIA', filter: { prebookNumber: pb.number } } })),
    );
    const boxes = calls.flatMap((c) => c.createPurchaseOrdersFromPrebooks.purchaseOrders.flatMap((po: any) => po.lines.map((l: any) => l.boxes)));
    expect(boxes.reduce((a: number, b: number) => a + b, 0)).toBe(8);
    const view = await t.ok(`{ prebooks(filter: { number: "${pb.number}" }) { nodes { lines { ordered purchased needed } } } }`);
    expect(view.prebooks.nodes[0].lines).toEqual(Array.from({ length: 4 }, () => ({ ordered: 2, purchased: 2, needed: 0 })));
  });

  it('returns the first result for a retried idempotency key', async () => {
    const pb = await prebook(t, 'BLOOMS', '2027-07-01', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, vendor: 'VASECO', vendorCost: '1' }]);
    const input = { location: 'MIA', prebookLines: [{ id: pb.lines[0].id }] };
    const first = await t.ok(CREATE, { input, key: 'from-pb-1' });
    const again = await t.ok(CREATE, { input, key: 'from-pb-1' });
    expect(again.createPurchaseOrdersFromPrebooks.replayed).toBe(true);
    expect(again.createPurchaseOrdersFromPrebooks.purchaseOrders.map((p: any) => p.number)).toEqual(
      first.createPurchaseOrdersFromPrebooks.purchaseOrders.map((p: any) => p.number),
    );
  });
});
