// Property: random settings and random confirm / scan / allocate / unallocate / void sequences keep the billing invariants.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDate, prebooksInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants, checkNoOverbilling } from '../../../support/invariants';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { propertyOptions } from '../../../support/property';

const settingsArb = fc.record({
  autoBilling: fc.constantFrom('OFF', 'ON_OUTBOUND_SCAN', 'ON_MANUAL_CONFIRMATION', 'ON_INCOMING_SCAN_OR_CONFIRMATION'),
  releaseFulfilled: fc.constantFrom('OPEN_MARKET', 'KEEP_CUSTOMER'),
  separateInTransitAndOnHand: fc.boolean(),
  consolidateOpenMarket: fc.boolean(),
  separateHoliday: fc.boolean(),
  separateByPortOfOrigin: fc.boolean(),
  separateByPickTicket: fc.boolean(),
  delayDaysAllowed: fc.integer({ min: 0, max: 3 }),
  billUnitsAsBoxes: fc.boolean().map((enabled) => [{ location: 'MIA', enabled }]),
  allowMultiplePrebookLinesPerPoLine: fc.boolean(),
});

// Unit lines twice as often: bought together, they pool into shared boxes (several lines on one box).
const lineArb = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      product: fc.constant('VASE-20'),
      boxes: fc.integer({ min: 1, max: 3 }),
      unitsPerBox: fc.constant(12),
      price: fc.option(fc.constantFrom('0.00', '2.50'), { nil: undefined }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      product: fc.constant('CARN-WHITE'),
      units: fc.integer({ min: 50, max: 900 }),
      price: fc.option(fc.constantFrom('0.00', '0.20', '0.35'), { nil: undefined }),
    }),
  },
);

