import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const SHIP = `mutation($input: ShipPurchaseOrderInput!, $key: String) {
  shipPurchaseOrder(input: $input, idempotencyKey: $key) {
    shipment { awb shipDate arrivalDate portOfOrigin freight boxCount }
    boxes { label status received units unitsRemaining landedUnitCost portOfOrigin location { code } product { code } demands { prebookNumber units } }
    purchaseOrder { status }
    errors { code message row field }
    replayed
  }
}`;
const CONFIRM = `mutation($input: ConfirmStagingInput!, $key: String) {
  confirmStaging(input: $input, idempotencyKey: $key) {
    results { label outcome code message box { status inventoryType customer { code } prebookNumber } }
    errors { code message row field }
    replayed
  }
}`;

async function poLines(t: TestServer, number: string): Promise<string[]> {
  const data = await t.ok(`{ purchaseOrders(filter: { number: "${number}" }) { nodes { lines { id } } } }`);
  return data.purchaseOrders.nodes[0].lines.map((l: any) => l.id);
}

describe('receiving: shipments, staging, scans and confirmation', () => {
  let t: TestServer;
  let pbNumber: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(
      `mutation { updateSettings(input: { autoBilling: "OFF", freightPerFbe: "20", dutyPercentByPort: [{ port: "BOG", percent: "10" }] }) { errors { code } } }`,
    );
    const pb = await t.ok(`mutation { savePrebooks(input: [
      { customer: "FRESHMART", carrier: "ARMELLINI", truckDate: "2027-02-10", lines: [{ product: "ROSE-FREEDOM-50", boxes: 2, unitsPerBox: 100, vendor: "ROSAS", vendorCost: "0.40" }] }
    ]) { prebooks { number lines { id } } } }`);
    pbNumber = pb.savePrebooks.prebooks[0].number;
    await t.ok(`mutation($id: ID!) { createPurchaseOrdersFromPrebooks(input: { location: "MIA", prebookLines: [{ id: $id }] }) { errors { message } } }`, {
      id: pb.savePrebooks.prebooks[0].lines[0].id,
    });
    // PO-000002: components for the production company; PO-000003: open market.
    await t.ok(`mutation { savePurchaseOrders(input: [
      { vendor: "ROSAS", customer: "BOUQUETWORKS", location: "MIA", shipDate: "2027-02-03", lines: [{ product: "ROSE-FREEDOM-50", boxes: 3, unitCost: "0.38" }] }
      { vendor: "ROSAS", location: "MIA", shipDate: "2027-02-03", lines: [{ product: "ROSE-FREEDOM-50", boxType: "HB", boxes: 1, unitsPerBox: 200, unitCost: "0.35" }, { product: "ROSE-FREEDOM-50", boxes: 3, unitCost: "0.35" }] }
    ]) { errors { message } } }`);
  });
  afterAll(() => t.close());

  it('ships boxes into staging with labels, landed cost from duty and estimated freight, and links to the prebook', async () => {
    const [line] = await poLines(t, 'PO-000001');
    const data = await t.ok(SHIP, {
      input: {
        purchaseOrder: 'PO-000001',
        awb: '729-1234 5675',
        shipDate: '2027-02-05',
        arrivalDate: '2027-02-07',
        lines: [{ poLine: line, boxes: 2, labels: ['ROSAS-0001', 'ROSAS-0002'] }],
      },
    });
    const { shipment, boxes, purchaseOrder, errors } = data.shipPurchaseOrder;
    expect(errors).toEqual([]);
    expect(shipment).toEqual({ awb: '729-1234 5675', shipDate: '2027-02-05', arrivalDate: '2027-02-07', portOfOrigin: 'BOG', freight: null, boxCount: 2 });
    // 0.40 x 1.10 duty + (20 x 0.25 FBE) / 100 stems = 0.44 + 0.05
    expect(boxes).toEqual([
      {
        label: 'ROSAS-0001',
        status: 'STAGED',
        received: false,
        units: 100,
        unitsRemaining: 100,
        landedUnitCost: '0.49',
        portOfOrigin: 'BOG',
        location: { code: 'MIA' },
        product: { code: 'ROSE-FREEDOM-50' },
        demands: [{ prebookNumber: pbNumber, units: 100 }],
      },
      {
        label: 'ROSAS-0002',
        status: 'STAGED',
        received: false,
        units: 100,
        unitsRemaining: 100,
        landedUnitCost: '0.49',
        portOfOrigin: 'BOG',
        location: { code: 'MIA' },
        product: { code: 'ROSE-FREEDOM-50' },
        demands: [{ prebookNumber: pbNumber, units: 100 }],
      },
    ]);
    expect(purchaseOrder.status).toBe('SHIPPED');
  });

  it('shares the actual AWB freight by full-box equivalents and generates labels, leaving a partly shipped PO CONFIRMED', async () => {
    const [half, quarter] = await poLines(t, 'PO-000003');
    const data = await t.ok(SHIP, {
      input: {
        purchaseOrder: 'PO-000003',
        awb: 'AWB-2',
        freight: '30',
        lines: [
          { poLine: half, boxes: 1 },
          { poLine: quarter, boxes: 2 },
        ],
      },
    });
    const { boxes, purchaseOrder, shipment } = data.shipPurchaseOrder;
    expect(shipment.freight).toBe('30.00');
    expect(boxes.map((b: any) => b.label)).toEqual(['B-000001', 'B-000002', 'B-000003']);
    // FBE 0.5 + 0.25 + 0.25: freight 15, 7.50, 7.50; 0.35 x 1.10 = 0.385
    expect(boxes.map((b: any) => b.landedUnitCost)).toEqual(['0.46', '0.46', '0.46']);
    expect(boxes.map((b: any) => b.demands)).toEqual([[], [], []]);
    expect(purchaseOrder.status).toBe('CONFIRMED');
  });

  it('refuses to ship more boxes than a PO line has left, or a label already used, and writes nothing', async () => {
    const [, quarter] = await poLines(t, 'PO-000003');
    const before = await countRows(t.orm, 'box');
    const data = await t.ok(SHIP, { input: { purchaseOrder: 'PO-000003', lines: [{ poLine: quarter, boxes: 2, labels: ['ROSAS-0001', 'NEW-1'] }] } });
    expect(data.shipPurchaseOrder.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['lines.1.boxes', 'EXCEEDS_ORDERED'],
      ['lines.1.labels', 'DUPLICATE_LABEL'],
    ]);
    expect(data.shipPurchaseOrder.errors[0].message).toBe('line 1: line 2 (ROSE-FREEDOM-50) has 1 of 3 boxes left to ship, not 2');
    expect(await countRows(t.orm, 'box')).toBe(before);
  });

  it('lists staging by PO, customer, label and received, and flags overdue boxes', async () => {
    const data = await t.ok(`{
      all: staging { totalCount }
      po1: staging(filter: { purchaseOrder: "PO-000001" }) { nodes { label prebookNumber overdue } }
      fm: staging(filter: { customer: "FRESHMART" }) { totalCount }
      byLabel: staging(filter: { label: "B-000002" }) { nodes { awb purchaseOrderNumber vendor { code } } }
      overdue: staging(filter: { overdue: true }) { totalCount }
    }`);
    expect(data.all.totalCount).toBe(5);
    expect(data.po1.nodes).toEqual([
      { label: 'ROSAS-0001', prebookNumber: null, overdue: false },
      { label: 'ROSAS-0002', prebookNumber: null, overdue: false },
    ]);
    expect(data.fm.totalCount).toBe(2);
    expect(data.byLabel.nodes).toEqual([{ awb: 'AWB-2', purchaseOrderNumber: 'PO-000003', vendor: { code: 'ROSAS' } }]);
    expect(data.overdue.totalCount).toBe(0);
  });

  it('scans boxes in and out, reporting unknown and repeated labels per label', async () => {
    const data = await t.ok(
      `mutation { scanBoxes(labels: ["ROSAS-0001", "NOPE", "ROSAS-0001"], kind: INBOUND) { results { label outcome message box { received } } } }`,
    );
    expect(data.scanBoxes.results).toEqual([
      { label: 'ROSAS-0001', outcome: 'SCANNED', message: 'ROSAS-0001 received: on hand', box: { received: true } },
      { label: 'NOPE', outcome: 'UNKNOWN_LABEL', message: 'no box NOPE', box: null },
      { label: 'ROSAS-0001', outcome: 'ALREADY_SCANNED', message: 'ROSAS-0001 was already received', box: { received: true } },
    ]);
    const received = await t.ok(`{ staging(filter: { received: true }) { nodes { label } } }`);
    expect(received.staging.nodes).toEqual([{ label: 'ROSAS-0001' }]);
  });

  it('confirms staged boxes into inventory: P for the prebook, M reserved for the PO customer, M open market; per-box errors', async () => {
    const [line] = await poLines(t, 'PO-000002');
    const shipped = await t.ok(SHIP, { input: { purchaseOrder: 'PO-000002', freightPerBox: '5', lines: [{ poLine: line, boxes: 3 }] } });
    // freight known per box: 0.38 x 1.10 + 5 / 100
    expect(shipped.shipPurchaseOrder.boxes.map((b: any) => b.landedUnitCost)).toEqual(['0.468', '0.468', '0.468']);
    const data = await t.ok(CONFIRM, { input: { labels: ['ROSAS-0001', 'B-000004', 'B-000001', 'GHOST'] } });
    expect(data.confirmStaging.results).toEqual([
      {
        label: 'ROSAS-0001',
        outcome: 'CONFIRMED',
        code: null,
        message: null,
        box: { status: 'IN_INVENTORY', inventoryType: 'P', customer: { code: 'FRESHMART' }, prebookNumber: pbNumber },
      },
      {
        label: 'B-000004',
        outcome: 'CONFIRMED',
        code: null,
        message: null,
        box: { status: 'IN_INVENTORY', inventoryType: 'M', customer: { code: 'BOUQUETWORKS' }, prebookNumber: null },
      },
      {
        label: 'B-000001',
        outcome: 'CONFIRMED',
        code: null,
        message: null,
        box: { status: 'IN_INVENTORY', inventoryType: 'M', customer: null, prebookNumber: null },
      },
      { label: 'GHOST', outcome: 'ERROR', code: 'NOT_FOUND', message: 'no box GHOST', box: null },
    ]);
    const again = await t.ok(CONFIRM, { input: { labels: ['ROSAS-0001'] } });
    expect(again.confirmStaging.results[0]).toMatchObject({
      outcome: 'ERROR',
      code: 'INVALID_STATUS',
      message: 'ROSAS-0001 is IN_INVENTORY, not in staging: nothing changed',
    });
  });

  it('confirms every staged box of a PO by number, and the PO becomes RECEIVED', async () => {
    const data = await t.ok(CONFIRM, { input: { purchaseOrders: ['PO-000001'] }, key: 'confirm-po1' });
    expect(data.confirmStaging.results.map((r: any) => [r.label, r.outcome])).toEqual([['ROSAS-0002', 'CONFIRMED']]);
    const po = await t.ok(`{ purchaseOrders(filter: { number: "PO-000001" }) { nodes { status } } }`);
    expect(po.purchaseOrders.nodes[0].status).toBe('RECEIVED');
    const replay = await t.ok(CONFIRM, { input: { purchaseOrders: ['PO-000001'] }, key: 'confirm-po1' });
    expect(replay.confirmStaging.replayed).toBe(true);
    expect(replay.confirmStaging.results.map((r: any) => [r.label, r.outcome])).toEqual([['ROSAS-0002', 'CONFIRMED']]);
  });

  it('lists inventory by type, customer, location and received, with available units', async () => {
    const data = await t.ok(`{
      p: inventory(filter: { inventoryType: P }) { nodes { label customer { code } unitsRemaining } }
      reserved: inventory(filter: { customer: "BOUQUETWORKS" }) { totalCount }
      onHand: inventory(filter: { received: true }) { nodes { label } }
      mia: inventory(filter: { location: "MIA", inventoryType: M }) { totalCount }
    }`);
    expect(data.p.nodes).toEqual([
      { label: 'ROSAS-0001', customer: { code: 'FRESHMART' }, unitsRemaining: 100 },
      { label: 'ROSAS-0002', customer: { code: 'FRESHMART' }, unitsRemaining: 100 },
    ]);
    expect(data.reserved.totalCount).toBe(1);
    expect(data.onHand.nodes).toEqual([{ label: 'ROSAS-0001' }]);
    expect(data.mia.totalCount).toBe(2);
  });
});
