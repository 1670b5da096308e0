import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, isoDate, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { statementCounter } from '../../../support/statements';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * The list queries an API client pulls into sheets must cost a fixed number of
 * SQL statements whatever the page size: no statement per row (N+1). Every
 * statement the server sends, ORM queries and raw `em.execute` alike, passes
 * through MikroORM's logger (`Connection.logQuery`); the test wraps it and
 * counts what is logged while one request is in flight. Requests run one at a
 * time and the server does no background work, so those are the request's own.
 */

const PRODUCT = `product { id code name kind unit stemsPerBunch defaultUnitsPerBox defaultBoxType { code name fbe } }`;
const CUSTOMER = `customer { id code name kind creditHold creditLimit openBalance targetGpm shipTos { code name address } }`;
const PREBOOK_LINE = `id lineNo prebookNumber sellBy boxes unitsPerBox units price cost vendorCost unableToSource ordered purchased billed needed lockedByPo
  ${PRODUCT} boxType { code name fbe } vendor { code name kind }`;

const INVOICES = `query($first: Int) { invoices(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id number status source truckDate customerPo holiday portOfOrigin pickTicketPrinted version createdAt confirmedAt
    total cost gpmPercent pricePending
    ${CUSTOMER} shipTo { code name address } carrier { code name }
    lines {
      id lineNo boxes units unitPrice unitCost amount cost gpmPercent inventoryType labels takes { label units }
      ${PRODUCT}
      prebookLine { ${PREBOOK_LINE} }
    }
  }
} }`;

const PREBOOKS = `query($first: Int) { prebooks(first: $first) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes {
    id number status source truckDate customerPo holiday version standingOrderNumber createdAt
    ${CUSTOMER} shipTo { code name } carrier { code name }
    lines { ${PREBOOK_LINE} }
  }
} }`;

const BOX = `id label status purchaseOrderNumber awb arrivalDate overdue units unitsRemaining portOfOrigin landedUnitCost received receivedAt inventoryType confirmedAt
  prebookNumber vendor { code name kind } ${PRODUCT} boxType { code name } location { code name billUnitsAsBoxes } customer { code name targetGpm shipTos { code } }
  prebookLine { ${PREBOOK_LINE} }
  demands { prebookNumber units customer { code name shipTos { code } } prebookLine { ${PREBOOK_LINE} } }`;
const STAGING = `query($first: Int) { staging(first: $first) { totalCount pageInfo { hasNextPage } nodes { ${BOX} } } }`;
const INVENTORY = `query($first: Int) { inventory(first: $first) { totalCount pageInfo { hasNextPage } nodes { ${BOX} } } }`;

const roses = (boxes: number) => ({ product: 'ROSE-FREEDOM-50', boxes, unitsPerBox: 100, price: '0.80', cost: '0.55', vendor: 'ROSAS', vendorCost: '0.40' });
const carnations = (boxes: number) => ({ product: 'CARN-WHITE', boxes, unitsPerBox: 500, price: '0.20', cost: '0.12' });

