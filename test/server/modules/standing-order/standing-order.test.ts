import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: StandingOrderInput!, $key: String) {
  saveStandingOrder(input: $input, idempotencyKey: $key) {
    standingOrder { number version customer { code } weekdays everyWeeks startDate endDate active lines { lineNo product { code } boxes units price vendorCost } }
    errors { code message row field }
    replayed
  }
}`;
const GENERATE = `mutation($from: Date, $to: Date, $so: String) {
  generateStandingOrderPrebooks(from: $from, to: $to, standingOrder: $so) {
    prebooks { number source standingOrderNumber truckDate customer { code } lines { product { code } boxes price vendorCost needed } }
    skipped { standingOrderNumber truckDate code message }
    errors { code message field }
  }
}`;

const weekly = {
  customer: 'FRESHMART',
  shipTo: 'DC-ATL',
  carrier: 'ARMELLINI',
  customerPo: 'STANDING-FM',
  weekdays: ['MON', 'thursday'],
  startDate: '2027-01-04',
  endDate: '2027-01-21',
  lines: [
    { product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80', cost: '0.50', vendor: 'ROSAS', vendorCost: '0.38' },
    { product: 'CARN-WHITE', units: 500, price: '0.20' },
  ],
};

describe('standing orders', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('saves a standing order with its schedule and lines', async () => {
    const data = await t.ok(SAVE, { input: weekly });
    expect(data.saveStandingOrder.errors).toEqual([]);
    expect(data.saveStandingOrder.standingOrder).toMatchObject({
      number: 'SO-000001',
      version: 1,
      weekdays: ['MON', 'THU'],
      everyWeeks: 1,
      startDate: '2027-01-04',
      endDate: '2027-01-21',
      active: true,
      lines: [
        { lineNo: 1, product: { code: 'ROSE-FREEDOM-50' }, boxes: 2, units: 200, price: '0.80', vendorCost: '0.38' },
        { lineNo: 2, product: { code: 'CARN-WHITE' }, boxes: null, units: 500, price: '0.20', vendorCost: null },
      ],
    });
  });

  it('rejects a bad standing order field by field and writes nothing', async () => {
    const before = await countRows(t.orm, 'standing_order');
    const data = await t.ok(SAVE, {
      input: {
        ...weekly,
        customer: 'HOLDCO',
        shipTo: null,
        weekdays: ['MON', 'FUNDAY'],
        everyWeeks: 0,
        startDate: '2027-01-10',
        endDate: '2027-01-01',
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: -1, unitsPerBox: 100 }],
      },
    });
    expect(data.saveStandingOrder.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [null, 'customer', 'CREDIT_HOLD'],
      [null, 'weekdays.2.day', 'INVALID_VALUE'],
      [null, 'everyWeeks', 'INVALID_VALUE'],
      [null, 'endDate', 'INVALID_DATE'],
      [null, 'lines.1.boxes', 'INVALID_VALUE'],
    ]);
    expect(await countRows(t.orm, 'standing_order')).toBe(before);
  });

  it('generates one prebook per scheduled date, never past the end date, and nothing twice', async () => {
    const first = await t.ok(GENERATE, { from: '2027-01-01', to: '2027-01-12' });
    const { prebooks, skipped, errors } = first.generateStandingOrderPrebooks;
    expect(errors).toEqual([]);
    expect(skipped).toEqual([]);
    expect(prebooks.map((p: any) => [p.truckDate, p.source, p.standingOrderNumber])).toEqual([
      ['2027-01-04', 'STANDING_ORDER', 'SO-000001'],
      ['2027-01-07', 'STANDING_ORDER', 'SO-000001'],
      ['2027-01-11', 'STANDING_ORDER', 'SO-000001'],
    ]);
    expect(prebooks[0].lines).toEqual([
      { product: { code: 'ROSE-FREEDOM-50' }, boxes: 2, price: '0.80', vendorCost: '0.38', needed: 2 },
      { product: { code: 'CARN-WHITE' }, boxes: null, price: '0.20', vendorCost: null, needed: 500 },
    ]);

    const overlap = await t.ok(GENERATE, { from: '2027-01-05', to: '2027-02-28' });
    expect(overlap.generateStandingOrderPrebooks.prebooks.map((p: any) => p.truckDate)).toEqual(['2027-01-14', '2027-01-18', '2027-01-21']);
    const again = await t.ok(GENERATE, { from: '2027-01-01', to: '2027-02-28' });
    expect(again.generateStandingOrderPrebooks.prebooks).toEqual([]);
    expect(await countRows(t.orm, 'prebook')).toBe(6);
  });

  it('is safe when generations run at the same time', async () => {
    const so = await t.ok(SAVE, {
      input: { ...weekly, customer: 'BLOOMS', shipTo: null, weekdays: ['TUE', 'WED', 'FRI'], startDate: '2027-03-01', endDate: null, everyWeeks: 2 },
    });
    const number = so.saveStandingOrder.standingOrder.number;
    const results = await Promise.all(Array.from({ length: 4 }, () => t.ok(GENERATE, { from: '2027-03-01', to: '2027-03-31', so: number })));
    const dates = results.flatMap((r) => r.generateStandingOrderPrebooks.prebooks.map((p: any) => p.truckDate)).sort();
    expect(dates).toEqual(['2027-03-02', '2027-03-03', '2027-03-05', '2027-03-16', '2027-03-17', '2027-03-19', '2027-03-30', '2027-03-31']);
  });

  it('skips dates of a customer on credit hold, with the reason, and generates them once the hold is lifted', async () => {
    await t.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", creditHold: true }]) { errors { code } } }`);
    const held = await t.ok(`mutation($input: StandingOrderInput!) { saveStandingOrder(input: $input) { standingOrder { number version } errors { code } } }`, {
      input: { number: 'SO-000001', version: 1, ...weekly, endDate: '2027-02-04' },
    });
    expect(held.saveStandingOrder.errors).toEqual([]);
    const data = await t.ok(GENERATE, { from: '2027-01-22', to: '2027-02-10', so: 'SO-000001' });
    expect(data.generateStandingOrderPrebooks.prebooks).toEqual([]);
    expect(data.generateStandingOrderPrebooks.skipped.map((s: any) => [s.truckDate, s.code])).toEqual([
      ['2027-01-25', 'CREDIT_HOLD'],
      ['2027-01-28', 'CREDIT_HOLD'],
      ['2027-02-01', 'CREDIT_HOLD'],
      ['2027-02-04', 'CREDIT_HOLD'],
    ]);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "FRESHMART", creditHold: false }]) { errors { code } } }`);
    const later = await t.ok(GENERATE, { from: '2027-01-22', to: '2027-02-10', so: 'SO-000001' });
    expect(later.generateStandingOrderPrebooks.prebooks).toHaveLength(4);
  });

  it('keeps a null vendor cost off generated purchase orders and puts 0.00 on them', async () => {
    const so = await t.ok(SAVE, {
      input: {
        ...weekly,
        customer: 'BLOOMS',
        shipTo: null,
        weekdays: ['SAT'],
        startDate: '2027-05-01',
        endDate: '2027-05-01',
        lines: [
          { product: 'VASE-20', boxes: 1, unitsPerBox: 12, vendor: 'VASECO' },
          { product: 'VASE-20', boxes: 2, unitsPerBox: 12, vendor: 'VASECO', vendorCost: '0.00' },
        ],
      },
    });
    const generated = await t.ok(GENERATE, { from: '2027-05-01', to: '2027-05-01', so: so.saveStandingOrder.standingOrder.number });
    const number = generated.generateStandingOrderPrebooks.prebooks[0].number;
    const po = await t.ok(
      `mutation($f: PurchaseNeedFilter) { createPurchaseOrdersFromPrebooks(input: { location: "MIA", filter: $f }) {
      purchaseOrders { lines { boxes unitCost } } errors { code message } } }`,
      { f: { prebookNumber: number } },
    );
    expect(po.createPurchaseOrdersFromPrebooks.purchaseOrders).toEqual([{ lines: [{ boxes: 2, unitCost: '0.00' }] }]);
    expect(po.createPurchaseOrdersFromPrebooks.errors).toEqual([
      { code: 'MISSING_COST', message: `${number} line 1 (VASE-20) has no vendor cost: give unitCost or set the line's vendorCost` },
    ]);
  });

  it('refuses a window that ends before it starts or is too long', async () => {
    const backwards = await t.ok(GENERATE, { from: '2027-02-01', to: '2027-01-01' });
    expect(backwards.generateStandingOrderPrebooks.errors[0]).toMatchObject({ code: 'INVALID_DATE', field: 'to' });
    const long = await t.ok(GENERATE, { from: '2027-01-01', to: '2029-01-01' });
    expect(long.generateStandingOrderPrebooks.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'to' });
  });
});
