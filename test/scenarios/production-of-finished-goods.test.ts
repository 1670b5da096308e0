// The production of finished goods (docs/maintainers.md#production-runs), through the public GraphQL API, step by step.
//
// A bouquet (BQT-SPRING, 8 per FB box) is 10 roses + 1 vase + labour:
//   roses landed  10 x 0.40 (0.35 FOB + 5.00 freight per box of 100) = 4.00
//   vase           1 x 1.00                                          = 1.00
//   labour (Bouquet Works)                                           = 1.50
//   cost per bouquet, on the prebook's cost field                     = 6.50
// FRESHMART buys 100 boxes (800 bouquets) at 10.00; BLOOMS 20 boxes (160 bouquets) with no price yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../support/billing';
import { seedCatalogue } from '../support/fixtures';
import { checkBoxInvariants, checkNoOverbilling } from '../support/invariants';
import { startTestServer, type TestServer } from '../support/test-server';

const TRUCK_DATE = isoDate(10);
const BOUQUETS_PER_BOX = 8;
const FRESHMART_BOXES = 100;
const BLOOMS_BOXES = 20;
const BOUQUETS = (FRESHMART_BOXES + BLOOMS_BOXES) * BOUQUETS_PER_BOX; // 960
const ROSE_BOXES = (BOUQUETS * 10) / 100; // 96 boxes of 100 stems
const VASE_BOXES = BOUQUETS / 12; // 80 boxes of 12 vases

interface Snapshot {
  staging: Record<string, number>;
  inventory: Record<string, number>;
  /** Boxes still to buy, by prebook (these lines are sold by the box). */
  needs: Record<string, number>;
  invoices: Array<{ customer: string; status: string; total: string; cost: string; gpmPercent: string | null; pricePending: boolean; boxes: number }>;
}

