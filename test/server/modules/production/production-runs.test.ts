// A production run through GraphQL, numbers checked by hand (docs/maintainers.md#production-runs).
//
// BQT-VAL (a Valentine bouquet, 8 per FB box) = 12 ROSE-RED (100 per box) + 5 CARN-RED (40 per box) + 1 VASE-20 (12 per box).
// FRESHMART orders 50 bouquets at 20.00 with an estimated cost of 9.00; the run is made by BOUQUETWORKS.
//   required        roses 50 x 12 = 600   carnations 50 x 5 = 250   vases 50 x 1 = 50
//   bought (boxes)  600 / 100 = 6         250 / 40 = 6.25 -> 7       50 / 12 = 4.17 -> 5
//   landed          0.40 + 2.00/100 = 0.42   0.20 + 2.00/40 = 0.25      1.00 + 0 = 1.00
//   transferred     6 boxes = 600         6 of 7 boxes = 240 (short 10 stems)   5 boxes = 60 (over 10)
//   landed cost     600 x 0.42 = 252.00   240 x 0.25 = 60.00          60 x 1.00 = 60.00   -> 372.00
// The production PO: 50 bouquets -> 7 boxes of 8 at 1.50 labour; only 6 boxes arrive: 48 received, 2 short.
//   actual unit cost = 372.00 / 48 + 1.50 = 7.75 + 1.50 = 9.25     estimated = 9.00
//   GPM estimated (20 - 9.00) / 20 = 55.00 %     actual (20 - 9.25) / 20 = 53.75 %
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants, checkNoOverbilling } from '../../../support/invariants';
import { stockBoxes } from '../../../support/receiving';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const RUN_FIELDS = `number status productionCompany { code } prebookLines { id } productionPurchaseOrder { number }
  componentPurchaseOrders { number } transfers { number kind total }
  components { finishedProduct { code } component { code } required transferred short over transferredCost }
  finishedUnitsOrdered finishedUnitsReceived finishedUnitsBilled componentCost labourUnitCost
  estimatedUnitCost actualUnitCost unitPrice estimatedGpmPercent actualGpmPercent`;

