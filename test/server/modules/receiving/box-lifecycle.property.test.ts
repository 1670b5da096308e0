// Property: any sequence of ship / scan / confirm / invoice / void keeps every box whole.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { propertyOptions } from '../../../support/property';

type Action =
  | { kind: 'ship'; line: number; boxes: number }
  | { kind: 'scan'; pick: number }
  | { kind: 'confirm'; picks: number[] }
  | { kind: 'invoice'; picks: number[]; customer: number; price: number | null }
  | { kind: 'void'; pick: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ kind: fc.constant('ship' as const), line: fc.nat(1), boxes: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('scan' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('confirm' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({
    kind: fc.constant('invoice' as const),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
    customer: fc.nat(1),
    price: fc.option(fc.integer({ min: 0, max: 300 })),
  }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
);

// FC_RUNS=500 for a deeper local search; FC_SEED replays a failure CI printed.
const RUNS = Number(process.env.FC_RUNS ?? 25);

describe('box life cycle (property)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it(
    'keeps every box in exactly one state, on at most one live invoice line, with no units lost',
    async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
          run++;
          const po = await t.ok(`mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number lines { id } } } }`, {
            i: [
              {
                vendor: 'ROSAS',
                location: 'MIA',
                shipDate: '2027-02-01',
                lines: [
                  { product: 'ROSE-FREEDOM-50', boxes: 6, unitCost: '0.4' },
                  { product: 'CARN-WHITE', boxes: 3, unitCost: '0.1' },
                ],
              },
            ],
          });
          const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
          const ordered = [6, 3];
          const shippedPerLine = [0, 0];
          const labels: string[] = [];
          const invoices: string[] = [];
          const pick = (i: number) => labels[i % labels.length];
          for (const step of actions) {
            if (step.kind === 'ship') {
              const data = await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label } errors { code } } }`, {
                i: { purchaseOrder: number, lines: [{ poLine: lines[step.line].id, boxes: step.boxes }] },
              });
              labels.push(...data.shipPurchaseOrder.boxes.map((b: any) => b.label));
              const fullyShipped = shippedPerLine.every((n, i) => n === ordered[i]);
              if (shippedPerLine[step.line] + step.boxes <= ordered[step.line]) {
                expect(data.shipPurchaseOrder.errors).toEqual([]);
                expect(data.shipPurchaseOrder.boxes).toHaveLength(step.boxes);
                shippedPerLine[step.line] += step.boxes;
              } else {
                // A fully shipped purchase order is no longer open for shipping at all.
                expect(data.shipPurchaseOrder.boxes).toEqual([]);
                const codes = data.shipPurchaseOrder.errors.map((e: any) => e.code);
                if (fullyShipped) expect(codes[0]).toBe('INVALID_STATUS');
                else expect(codes).toEqual(['EXCEEDS_ORDERED']);
              }
            } else if (!labels.length) {
              continue;
            } else if (step.kind === 'scan') {
              await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: [pick(step.pick)] });
            } else if (step.kind === 'confirm') {
              await t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { outcome } } }`, {
                l: [...new Set(step.picks.map(pick))],
              });
            } else if (step.kind === 'invoice') {
              const chosen = [...new Set(step.picks.map(pick))];
              const data = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number } errors { code } } }`, {
                i: {
                  customer: step.customer ? 'BLOOMS' : 'FRESHMART',
                  truckDate: '2027-02-10',
                  lines: chosen.map((label) => ({ labels: [label], unitPrice: step.price === null ? null : (step.price / 100).toFixed(2) })),
                },
              });
              if (data.createInvoice.invoice) invoices.push(data.createInvoice.invoice.number);
            } else if (invoices.length) {
              await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, { n: invoices[step.pick % invoices.length] });
            }
            await checkBoxInvariants(t.orm);
          }
        }),
        propertyOptions(25),
      );
      expect(run).toBe(RUNS);
    },
    120_000 * Math.max(1, RUNS / 25),
  );
});