const actionArb = fc.oneof(
  fc.record({ kind: fc.constant('confirm' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('confirmAll' as const) }),
  fc.record({ kind: fc.constant('scan' as const), pick: fc.nat(), inbound: fc.boolean() }),
  fc.record({ kind: fc.constant('allocate' as const), line: fc.nat(), pick: fc.nat(), units: fc.option(fc.integer({ min: 1, max: 600 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('massAllocate' as const), dryRun: fc.boolean() }),
  fc.record({ kind: fc.constant('unallocate' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('pickTicket' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('merge' as const), pick: fc.nat(), other: fc.nat() }),
  // Credit changes between scans and confirmations: a hold, a limit that leaves room for little, or neither.
  fc.record({
    kind: fc.constant('credit' as const),
    customer: fc.constantFrom('FRESHMART', 'BLOOMS'),
    creditHold: fc.boolean(),
    creditLimit: fc.constantFrom(null, '0', '150'),
  }),
);

// FC_RUNS=300 for a deeper local search; FC_SEED replays a failure CI printed.
const RUNS = Number(process.env.FC_RUNS ?? 15);

describe('billing (property)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it(
    'never bills a box twice, a line beyond its quantity, or loses a unit, whatever the settings and the order of events',
    async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          settingsArb,
          fc.array(
            fc.record({
              customer: fc.constantFrom('FRESHMART', 'BLOOMS'),
              holiday: fc.boolean(),
              truck: fc.integer({ min: -1, max: 3 }),
              lines: fc.array(lineArb, { minLength: 1, maxLength: 2 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          fc.array(actionArb, { minLength: 2, maxLength: 10 }),
          async (settings, prebooks, actions) => {
            runs++;
            await setSettings(t, settings);
            await t.ok(
              `mutation { upsertCustomers(input: [{ code: "FRESHMART", creditHold: false, creditLimit: null }, { code: "BLOOMS", creditHold: false, creditLimit: null }]) { errors { code } } }`,
            );
            // Bought together: unit lines of one customer and carrier share boxes (pooled), as do truck dates with allowMultiplePrebookLinesPerPoLine.
            const staged = await prebooksInStaging(
              t,
              prebooks.map((p) => ({ customer: p.customer, holiday: p.holiday, truckDate: isoDate(p.truck), lines: p.lines })),
            );
            const openMarket = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.1', vendor: 'FLORES-EC' });
            const labels = [...staged[0].labels, ...openMarket];
            const lineIds = staged.flatMap((s) => s.lineIds);
            const pick = <T>(list: T[], i: number) => list[i % list.length];
            for (const step of actions) {
              const invoices: Array<{ number: string; customer: { code: string }; lines: Array<{ id: string }> }> = (
                await t.ok(`{ invoices(filter: { status: PENDING }, first: 1000) { nodes { number customer { code } lines { id } } } }`)
              ).invoices.nodes;
              if (step.kind === 'confirm') {
                await t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { outcome } } }`, {
                  l: [...new Set(step.picks.map((i) => pick(labels, i)))],
                });
              } else if (step.kind === 'confirmAll') {
                await t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { outcome } } }`, { l: labels });
              } else if (step.kind === 'scan') {
                await t.ok(`mutation($l: [String!]!, $k: ScanKind!) { scanBoxes(labels: $l, kind: $k) { results { outcome } } }`, {
                  l: [pick(labels, step.pick)],
                  k: step.inbound ? 'INBOUND' : 'OUTBOUND',
                });
              } else if (step.kind === 'allocate') {
                await t.ok(`mutation($p: ID!, $l: [String!]!, $u: Int) { allocate(prebookLine: $p, labels: $l, units: $u) { errors { code } } }`, {
                  p: pick(lineIds, step.line),
                  l: [pick(labels, step.pick)],
                  u: step.units ?? null,
                });
              } else if (step.kind === 'massAllocate') {
                await t.ok(`mutation($d: Boolean) { massAllocate(dryRun: $d) { errors { code } } }`, { d: step.dryRun });
              } else if (invoices.length && step.kind === 'unallocate') {
                const lines = invoices.flatMap((i) => i.lines);
                if (lines.length) await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { code } } }`, { l: pick(lines, step.pick).id });
              } else if (invoices.length && step.kind === 'void') {
                await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, { n: pick(invoices, step.pick).number });
              } else if (invoices.length && step.kind === 'merge') {
                // Sometimes another customer's invoice: refused, nothing written.
                const target = pick(invoices, step.pick);
                await t.ok(`mutation($t: String!, $s: [String!]!) { mergeInvoices(target: $t, sources: $s) { errors { code } } }`, {
                  t: target.number,
                  s: [pick(invoices, step.other).number],
                });
              } else if (step.kind === 'credit') {
                await t.ok(`mutation($i: [CustomerInput!]!) { upsertCustomers(input: $i) { errors { code } } }`, {
                  i: [{ code: step.customer, creditHold: step.creditHold, creditLimit: step.creditLimit }],
                });
              } else if (invoices.length && step.kind === 'pickTicket') {
                await t.ok(`mutation($n: String!) { printPickTicket(number: $n) { errors { code } } }`, { n: pick(invoices, step.pick).number });
              }
              await checkBoxInvariants(t.orm);
              await checkNoOverbilling(t.orm);
            }
            // An invoice's total is the sum of its lines.
            const all = await t.ok(`{ invoices(first: 1000) { nodes { total lines { amount } } } }`);
            for (const invoice of all.invoices.nodes) {
              const sum = invoice.lines.reduce((s: number, l: any) => s + Math.round(Number(l.amount ?? 0) * 100), 0);
              expect(Math.round(Number(invoice.total) * 100)).toBe(sum);
            }
          },
        ),
        propertyOptions(15),
      );
      expect(runs).toBe(RUNS);
      const [billed] = await t.orm.em.getConnection().execute(`select count(*)::int as n from invoice_line where prebook_line_id is not null`);
      expect(billed.n).toBeGreaterThan(0);
    },
    240_000 * Math.max(1, RUNS / 15),
  );
});
