import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { statementCounter } from '../../../support/statements';
import { startTestServer, type TestServer } from '../../../support/test-server';

const RECORD = `mutation($awb: String!, $input: ShipmentCostsInput!) { recordShipmentCosts(awb: $awb, input: $input) {
  boxesChanged invoiceLinesChanged errors { code message field }
  shipmentCosts { awb recorded { freight handling duty recordedBy recordedAt } estimatedValue actualValue difference
    boxes { label product { code } boxType status units estimatedUnitCost actualUnitCost differencePerUnit difference } }
} }`;
const COSTS = `query($awb: String!) { shipmentCosts(awb: $awb) { awb recorded { freight } estimatedValue actualValue difference
  boxes { label status estimatedUnitCost actualUnitCost differencePerUnit difference } } }`;
const GPM = `{ gpmReport(filter: { product: "GYPSO-HB" }) { rows { revenue cost margin gpmPercent } } }`;

/** A PO of `boxes` HB boxes of GYPSO-HB (250 stems) at `unitCost`, shipped under `awb` and confirmed: the labels. */
async function shipAwb(t: TestServer, awb: string, boxes: number, unitCost = '0.30'): Promise<string[]> {
  const po = await t.ok(
    `mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } errors { message } } }`,
    {
      input: [{ vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-01', lines: [{ product: 'GYPSO-HB', boxes, unitCost }] }],
    },
  );
  expect(po.savePurchaseOrders.errors).toEqual([]);
  const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
  const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { message } } }`, {
    input: { purchaseOrder: number, awb, lines: [{ poLine: lines[0].id, boxes }] },
  });
  expect(shipped.shipPurchaseOrder.errors).toEqual([]);
  const labels: string[] = shipped.shipPurchaseOrder.boxes.map((b: { label: string }) => b.label);
  await t.ok(`mutation($labels: [String!]) { confirmStaging(input: { labels: $labels }) { errors { message } } }`, { labels });
  return labels;
}

describe('recordShipmentCosts and shipmentCosts', () => {
  let t: TestServer;
  let labels: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { updateSettings(input: { freightPerFbe: "25.00" }) { errors { message } } }`);
    await t.ok(
      `mutation { upsertProducts(input: [{ code: "GYPSO-HB", name: "Gypsophila HB", kind: "LIVE", unit: "STEM", defaultBoxType: "HB", defaultUnitsPerBox: 250 }]) { errors { code } } }`,
    );
    // Two HBs of 250 stems (0.5 FBE each) at 0.30, freight estimated at 25.00 per FBE: 12.50 a box, 0.05 a stem.
    labels = await shipAwb(t, 'AWB-100', 2);
    await shipAwb(t, 'AWB-100', 1, '0.40');
    const sold = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code message } } }`, {
      i: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: [labels[0]], unitPrice: '0.60' }] },
    });
    expect(sold.createInvoice.errors).toEqual([]);
  });
  afterAll(() => t.close());

  it('lands an HB of 250 stems at 0.30 with freight estimated at 25.00 per FBE at 0.35 a stem: 41.67 % GPM sold at 0.60', async () => {
    const data = await t.ok(COSTS, { awb: 'AWB-100' });
    expect(data.shipmentCosts).toMatchObject({ awb: 'AWB-100', recorded: null, actualValue: null, difference: null });
    expect(data.shipmentCosts.boxes[0]).toEqual({
      label: labels[0],
      status: 'INVOICED',
      estimatedUnitCost: '0.35',
      actualUnitCost: null,
      differencePerUnit: null,
      difference: null,
    });
    expect((await t.ok(GPM)).gpmReport.rows).toEqual([{ revenue: '150.00', cost: '87.50', margin: '62.50', gpmPercent: '41.67' }]);
  });

  it('real freight of 30.00 per FBE makes it 0.36 a stem, on hand and invoiced, and the invoiced line 40.00 % GPM (price unchanged)', async () => {
    // 3 HBs = 1.5 FBE: 45.00 of freight is 30.00 per FBE.
    const data = await t.ok(RECORD, { awb: 'AWB-100', input: { freight: '45.00' } });
    const result = data.recordShipmentCosts;
    expect(result.errors).toEqual([]);
    expect(result.boxesChanged).toBe(3);
    expect(result.invoiceLinesChanged).toBe(1);
    expect(result.shipmentCosts.recorded).toMatchObject({ freight: '45.00', handling: '0.00', duty: '0.00', recordedBy: expect.stringContaining('') });
    expect(result.shipmentCosts.boxes.map((b: any) => [b.label, b.status, b.estimatedUnitCost, b.actualUnitCost, b.differencePerUnit, b.difference])).toEqual([
      [labels[0], 'INVOICED', '0.35', '0.36', '0.01', '2.50'],
      [labels[1], 'IN_INVENTORY', '0.35', '0.36', '0.01', '2.50'],
      [expect.any(String), 'IN_INVENTORY', '0.45', '0.46', '0.01', '2.50'],
    ]);
    expect(result.shipmentCosts).toMatchObject({ estimatedValue: '287.50', actualValue: '295.00', difference: '7.50' });
    expect((await t.ok(GPM)).gpmReport.rows).toEqual([{ revenue: '150.00', cost: '90.00', margin: '60.00', gpmPercent: '40.00' }]);
    const invoice = await t.ok(`{ invoices(filter: { customer: "BLOOMS" }) { nodes { lines { unitPrice unitCost } } } }`);
    expect(invoice.invoices.nodes[0].lines).toEqual([{ unitPrice: '0.60', unitCost: '0.36' }]);
  });

  it('is idempotent: the same amounts again change nothing, not even when they were recorded', async () => {
    const first = await t.ok(COSTS, { awb: 'AWB-100' });
    const before = await t.ok(`{ r: shipmentCosts(awb: "AWB-100") { recorded { recordedAt } } }`);
    const again = await t.ok(RECORD, { awb: 'AWB-100', input: { freight: '45', handling: '0' } });
    expect(again.recordShipmentCosts).toMatchObject({ boxesChanged: 0, invoiceLinesChanged: 0, errors: [] });
    expect(again.recordShipmentCosts.shipmentCosts.recorded.recordedAt).toBe(before.r.recorded.recordedAt);
    expect(await t.ok(COSTS, { awb: 'AWB-100' })).toEqual(first);
  });

  it('new amounts replace the old: handling by FBE and duty by share of product cost', async () => {
    // Freight 30 + handling 15 over 1.5 FBE: 15.00 a box; duty 31.00 over product cost 75 + 75 + 100 (250 x 0.40).
    const data = await t.ok(RECORD, { awb: 'AWB-100', input: { freight: '30', handling: '15', duty: '31.00' } });
    const result = data.recordShipmentCosts;
    expect(result.errors).toEqual([]);
    // 0.30 + (15.00 + 9.30) / 250 = 0.3972; 0.40 + (15.00 + 12.40) / 250 = 0.5096.
    expect(result.shipmentCosts.boxes.map((b: any) => b.actualUnitCost)).toEqual(['0.3972', '0.3972', '0.5096']);
    expect(result.shipmentCosts.boxes.map((b: any) => b.estimatedUnitCost)).toEqual(['0.35', '0.35', '0.45']);
    expect(result.shipmentCosts.recorded).toMatchObject({ freight: '30.00', handling: '15.00', duty: '31.00' });
    // The invoice line costs at 2 decimals, as billing costs it.
    const invoice = await t.ok(`{ invoices(filter: { customer: "BLOOMS" }) { nodes { lines { unitPrice unitCost } } } }`);
    expect(invoice.invoices.nodes[0].lines).toEqual([{ unitPrice: '0.60', unitCost: '0.40' }]);
  });

  it('refuses an unknown air waybill and a negative amount as typed errors; staff only', async () => {
    const unknown = await t.ok(RECORD, { awb: 'NOPE', input: { freight: '1' } });
    expect(unknown.recordShipmentCosts.errors).toEqual([{ code: 'NOT_FOUND', message: expect.stringContaining('NOPE'), field: 'awb' }]);
    const negative = await t.ok(RECORD, { awb: 'AWB-100', input: { freight: '-1' } });
    expect(negative.recordShipmentCosts.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'freight' });
    expect((await t.ok(COSTS, { awb: 'NOPE' })).shipmentCosts).toBeNull();
    const customer = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken
      .secret;
    const refused = await t.gql(COSTS, { awb: 'AWB-100' }, customer);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('trues up a 1,000-box air waybill with one statement per table written, as many statements as for 3 boxes, locking boxes then invoices', async () => {
    await shipAwb(t, 'AWB-BIG', 1000);
    const counter = statementCounter(t);
    try {
      const small = await counter.measure(RECORD, { awb: 'AWB-100', input: { freight: '60' } });
      const big = await counter.measure(RECORD, { awb: 'AWB-BIG', input: { freight: '600' } });
      expect(big.data.recordShipmentCosts).toMatchObject({ boxesChanged: 1000, errors: [] });
      expect(big.data.recordShipmentCosts.shipmentCosts.boxes[0].actualUnitCost).toBe('0.3024');
      const writes = (statements: string[], table: string) =>
        statements.filter((sql) => new RegExp(`^\\s*(update|insert into) "?${table}"?\\s`, 'i').test(sql)).length;
      expect(writes(big.statements, 'box')).toBe(1);
      expect(writes(big.statements, 'awb_cost')).toBe(1);
      expect(writes(small.statements, 'invoice_line')).toBe(1);
      expect(big.statements.length).toBeLessThanOrEqual(small.statements.length);
      // The documented lock order: the boxes, then the invoices, each in id order, before anything is written.
      const at = (pattern: RegExp) => small.statements.findIndex((sql) => pattern.test(sql));
      const boxes = at(/for update of b/);
      const invoices = at(/from invoice i where .* for update/s);
      expect(boxes).toBeGreaterThanOrEqual(0);
      expect(invoices).toBeGreaterThan(boxes);
      expect(at(/^\s*update "?box"?\s/i)).toBeGreaterThan(invoices);
    } finally {
      counter.restore();
    }
  });
});
