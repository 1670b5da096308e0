import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { shipBoxes, tokenOf } from './stock-support';

const COUNT = `number status location { code } expectedBoxes scannedLabels startedBy closedBy`;
const START = `mutation($location: String!) { startCount(location: $location) { count { ${COUNT} } errors { code field } } }`;
const SCAN = `mutation($count: String!, $labels: [String!]!) { countScan(count: $count, labels: $labels) { count { scannedLabels } results { label outcome } errors { code message } } }`;
const REPORT = `query($count: String!) { countReport(count: $count) { count { number status } matched
  missing { label finding units value action product { code } }
  unexpected { label finding units invoiceNumber action }
} }`;
const CLOSE = `mutation($count: String!, $options: CloseCountInput) { closeCount(count: $count, options: $options) {
  count { ${COUNT} } adjustments { label units value reason countNumber boxStatus } errors { code }
} }`;

describe('physical count', () => {
  let t: TestServer;
  let warehouse: string;
  let nyc: string[];
  let staged: string;
  let mia: string;
  let sold: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    warehouse = await tokenOf(t, 'WAREHOUSE');
    // Five boxes of 100 stems at 0.50 in New York; one more invoiced; one staged; one in Miami.
    nyc = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 5, unitCost: '0.50', location: 'NYC', arrivalDate: '2026-12-01' });
    [sold] = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.50', location: 'NYC', arrivalDate: '2026-12-01' });
    await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code } } }`, {
      i: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: [sold], unitPrice: '1.00' }] },
    });
    [staged] = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.50', location: 'NYC', confirm: false });
    [mia] = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.50', location: 'MIA', arrivalDate: '2026-12-01' });
  });
  afterAll(() => t.close());

  it('refuses an unknown location, and answers an unknown count with an error or null', async () => {
    expect((await t.ok(START, { location: 'LAX' })).startCount.errors).toEqual([{ code: 'UNKNOWN_LOCATION', field: 'location' }]);
    expect((await t.ok(SCAN, { count: 'CNT-999999', labels: ['X'] })).countScan.errors[0].code).toBe('NOT_FOUND');
    expect((await t.ok(REPORT, { count: 'CNT-999999' })).countReport).toBeNull();
  });

  it('expects the boxes in inventory, lists the missing ones and what every stray label is, then writes the missing off as SHRINK', async () => {
    const started = await t.ok(START, { location: 'NYC' }, warehouse);
    const count = started.startCount.count;
    expect(count).toMatchObject({
      status: 'OPEN',
      location: { code: 'NYC' },
      expectedBoxes: 5,
      scannedLabels: 0,
      startedBy: expect.stringContaining('WAREHOUSE one'),
    });
    // A box written off during the count is not missing: it is void.
    await t.ok(`mutation($label: String!) { adjustInventory(input: [{ label: $label, unitsRemoved: 100, reason: "DUMP" }]) { errors { code } } }`, {
      label: nyc[4],
    });

    const scanned = await t.ok(
      SCAN,
      { count: count.number, labels: [nyc[0], nyc[1], nyc[1], ` ${nyc[2]} `, staged, mia, sold, nyc[4], 'ZZ-NOT-A-BOX'] },
      warehouse,
    );
    expect(scanned.countScan.results.filter((r: any) => r.outcome === 'ALREADY_SCANNED')).toEqual([]);
    expect(scanned.countScan.results.map((r: any) => r.label)).toContain(nyc[2]);
    expect(scanned.countScan.count.scannedLabels).toBe(8);
    const rescanned = await t.ok(SCAN, { count: count.number, labels: [nyc[0]] });
    expect(rescanned.countScan.results).toEqual([{ label: nyc[0], outcome: 'ALREADY_SCANNED' }]);

    const report = (await t.ok(REPORT, { count: count.number })).countReport;
    expect(report.matched).toBe(3);
    expect(report.missing).toEqual([
      { label: nyc[3], finding: 'MISSING', units: 100, value: '50.00', action: expect.stringMatching(/scan it/), product: { code: 'ROSE-FREEDOM-50' } },
    ]);
    const byLabel = Object.fromEntries(report.unexpected.map((line: any) => [line.label, line]));
    expect(Object.keys(byLabel).sort()).toEqual([nyc[4], staged, mia, sold, 'ZZ-NOT-A-BOX'].sort());
    expect(byLabel[nyc[4]]).toMatchObject({ finding: 'VOID', units: 0 });
    expect(byLabel[staged]).toMatchObject({ finding: 'STAGED', action: expect.stringMatching(/confirm/) });
    expect(byLabel[mia]).toMatchObject({ finding: 'OTHER_LOCATION', action: expect.stringContaining('MIA') });
    expect(byLabel[sold]).toMatchObject({ finding: 'INVOICED', invoiceNumber: expect.stringMatching(/^INV-/), action: expect.stringMatching(/ship it/) });
    expect(byLabel['ZZ-NOT-A-BOX']).toMatchObject({ finding: 'UNKNOWN', units: null, invoiceNumber: null });

    const closed = (await t.ok(CLOSE, { count: count.number, options: { applyMissingAs: 'SHRINK', note: 'December count' } }, warehouse)).closeCount;
    expect(closed.errors).toEqual([]);
    expect(closed.count).toMatchObject({ status: 'CLOSED', closedBy: expect.stringContaining('WAREHOUSE one') });
    expect(closed.adjustments).toEqual([{ label: nyc[3], units: 100, value: '50.00', reason: 'SHRINK', countNumber: count.number, boxStatus: 'VOID' }]);
    expect((await t.ok(`{ inventory(filter: { location: "NYC" }) { totalCount } }`)).inventory.totalCount).toBe(3);
    const listed = await t.ok(
      `query($count: String) { all: inventoryAdjustments { nodes { label reason } }
      counted: inventoryAdjustments(filter: { count: $count, reason: SHRINK, location: "NYC" }) { totalCount nodes { label countNumber note } } }`,
      { count: count.number },
    );
    expect(listed.all.nodes).toEqual([
      { label: nyc[3], reason: 'SHRINK' },
      { label: nyc[4], reason: 'DUMP' },
    ]);
    expect(listed.counted).toEqual({ totalCount: 1, nodes: [{ label: nyc[3], countNumber: count.number, note: 'December count' }] });

    expect((await t.ok(SCAN, { count: count.number, labels: [nyc[3]] })).countScan.errors[0].code).toBe('COUNT_CLOSED');
    expect((await t.ok(CLOSE, { count: count.number })).closeCount.errors).toEqual([{ code: 'COUNT_CLOSED' }]);
    await checkBoxInvariants(t.orm);
  });

  it('closes without adjusting anything when no reason is given', async () => {
    const count = (await t.ok(START, { location: 'MIA' })).startCount.count;
    expect(count.expectedBoxes).toBe(1);
    const closed = (await t.ok(CLOSE, { count: count.number })).closeCount;
    expect(closed).toMatchObject({ count: { status: 'CLOSED' }, adjustments: [] });
    expect((await t.ok(`query($label: String!) { box(label: $label) { status } }`, { label: mia })).box.status).toBe('IN_INVENTORY');
  });

  it('loses nothing when two counters scan the same location at once, each label counted once', async () => {
    const labels = await shipBoxes(t, { product: 'CARN-WHITE', boxes: 30, unitCost: '0.10', location: 'NYC', arrivalDate: '2026-12-01' });
    const count = (await t.ok(START, { location: 'NYC' })).startCount.count;
    // Each counter walks the cooler in its own order, a few labels per call, all calls in flight together.
    const walk = (order: string[], token: string) =>
      Array.from({ length: 10 }, (_, i) => t.ok(SCAN, { count: count.number, labels: order.slice(i * 3, i * 3 + 3) }, token));
    const calls = await Promise.all([...walk(labels, warehouse), ...walk([...labels].reverse(), t.adminToken)]);
    const outcomes = calls.flatMap((call) => call.countScan.results);
    expect(calls.flatMap((call) => call.countScan.errors)).toEqual([]);
    expect(
      outcomes
        .filter((r) => r.outcome === 'SCANNED')
        .map((r) => r.label)
        .sort(),
    ).toEqual([...labels].sort());
    expect(outcomes.filter((r) => r.outcome === 'ALREADY_SCANNED')).toHaveLength(30);
    const report = (await t.ok(REPORT, { count: count.number })).countReport;
    expect(report.matched).toBe(30);
    expect(report.missing.map((line: any) => line.label).sort()).toEqual(nyc.slice(0, 3).sort());
  });
});
