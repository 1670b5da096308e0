import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, isoDate, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const ALLOCATION = `lines { prebookLine { id prebookNumber } allocated stillNeeded invoiceNumbers linkedLabels reason message } errors { code message row field }`;
const SAVE_PREBOOK = `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { number lines { id } } errors { message } } }`;

describe('allocations', () => {
  let t: TestServer;
  let day = 40;
  const nextTruck = () => isoDate(day++);
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  beforeEach(() => setSettings(t, DEFAULT_SETTINGS));
  afterAll(() => t.close());

  async function prebook(customer: string, lines: object[], truckDate = nextTruck()) {
    const data = await t.ok(SAVE_PREBOOK, { i: [{ customer, carrier: 'ARMELLINI', truckDate, lines }] });
    return { number: data.savePrebooks.prebooks[0].number as string, lineIds: data.savePrebooks.prebooks[0].lines.map((l: any) => l.id) as string[] };
  }

  it('allocate bills the given open-market boxes to a line, never beyond what it needs; unallocate puts them back', async () => {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.40' });
    const pb = await prebook('BLOOMS', [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.90' }]);
    const tooMany = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: labels,
    });
    expect(tooMany.allocate.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'labels' });
    expect(tooMany.allocate.errors[0].message).toContain('needs only 2 more');

    const data = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: labels.slice(0, 2),
    });
    const [line] = data.allocate.lines;
    expect(line).toMatchObject({ allocated: 2, stillNeeded: 0, reason: null });
    const bill = await invoice(t, line.invoiceNumbers[0]);
    expect(bill).toMatchObject({
      source: 'ALLOCATION',
      customer: { code: 'BLOOMS' },
      total: '180.00',
      lines: [{ boxes: 2, inventoryType: 'M', prebookLine: { prebookNumber: pb.number } }],
    });

    const full = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: [labels[2]],
    });
    expect(full.allocate.errors[0].code).toBe('NOTHING_TO_PURCHASE');

    const lineId = (await t.ok(`{ invoice(number: "${line.invoiceNumbers[0]}") { lines { id } } }`)).invoice.lines[0].id;
    const undone = await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { invoice { status lines { id } } errors { code } } }`, { l: lineId });
    expect(undone.unallocate).toEqual({ invoice: { status: 'VOID', lines: [] }, errors: [] });
    const boxes = await t.ok(`{ inventory(filter: { label: "${labels[0]}" }) { nodes { status inventoryType customer { code } unitsRemaining } } }`);
    expect(boxes.inventory.nodes).toEqual([{ status: 'IN_INVENTORY', inventoryType: 'M', customer: null, unitsRemaining: 100 }]);
    const view = await t.ok(`{ prebooks(filter: { number: "${pb.number}" }) { nodes { lines { billed } } } }`);
    expect(view.prebooks.nodes[0].lines[0].billed).toBe(0);
  });

  it('with consolidateOpenMarket off, the open-market boxes one call bills to a line share one new invoice', async () => {
    await setSettings(t, { consolidateOpenMarket: false });
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40' });
    const pb = await prebook('BLOOMS', [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.90' }]);
    const data = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, { l: pb.lineIds[0], b: labels });
    expect(data.allocate.lines[0]).toMatchObject({ allocated: 2, stillNeeded: 0 });
    expect(data.allocate.lines[0].invoiceNumbers).toHaveLength(1);
    expect((await invoice(t, data.allocate.lines[0].invoiceNumbers[0])).lines).toMatchObject([{ boxes: 2, inventoryType: 'M' }]);
  });

  it('massAllocate leaves the lines of a future-sales customer alone: its prebooks are speculative buying, never invoiced', async () => {
    await t.ok(`mutation { upsertCustomers(input: [{ code: "SPECSTOCK", name: "Speculative stock", kind: "FUTURE_SALES" }]) { errors { code } } }`);
    await stockBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '1.00', vendor: 'VASECO' });
    const spec = await prebook('SPECSTOCK', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3.00' }]);
    const real = await prebook('FRESHMART', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3.00' }]);
    // Filters name a product (or customer) by code, or by name in any case.
    const data = await t.ok(`mutation { massAllocate(filter: { product: "glass VASE 20cm" }) { ${ALLOCATION} } }`);
    const touched = data.massAllocate.lines.map((l: any) => l.prebookLine.prebookNumber);
    expect(touched).toContain(real.number);
    expect(touched).not.toContain(spec.number);
    const billed = await t.ok(`{ invoices(filter: { customer: "SPECSTOCK" }) { totalCount } }`);
    expect(billed.invoices.totalCount).toBe(0);
  });

  it('massAllocate filters a customer by code or by whole name, in any case', async () => {
    await stockBoxes(t, { product: 'CARN-WHITE', boxes: 2, unitCost: '0.10', vendor: 'FLORES-EC' });
    const blooms = await prebook('BLOOMS', [{ product: 'CARN-WHITE', units: 100, price: '0.25' }]);
    const fresh = await prebook('FRESHMART', [{ product: 'CARN-WHITE', units: 100, price: '0.25' }]);
    for (const customer of ['blooms florist', 'blooms']) {
      const dry = await t.ok(`mutation($c: String) { massAllocate(filter: { customer: $c, product: "CARN-WHITE" }, dryRun: true) { ${ALLOCATION} } }`, {
        c: customer,
      });
      const numbers = dry.massAllocate.lines.map((l: any) => l.prebookLine.prebookNumber);
      expect(numbers).toContain(blooms.number);
      expect(numbers).not.toContain(fresh.number);
    }
    const partial = await t.gql(`mutation { massAllocate(filter: { customer: "Blooms Flor", product: "CARN-WHITE" }, dryRun: true) { errors { code } } }`);
    expect(partial.errors?.[0].extensions).toMatchObject({ code: 'UNKNOWN_CUSTOMER', field: 'filter.customer' });
    await t.ok(`mutation { massAllocate(filter: { product: "CARN-WHITE" }) { errors { code } } }`);
  });

  it('unallocate on a confirmed invoice is refused, and the payload still answers with the whole invoice', async () => {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    const pb = await prebook('BLOOMS', [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.90' }]);
    const data = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, { l: pb.lineIds[0], b: labels });
    const number = data.allocate.lines[0].invoiceNumbers[0];
    await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
    const lineId = (await t.ok(`{ invoice(number: "${number}") { lines { id } } }`)).invoice.lines[0].id;
    const refused = await t.ok(
      `mutation($l: ID!) { unallocate(invoiceLine: $l) { invoice { number status customer { code } lines { labels } } errors { code } } }`,
      { l: lineId },
    );
    expect(refused.unallocate).toEqual({
      invoice: { number, status: 'CONFIRMED', customer: { code: 'BLOOMS' }, lines: [{ labels }] },
      errors: [{ code: 'INVALID_STATUS' }],
    });
  });

  it('allocate takes units of a box for a line sold in units, leaving the rest in inventory', async () => {
    const [label] = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', vendor: 'FLORES-EC' });
    const pb = await prebook('FRESHMART', [{ product: 'CARN-WHITE', units: 300, price: '0.25' }]);
    const data = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b, units: 120) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: [label],
    });
    expect(data.allocate.lines[0]).toMatchObject({ allocated: 120, stillNeeded: 180 });
    const box = await t.ok(`{ box(label: "${label}") { status unitsRemaining } }`);
    expect(box.box).toEqual({ status: 'IN_INVENTORY', unitsRemaining: 380 });
  });

  it('refuses boxes reserved for another customer and lines of a customer on credit hold', async () => {
    const [reserved] = await stockBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '1', vendor: 'VASECO', customer: 'BOUQUETWORKS' });
    const pb = await prebook('BLOOMS', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' }]);
    const refused = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: [reserved],
    });
    expect(refused.allocate.errors[0]).toMatchObject({ code: 'RESERVED_FOR_OTHER_CUSTOMER', row: 1 });
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: true }]) { errors { code } } }`);
    const held = await t.ok(`mutation($l: ID!, $b: [String!]!) { allocate(prebookLine: $l, labels: $b) { ${ALLOCATION} } }`, {
      l: pb.lineIds[0],
      b: [reserved],
    });
    expect(held.allocate.errors[0].code).toBe('CREDIT_HOLD');
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: false }]) { errors { code } } }`);
  });

  it('massAllocate fills oldest truck dates first, own unbilled stock before open market, and says why a line stays unfilled', async () => {
    await setSettings(t, { autoBilling: 'OFF' });
    // FRESHMART's own unbilled box (type P), then two open-market boxes.
    const own = await prebookInStaging(t, {
      customer: 'FRESHMART',
      truckDate: nextTruck(),
      lines: [{ product: 'BQT-SPRING', boxes: 1, unitsPerBox: 8, price: '10' }],
    });
    await confirm(t, own.labels);
    await t.ok(`mutation { cancelPrebook(number: "${own.number}") { errors { code } } }`);
    const open = await stockBoxes(t, { product: 'BQT-SPRING', boxes: 2, unitCost: '6', vendor: 'BOUQUETWORKS' });
    const late = await prebook('FRESHMART', [{ product: 'BQT-SPRING', boxes: 2, unitsPerBox: 8, price: '12' }], isoDate(90));
    const early = await prebook('FRESHMART', [{ product: 'BQT-SPRING', boxes: 1, unitsPerBox: 8, price: '12' }], isoDate(80));
    const other = await prebook('BLOOMS', [{ product: 'BQT-SPRING', boxes: 1, unitsPerBox: 8, price: '12' }], isoDate(85));

    const dry = await t.ok(`mutation { massAllocate(filter: { product: "BQT-SPRING" }, dryRun: true) { ${ALLOCATION} } }`);
    const real = await t.ok(`mutation { massAllocate(filter: { product: "BQT-SPRING" }) { ${ALLOCATION} } }`);
    const summary = (r: any) => r.massAllocate.lines.map((l: any) => [l.prebookLine.prebookNumber, l.allocated, l.stillNeeded, l.reason]);
    expect(summary(real)).toEqual([
      [early.number, 1, 0, null],
      [other.number, 1, 0, null],
      [late.number, 1, 1, 'NO_MATCHING_STOCK'],
    ]);
    expect(summary(dry)).toEqual(summary(real));
    const earlyInvoice = await invoice(t, real.massAllocate.lines[0].invoiceNumbers[0]);
    expect(earlyInvoice.lines[0].labels).toEqual(own.labels);
    // Three truck dates: three invoices.
    expect(new Set(real.massAllocate.lines.flatMap((l: any) => l.invoiceNumbers)).size).toBe(3);
    expect(open).toHaveLength(2);
  });

  it('fillFromOpenMarket links open-market boxes still in transit that arrive by the truck date; they bill when confirmed', async () => {
    // The boxes arrive 2027-02-01: a truck date before that cannot take them, one after can.
    const tooEarly = await prebook('BLOOMS', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' }], '2027-01-20');
    const truckDate = '2027-02-15';
    // No vase is in inventory for BLOOMS (the only one is reserved for BOUQUETWORKS): only boxes in transit can fill.
    const inTransit = await stockBoxes(t, { product: 'VASE-20', boxes: 2, unitCost: '1', vendor: 'VASECO', confirm: false });
    const pb = await prebook('BLOOMS', [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' }], truckDate);
    const early = await t.ok(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l) { ${ALLOCATION} } }`, { l: tooEarly.lineIds });
    expect(early.fillFromOpenMarket.lines[0]).toMatchObject({ linkedLabels: [], reason: 'NO_MATCHING_STOCK' });
    const data = await t.ok(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l) { ${ALLOCATION} } }`, { l: pb.lineIds });
    const [line] = data.fillFromOpenMarket.lines;
    expect(line).toMatchObject({ allocated: 0, stillNeeded: 1, linkedLabels: [inTransit[0]], reason: null });
    const [confirmed] = await confirm(t, [inTransit[0]]);
    expect(confirmed.box).toMatchObject({ status: 'INVOICED', customer: { code: 'BLOOMS' } });
    expect((await invoice(t, confirmed.billing!.invoiceNumbers[0])).lines[0].prebookLine.prebookNumber).toBe(pb.number);
  });

  it('resolves a billing issue when its box is billed later', async () => {
    const pb = await prebookInStaging(t, {
      customer: 'BLOOMS',
      truckDate: nextTruck(),
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.9' }],
    });
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: true }]) { errors { code } } }`);
    const [held] = await confirm(t, pb.labels);
    expect(held.billing!.issue!.code).toBe('CREDIT_HOLD');
    const open = await t.ok(`{ billingIssues(filter: { label: "${pb.labels[0]}" }) { nodes { code resolvedAt } } }`);
    expect(open.billingIssues.nodes).toEqual([{ code: 'CREDIT_HOLD', resolvedAt: null }]);

    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", creditHold: false }]) { errors { code } } }`);
    const dry = await t.ok(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l, dryRun: true) { ${ALLOCATION} } }`, { l: pb.lineIds });
    const real = await t.ok(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l) { ${ALLOCATION} } }`, { l: pb.lineIds });
    const strip = (r: any) => ({ ...r, invoiceNumbers: r.invoiceNumbers.length });
    expect(strip(dry.fillFromOpenMarket.lines[0])).toEqual(strip(real.fillFromOpenMarket.lines[0]));
    expect(real.fillFromOpenMarket.lines[0]).toMatchObject({ allocated: 1, stillNeeded: 0, reason: null });
    expect((await invoice(t, real.fillFromOpenMarket.lines[0].invoiceNumbers[0])).lines[0].labels).toEqual(pb.labels);
    const resolved = await t.ok(
      `{ billingIssues(filter: { label: "${pb.labels[0]}", resolved: true }) { nodes { code resolvedAt } } open: billingIssues(filter: { label: "${pb.labels[0]}" }) { totalCount } }`,
    );
    expect(resolved.billingIssues.nodes).toEqual([{ code: 'CREDIT_HOLD', resolvedAt: expect.any(String) }]);
    expect(resolved.open.totalCount).toBe(0);
  });
});