/** Prebooks of two lines each, bought from ROSAS and shipped: returns each prebook's number and box labels. */
async function shippedPrebooks(
  t: TestServer,
  prebooks: Array<{ customer: string; shipTo?: string; carrier: string; truckDate: string }>,
): Promise<Array<{ number: string; labels: string[] }>> {
  const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { number lines { id } } errors { code message } } }`, {
    input: prebooks.map((p) => ({ ...p, lines: [roses(2), carnations(1)] })),
  });
  expect(saved.savePrebooks.errors).toEqual([]);
  const lines = saved.savePrebooks.prebooks.flatMap((p: any) => p.lines.map((l: any) => ({ id: l.id, unitCost: '0.40' })));
  const bought = await t.ok(
    `mutation($input: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $input) { purchaseOrders { number lines { id boxes } } errors { message } } }`,
    { input: { vendor: 'ROSAS', location: 'MIA', prebookLines: lines } },
  );
  expect(bought.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
  const labels = new Map<string, string[]>();
  for (const order of bought.createPurchaseOrdersFromPrebooks.purchaseOrders) {
    const shipped = await t.ok(
      `mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label prebookNumber demands { prebookNumber } } errors { message } } }`,
      {
        input: { purchaseOrder: order.number, awb: `AWB-${order.number}`, lines: order.lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
      },
    );
    expect(shipped.shipPurchaseOrder.errors).toEqual([]);
    for (const box of shipped.shipPurchaseOrder.boxes) {
      const number: string = box.prebookNumber ?? box.demands[0].prebookNumber;
      labels.set(number, [...(labels.get(number) ?? []), box.label]);
    }
  }
  return saved.savePrebooks.prebooks.map((p: any) => ({ number: p.number as string, labels: labels.get(p.number) ?? [] }));
}

async function confirmLabels(t: TestServer, labels: string[]) {
  const data = await t.ok(`mutation($labels: [String!]) { confirmStaging(input: { labels: $labels }) { summary { confirmed failed } errors { message } } }`, {
    labels,
  });
  expect(data.confirmStaging.summary).toEqual({ confirmed: labels.length, failed: 0 });
}

describe('list queries issue a fixed number of SQL statements, whatever the page size', () => {
  let t: TestServer;
  let counter: ReturnType<typeof statementCounter>;
  let stagedLabels: string[];
  const CUSTOMERS = [
    { customer: 'FRESHMART', shipTo: 'DC-ATL' },
    { customer: 'BLOOMS' },
    { customer: 'ALPHA', shipTo: 'ALPHA-WH' },
    { customer: 'BETA' },
    { customer: 'GAMMA', shipTo: 'GAMMA-1' },
    { customer: 'FRESHMART', shipTo: 'DC-ORL' },
    { customer: 'DELTA' },
  ];

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation {
      upsertCustomers(input: [
        { code: "ALPHA", name: "Alpha Flowers", shipTos: [{ code: "ALPHA-WH", name: "Alpha warehouse", address: "1 Main St" }] }
        { code: "BETA", name: "Beta Blooms", targetGpm: "25" }
        { code: "GAMMA", name: "Gamma Garden", shipTos: [{ code: "GAMMA-1", name: "Gamma one" }, { code: "GAMMA-2", name: "Gamma two" }] }
        { code: "DELTA", name: "Delta Decor", creditLimit: "5000" }
      ]) { errors { message } }
    }`);
    await setSettings(t, DEFAULT_SETTINGS);

    // Ten prebooks bought and shipped; their boxes come first by id.
    const prebooks = await shippedPrebooks(
      t,
      Array.from({ length: 10 }, (_, i) => ({ ...CUSTOMERS[i % CUSTOMERS.length], carrier: i % 2 ? 'FEDEX' : 'ARMELLINI', truckDate: isoDate(10 + i) })),
    );
    // Two more that nobody bought.
    await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { errors { message } } }`, {
      input: [
        { customer: 'BETA', carrier: 'FEDEX', truckDate: isoDate(30), lines: [roses(3), carnations(2)] },
        { customer: 'GAMMA', shipTo: 'GAMMA-2', carrier: 'ARMELLINI', truckDate: isoDate(31), lines: [carnations(1), roses(1)] },
      ],
    });
    // prebooks[7]'s boxes wait in inventory for their customer (P, with demands); [8] and [9] stay in staging.
    await setSettings(t, { ...DEFAULT_SETTINGS, autoBilling: 'OFF' });
    await confirmLabels(t, prebooks[7].labels);
    await setSettings(t, DEFAULT_SETTINGS);

    const rose = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 30, unitCost: '0.40' });
    const carn = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 30, unitCost: '0.10', vendor: 'FLORES-EC' });
    const vases = await stockBoxes(t, { product: 'VASE-20', boxes: 12, unitCost: '1.20', vendor: 'VASECO' });
    await stockBoxes(t, { product: 'BQT-SPRING', boxes: 4, unitCost: '6.00', vendor: 'BOUQUETWORKS', customer: 'BLOOMS', confirm: false });
    stagedLabels = [...prebooks[8].labels, ...prebooks[9].labels];
    // Open-market boxes reserved for customers the first page does not show.
    await stockBoxes(t, { product: 'CARN-WHITE', boxes: 2, unitCost: '0.10', customer: 'GAMMA' });
    await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40', customer: 'ALPHA' });

    let next = 0;
    const manualInvoice = async () => {
      const i = next++;
      const { customer, shipTo } = CUSTOMERS[i % CUSTOMERS.length];
      const lines = [
        { labels: [rose[i]], unitPrice: '0.80' },
        { labels: [carn[i]], unitPrice: i % 5 === 4 ? null : '0.25' },
        ...(i % 3 === 0 ? [{ labels: [vases[i / 3]], unitPrice: '2.50' }] : []),
      ];
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { errors { code message } } }`, {
        input: { customer, shipTo, carrier: i % 2 ? 'FEDEX' : null, truckDate: isoDate(5 + (i % 4)), customerPo: `PO-${i}`, lines },
      });
      expect(data.createInvoice.errors).toEqual([]);
    };
    // The first page mixes manual invoices with billed prebooks.
    await manualInvoice();
    await manualInvoice();
    await confirmLabels(
      t,
      prebooks.slice(0, 7).flatMap((p) => p.labels),
    );
    for (let i = 0; i < 26; i++) await manualInvoice();

    counter = statementCounter(t);
  });
  afterAll(async () => {
    counter?.restore();
    await t?.close();
  });

  async function compare(list: string, query: string) {
    const few = await counter.measure(query, { first: 5 });
    const all = await counter.measure(query, { first: 500 });
    const total: number = all.data[list].totalCount;
    expect(few.data[list].nodes).toHaveLength(5);
    expect(all.data[list].nodes).toHaveLength(total);
    console.log(`${list}: first 5 -> ${few.statements.length} statements; first 500 (${total} rows) -> ${all.statements.length} statements`);
    // Every request authenticates and lists; a loader that never ran would make the comparison moot.
    expect(few.statements.length).toBeGreaterThanOrEqual(3);
    expect(all.statements.length, `first 500 issued:\n${all.statements.join('\n')}\nfirst 5 issued:\n${few.statements.join('\n')}`).toBe(few.statements.length);
    // The page and its count, its lines, then one statement per kind of thing the documents and lines name
    // (customers, ship-tos, carriers, products, box types, vendors, quantities, ...); an invoice's total reads
    // the page's charges in one more.
    expect(all.statements.length, all.statements.join('\n')).toBeLessThanOrEqual(17);
    return { few: few.data[list].nodes as any[], all: all.data[list].nodes as any[], total };
  }

  it('counts every statement of a request: three box look-ups cost two more than one', async () => {
    const one = await counter.measure(`query($a: String!) { a: box(label: $a) { label } }`, { a: stagedLabels[0] });
    const three = await counter.measure(
      `query($a: String!, $b: String!, $c: String!) { a: box(label: $a) { label } b: box(label: $b) { label } c: box(label: $c) { label } }`,
      {
        a: stagedLabels[0],
        b: stagedLabels[1],
        c: stagedLabels[2],
      },
    );
    expect(three.data).toEqual({ a: { label: stagedLabels[0] }, b: { label: stagedLabels[1] }, c: { label: stagedLabels[2] } });
    expect(one.statements.length).toBeGreaterThan(0);
    expect(three.statements.length - one.statements.length).toBe(2);
  });

  it('invoices with customers and ship-tos, lines, products, boxes and prebook lines', async () => {
    const { few, all, total } = await compare('invoices', INVOICES);
    expect(total).toBe(35);
    expect(new Set(all.map((n) => n.customer.code)).size).toBe(6);
    for (const invoice of all) {
      expect(invoice.lines.length).toBeGreaterThanOrEqual(2);
      expect(new Set(invoice.lines.map((l: any) => l.product.code)).size).toBe(invoice.lines.length);
    }
    const billed = (nodes: any[]) => nodes.filter((n) => n.lines.some((l: any) => l.prebookLine));
    expect(billed(all)).toHaveLength(7);
    // The first page already needs every loader the whole list needs.
    expect(billed(few)).toHaveLength(3);
    expect(few.some((n) => n.customer.shipTos.length > 0)).toBe(true);
    const prebookRoses = billed(few)[0].lines.find((l: any) => l.product.code === 'ROSE-FREEDOM-50').prebookLine;
    expect(prebookRoses).toMatchObject({
      ordered: 2,
      purchased: 2,
      billed: 2,
      needed: 0,
      boxType: { code: 'QB' },
      vendor: { code: 'ROSAS' },
      product: { defaultBoxType: { code: 'QB' } },
    });
    expect(all.find((n) => n.customer.code === 'GAMMA').customer.shipTos.map((s: any) => s.code)).toEqual(['GAMMA-1', 'GAMMA-2']);
  });

  it('prebooks with lines and their ordered, purchased and billed quantities', async () => {
    const { few, all, total } = await compare('prebooks', PREBOOKS);
    expect(total).toBe(12);
    expect(few.flatMap((n) => n.lines).every((l: any) => l.purchased > 0 && l.billed > 0)).toBe(true);
    expect(all.flatMap((n) => n.lines).filter((l: any) => l.purchased === 0)).toHaveLength(4);
  });

  it('staging with products, customers, vendors and demands', async () => {
    const { few, all, total } = await compare('staging', STAGING);
    expect(total).toBe(10);
    expect(few.every((b) => b.demands.length === 1 && b.demands[0].prebookLine.boxType.code)).toBe(true);
    expect(all.filter((b) => b.demands.length === 0 && b.customer?.code === 'BLOOMS')).toHaveLength(4);
  });

  it('inventory with products, customers, vendors and demands', async () => {
    const { few, all, total } = await compare('inventory', INVENTORY);
    expect(total).toBe(13);
    expect(all.slice(-4).map((b) => [b.inventoryType, b.customer.code, b.customer.shipTos.length])).toEqual([
      ['M', 'GAMMA', 2],
      ['M', 'GAMMA', 2],
      ['M', 'ALPHA', 1],
      ['M', 'ALPHA', 1],
    ]);
    expect(few.map((b) => b.inventoryType)).toEqual(['P', 'P', 'P', 'M', 'M']);
    expect(few[0].demands[0]).toMatchObject({
      customer: { code: 'FRESHMART', shipTos: [{ code: 'DC-ATL' }, { code: 'DC-ORL' }] },
      prebookLine: { vendor: { code: 'ROSAS' } },
    });
    expect(few[0]).toMatchObject({
      customer: { code: 'FRESHMART' },
      vendor: { code: 'ROSAS' },
      prebookLine: { prebookNumber: few[0].demands[0].prebookNumber, boxType: { code: few[0].boxType.code } },
    });
  });
});
