// Unallocating and allocating again bills what the first billing did: a pooled box's rounding remainder
// (billUnitsAsBoxes) goes again on the line with the most future truck date, and units no line needs any
// more follow releaseFulfilled instead of staying as a customer's stock nothing needs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const carnations = (units: number, price: string) => ({ product: 'CARN-WHITE', sellBy: 'UNIT', units, unitsPerBox: 400, price, cost: '0.10' });
const INVOICE_LINES = `query($n: String!) { invoice(number: $n) { status total lines { id units amount prebookLine { prebookNumber } } } }`;
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
});
