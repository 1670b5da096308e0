// Property: any sequence of ship / scan / confirm / invoice / void keeps every box whole.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

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
  fc.record({ kind: fc.constant('invoice' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), customer: fc.nat(1), price: fc.option(fc.integer({ min: 0, max: 300 })) }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
);

/** The invariants of DESIGN.md section 3 that receiving and invoicing must keep, over the whole database. */
async function checkInvariants(orm: MikroORM): Promise<void> {
  const sql = (query: string) => orm.em.getConnection().execute(query);
  // Each state has the fields that go with it.
  expect(await sql(`select label from box where
       (status = 'STAGED' and (inventory_type is not null or confirmed_at is not null or units_remaining <> units))
    or (status = 'IN_INVENTORY' and (inventory_type is null or units_remaining <= 0))
    or (status = 'INVOICED' and units_remaining <> 0)
    or status not in ('STAGED', 'IN_INVENTORY', 'INVOICED', 'VOID')`)).toEqual([]);
  // No unit appears or vanishes: what is left plus what live invoices took is the box.
  expect(await sql(`select b.label from box b left join (
      select t.box_id, sum(t.units) as units from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       where i.status <> 'VOID' group by t.box_id) taken on taken.box_id = b.id
     where b.units <> b.units_remaining + coalesce(taken.units, 0)`)).toEqual([]);
  // An INVOICED box is on exactly one line of a live invoice.
  expect(await sql(`select b.label from box b where b.status = 'INVOICED' and 1 <> (
      select count(*) from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       where t.box_id = b.id and i.status <> 'VOID')`)).toEqual([]);
  // Invoice lines add up to what they took; no PO line ships more than it ordered.
  expect(await sql(`select l.id from invoice_line l left join invoice_line_box t on t.invoice_line_id = l.id group by l.id having l.units <> coalesce(sum(t.units), 0)`)).toEqual([]);
  expect(await sql(`select l.id from purchase_order_line l join box b on b.purchase_order_line_id = l.id group by l.id having count(*) > l.boxes`)).toEqual([]);
}

describe('box life cycle (property)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('keeps every box in exactly one state, on at most one live invoice line, with no units lost', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 14 }), async (actions) => {
        run++;
        const po = await t.ok(`mutation($i: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $i) { purchaseOrders { number lines { id } } } }`, {
          i: [{ vendor: 'ROSAS', location: 'MIA', shipDate: '2027-02-01', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 6, unitCost: '0.4' }, { product: 'CARN-WHITE', boxes: 3, unitCost: '0.1' }] }],
        });
        const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
        const labels: string[] = [];
        const invoices: string[] = [];
        const pick = (i: number) => labels[i % labels.length];
        for (const step of actions) {
          if (step.kind === 'ship') {
            const data = await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label } errors { code } } }`, {
              i: { purchaseOrder: number, lines: [{ poLine: lines[step.line].id, boxes: step.boxes }] },
            });
            labels.push(...data.shipPurchaseOrder.boxes.map((b: any) => b.label));
            if (!data.shipPurchaseOrder.boxes.length) expect(data.shipPurchaseOrder.errors[0].code).toBe('EXCEEDS_ORDERED');
          } else if (!labels.length) {
            continue;
          } else if (step.kind === 'scan') {
            await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: [pick(step.pick)] });
          } else if (step.kind === 'confirm') {
            await t.ok(`mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { results { outcome } } }`, { l: [...new Set(step.picks.map(pick))] });
          } else if (step.kind === 'invoice') {
            const chosen = [...new Set(step.picks.map(pick))];
            const data = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number } errors { code } } }`, {
              i: { customer: step.customer ? 'BLOOMS' : 'FRESHMART', truckDate: '2027-02-10', lines: chosen.map((label) => ({ labels: [label], unitPrice: step.price === null ? null : (step.price / 100).toFixed(2) })) },
            });
            if (data.createInvoice.invoice) invoices.push(data.createInvoice.invoice.number);
          } else if (invoices.length) {
            await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { code } } }`, { n: invoices[step.pick % invoices.length] });
          }
          await checkInvariants(t.orm);
        }
      }),
      { numRuns: 25 },
    );
    expect(run).toBe(25);
  }, 120_000);
});
