// Property: any sequence of allocate / unallocate / massAllocate on one pooled box (and an open-market box
// beside it) ends with each line billed at most its quantity (plus, where units bill as boxes, the box's
// rounding remainder), and every unit of the box accounted for: billed, back in stock for a line that needs
// it, or released under releaseFulfilled. Unallocating the box's lines and allocating them again gives
// the first billing back.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants, checkLeftoversFollowReleaseFulfilled, checkNoOverbilling } from '../../../support/invariants';
import { propertyOptions } from '../../../support/property';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const settingsArb = fc.record({
  autoBilling: fc.constantFrom('OFF', 'ON_MANUAL_CONFIRMATION'),
  releaseFulfilled: fc.constantFrom('OPEN_MARKET', 'KEEP_CUSTOMER'),
  billUnitsAsBoxes: fc.boolean().map((enabled) => [{ location: 'MIA', enabled }]),
  allowMultiplePrebookLinesPerPoLine: fc.boolean(),
});

// Two or three unit lines of one customer that fit one box of 400 together: they pool into it.
const linesArb = fc.array(
  fc.record({
    units: fc.integer({ min: 20, max: 130 }),
    price: fc.option(fc.constantFrom('0.40', '0.50', '0.00'), { nil: null }),
    truck: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 2, maxLength: 3 },
);

const actionArb = fc.oneof(
  fc.record({
    kind: fc.constant('allocate' as const),
    line: fc.nat(),
    openMarket: fc.boolean(),
    units: fc.option(fc.integer({ min: 1, max: 200 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('unallocate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('massAllocate' as const), dryRun: fc.boolean() }),
);

const PENDING_LINES = `query($c: String!) { invoices(filter: { customer: $c, status: PENDING }, first: 1000) { nodes { lines { id } } } }`;
const BILLED = `select il.prebook_line_id as id, sum(il.units)::int as units, sum(il.units * coalesce(il.unit_price, 0))::text as amount
  from invoice_line il join invoice i on i.id = il.invoice_id and i.status <> 'VOID' where il.prebook_line_id = any(?::int[]) group by 1 order by 1`;

describe('allocate, unallocate and massAllocate on one pooled box (property)', () => {
  let t: TestServer;
  let customers = 0;
  let day = 100;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  /** A customer of its own per run, so earlier runs' stock and lines stay out of the way. */
  async function freshCustomer(): Promise<string> {
    const code = `POOL${++customers}`;
    await t.ok(`mutation($c: String!) { upsertCustomers(input: [{ code: $c, name: $c }]) { errors { code } } }`, { c: code });
    return code;
  }

  /** The lines pooled in one box of 400, confirmed: billed at confirmation or not, as the settings say. */
  async function pooledBox(settings: Record<string, unknown>, lines: Array<{ units: number; price: string | null; truck: number }>) {
    await setSettings(t, { ...DEFAULT_SETTINGS, ...settings });
    const customer = await freshCustomer();
    day += 3;
    const sameDay = !settings.allowMultiplePrebookLinesPerPoLine;
    const staged = await prebooksInStaging(
      t,
      lines.map((line) => ({
        customer,
        truckDate: isoDate(day + (sameDay ? 0 : line.truck)),
        lines: [{ product: 'CARN-WHITE', sellBy: 'UNIT', units: line.units, unitsPerBox: 400, price: line.price, cost: '0.10' }],
      })),
    );
    expect(staged[0].labels).toHaveLength(1);
    const [label] = staged[0].labels;
    await confirm(t, [label]);
    return { customer, label, lineIds: staged.flatMap((s) => s.lineIds) };
  }

  const checkAll = async (releaseFulfilled: string, labels: string[]) => {
    await checkBoxInvariants(t.orm);
    await checkNoOverbilling(t.orm);
    await checkLeftoversFollowReleaseFulfilled(t.orm, releaseFulfilled, labels);
  };

  it('every unit of the box is billed, in stock for a line that needs it, or released; no line bills beyond its quantity', async () => {
    await fc.assert(
      fc.asyncProperty(settingsArb, linesArb, fc.array(actionArb, { minLength: 2, maxLength: 10 }), async (settings, lines, actions) => {
        const { customer, label, lineIds } = await pooledBox(settings, lines);
        const [openMarket] = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', vendor: 'FLORES-EC' });
        await checkAll(settings.releaseFulfilled, [label, openMarket]);
        for (const step of actions) {
          if (step.kind === 'allocate') {
            await t.ok(`mutation($p: ID!, $l: [String!]!, $u: Int) { allocate(prebookLine: $p, labels: $l, units: $u) { errors { code } } }`, {
              p: lineIds[step.line % lineIds.length],
              l: [step.openMarket ? openMarket : label],
              u: step.units,
            });
          } else if (step.kind === 'unallocate') {
            const pending = (await t.ok(PENDING_LINES, { c: customer })).invoices.nodes.flatMap((i: any) => i.lines);
            if (pending.length)
              await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`, { l: pending[step.pick % pending.length].id });
          } else {
            await t.ok(`mutation($c: String!, $d: Boolean) { massAllocate(filter: { customer: $c }, dryRun: $d) { errors { code } } }`, {
              c: customer,
              d: step.dryRun,
            });
          }
          await checkAll(settings.releaseFulfilled, [label, openMarket]);
        }
      }),
      propertyOptions(12),
    );
  }, 240_000);

  it('unallocating the lines of a pooled box, in any order, and allocating them again bills what the first billing did', async () => {
    await fc.assert(
      fc.asyncProperty(
        settingsArb.map((s) => ({ ...s, autoBilling: 'ON_MANUAL_CONFIRMATION' })),
        linesArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (settings, lines, order, byHand) => {
          const { customer, label, lineIds } = await pooledBox(settings, lines);
          const sql = (query: string) => t.orm.em.getConnection().execute(query, [`{${lineIds.join(',')}}`]);
          const first = await sql(BILLED);
          expect(first.map((row: any) => String(row.id))).toEqual([...lineIds].sort((a, b) => Number(a) - Number(b)));
          // Some of the lines, in the order drawn (each line once).
          for (const pick of order) {
            const pending = (await t.ok(PENDING_LINES, { c: customer })).invoices.nodes.flatMap((i: any) => i.lines);
            if (pending.length) await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`, { l: pending[pick % pending.length].id });
          }
          if (byHand) {
            for (const id of lineIds)
              await t.ok(`mutation($p: ID!, $l: [String!]!) { allocate(prebookLine: $p, labels: $l) { errors { code } } }`, { p: id, l: [label] });
          } else {
            await t.ok(`mutation($c: String!) { massAllocate(filter: { customer: $c }) { errors { code } } }`, { c: customer });
          }
          // By hand in line order, the remainder may go to a line allocated before the one whose it was: the
          // totals per line are the first billing's either way when allocated the way massAllocate does.
          if (!byHand) expect(await sql(BILLED)).toEqual(first);
          else expect((await sql(BILLED)).reduce((s: number, r: any) => s + r.units, 0)).toBe(first.reduce((s: number, r: any) => s + r.units, 0));
          await checkAll(settings.releaseFulfilled, [label]);
        },
      ),
      propertyOptions(10),
    );
  }, 240_000);
});
