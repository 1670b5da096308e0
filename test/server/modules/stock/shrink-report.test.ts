import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const ADJUST = `mutation($input: [AdjustInventoryInput!]!) { adjustInventory(input: $input) {
  adjustments { label units unitCost value reason note unitsRemaining boxStatus actor product { code } location { code } }
  errors { code message row field }
} }`;

const REPORT = `query($from: Date!, $to: Date!, $location: String) { shrinkReport(from: $from, to: $to, location: $location) {
  from to location { code } received { units value } sold { units value } revenue
  losses { reason units value } lossesTotal { units value }
  shrinkPercentByUnits shrinkPercentByCost marginAfterLosses
} }`;

describe('shrinkReport', () => {
  let t: TestServer;
  let labels: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(
      `mutation { upsertProducts(input: [{ code: "GYPSO", name: "Gypsophila", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 50 }]) { errors { code } } }`,
    );
    // 1,000 stems received at 0.40 landed: 20 boxes of 50 (no freight, no duty).
    labels = await stockBoxes(t, { product: 'GYPSO', boxes: 20, unitCost: '0.40' });
    // 800 sold at 0.80.
    const sold = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code message } } }`, {
      i: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: labels.slice(0, 16), unitPrice: '0.80' }] },
    });
    expect(sold.createInvoice.errors).toEqual([]);
  });
  afterAll(() => t.close());

  it('dumps and counts: 150 stems EXPIRED (60.00 at cost), 30 counted where 50 were expected (20 stems, 8.00 shrink)', async () => {
    const data = await t.ok(ADJUST, {
      input: [
        ...labels.slice(16, 19).map((label) => ({ label, unitsRemoved: 50, reason: 'EXPIRED', note: 'wilted' })),
        { label: labels[19], countedUnits: 30, reason: 'shrink' },
      ],
    });
    expect(data.adjustInventory.errors).toEqual([]);
    expect(data.adjustInventory.adjustments.map((a: any) => [a.label, a.units, a.value, a.reason, a.unitsRemaining, a.boxStatus])).toEqual([
      [labels[16], 50, '20.00', 'EXPIRED', 0, 'VOID'],
      [labels[17], 50, '20.00', 'EXPIRED', 0, 'VOID'],
      [labels[18], 50, '20.00', 'EXPIRED', 0, 'VOID'],
      [labels[19], 20, '8.00', 'SHRINK', 30, 'IN_INVENTORY'],
    ]);
    expect(data.adjustInventory.adjustments[0]).toMatchObject({ unitCost: '0.40', note: 'wilted', product: { code: 'GYPSO' }, location: { code: 'MIA' } });
    await checkBoxInvariants(t.orm);
  });

  it('reports shrink of 17.0 % by units and by cost (68.00 / 400.00) and a margin after losses of 640.00 − 320.00 − 68.00 = 252.00', async () => {
    const data = await t.ok(REPORT, { from: '2026-01-01', to: '2027-12-31' });
    expect(data.shrinkReport).toEqual({
      from: '2026-01-01',
      to: '2027-12-31',
      location: null,
      received: { units: 1000, value: '400.00' },
      sold: { units: 800, value: '320.00' },
      revenue: '640.00',
      losses: [
        { reason: 'EXPIRED', units: 150, value: '60.00' },
        { reason: 'SHRINK', units: 20, value: '8.00' },
      ],
      lossesTotal: { units: 170, value: '68.00' },
      // 17.0 %, as the Decimal scalar writes it (two decimals at least).
      shrinkPercentByUnits: '17.00',
      shrinkPercentByCost: '17.00',
      marginAfterLosses: '252.00',
    });
  });

  it('counts only boxes of the location asked for, and nothing outside the dates', async () => {
    const elsewhere = await t.ok(REPORT, { from: '2026-01-01', to: '2027-12-31', location: 'NYC' });
    expect(elsewhere.shrinkReport).toMatchObject({ location: { code: 'NYC' }, received: { units: 0, value: '0.00' }, losses: [], shrinkPercentByUnits: null });
    const before = await t.ok(REPORT, { from: '2020-01-01', to: '2020-12-31' });
    expect(before.shrinkReport).toMatchObject({
      received: { units: 0 },
      sold: { units: 0 },
      lossesTotal: { units: 0, value: '0.00' },
      marginAfterLosses: '0.00',
    });
    const backwards = await t.gql(REPORT, { from: '2027-02-02', to: '2027-02-01' });
    expect(backwards.errors?.[0].message).toMatch(/before/);
  });
});
