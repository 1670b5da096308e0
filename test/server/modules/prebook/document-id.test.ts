// A new document's client id (documentId): sent again without a number, it names the document the
// server already saved under it; another id, even with the same content, is another document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) {
    prebooks { number version lines { id boxes } }
    results { index number version status }
    errors { code field message row }
    replayed
  }
}`;
const SAVE_PO = `mutation($input: [PurchaseOrderInput!]!) {
  savePurchaseOrders(input: $input) { results { number version status } errors { code field message } }
}`;

const order = { customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: '2027-05-10' };
const line = (boxes: number) => ({ product: 'ROSE-FREEDOM-50', boxes, unitsPerBox: 100 });

describe('savePrebooks and savePurchaseOrders with documentId', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('makes two prebooks of the same content under two ids, and answers UNCHANGED with the saved number when an id comes again in another call', async () => {
    const first = (await t.ok(SAVE, { input: [{ ...order, documentId: 'morning-1', lines: [line(7)] }], key: 'k-morning' })).savePrebooks;
    const second = (await t.ok(SAVE, { input: [{ ...order, documentId: 'afternoon-1', lines: [line(7)] }], key: 'k-afternoon' })).savePrebooks;
    expect(first.results[0].status).toBe('SAVED');
    expect(second.results[0].status).toBe('SAVED');
    expect(second.results[0].number).not.toBe(first.results[0].number);
    // The morning's document again, now behind another one in the call (the sheet's chunks moved), under another key.
    const again = (
      await t.ok(SAVE, {
        input: [
          { ...order, documentId: 'evening-1', lines: [line(1)] },
          { ...order, documentId: 'morning-1', lines: [line(7)] },
        ],
        key: 'k-retry',
      })
    ).savePrebooks;
    expect(again.errors).toEqual([]);
    expect(again.results.map((r: { number: string; status: string }) => r.status)).toEqual(['SAVED', 'UNCHANGED']);
    expect(again.results[1]).toMatchObject({ number: first.results[0].number, version: 1 });
    expect(again.prebooks[1].lines[0].id).toBe(first.prebooks[0].lines[0].id);
  });

  it('applies an edit made before the document was sent again (Boxes 7 -> 8) to the saved document, keeping its line; STALE_VERSION once it changed on the server', async () => {
    const saved = (await t.ok(SAVE, { input: [{ ...order, documentId: 'edited-1', lines: [line(7), line(2)] }] })).savePrebooks;
    const edited = (await t.ok(SAVE, { input: [{ ...order, documentId: 'edited-1', lines: [line(8), line(2)] }] })).savePrebooks;
    expect(edited.errors).toEqual([]);
    expect(edited.results[0]).toMatchObject({ number: saved.results[0].number, version: 2, status: 'SAVED' });
    expect(edited.prebooks[0].lines.map((l: { id: string; boxes: number }) => [l.id, l.boxes])).toEqual(
      saved.prebooks[0].lines.map((l: { id: string }, i: number) => [l.id, [8, 2][i]]),
    );
    const stale = (await t.ok(SAVE, { input: [{ ...order, documentId: 'edited-1', lines: [line(9)] }] })).savePrebooks;
    expect(stale.results[0]).toMatchObject({ number: saved.results[0].number, status: 'STALE' });
    expect(stale.errors[0].code).toBe('STALE_VERSION');
    expect(stale.errors[0].message).toContain(`already saved as ${saved.results[0].number}`);
  });

  it('refuses the same id twice in one call, and an id longer than 64 characters', async () => {
    const data = (
      await t.ok(SAVE, {
        input: [
          { ...order, documentId: 'twice', lines: [line(1)] },
          { ...order, documentId: 'twice', lines: [line(2)] },
          { ...order, documentId: 'x'.repeat(65), lines: [line(3)] },
        ],
      })
    ).savePrebooks;
    expect(data.errors.map((e: { code: string; row: number }) => [e.row, e.code])).toEqual([
      [2, 'DUPLICATE_DOCUMENT'],
      [3, 'INVALID_VALUE'],
    ]);
  });

  it('saves one prebook when calls with the same new document race each other', async () => {
    const before = await countRows(t.orm, 'prebook');
    const calls = Array.from({ length: 6 }, (_, i) => t.ok(SAVE, { input: [{ ...order, documentId: 'raced-1', lines: [line(4)] }], key: `race-${i}` }));
    const answers = (await Promise.all(calls)).map((d) => d.savePrebooks);
    expect(answers.flatMap((a) => a.errors)).toEqual([]);
    expect(new Set(answers.map((a) => a.results[0].number)).size).toBe(1);
    expect(answers.map((a) => a.results[0].status).sort()).toEqual(['SAVED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(await countRows(t.orm, 'prebook')).toBe(before + 1);
  });

  it('knows a purchase order again by its id', async () => {
    const po = { vendor: 'ROSAS', location: 'MIA', shipDate: '2027-05-08', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.40' }] };
    const first = (await t.ok(SAVE_PO, { input: [{ ...po, documentId: 'po-1' }] })).savePurchaseOrders;
    const again = (await t.ok(SAVE_PO, { input: [{ ...po, documentId: 'po-1' }] })).savePurchaseOrders;
    const other = (await t.ok(SAVE_PO, { input: [{ ...po, documentId: 'po-2' }] })).savePurchaseOrders;
    expect(first.errors).toEqual([]);
    expect(again.results[0]).toMatchObject({ number: first.results[0].number, status: 'UNCHANGED' });
    expect(other.results[0].number).not.toBe(first.results[0].number);
  });
});
