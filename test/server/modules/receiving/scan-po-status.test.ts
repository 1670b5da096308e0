import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * Inbound scans confirm boxes one at a time; the purchase order's status follows its boxes: SHIPPED while
 * a box is still staged, RECEIVED once the last one is scanned (the scan path updates it without
 * counting every box of the order).
 */

const SCAN = `mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome billing { invoiceNumbers } } } }`;

describe('purchase order status under inbound scans that bill', () => {
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
      { customer: 'FRESHMART', shipTo: 'DC-ATL', truckDate: isoDate(5), lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitsPerBox: 100, price: '0.80', cost: '0.55' }] },
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
});
