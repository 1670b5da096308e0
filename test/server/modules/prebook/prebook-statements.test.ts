import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { statementCounter, statementShape } from '../../../support/statements';
import { startTestServer, type TestServer } from '../../../support/test-server';

/*
 * A sheet push of new prebooks is set-based: the same SQL statements for 40 prebooks of 10 lines
 * (400 lines, past the ORM's insert batches of 300) as for 2 of 2, the full response included
 * (lines with their products, box types, vendors and quantities). Not a timing: `npm run bench` measures time.
 */

const SAVE = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) {
    prebooks { number version status customer { code } carrier { code } truckDate createdAt updatedAt
      lines { id lineNo prebookNumber product { code } boxType { code } boxes units price vendor { code } vendorCost ordered purchased needed lockedByPo } }
    results { index ref number version status }
    errors { code message row field }
  }
}`;
const PRODUCTS = ['ROSE-FREEDOM-50', 'CARN-WHITE', 'BQT-SPRING', 'VASE-20'];
const CUSTOMERS = ['FRESHMART', 'BLOOMS'];

function push(prebooks: number, lines: number, truckDate: string) {
  return Array.from({ length: prebooks }, (_, p) => ({
    ref: `R${p + 1}`,
    customer: CUSTOMERS[p % 2],
    carrier: p % 2 ? 'FEDEX' : 'ARMELLINI',
    truckDate,
    customerPo: `PO-${p + 1}`,
    lines: Array.from({ length: lines }, (_, l) => ({
      product: PRODUCTS[l % PRODUCTS.length],
      boxes: l + 1,
      unitsPerBox: 10,
      price: `${(l % 7) + 1}.25`,
      vendor: l % 2 ? 'ROSAS' : null,
      vendorCost: l % 2 ? '0.40' : null,
    })),
  }));
}

describe('savePrebooks issues a fixed number of SQL statements, whatever the number of prebooks and lines', () => {
  let t: TestServer;
  let counter: ReturnType<typeof statementCounter>;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    counter = statementCounter(t);
  });
  afterAll(async () => {
    counter?.restore();
    await t?.close();
  });

  it('2 prebooks of 2 lines and 40 of 10 lines send the same statements; numbers, versions, lines and audit trail as sent', async () => {
    const small = await counter.measure(SAVE, { input: push(2, 2, '2027-03-01'), key: 'small' });
    const large = await counter.measure(SAVE, { input: push(40, 10, '2027-03-02'), key: 'large' });
    expect(large.statements.map(statementShape)).toEqual(small.statements.map(statementShape));
    expect(small.statements.length).toBeLessThan(20);

    const { prebooks, results, errors } = large.data.savePrebooks;
    expect(errors).toEqual([]);
    expect(results).toEqual(
      Array.from({ length: 40 }, (_, i) => ({ index: i + 1, ref: `R${i + 1}`, number: `PB-${String(i + 3).padStart(6, '0')}`, version: 1, status: 'SAVED' })),
    );
    expect(prebooks.map((p: any) => p.number)).toEqual(results.map((r: any) => r.number));
    const [first, second] = prebooks;
    expect(first).toMatchObject({ version: 1, status: 'OPEN', customer: { code: 'FRESHMART' }, carrier: { code: 'ARMELLINI' }, truckDate: '2027-03-02' });
    expect(second).toMatchObject({ customer: { code: 'BLOOMS' }, carrier: { code: 'FEDEX' } });
    expect(first.createdAt).toBe(first.updatedAt);
    expect(first.lines).toHaveLength(10);
    expect(first.lines[1]).toMatchObject({
      lineNo: 2,
      prebookNumber: first.number,
      product: { code: 'CARN-WHITE' },
      boxes: 2,
      units: 20,
      price: '2.25',
      vendor: { code: 'ROSAS' },
      vendorCost: '0.40',
      ordered: 2,
      purchased: 0,
      needed: 2,
      lockedByPo: false,
    });
    expect(first.lines[0]).toMatchObject({ lineNo: 1, product: { code: 'ROSE-FREEDOM-50' }, vendor: null, vendorCost: null });
    // Each line once, with its own id, numbered from 1 in the order sent.
    expect(new Set(prebooks.flatMap((p: any) => p.lines.map((l: any) => l.id))).size).toBe(400);
    expect(prebooks.every((p: any) => p.lines.map((l: any) => l.lineNo).join() === '1,2,3,4,5,6,7,8,9,10')).toBe(true);

    // One create event per prebook, in push order, carrying the document as sent.
    const audit = await t.ok(`{ auditEvents(filter: { entity: "Prebook", action: "create" }, first: 100) { nodes { entityId actor payload } } }`, {});
    const events = [...audit.auditEvents.nodes].reverse();
    expect(events).toHaveLength(42);
    const ids = events.slice(2).map((e: any) => Number(e.entityId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(events[2].payload).toEqual(push(40, 10, '2027-03-02')[0]);

    // A retry with the same key returns the same response without writing.
    const replay = await t.ok(SAVE, { input: push(40, 10, '2027-03-02'), key: 'large' });
    expect(replay.savePrebooks).toEqual(large.data.savePrebooks);
  });

  it('a push that updates one prebook and creates another saves both, in push order, with their versions and lines', async () => {
    const [stored] = (await t.ok(SAVE, { input: push(1, 2, '2027-03-03') })).savePrebooks.prebooks;
    const pushed = push(1, 3, '2027-03-03')[0];
    const update = { ...pushed, number: stored.number, version: 1, lines: [{ ...pushed.lines[0], id: stored.lines[0].id }, pushed.lines[2]] };
    const data = await t.ok(SAVE, { input: [push(1, 1, '2027-03-04')[0], update], key: 'mixed' });
    const { prebooks, results, errors } = data.savePrebooks;
    expect(errors).toEqual([]);
    expect(results.map((r: any) => [r.index, r.status, r.version])).toEqual([
      [1, 'SAVED', 1],
      [2, 'SAVED', 2],
    ]);
    expect(prebooks.map((p: any) => p.number)).toEqual([results[0].number, stored.number]);
    // The kept line keeps its id and number; the new one takes the next number (line 2 was removed).
    expect(prebooks[1].lines.map((l: any) => [l.id === stored.lines[0].id, l.lineNo, l.product.code])).toEqual([
      [true, 1, 'ROSE-FREEDOM-50'],
      [false, 3, 'BQT-SPRING'],
    ]);
    expect(prebooks[0].lines.map((l: any) => l.lineNo)).toEqual([1]);
    const replay = await t.ok(SAVE, { input: [push(1, 1, '2027-03-04')[0], update], key: 'mixed' });
    expect(replay.savePrebooks).toEqual(data.savePrebooks);
  });
});
