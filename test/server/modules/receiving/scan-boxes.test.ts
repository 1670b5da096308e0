import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * Inbound scans confirm boxes one at a time; the purchase order's status follows its boxes: SHIPPED while
 * a box is still staged, RECEIVED once the last one is scanned (the scan path updates it without
 * counting every box of the order). A box its scan could not bill keeps an open billing issue until a
 * later scan bills it, which resolves the issue.
 */

const SCAN = `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome billing { invoiceNumbers } } } }`;

describe('scans that bill: purchase order status and billing issues', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, { ...DEFAULT_SETTINGS, autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const statusOf = async (label: string) => {
    const box = await t.ok(`query($l: String!) { box(label: $l) { purchaseOrderNumber } }`, { l: label });
    const po = await t.ok(`query($n: String!) { purchaseOrders(filter: { number: $n }) { nodes { status } } }`, { n: box.box.purchaseOrderNumber });
    return po.purchaseOrders.nodes[0].status as string;
  };

  it('stays SHIPPED while a box is staged and becomes RECEIVED with the last scan; a repeated scan changes nothing', async () => {
    const [staged] = await prebooksInStaging(t, [
      {
        customer: 'FRESHMART',
        shipTo: 'DC-ATL',
        truckDate: isoDate(5),
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.80', cost: '0.55' }],
      },
    ]);
    expect(staged.labels).toHaveLength(3);
    expect(await statusOf(staged.labels[0])).toBe('SHIPPED');
    for (const [i, label] of staged.labels.entries()) {
      const scan = await t.ok(SCAN, { l: [label] });
      expect(scan.scanBoxes.results).toMatchObject([{ outcome: 'SCANNED', billing: { invoiceNumbers: [expect.any(String)] } }]);
      expect(await statusOf(label)).toBe(i < staged.labels.length - 1 ? 'SHIPPED' : 'RECEIVED');
    }
    const again = await t.ok(SCAN, { l: [staged.labels[0]] });
    expect(again.scanBoxes.results).toMatchObject([{ outcome: 'ALREADY_SCANNED' }]);
    expect(await statusOf(staged.labels[0])).toBe('RECEIVED');
  });

  it('an outbound scan that bills a box once refused for credit hold resolves its billing issue', async () => {
    await setSettings(t, { autoBilling: 'ON_OUTBOUND_SCAN' });
    try {
      const [staged] = await prebooksInStaging(t, [
        { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: isoDate(6), lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.90' }] },
      ]);
      const [label] = staged.labels;
      const OUT = `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: OUTBOUND) { results { outcome billing { invoiceNumbers issue { code } } } } }`;
      const issues = `{ open: billingIssues(filter: { label: "${label}" }) { nodes { code resolvedAt } } resolved: billingIssues(filter: { label: "${label}", resolved: true }) { nodes { code resolvedAt } } }`;
      await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: true }]) { errors { code } } }`);
      try {
        const held = await t.ok(OUT, { l: [label] });
        expect(held.scanBoxes.results).toMatchObject([{ outcome: 'NOT_SHIPPED', billing: { invoiceNumbers: [], issue: { code: 'CREDIT_HOLD' } } }]);
        expect((await t.ok(issues)).open.nodes).toEqual([{ code: 'CREDIT_HOLD', resolvedAt: null }]);
      } finally {
        await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: false }]) { errors { code } } }`);
      }
      const billed = await t.ok(OUT, { l: [label] });
      expect(billed.scanBoxes.results).toMatchObject([{ outcome: 'SCANNED', billing: { invoiceNumbers: [expect.any(String)], issue: null } }]);
      const after = await t.ok(issues);
      expect(after.open.nodes).toEqual([]);
      expect(after.resolved.nodes).toEqual([{ code: 'CREDIT_HOLD', resolvedAt: expect.any(String) }]);
    } finally {
      await setSettings(t, { autoBilling: 'ON_INCOMING_SCAN_OR_CONFIRMATION' });
    }
  });
});
