import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setCompanyClock } from '../../../../server/src/common/today';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { shipBoxes } from './stock-support';

const LIST = `query($customer: String, $onHandOnly: Boolean, $product: String) {
  availability(customer: $customer, onHandOnly: $onHandOnly, product: $product) {
    customer { code } asOf onHandOnly
    lines { product { code } boxType onHandBoxes onHandUnits inTransit { arrivalDate boxes units } totalBoxes totalUnits unitPrice priceSource }
  } }`;

describe('availability', () => {
  let t: TestServer;
  let customerToken: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertProductCategories(input: [{ code: "ROSES", name: "Roses", maxAgeDays: 7 }]) { errors { code } } }`);
    await t.ok(`mutation { upsertProducts(input: [{ code: "ROSE-FREEDOM-50", category: "ROSES" }]) { errors { code } } }`);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "20" }]) { errors { code } } }`);
    // As of Feb 10: two boxes of roses arrived Feb 8 at 0.40, one arrived Feb 2 (age 8, past the 7 days of ROSES),
    // one arriving Feb 13; a box of roses bought for FRESHMART; carnations with no category, arrived Feb 1.
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40', arrivalDate: '2027-02-08' });
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', arrivalDate: '2027-02-02' });
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.70', arrivalDate: '2027-02-13', confirm: false });
    await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', customer: 'FRESHMART' });
    await shipBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.20', arrivalDate: '2027-02-01' });
    customerToken = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken
      .secret;
  });
  afterEach(() => setCompanyClock(null));
  afterAll(() => t.close());
  const asOfFeb10 = () => setCompanyClock(() => new Date('2027-02-10T15:00:00Z'));

  it('lists open-market stock by product and box type, on hand and in transit, priced at the suggested price of the customer', async () => {
    asOfFeb10();
    const data = await t.ok(LIST, { customer: 'BLOOMS' });
    expect(data.availability).toEqual({
      customer: { code: 'BLOOMS' },
      asOf: '2027-02-10',
      onHandOnly: false,
      lines: [
        // 500 stems at 0.20, BLOOMS's target GPM 20 %: 0.20 / 0.8 = 0.25.
        {
          product: { code: 'CARN-WHITE' },
          boxType: 'HB',
          onHandBoxes: 1,
          onHandUnits: 500,
          inTransit: [],
          totalBoxes: 1,
          totalUnits: 500,
          unitPrice: '0.25',
          priceSource: 'SUGGESTED',
        },
        // The box aged 8 and FRESHMART's box are not offered. Average cost (200 x 0.40 + 100 x 0.70) / 300 = 0.50: 0.625 -> 0.63.
        {
          product: { code: 'ROSE-FREEDOM-50' },
          boxType: 'QB',
          onHandBoxes: 2,
          onHandUnits: 200,
          inTransit: [{ arrivalDate: '2027-02-13', boxes: 1, units: 100 }],
          totalBoxes: 3,
          totalUnits: 300,
          unitPrice: '0.63',
          priceSource: 'SUGGESTED',
        },
      ],
    });
  });

  it('on hand only leaves boxes in transit out; with no customer nothing is priced; a product filter narrows', async () => {
    asOfFeb10();
    const data = await t.ok(LIST, { onHandOnly: true, product: 'ROSE-FREEDOM-50' });
    expect(data.availability).toMatchObject({ customer: null, onHandOnly: true });
    expect(data.availability.lines).toEqual(
      [
        {
          product: { code: 'ROSE-FREEDOM-50' },
          boxType: 'QB',
          onHandBoxes: 2,
          onHandUnits: 200,
          inTransit: [],
          totalBoxes: 2,
          totalUnits: 200,
          unitPrice: '0.57',
          priceSource: 'SUGGESTED',
        },
      ].map((line) => ({ ...line, unitPrice: null, priceSource: null })),
    );
    const cost = await t.ok(`{ availability(onHandOnly: true, product: "ROSE-FREEDOM-50") { lines { averageUnitCost } } }`);
    expect(cost.availability.lines).toEqual([{ averageUnitCost: '0.40' }]);
  });

  it('as of Feb 16 the boxes of Feb 8 are 8 days old: never offered, proposed for dump', async () => {
    setCompanyClock(() => new Date('2027-02-16T15:00:00Z'));
    const data = await t.ok(LIST, { product: 'ROSE-FREEDOM-50', onHandOnly: true });
    expect(data.availability.lines).toEqual([]);
    const aged = await t.ok(`{ agedStock(filter: { product: "ROSE-FREEDOM-50" }) { totalCount } }`);
    // Those two, the box of Feb 2 and FRESHMART's box (its customer still gets it by allocation, but it is proposed too).
    expect(aged.agedStock.totalCount).toBe(4);
  });

  it("a CUSTOMER token gets its own priced list, never a cost or another customer's prices", async () => {
    asOfFeb10();
    const own = await t.ok(LIST, {}, customerToken);
    const staff = await t.ok(LIST, { customer: 'BLOOMS' });
    expect(own).toEqual(staff);
    const named = await t.ok(LIST, { customer: 'blooms' }, customerToken);
    expect(named).toEqual(staff);
    const other = await t.gql(LIST, { customer: 'FRESHMART' }, customerToken);
    expect(other.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
    const cost = await t.gql(`{ availability { lines { averageUnitCost } } }`, {}, customerToken);
    expect(cost.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('prints the list as a PDF under /documents/availability: one page wide, priced for the customer, no cost', async () => {
    asOfFeb10();
    const response = await fetch(`${t.url}/documents/availability?customer=BLOOMS`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toContain('availability-BLOOMS-2027-02-10.pdf');
    const body = Buffer.from(await response.arrayBuffer());
    if (process.env.AVAILABILITY_PDF) writeFileSync(process.env.AVAILABILITY_PDF, body);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' });
    const lines = text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
    expect(lines[0]).toMatch(/AVAILABILITY$/);
    expect(text).toContain('Blooms Florist (BLOOMS)');
    expect(lines.find((line) => line.startsWith('Carnation white fancy'))).toBe('Carnation white fancy HB 1 / 500 - 0.25');
    expect(lines.find((line) => line.startsWith('Rose Freedom 50cm'))).toBe('Rose Freedom 50cm QB 2 / 200 2027-02-13 Sat: 1 / 100 0.63');
    expect(text).toContain('page 1 of 1');
    // Never a cost (0.40, 0.50, 0.70), never a vendor.
    expect(text).not.toMatch(/0\.40|0\.50|0\.70|ROSAS|Rosas/);
    const missing = await fetch(`${t.url}/documents/availability`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(missing.status).toBe(400);
    const unknown = await fetch(`${t.url}/documents/availability?customer=NOPE`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(unknown.status).toBe(404);
  });
});