describe('production of finished goods (scenario)', () => {
  let t: TestServer;
  const prebooks: Record<'priced' | 'unpriced', { number: string; lineId: string }> = {
    priced: { number: '', lineId: '' },
    unpriced: { number: '', lineId: '' },
  };
  const componentPos: string[] = [];
  const componentLabels: Record<'roses' | 'vases', string[]> = { roses: [], vases: [] };
  let finishedPo = '';

  /** What a buyer would look at after each step: staging and inventory by product, open needs by prebook, invoices. */
  async function snapshot(): Promise<Snapshot> {
    const data = await t.ok(`{
      staging(first: 1000) { nodes { product { code } } }
      inventory(first: 1000) { nodes { product { code } } }
      purchaseNeeds(first: 1000) { nodes { prebookNumber quantity } }
      invoices(first: 100) { nodes { customer { code } status total cost gpmPercent pricePending lines { boxes } } }
    }`);
    const countBy = <T>(items: T[], key: (item: T) => string, add: (item: T) => number = () => 1) =>
      items.reduce<Record<string, number>>((acc, item) => ({ ...acc, [key(item)]: (acc[key(item)] ?? 0) + add(item) }), {});
    await checkBoxInvariants(t.orm);
    await checkNoOverbilling(t.orm);
    return {
      staging: countBy(data.staging.nodes, (b: any) => b.product.code),
      inventory: countBy(data.inventory.nodes, (b: any) => b.product.code),
      needs: countBy(
        data.purchaseNeeds.nodes,
        (n: any) => n.prebookNumber,
        (n: any) => n.quantity,
      ),
      invoices: data.invoices.nodes
        .map((i: any) => ({
          customer: i.customer.code,
          status: i.status,
          total: i.total,
          cost: i.cost,
          gpmPercent: i.gpmPercent,
          pricePending: i.pricePending,
          boxes: i.lines.reduce((s: number, l: any) => s + l.boxes, 0),
        }))
        .sort((a: any, b: any) => a.customer.localeCompare(b.customer)),
    };
  }

  async function shipAll(poNumber: string, freightPerBox: string | null): Promise<string[]> {
    const po = await t.ok(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: poNumber });
    const lines = po.purchaseOrders.nodes[0].lines;
    const data = await t.ok(
      `mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label landedUnitCost } errors { code message } } }`,
      {
        i: { purchaseOrder: poNumber, awb: `AWB-${poNumber}`, freightPerBox, lines: lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
      },
    );
    expect(data.shipPurchaseOrder.errors).toEqual([]);
    return data.shipPurchaseOrder.boxes.map((b: any) => b.label);
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    // The production company is also the customer that receives the components.
    await t.ok(`mutation { updateSettings(input: { autoBilling: "ON_MANUAL_CONFIRMATION", consolidateOpenMarket: true }) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('1. prebooks finished goods to the final customers, with cost = landed flowers + hard goods + labour', async () => {
    const data = await t.ok(
      `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i, idempotencyKey: "scenario-prebooks") {
        prebooks { number customer { code } lines { id units price cost needed } } errors { code message row field } } }`,
      {
        i: [
          {
            ref: 'A',
            customer: 'FRESHMART',
            shipTo: 'DC-ATL',
            carrier: 'ARMELLINI',
            truckDate: TRUCK_DATE,
            customerPo: 'FM-SPRING-1',
            lines: [{ product: 'BQT-SPRING', boxes: FRESHMART_BOXES, unitsPerBox: BOUQUETS_PER_BOX, price: '10.00', cost: '6.50' }],
          },
          {
            ref: 'B',
            customer: 'BLOOMS',
            carrier: 'FEDEX',
            truckDate: TRUCK_DATE,
            lines: [{ product: 'BQT-SPRING', boxes: BLOOMS_BOXES, unitsPerBox: BOUQUETS_PER_BOX, price: null, cost: '6.50' }],
          },
        ],
      },
    );
    expect(data.savePrebooks.errors).toEqual([]);
    const [priced, unpriced] = data.savePrebooks.prebooks;
    expect(priced.lines).toEqual([expect.objectContaining({ units: 800, price: '10.00', cost: '6.50', needed: FRESHMART_BOXES })]);
    expect(unpriced.lines).toEqual([expect.objectContaining({ units: 160, price: null, cost: '6.50', needed: BLOOMS_BOXES })]);
    prebooks.priced = { number: priced.number, lineId: priced.lines[0].id };
    prebooks.unpriced = { number: unpriced.number, lineId: unpriced.lines[0].id };

    expect(await snapshot()).toEqual({
      staging: {},
      inventory: {},
      needs: { [priced.number]: FRESHMART_BOXES, [unpriced.number]: BLOOMS_BOXES },
      invoices: [],
    });
  });

  it('2. buys the live goods and the hard goods on standalone POs with the production company as customer', async () => {
    const data = await t.ok(
      `mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number vendor { code } customer { code } status lines { boxes unitsPerBox unitCost } } errors { code message } } }`,
      {
        i: [
          {
            ref: 'roses',
            vendor: 'ROSAS',
            customer: 'BOUQUETWORKS',
            location: 'MIA',
            shipDate: isoDate(3),
            lines: [{ product: 'ROSE-FREEDOM-50', boxes: ROSE_BOXES, unitCost: '0.35' }],
          },
          {
            ref: 'vases',
            vendor: 'VASECO',
            customer: 'BOUQUETWORKS',
            location: 'MIA',
            shipDate: isoDate(3),
            lines: [{ product: 'VASE-20', boxes: VASE_BOXES, unitCost: '1.00' }],
          },
        ],
      },
    );
    expect(data.savePurchaseOrders.errors).toEqual([]);
    expect(
      data.savePurchaseOrders.purchaseOrders.map((po: any) => [
        po.vendor.code,
        po.customer.code,
        po.lines[0].boxes,
        po.lines[0].unitsPerBox,
        po.lines[0].unitCost,
      ]),
    ).toEqual([
      ['ROSAS', 'BOUQUETWORKS', ROSE_BOXES, 100, '0.35'],
      ['VASECO', 'BOUQUETWORKS', VASE_BOXES, 12, '1.00'],
    ]);
    componentPos.push(...data.savePurchaseOrders.purchaseOrders.map((po: any) => po.number));

    // Components are not the finished goods: the bouquets are still to buy.
    expect(await snapshot()).toEqual({
      staging: {},
      inventory: {},
      needs: { [prebooks.priced.number]: FRESHMART_BOXES, [prebooks.unpriced.number]: BLOOMS_BOXES },
      invoices: [],
    });
  });

  it('3. ships the components and confirms them into inventory, assigned to the production company', async () => {
    componentLabels.roses = await shipAll(componentPos[0], '5.00');
    componentLabels.vases = await shipAll(componentPos[1], null);
    expect([componentLabels.roses.length, componentLabels.vases.length]).toEqual([ROSE_BOXES, VASE_BOXES]);
    const staged = await snapshot();
    expect(staged.staging).toEqual({ 'ROSE-FREEDOM-50': ROSE_BOXES, 'VASE-20': VASE_BOXES });
    expect(staged.inventory).toEqual({});

    const costs = await t.ok(`{ staging(first: 1000) { nodes { product { code } landedUnitCost customer { code } } } }`);
    expect(new Set(costs.staging.nodes.map((b: any) => `${b.product.code} ${b.landedUnitCost} ${b.customer?.code}`))).toEqual(
      new Set(['ROSE-FREEDOM-50 0.40 BOUQUETWORKS', 'VASE-20 1.00 BOUQUETWORKS']),
    );

    const confirmed = await t.ok(
      `mutation($p: [String!]) { confirmStaging(input: { purchaseOrders: $p }, idempotencyKey: "scenario-components") { results { outcome box { inventoryType customer { code } } } errors { code } } }`,
      {
        p: componentPos,
      },
    );
    expect(confirmed.confirmStaging.errors).toEqual([]);
    expect(new Set(confirmed.confirmStaging.results.map((r: any) => `${r.outcome} ${r.box.inventoryType} ${r.box.customer?.code}`))).toEqual(
      new Set(['CONFIRMED M BOUQUETWORKS']),
    );

    expect(await snapshot()).toEqual({
      staging: {},
      inventory: { 'ROSE-FREEDOM-50': ROSE_BOXES, 'VASE-20': VASE_BOXES },
      needs: { [prebooks.priced.number]: FRESHMART_BOXES, [prebooks.unpriced.number]: BLOOMS_BOXES },
      invoices: [],
    });
  });

  it('4. invoices the components to the production company at 0.00, which empties them from inventory', async () => {
    const data = await t.ok(
      `mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number total cost gpmPercent pricePending lines { unitPrice amount units } } errors { code message } } }`,
      {
        i: {
          customer: 'BOUQUETWORKS',
          truckDate: isoDate(4),
          lines: [
            { labels: componentLabels.roses, unitPrice: '0.00' },
            { labels: componentLabels.vases, unitPrice: '0.00' },
          ],
        },
      },
    );
    expect(data.createInvoice.errors).toEqual([]);
    const componentCost = (ROSE_BOXES * 100 * 0.4 + VASE_BOXES * 12 * 1).toFixed(2); // 3840 + 960
    expect(data.createInvoice.invoice).toMatchObject({ total: '0.00', cost: componentCost, pricePending: false });
    expect(data.createInvoice.invoice.lines.every((l: any) => l.unitPrice === '0.00' && l.amount === '0.00')).toBe(true);

    expect(await snapshot()).toEqual({
      staging: {},
      inventory: {},
      needs: { [prebooks.priced.number]: FRESHMART_BOXES, [prebooks.unpriced.number]: BLOOMS_BOXES },
      invoices: [
        {
          customer: 'BOUQUETWORKS',
          status: 'PENDING',
          total: '0.00',
          cost: componentCost,
          gpmPercent: null,
          pricePending: false,
          boxes: ROSE_BOXES + VASE_BOXES,
        },
      ],
    });
  });

  it('5. creates the finished-goods PO from the prebooks, the production company as vendor at the labour cost', async () => {
    const data = await t.ok(
      `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) {
        purchaseOrders { number vendor { code } lines { boxes unitsPerBox unitCost } } errors { code message } } }`,
      { i: { vendor: 'BOUQUETWORKS', location: 'MIA', prebookLines: [prebooks.priced, prebooks.unpriced].map((p) => ({ id: p.lineId, unitCost: '1.50' })) } },
    );
    expect(data.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
    const [po] = data.createPurchaseOrdersFromPrebooks.purchaseOrders;
    expect(data.createPurchaseOrdersFromPrebooks.purchaseOrders).toHaveLength(1);
    expect(po.vendor.code).toBe('BOUQUETWORKS');
    expect(po.lines.map((l: any) => [l.boxes, l.unitsPerBox, l.unitCost]).sort()).toEqual(
      [
        [BLOOMS_BOXES, BOUQUETS_PER_BOX, '1.50'],
        [FRESHMART_BOXES, BOUQUETS_PER_BOX, '1.50'],
      ].sort(),
    );
    finishedPo = po.number;

    const lines = await t.ok(`query($n: String) { prebooks(filter: { number: $n }) { nodes { lines { purchased billed needed } } } }`, {
      n: prebooks.priced.number,
    });
    expect(lines.prebooks.nodes[0].lines).toEqual([{ purchased: FRESHMART_BOXES, billed: 0, needed: 0 }]);
    const after = await snapshot();
    expect(after.needs).toEqual({});
    expect(after.staging).toEqual({});
    expect(after.invoices).toHaveLength(1);
  });

  it('6. ships, scans and confirms the bouquets: automatic billing puts each customer on one consolidated invoice', async () => {
    const labels = await shipAll(finishedPo, null);
    expect(labels).toHaveLength(FRESHMART_BOXES + BLOOMS_BOXES);
    expect((await snapshot()).staging).toEqual({ 'BQT-SPRING': FRESHMART_BOXES + BLOOMS_BOXES });

    const scan = await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: labels });
    expect(new Set(scan.scanBoxes.results.map((r: any) => r.outcome))).toEqual(new Set(['SCANNED']));
    const received = await t.ok(`{ staging(filter: { received: true }, first: 1000) { totalCount } }`);
    expect(received.staging.totalCount).toBe(labels.length);

    const confirmed = await t.ok(
      `mutation($p: [String!]) { confirmStaging(input: { purchaseOrders: $p }, idempotencyKey: "scenario-bouquets") { results { outcome billing { invoiceNumbers issue { code } } } errors { code } } }`,
      { p: [finishedPo] },
    );
    const results = confirmed.confirmStaging.results;
    expect(results).toHaveLength(labels.length);
    expect(results.every((r: any) => r.outcome === 'CONFIRMED' && r.billing.issue === null && r.billing.invoiceNumbers.length === 1)).toBe(true);
    expect(new Set(results.map((r: any) => r.billing.invoiceNumbers[0])).size).toBe(2);

    const componentCost = (ROSE_BOXES * 100 * 0.4 + VASE_BOXES * 12 * 1).toFixed(2);
    expect(await snapshot()).toEqual({
      staging: {},
      inventory: {},
      needs: {},
      invoices: [
        { customer: 'BLOOMS', status: 'PENDING', total: '0.00', cost: '1040.00', gpmPercent: null, pricePending: true, boxes: BLOOMS_BOXES },
        {
          customer: 'BOUQUETWORKS',
          status: 'PENDING',
          total: '0.00',
          cost: componentCost,
          gpmPercent: null,
          pricePending: false,
          boxes: ROSE_BOXES + VASE_BOXES,
        },
        // 800 x 10.00 = 8,000.00; cost 800 x 6.50 = 5,200.00 (the prebook's cost, not the 1.50 of labour); GPM 35 %.
        { customer: 'FRESHMART', status: 'PENDING', total: '8000.00', cost: '5200.00', gpmPercent: '35.00', pricePending: false, boxes: FRESHMART_BOXES },
      ],
    });

    const invoice = await t.ok(
      `{ invoices(filter: { customer: "FRESHMART" }) { nodes { shipTo { code } carrier { code } truckDate customerPo lines { units unitPrice unitCost prebookLine { id } } } } }`,
    );
    expect(invoice.invoices.nodes).toEqual([
      {
        shipTo: { code: 'DC-ATL' },
        carrier: { code: 'ARMELLINI' },
        truckDate: TRUCK_DATE,
        customerPo: 'FM-SPRING-1',
        lines: [{ units: 800, unitPrice: '10.00', unitCost: '6.50', prebookLine: { id: prebooks.priced.lineId } }],
      },
    ]);
  });

  it('prices the price-pending invoice with setInvoicePrices, after which its GPM appears and gpmReport adds up', async () => {
    const pending = await t.ok(`{ invoices(filter: { customer: "BLOOMS" }) { nodes { number version lines { id } } } }`);
    const [blooms] = pending.invoices.nodes;
    const priced = await t.ok(
      `mutation($n: String!, $p: [InvoicePriceInput!]!, $v: Int) { setInvoicePrices(number: $n, prices: $p, version: $v) { invoice { total cost gpmPercent pricePending } errors { code message } } }`,
      { n: blooms.number, v: blooms.version, p: blooms.lines.map((l: any) => ({ line: l.id, unitPrice: '9.00' })) },
    );
    expect(priced.setInvoicePrices.errors).toEqual([]);
    // 160 x 9.00 = 1,440.00; cost 1,040.00; GPM 400 / 1,440 = 27.78 %.
    expect(priced.setInvoicePrices.invoice).toEqual({ total: '1440.00', cost: '1040.00', gpmPercent: '27.78', pricePending: false });

    const report = await t.ok(
      `query($f: GpmReportFilter) { gpmReport(filter: $f) { revenue cost margin gpmPercent rows { customer { code } units revenue cost gpmPercent pricePendingUnits } } }`,
      {
        f: { product: 'BQT-SPRING', truckDateFrom: TRUCK_DATE, truckDateTo: TRUCK_DATE },
      },
    );
    expect(report.gpmReport).toEqual({
      revenue: '9440.00',
      cost: '6240.00',
      margin: '3200.00',
      gpmPercent: '33.90',
      rows: [
        { customer: { code: 'BLOOMS' }, units: 160, revenue: '1440.00', cost: '1040.00', gpmPercent: '27.78', pricePendingUnits: 0 },
        { customer: { code: 'FRESHMART' }, units: 800, revenue: '8000.00', cost: '5200.00', gpmPercent: '35.00', pricePendingUnits: 0 },
      ],
    });
  });
});
