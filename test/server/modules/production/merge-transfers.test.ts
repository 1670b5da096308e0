// mergeInvoices keeps production runs whole: a transfer of components merges only with transfers of its
// own run, never with a sale nor with a transfer of another run (or of none); the run's transferred units
// and component cost are the same before and after any merge, allowed or refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { propertyOptions } from '../../../support/property';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const MERGE = `mutation($t: String!, $s: [String!]!) { mergeInvoices(target: $t, sources: $s) {
  invoice { number status kind lines { labels } } errors { code message row field } } }`;
const TRANSFER = `mutation($r: String!, $l: [String!]!) { transferComponents(productionRun: $r, labels: $l) { invoice { number kind total } errors { code message } } }`;
const CREATE = `mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number kind total } errors { code message } } }`;
const RUNS = `{ productionRuns { nodes { number componentCost components { component { code } transferred short transferredCost } } } }`;

describe('mergeInvoices and production runs', () => {
  let t: TestServer;
  const runs: string[] = [];

  /** Every run's figures: per component transferred, short and cost, and the run's component cost. */
  const figures = async () => {
    const data = await t.ok(RUNS);
    return Object.fromEntries(data.productionRuns.nodes.map((run: any) => [run.number, { componentCost: run.componentCost, components: run.components }]));
  };
  const companyBoxes = (boxes: number) => stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes, unitCost: '0.30', customer: 'BOUQUETWORKS' });
  const zeroInvoice = async (labels: string[], unitPrice: string | null = '0.00') => {
    const made = await t.ok(CREATE, { i: { customer: 'BOUQUETWORKS', truckDate: '2027-03-01', lines: [{ labels, unitPrice }] } });
    expect(made.createInvoice.errors).toEqual([]);
    return made.createInvoice.invoice as { number: string; kind: string; total: string };
  };
  const transfer = async (run: string, labels: string[]) => {
    const data = await t.ok(TRANSFER, { r: run, l: labels });
    expect(data.transferComponents.errors).toEqual([]);
    return data.transferComponents.invoice.number as string;
  };

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation {
      c: upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { message } }
      p: upsertProducts(input: [{ code: "BQT-SPRING", recipe: [{ component: "ROSE-FREEDOM-50", units: "10" }] }]) { errors { message } }
    }`);
    // Two runs, each needing 200 roses (20 bouquets x 10 stems).
    for (const customerPo of ['A', 'B']) {
      const prebook = await t.ok(
        `mutation($po: String) { savePrebooks(input: [{ customer: "FRESHMART", carrier: "ARMELLINI", truckDate: "2027-03-01", customerPo: $po,
          lines: [{ product: "BQT-SPRING", sellBy: "UNIT", units: 20, price: "10.00", cost: "6.00" }] }]) { prebooks { lines { id } } errors { message } } }`,
        { po: customerPo },
      );
      const saved = await t.ok(
        `mutation($l: ID!) { saveProductionRun(input: { productionCompany: "BOUQUETWORKS", prebookLines: [$l] }) { productionRun { number } errors { message } } }`,
        { l: prebook.savePrebooks.prebooks[0].lines[0].id },
      );
      runs.push(saved.saveProductionRun.productionRun.number);
    }
  });
  afterAll(() => t.close());

  it("refuses to merge a run's transfer with a 0.00 invoice of no run, either way: the run keeps its 200 roses and their cost", async () => {
    const boxes = await companyBoxes(3);
    const inv2 = await transfer(runs[0], boxes.slice(0, 2));
    const before = await figures();
    expect(before[runs[0]].components[0].transferred).toBe(200);
    const inv3 = await zeroInvoice([boxes[2]]);
    expect(inv3.kind).toBe('TRANSFER');

    const into = await t.ok(MERGE, { t: inv3.number, s: [inv2] });
    expect(into.mergeInvoices.errors.map((e: any) => [e.code, e.row, e.field])).toEqual([['DIFFERENT_PRODUCTION_RUN', 1, 'sources']]);
    expect(into.mergeInvoices.errors[0].message).toContain(runs[0]);
    const back = await t.ok(MERGE, { t: inv2, s: [inv3.number] });
    expect(back.mergeInvoices.errors.map((e: any) => e.code)).toEqual(['DIFFERENT_PRODUCTION_RUN']);
    // Nothing moved: the run still shows its 200 roses and what they cost, and no box sent outside it.
    expect(await figures()).toEqual(before);
    const kept = await t.ok(`query($n: String!) { invoice(number: $n) { status lines { labels } } }`, { n: inv2 });
    expect(kept.invoice).toEqual({ status: 'PENDING', lines: [{ labels: boxes.slice(0, 2) }] });
    await checkBoxInvariants(t.orm);
  });

  it('refuses transfers of two runs, and a sale with a transfer, with typed errors; merges transfers of one run keeping its figures', async () => {
    const boxes = await companyBoxes(4);
    const a1 = await transfer(runs[0], [boxes[0]]);
    const a2 = await transfer(runs[0], [boxes[1]]);
    const b1 = await transfer(runs[1], [boxes[2]]);
    const sale = await zeroInvoice([boxes[3]], '0.50');
    expect(sale.kind).toBe('SALE');
    const before = await figures();

    const refused = await t.ok(MERGE, { t: a1, s: [b1, sale.number] });
    expect(refused.mergeInvoices.errors.map((e: any) => [e.code, e.row])).toEqual([
      ['DIFFERENT_PRODUCTION_RUN', 1],
      ['DIFFERENT_INVOICE_KIND', 2],
    ]);
    const saleFirst = await t.ok(MERGE, { t: sale.number, s: [a2] });
    expect(saleFirst.mergeInvoices.errors.map((e: any) => e.code)).toEqual(['DIFFERENT_INVOICE_KIND']);
    expect(saleFirst.mergeInvoices.errors[0].message).toMatch(/sale and a transfer/);
    expect(await figures()).toEqual(before);

    const merged = await t.ok(MERGE, { t: a1, s: [a2] });
    expect(merged.mergeInvoices.errors).toEqual([]);
    expect(merged.mergeInvoices.invoice).toMatchObject({ number: a1, kind: 'TRANSFER', lines: [{ labels: [boxes[0]] }, { labels: [boxes[1]] }] });
    expect(await figures()).toEqual(before);
    await checkBoxInvariants(t.orm);
  });

  it('property: any sequence of transfers, invoices to the production company and merges leaves every run as its transfers made it', async () => {
    // The invoices to the production company: [number, what it is] (a run's number, 'none' for a 0.00 invoice of no run, 'sale').
    const invoices: Array<{ number: string; is: string }> = [];
    /** What each run's live transfers hold, as the sum of what each transfer was made with. */
    const start = await figures();
    const expected = new Map<string, number>(runs.map((run) => [run, start[run].components[0].transferred]));
    const action = fc.oneof(
      fc.record({ kind: fc.constant('transfer' as const), run: fc.nat(1), boxes: fc.integer({ min: 1, max: 2 }) }),
      fc.record({ kind: fc.constant('invoice' as const), price: fc.constantFrom('0.00', '0', '0.45', null), boxes: fc.integer({ min: 1, max: 2 }) }),
      // Sources picked among all the invoices, or (same) among those of the target's run or kind.
      fc.record({ kind: fc.constant('merge' as const), target: fc.nat(), sources: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), same: fc.boolean() }),
      fc.record({ kind: fc.constant('merge' as const), target: fc.nat(), sources: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), same: fc.boolean() }),
    );
    let merges = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 2, maxLength: 6 }), async (actions) => {
        for (const step of actions) {
          if (step.kind === 'transfer') {
            const labels = await companyBoxes(step.boxes);
            invoices.push({ number: await transfer(runs[step.run], labels), is: runs[step.run] });
            expected.set(runs[step.run], (expected.get(runs[step.run]) ?? 0) + step.boxes * 100);
          } else if (step.kind === 'invoice') {
            const made = await zeroInvoice(await companyBoxes(step.boxes), step.price);
            expect(made.kind).toBe(step.price === '0.00' || step.price === '0' ? 'TRANSFER' : 'SALE');
            invoices.push({ number: made.number, is: made.kind === 'SALE' ? 'sale' : 'none' });
          } else if (invoices.length > 1) {
            const pending = await t.ok(`{ invoices(filter: { customer: "BOUQUETWORKS", status: PENDING }, first: 500) { nodes { number } } }`);
            const live = new Set(pending.invoices.nodes.map((n: any) => n.number));
            const target = invoices[step.target % invoices.length];
            const pool = step.same ? invoices.filter((i) => i.is === target.is) : invoices;
            const sources = [...new Set(step.sources.map((i) => pool[i % pool.length]))].filter((s) => s !== target && live.has(s.number));
            if (!live.has(target.number) || sources.length === 0) continue;
            const before = await figures();
            const data = await t.ok(MERGE, { t: target.number, s: sources.map((s) => s.number) });
            const allowed = sources.every((s) => s.is === target.is);
            expect(data.mergeInvoices.errors.length === 0).toBe(allowed);
            if (!allowed) for (const error of data.mergeInvoices.errors) expect(['DIFFERENT_PRODUCTION_RUN', 'DIFFERENT_INVOICE_KIND']).toContain(error.code);
            else merges++;
            // Allowed or refused, every run's figures are what they were.
            expect(await figures()).toEqual(before);
          }
          const now = await figures();
          for (const run of runs) expect(now[run].components[0].transferred).toBe(expected.get(run) ?? 0);
        }
      }),
      propertyOptions(6),
    );
    await checkBoxInvariants(t.orm);
    // Not vacuous: some merges went through.
    expect(merges).toBeGreaterThan(0);
  });
});
