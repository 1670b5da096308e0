import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * savePrebooks answers for the prebooks it creates from what it wrote (prebook.view.ts), not from
 * entities read back. Every field of Prebook and PrebookLine must read as the stored prebook does.
 */

const FIELDS = `id number customer { code } shipTo { code } carrier { code } truckDate customerPo holiday source standingOrderNumber status version
  createdAt updatedAt lineIds
  lines { id lineNo prebookNumber product { code } sellBy boxType { code } boxes unitsPerBox units price cost vendor { code } vendorCost
    unableToSource ordered purchased billed needed lockedByPo suggestedUnitPrice suggestedUnitCost }`;
const SAVE = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) { prebooks { ${FIELDS} } results { number status } errors { code message row field } replayed }
}`;

const input = [
  {
    customer: 'FRESHMART',
    shipTo: 'DC-ATL',
    carrier: 'ARMELLINI',
    truckDate: '2027-05-10',
    customerPo: 'FM-1',
    holiday: true,
    lines: [
      { product: 'ROSE-FREEDOM-50', boxes: 4, unitsPerBox: 100, price: '0.85', cost: '0.52', vendor: 'ROSAS', vendorCost: '0.38' },
      // Sold by the unit, box type and units per box from the product; price pending with a cost: a suggested price.
      { product: 'carnation white fancy', sellBy: 'UNIT', units: 750, cost: '0.2000' },
      { product: 'BQT-SPRING', boxes: 2, price: '0.00', cost: '9.40' },
    ],
  },
  { customer: 'Blooms Florist', carrier: 'FEDEX', truckDate: '2027-05-11', lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12 }] },
  // The first document's customer again, to its own address (its ship-tos are read for the first one only).
  { customer: 'FRESHMART', carrier: 'FEDEX', truckDate: '2027-05-12', lines: [{ product: 'VASE-20', boxes: 3, unitsPerBox: 12 }] },
];

describe('the prebooks savePrebooks creates', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('read field for field as the same prebooks read back from the database, and as a replay returns them', async () => {
    const saved = (await t.ok(SAVE, { input, key: 'view-1' })).savePrebooks;
    expect(saved.errors).toEqual([]);
    expect(saved.results.map((r: { status: string }) => r.status)).toEqual(['SAVED', 'SAVED', 'SAVED']);
    const [first, second, third] = saved.prebooks;
    expect(first).toMatchObject({ shipTo: { code: 'DC-ATL' }, holiday: true, source: 'PREBOOK', standingOrderNumber: null, status: 'OPEN', version: 1 });
    expect(second).toMatchObject({ shipTo: null, customerPo: null, holiday: false });
    expect(third).toMatchObject({ customer: { code: 'FRESHMART' }, shipTo: null });
    expect(first.lines.map((l: { lineNo: number }) => l.lineNo)).toEqual([1, 2, 3]);
    // lineIds: the same ids, by line number (what a sheet writes back into its Line Id column).
    expect(first.lineIds).toEqual(first.lines.map((l: { id: string }) => l.id));
    expect(first.lines[1]).toMatchObject({ sellBy: 'UNIT', units: 750, price: null, suggestedUnitPrice: expect.any(String) });

    for (const prebook of saved.prebooks) {
      const stored = await t.ok(`query($n: String!) { prebook(number: $n) { ${FIELDS} } }`, { n: prebook.number });
      expect(prebook).toEqual(stored.prebook);
    }
    const replay = (await t.ok(SAVE, { input, key: 'view-1' })).savePrebooks;
    expect(replay.replayed).toBe(true);
    expect(replay.prebooks).toEqual(saved.prebooks);
  });
});
