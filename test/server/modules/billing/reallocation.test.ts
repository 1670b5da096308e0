// Unallocating and allocating again bills what the first billing did: a pooled box's rounding remainder
// (billUnitsAsBoxes) goes again on the line with the most future truck date, and units no line needs any
// more follow releaseFulfilled instead of staying as a customer's stock nothing needs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const carnations = (units: number, price: string) => ({ product: 'CARN-WHITE', sellBy: 'UNIT', units, unitsPerBox: 400, price, cost: '0.10' });
const INVOICE_LINES = `query($n: String!) { invoice(number: $n) { status total lines { id units amount prebookLine { prebookNumber } } } }`;
const ALLOCATE = `mutation($p: ID!, $l: [String!]!, $u: Int) { allocate(prebookLine: $p, labels: $l, units: $u) { lines { allocated stillNeeded invoiceNumbers } errors { code message } } }`;
const UNALLOCATE = `mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`;
const BOX = `query($l: String!) { inventory(filter: { label: $l }) { nodes { status inventoryType customer { code } unitsRemaining } } }`;

describe('unallocate and allocate again', () => {
  let t: TestServer;
  let day = 60;
  const nextTruck = () => isoDate(day++);
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  beforeEach(() => setSettings(t, { ...DEFAULT_SETTINGS, billUnitsAsBoxes: [{ location: 'MIA', enabled: true }], allowMultiplePrebookLinesPerPoLine: true }));
  afterAll(() => t.close());

  /** Lines a (120 @0.50) and b (180 @0.40, the later truck date) pooled in one box of 400, billed at confirmation. */
  async function pooled() {
    const early = nextTruck();
    const late = nextTruck();
    const [pa, pb] = await prebooksInStaging(t, [
      { customer: 'FRESHMART', truckDate: early, lines: [carnations(120, '0.50')] },
      { customer: 'FRESHMART', truckDate: late, lines: [carnations(180, '0.40')] },
    ]);
    expect(pa.labels).toHaveLength(1);
    const [result] = await confirm(t, pa.labels);
    expect(result.billing.invoiceNumbers).toHaveLength(1);
    const number = result.billing.invoiceNumbers[0];
    return { pa, pb, label: pa.labels[0], number, lines: (await t.ok(INVOICE_LINES, { n: number })).invoice };
  }

  it('massAllocate after unallocate bills the remainder again: 60.00 + 112.00, the box empty', async () => {
    const { pb, label, number, lines } = await pooled();
    expect(lines.total).toBe('172.00');
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    expect(lineB).toMatchObject({ units: 280, amount: '112.00' });

    await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`, { l: lineB.id });
    expect((await t.ok(BOX, { l: label })).inventory.nodes[0]).toMatchObject({ status: 'IN_INVENTORY', unitsRemaining: 280 });
    const mass = await t.ok(
      `mutation { massAllocate(filter: { customer: "FRESHMART" }) { lines { prebookLine { prebookNumber } allocated invoiceNumbers } errors { code } } }`,
    );
    expect(mass.massAllocate.lines.filter((l: any) => l.prebookLine.prebookNumber === pb.number)).toEqual([
      { prebookLine: { prebookNumber: pb.number }, allocated: 280, invoiceNumbers: [number] },
    ]);
    const after = await invoice(t, number);
    expect(after.total).toBe('172.00');
    expect(after.lines.map((l: any) => [l.prebookLine.prebookNumber, l.units, l.amount]).sort()).toEqual(
      lines.lines.map((l: any) => [l.prebookLine.prebookNumber, l.units, l.amount]).sort(),
    );
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([]);
  });

  it('allocate by hand after unallocate bills the remainder again too', async () => {
    const { pb, label, number, lines } = await pooled();
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    await t.ok(UNALLOCATE, { l: lineB.id });
    const again = await t.ok(ALLOCATE, { p: pb.lineIds[0], l: [label], u: null });
    expect(again.allocate).toEqual({ lines: [{ allocated: 280, stillNeeded: 0, invoiceNumbers: [number] }], errors: [] });
    expect((await invoice(t, number)).total).toBe('172.00');
  });

  it('the line without the remainder, unallocated and allocated again, goes back on the invoice of the box', async () => {
    const { pa, number } = await pooled();
    const lineA = (await t.ok(INVOICE_LINES, { n: number })).invoice.lines.find((l: any) => l.prebookLine.prebookNumber === pa.number);
    await t.ok(UNALLOCATE, { l: lineA.id });
    const mass = await t.ok(
      `mutation { massAllocate(filter: { customer: "FRESHMART" }) { lines { prebookLine { prebookNumber } allocated invoiceNumbers } } }`,
    );
    expect(mass.massAllocate.lines.filter((l: any) => l.prebookLine.prebookNumber === pa.number)).toEqual([
      { prebookLine: { prebookNumber: pa.number }, allocated: 120, invoiceNumbers: [number] },
    ]);
    expect((await invoice(t, number)).total).toBe('172.00');
  });

  it('unallocating both lines in any order and allocating again gives the first invoice back', async () => {
    const { pa, pb, number, lines } = await pooled();
    for (const line of [...lines.lines].reverse()) await t.ok(UNALLOCATE, { l: line.id });
    // The invoice is void once its last line is gone: the lines go on a new one, a (the earlier truck date) first.
    await t.ok(`mutation { massAllocate(filter: { customer: "FRESHMART" }) { errors { code } } }`);
    const billed = await t.ok(
      `{ invoices(filter: { customer: "FRESHMART", status: PENDING }, first: 100) { nodes { number total lines { units amount prebookLine { prebookNumber } } } } }`,
    );
    const mine = billed.invoices.nodes.filter((i: any) => i.lines.some((l: any) => [pa.number, pb.number].includes(l.prebookLine.prebookNumber)));
    expect(mine).toHaveLength(1);
    expect(mine[0].number).not.toBe(number);
    expect(mine[0].total).toBe('172.00');
    expect(mine[0].lines.map((l: any) => [l.prebookLine.prebookNumber, l.units, l.amount])).toEqual([
      [pa.number, 120, '60.00'],
      [pb.number, 280, '112.00'],
    ]);
  });

  it('units asked for explicitly bill as asked; what no line needs then follows releaseFulfilled (OPEN_MARKET)', async () => {
    const { pb, label, number, lines } = await pooled();
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    await t.ok(UNALLOCATE, { l: lineB.id });
    const again = await t.ok(ALLOCATE, { p: pb.lineIds[0], l: [label], u: 180 });
    expect(again.allocate.lines).toEqual([{ allocated: 180, stillNeeded: 0, invoiceNumbers: [number] }]);
    expect((await invoice(t, number)).total).toBe('132.00');
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([{ status: 'IN_INVENTORY', inventoryType: 'M', customer: null, unitsRemaining: 100 }]);
  });

  it('with KEEP_CUSTOMER what no line needs stays the customer’s', async () => {
    const { pb, label, lines } = await pooled();
    await setSettings(t, { releaseFulfilled: 'KEEP_CUSTOMER' });
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    await t.ok(UNALLOCATE, { l: lineB.id });
    await t.ok(ALLOCATE, { p: pb.lineIds[0], l: [label], u: 180 });
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([
      { status: 'IN_INVENTORY', inventoryType: 'P', customer: { code: 'FRESHMART' }, unitsRemaining: 100 },
    ]);
  });

  it('a line billed again from other stock leaves its own box to releaseFulfilled', async () => {
    const { pb, label, lines } = await pooled();
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    await t.ok(UNALLOCATE, { l: lineB.id });
    const [open] = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', vendor: 'FLORES-EC' });
    const again = await t.ok(ALLOCATE, { p: pb.lineIds[0], l: [open], u: null });
    expect(again.allocate.lines).toMatchObject([{ allocated: 180, stillNeeded: 0 }]);
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([{ status: 'IN_INVENTORY', inventoryType: 'M', customer: null, unitsRemaining: 280 }]);
  });

  it('units an unallocation gives back to a box whose own lines need nothing follow releaseFulfilled', async () => {
    const { pb, label, lines } = await pooled();
    const lineB = lines.lines.find((l: any) => l.prebookLine.prebookNumber === pb.number);
    await t.ok(UNALLOCATE, { l: lineB.id });
    // Under KEEP_CUSTOMER, b is billed from open market instead (its box stays FreshMart's, 280 left) and a
    // third line of the customer takes 50 of the box; then releaseFulfilled becomes OPEN_MARKET.
    await setSettings(t, { releaseFulfilled: 'KEEP_CUSTOMER' });
    const [open] = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', vendor: 'FLORES-EC' });
    await t.ok(ALLOCATE, { p: pb.lineIds[0], l: [open], u: null });
    const [other] = (
      await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { lines { id } } errors { message } } }`, {
        i: [{ customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: nextTruck(), lines: [carnations(50, '0.60')] }],
      })
    ).savePrebooks.prebooks[0].lines;
    const took = await t.ok(ALLOCATE, { p: other.id, l: [label], u: null });
    expect(took.allocate.lines).toMatchObject([{ allocated: 50, stillNeeded: 0 }]);
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([
      { status: 'IN_INVENTORY', inventoryType: 'P', customer: { code: 'FRESHMART' }, unitsRemaining: 230 },
    ]);
    await setSettings(t, { releaseFulfilled: 'OPEN_MARKET' });
    const taken = (await t.ok(INVOICE_LINES, { n: took.allocate.lines[0].invoiceNumbers[0] })).invoice.lines.find((l: any) => l.amount === '30.00');
    await t.ok(UNALLOCATE, { l: taken.id });
    expect((await t.ok(BOX, { l: label })).inventory.nodes).toEqual([{ status: 'IN_INVENTORY', inventoryType: 'M', customer: null, unitsRemaining: 280 }]);
  });
});