describe('production runs (GraphQL scenario)', () => {
  let t: TestServer;
  let lineId = '';
  let unpricedLineId = '';
  let run = '';
  const labels: Record<'roses' | 'carnations' | 'vases', string[]> = { roses: [], carnations: [], vases: [] };
  let componentPos: any[] = [];

  async function ship(poNumber: string, freightPerBox: string, boxesOf: (line: any) => number = (l) => l.boxes): Promise<Record<string, string[]>> {
    const po = await t.ok(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes product { code } } } } }`, { n: poNumber });
    const lines = po.purchaseOrders.nodes[0].lines;
    const shipped = await t.ok(
      `mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label product { code } } errors { code message } } }`,
      {
        i: { purchaseOrder: poNumber, freightPerBox, lines: lines.map((l: any) => ({ poLine: l.id, boxes: boxesOf(l) })) },
      },
    );
    expect(shipped.shipPurchaseOrder.errors).toEqual([]);
    const byProduct: Record<string, string[]> = {};
    for (const box of shipped.shipPurchaseOrder.boxes) (byProduct[box.product.code] ??= []).push(box.label);
    const all = shipped.shipPurchaseOrder.boxes.map((b: any) => b.label);
    const confirmed = await t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { errors { code message } } }`, { l: all });
    expect(confirmed.confirmStaging.errors).toEqual([]);
    return byProduct;
  }

  const runQuery = async () =>
    (await t.ok(`query($n: String) { productionRuns(filter: { number: $n }) { totalCount nodes { ${RUN_FIELDS} } } }`, { n: run })).productionRuns.nodes[0];
  const suggested = async (id: string) => (await t.ok(`query($id: ID!) { prebookLine(id: $id) { cost suggestedUnitCost } }`, { id })).prebookLine;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { updateSettings(input: { autoBilling: "ON_MANUAL_CONFIRMATION" }) { errors { code } } }`);
    const setup = await t.ok(`mutation {
      c: upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { message } }
      p: upsertProducts(input: [
        { code: "ROSE-RED-50", name: "Rose red 50cm", kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 100 }
        { code: "CARN-RED", name: "Carnation red", kind: "LIVE", unit: "STEM", defaultBoxType: "HB", defaultUnitsPerBox: 40 }
        { code: "BQT-VAL", name: "Valentine bouquet", kind: "FINISHED", unit: "EACH", defaultBoxType: "FB", defaultUnitsPerBox: 8 }
      ]) { errors { message } }
    }`);
    expect([setup.c.errors, setup.p.errors]).toEqual([[], []]);
    const recipe = await t.ok(`mutation { upsertProducts(input: [{ code: "BQT-VAL", recipe: [
      { component: "ROSE-RED-50", units: "12" }, { component: "CARN-RED", units: "5" }, { component: "VASE-20", units: "1" }] }]) { errors { message } } }`);
    expect(recipe.upsertProducts.errors).toEqual([]);
  });
  afterAll(() => t.close());

  it('prebooks the bouquets and opens a run for the production company; refuses a customer that is not one and a product without recipe', async () => {
    const data = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { lines { id } } errors { code message } } }`, {
      i: [
        {
          ref: 'A',
          customer: 'FRESHMART',
          carrier: 'ARMELLINI',
          truckDate: isoDate(10),
          lines: [{ product: 'BQT-VAL', sellBy: 'UNIT', units: 50, price: '20.00', cost: '9.00' }],
        },
        {
          ref: 'B',
          customer: 'BLOOMS',
          carrier: 'FEDEX',
          truckDate: isoDate(10),
          lines: [
            { product: 'BQT-VAL', sellBy: 'UNIT', units: 16, price: '21.00' },
            { product: 'ROSE-RED-50', boxes: 1, unitsPerBox: 100 },
          ],
        },
      ],
    });
    expect(data.savePrebooks.errors).toEqual([]);
    lineId = data.savePrebooks.prebooks[0].lines[0].id;
    unpricedLineId = data.savePrebooks.prebooks[1].lines[0].id;
    const roseLineId = data.savePrebooks.prebooks[1].lines[1].id;

    const SAVE = `mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { productionRun { ${RUN_FIELDS} } errors { code message field } } }`;
    const bad = await t.ok(SAVE, { i: { productionCompany: 'FRESHMART', prebookLines: [lineId, roseLineId, '999999'] } });
    expect(bad.saveProductionRun.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['productionCompany', 'INVALID_VALUE'],
      ['prebookLines.2', 'INVALID_VALUE'],
      ['prebookLines.3', 'NOT_FOUND'],
    ]);
    expect(await countRows(t.orm, 'production_run')).toBe(0);

    const saved = await t.ok(SAVE, { i: { productionCompany: 'BOUQUETWORKS', prebookLines: [lineId] } });
    expect(saved.saveProductionRun.errors).toEqual([]);
    const view = saved.saveProductionRun.productionRun;
    run = view.number;
    expect(view).toMatchObject({
      status: 'OPEN',
      productionCompany: { code: 'BOUQUETWORKS' },
      finishedUnitsOrdered: 50,
      finishedUnitsReceived: 0,
      componentCost: '0.00',
      estimatedUnitCost: '9.00',
      actualUnitCost: null,
      estimatedGpmPercent: '55.00',
    });
    expect(view.components.map((c: any) => [c.component.code, c.required, c.transferred, c.short])).toEqual([
      ['ROSE-RED-50', '600.00', 0, '600.00'],
      ['CARN-RED', '250.00', 0, '250.00'],
      ['VASE-20', '50.00', 0, '50.00'],
    ]);

    const twice = await t.ok(SAVE, { i: { productionCompany: 'BOUQUETWORKS', prebookLines: [lineId] } });
    expect(twice.saveProductionRun.errors[0]).toMatchObject({
      code: 'INVALID_VALUE',
      field: 'prebookLines.1',
      message: expect.stringContaining(`already in production run ${run}`),
    });
  });

  it('lists the component needs in whole boxes and buys them on one PO per vendor and location, for the production company', async () => {
    const needs = await t.ok(
      `query($r: String) { componentNeeds(filter: { productionRun: $r }) { totalCount nodes { productionRunNumber component { code } required purchased quantity boxes unitsPerBox lastUnitCost } } }`,
      { r: run },
    );
    expect(needs.componentNeeds.nodes.map((n: any) => [n.component.code, n.required, n.purchased, n.quantity, n.boxes, n.unitsPerBox, n.lastUnitCost])).toEqual(
      [
        ['ROSE-RED-50', '600.00', 0, '600.00', 6, 100, null],
        ['CARN-RED', '250.00', 0, '250.00', 7, 40, null],
        ['VASE-20', '50.00', 0, '50.00', 5, 12, null],
      ],
    );

    const CREATE = `mutation($i: CreateComponentPurchaseOrdersInput!, $k: String) { createComponentPurchaseOrders(input: $i, idempotencyKey: $k) {
      purchaseOrders { number vendor { code } customer { code } location { code } lines { product { code } boxes unitsPerBox unitCost } }
      productionRun { componentPurchaseOrders { number } } errors { code message row field } } }`;
    const refused = await t.ok(CREATE, {
      i: {
        productionRun: run,
        components: [
          { component: 'ROSE-RED-50', vendor: 'ROSAS', location: 'MIA' },
          { component: 'CARN-WHITE', vendor: 'NOPE', location: 'MIA', unitCost: '0.20' },
        ],
      },
    });
    expect(refused.createComponentPurchaseOrders.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'components.1.unitCost', 'MISSING_COST'],
      [2, 'components.2.vendor', 'UNKNOWN_VENDOR'],
      [2, 'components.2.component', 'NOTHING_TO_PURCHASE'],
    ]);

    const input = {
      productionRun: run,
      shipDate: isoDate(3),
      components: [
        { component: 'ROSE-RED-50', vendor: 'ROSAS', location: 'MIA', unitCost: '0.40' },
        { component: 'CARN-RED', vendor: 'ROSAS', location: 'MIA', unitCost: '0.20' },
        { component: 'VASE-20', vendor: 'VASECO', location: 'MIA', unitCost: '1.00' },
      ],
    };
    const data = await t.ok(CREATE, { i: input, k: 'components-1' });
    expect(data.createComponentPurchaseOrders.errors).toEqual([]);
    componentPos = data.createComponentPurchaseOrders.purchaseOrders;
    expect(
      componentPos.map((po: any) => [
        po.vendor.code,
        po.customer.code,
        po.location.code,
        po.lines.map((l: any) => [l.product.code, l.boxes, l.unitsPerBox, l.unitCost]),
      ]),
    ).toEqual([
      [
        'ROSAS',
        'BOUQUETWORKS',
        'MIA',
        [
          ['ROSE-RED-50', 6, 100, '0.40'],
          ['CARN-RED', 7, 40, '0.20'],
        ],
      ],
      ['VASECO', 'BOUQUETWORKS', 'MIA', [['VASE-20', 5, 12, '1.00']]],
    ]);
    const replay = await t.ok(CREATE, { i: input, k: 'components-1' });
    expect(replay.createComponentPurchaseOrders.purchaseOrders.map((po: any) => po.number)).toEqual(componentPos.map((po: any) => po.number));
    expect(await countRows(t.orm, 'production_run_purchase_order')).toBe(2);

    const after = await t.ok(`query($r: String) { componentNeeds(filter: { productionRun: $r }) { totalCount } }`, { r: run });
    expect(after.componentNeeds.totalCount).toBe(0);
  });

  it('receives the components reserved for the production company; suggests a cost for the line saved without one', async () => {
    const roses = await ship(componentPos[0].number, '2.00');
    const vases = await ship(componentPos[1].number, '0');
    labels.roses = roses['ROSE-RED-50'];
    labels.carnations = roses['CARN-RED'];
    labels.vases = vases['VASE-20'];
    expect([labels.roses.length, labels.carnations.length, labels.vases.length]).toEqual([6, 7, 5]);
    const box = await t.ok(`query($l: String!) { box(label: $l) { landedUnitCost status customer { code } } }`, { l: labels.carnations[0] });
    expect(box.box).toEqual({ landedUnitCost: '0.25', status: 'IN_INVENTORY', customer: { code: 'BOUQUETWORKS' } });
    // No labour cost known yet: no suggestion rather than a wrong one.
    expect(await suggested(unpricedLineId)).toEqual({ cost: null, suggestedUnitCost: null });
    expect(await suggested(lineId)).toEqual({ cost: '9.00', suggestedUnitCost: null });
  });

  it('transfers only boxes in inventory reserved for the production company, at 0.00 on one TRANSFER invoice of the run', async () => {
    const openMarket = await stockBoxes(t, { product: 'ROSE-RED-50', boxes: 1, unitCost: '0.30' });
    const staged = await stockBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '1.00', customer: 'BOUQUETWORKS', vendor: 'VASECO', confirm: false });
    const TRANSFER = `mutation($r: String!, $l: [String!]!) { transferComponents(productionRun: $r, labels: $l) {
      invoice { number kind status customer { code } customerPo total cost productionRunNumber lines { product { code } units unitPrice boxes } }
      productionRun { transfers { number } } errors { code message field } } }`;
    const invoicesBefore = await countRows(t.orm, 'invoice');
    const refused = await t.ok(TRANSFER, { r: run, l: [labels.roses[0], openMarket[0], staged[0], 'NO-SUCH-BOX'] });
    expect(refused.transferComponents.errors.map((e: any) => [e.field, e.code])).toEqual([['labels.2', 'RESERVED_FOR_OTHER_CUSTOMER']]);
    const refused2 = await t.ok(TRANSFER, { r: run, l: [labels.roses[0], staged[0], 'NO-SUCH-BOX'] });
    expect(refused2.transferComponents.errors.map((e: any) => [e.field, e.code, e.message])).toEqual([
      ['labels.2', 'INVALID_STATUS', `${staged[0]} is STAGED, not in inventory`],
      ['labels.3', 'NOT_FOUND', 'no box NO-SUCH-BOX'],
    ]);
    expect(await countRows(t.orm, 'invoice')).toBe(invoicesBefore);

    const keptBack = labels.carnations.slice(6);
    const sent = [...labels.roses, ...labels.carnations.slice(0, 6), ...labels.vases];
    const data = await t.ok(TRANSFER, { r: run, l: sent });
    expect(data.transferComponents.errors).toEqual([]);
    const invoice = data.transferComponents.invoice;
    expect(invoice).toMatchObject({
      kind: 'TRANSFER',
      status: 'PENDING',
      customer: { code: 'BOUQUETWORKS' },
      customerPo: run,
      total: '0.00',
      cost: '372.00',
      productionRunNumber: run,
    });
    expect(invoice.lines.map((l: any) => [l.product.code, l.units, l.boxes, l.unitPrice])).toEqual([
      ['ROSE-RED-50', 600, 6, '0.00'],
      ['CARN-RED', 240, 6, '0.00'],
      ['VASE-20', 60, 5, '0.00'],
    ]);
    expect(data.transferComponents.productionRun.transfers).toEqual([{ number: invoice.number }]);

    const again = await t.ok(TRANSFER, { r: run, l: [labels.roses[0]] });
    expect(again.transferComponents.errors.map((e: any) => e.code)).toEqual(['INVALID_STATUS']);
    const inventory = await t.ok(`{ inventory(first: 100, filter: { customer: "BOUQUETWORKS" }) { nodes { label } } }`);
    expect(inventory.inventory.nodes.map((b: any) => b.label)).toEqual(keptBack);

    // A transfer is never revenue: the gpm report lists it apart.
    const gpm = await t.ok(`{ gpmReport { rows { customer { code } } transfers { customer { code } product { code } units cost } transferCost } }`);
    expect(gpm.gpmReport.rows.map((r: any) => r.customer.code)).not.toContain('BOUQUETWORKS');
    expect(gpm.gpmReport.transferCost).toBe('372.00');
    expect(gpm.gpmReport.transfers.map((r: any) => [r.customer.code, r.product.code, r.units, r.cost])).toEqual(
      expect.arrayContaining([
        ['BOUQUETWORKS', 'ROSE-RED-50', 600, '252.00'],
        ['BOUQUETWORKS', 'CARN-RED', 240, '60.00'],
        ['BOUQUETWORKS', 'VASE-20', 60, '60.00'],
      ]),
    );
    await checkBoxInvariants(t.orm);
    await checkNoOverbilling(t.orm);
  });

  it('suggests the recipe cost from current landed (else last purchase) costs plus the last labour, never writing it', async () => {
    const po = await t.ok(
      `mutation($i: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $i) { purchaseOrders { number lines { boxes unitsPerBox unitCost } } errors { code message } } }`,
      {
        i: { vendor: 'BOUQUETWORKS', location: 'MIA', prebookLines: [{ id: lineId, unitCost: '1.50' }] },
      },
    );
    expect(po.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
    expect(po.createPurchaseOrdersFromPrebooks.purchaseOrders[0].lines).toEqual([{ boxes: 7, unitsPerBox: 8, unitCost: '1.50' }]);
    const finishedPo = po.createPurchaseOrdersFromPrebooks.purchaseOrders[0].number;
    const linked = await t.ok(
      `mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { productionRun { productionPurchaseOrder { number } labourUnitCost } errors { code message } } }`,
      {
        i: { number: run, productionPurchaseOrder: finishedPo },
      },
    );
    expect(linked.saveProductionRun).toEqual({ productionRun: { productionPurchaseOrder: { number: finishedPo }, labourUnitCost: '1.50' }, errors: [] });

    // roses: none left in inventory -> last purchase 0.40 x 12 = 4.80; carnations: the box kept back, landed 0.25 x 5 = 1.25;
    // the open-market rose box bought at 0.30 is in inventory too: roses' current landed is its 0.30 x 12 = 3.60 instead.
    // vases: the staged box is not in inventory -> last purchase 1.00 x 1 = 1.00; labour 1.50.  3.60 + 1.25 + 1.00 + 1.50 = 7.35
    expect(await suggested(unpricedLineId)).toEqual({ cost: null, suggestedUnitCost: '7.35' });
    expect(await suggested(lineId)).toEqual({ cost: '9.00', suggestedUnitCost: null });
    const customer = await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`);
    const denied = await t.gql(`query($id: ID!) { prebookLine(id: $id) { suggestedUnitCost } }`, { id: unpricedLineId }, customer.createApiToken.secret);
    expect(denied.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // Receive 6 of the 7 boxes: 48 bouquets, 2 short of the 50 ordered; automatic billing bills them to FRESHMART.
    await ship(finishedPo, '0', () => 6);
  });

  it('shows the run: components required, transferred, short and over; finished units; estimated against actual cost and GPM', async () => {
    const view = await runQuery();
    expect(view.components).toEqual([
      {
        finishedProduct: { code: 'BQT-VAL' },
        component: { code: 'ROSE-RED-50' },
        required: '600.00',
        transferred: 600,
        short: '0.00',
        over: '0.00',
        transferredCost: '252.00',
      },
      {
        finishedProduct: { code: 'BQT-VAL' },
        component: { code: 'CARN-RED' },
        required: '250.00',
        transferred: 240,
        short: '10.00',
        over: '0.00',
        transferredCost: '60.00',
      },
      {
        finishedProduct: { code: 'BQT-VAL' },
        component: { code: 'VASE-20' },
        required: '50.00',
        transferred: 60,
        short: '0.00',
        over: '10.00',
        transferredCost: '60.00',
      },
    ]);
    expect(view).toMatchObject({
      finishedUnitsOrdered: 50,
      finishedUnitsReceived: 48,
      finishedUnitsBilled: 48,
      componentCost: '372.00',
      labourUnitCost: '1.50',
      estimatedUnitCost: '9.00',
      actualUnitCost: '9.25',
      unitPrice: '20.00',
      estimatedGpmPercent: '55.00',
      actualGpmPercent: '53.75',
    });
    const invoices = await t.ok(`{ invoices(filter: { customer: "FRESHMART" }) { nodes { kind total lines { units unitCost } } } }`);
    expect(invoices.invoices.nodes).toEqual([{ kind: 'SALE', total: '960.00', lines: [{ units: 48, unitCost: '9.00' }] }]);
  });

  it('answers bad input with typed errors naming the field, never an internal error', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      [
        `mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { errors { code field } } }`,
        { i: { productionCompany: 'BOUQUETWORKS', prebookLines: ['abc', '99999999999', lineId] } },
      ],
      [
        `mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { errors { code field } } }`,
        { i: { number: run, version: 999, productionCompany: '', productionPurchaseOrder: 'PO-NOPE' } },
      ],
      [`mutation($i: ProductionRunInput!) { saveProductionRun(input: $i) { errors { code field } } }`, { i: { number: 'PR-NOPE' } }],
      [
        `mutation($i: CreateComponentPurchaseOrdersInput!) { createComponentPurchaseOrders(input: $i) { errors { code field } } }`,
        { i: { productionRun: run, shipDate: 'soon', components: [{ component: 'VASE-20', vendor: 'VASECO', location: 'NOWHERE', unitCost: '1.123456' }] } },
      ],
      [
        `mutation($r: String!, $l: [String!]!, $d: String) { transferComponents(productionRun: $r, labels: $l, truckDate: $d) { errors { code field } } }`,
        { r: run, l: ['x'.repeat(500), ''], d: '2027-13-45' },
      ],
      [`mutation($r: String!, $l: [String!]!) { transferComponents(productionRun: $r, labels: $l) { errors { code field } } }`, { r: 'PR-NOPE', l: ['B-1'] }],
    ];
    for (const [query, variables] of cases) {
      const result = await t.gql(query, variables);
      expect(result.errors, JSON.stringify(variables)).toBeUndefined();
      const payload = Object.values(result.data!)[0] as { errors: Array<{ code: string; field: string }> };
      expect(payload.errors.length, JSON.stringify(variables)).toBeGreaterThan(0);
      expect(
        payload.errors.every((e) => e.code && e.field),
        JSON.stringify(payload.errors),
      ).toBe(true);
    }
    const unknown = await t.gql(`{ componentNeeds(filter: { productionRun: "PR-NOPE" }) { totalCount } }`);
    expect(unknown.errors?.[0].extensions?.code).toBe('UNKNOWN_PRODUCTION_RUN');
  });
});
