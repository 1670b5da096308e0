// saveCredits, the Credits sheet's push: invoice lines found by product (or "line N"), each credit whole or
// not at all, a retried push (same key) or the same new credit sent again (same document id) written once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCreditLine } from '../../../../server/src/modules/credit/credit-sheet-lines';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: [CreditSheetInput!]!, $key: String, $dryRun: Boolean) {
  saveCredits(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    credits { number total lines { kind units amount invoiceLine { lineNo } } }
    results { index ref number version status } errors { code message row field } replayed
  }
}`;

describe('resolveCreditLine', () => {
  const lines = [
    { id: 11, lineNo: 1, productCode: 'ROSE-RED', productName: 'Red rose' },
    { id: 12, lineNo: 2, productCode: 'ROSE-RED', productName: 'Red rose' },
    { id: 13, lineNo: 3, productCode: 'VASE-20', productName: 'Vase 20 cm' },
  ];
  it('finds a line by product code or name, by "line N", or by the id a pull wrote while its product still matches', () => {
    expect(resolveCreditLine('INV-1', lines, { product: 'vase 20 cm' })).toBe(13);
    expect(resolveCreditLine('INV-1', lines, { product: 'Line 2' })).toBe(12);
    expect(resolveCreditLine('INV-1', lines, { product: 'ROSE-RED', invoiceLine: '12' })).toBe(12);
    // The buyer typed another product over a pulled row: the product wins.
    expect(resolveCreditLine('INV-1', lines, { product: 'VASE-20', invoiceLine: '12' })).toBe(13);
  });
  it('refuses a product on several lines, naming them, and a product or line the invoice does not have', () => {
    expect(resolveCreditLine('INV-1', lines, { product: 'rose-red' })).toEqual({
      code: 'AMBIGUOUS_PRODUCT',
      message: 'rose-red is on 2 lines of INV-1 (line 1 ROSE-RED, line 2 ROSE-RED): type "line 1" or the line you mean instead of the product',
    });
    expect(resolveCreditLine('INV-1', lines, { product: 'TULIP' })).toEqual({
      code: 'UNKNOWN_PRODUCT',
      message: 'TULIP is not on INV-1 (its lines: line 1 ROSE-RED, line 2 ROSE-RED, line 3 VASE-20)',
    });
    expect(resolveCreditLine('INV-1', lines, { product: 'line 9' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('saveCredits', () => {
  let t: TestServer;
  let invoice: string;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    // Two lines of one product: 2 boxes at 0.80 and 2 at 0.90 (100 stems a box).
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { message } } }`, {
      input: {
        customer: 'BLOOMS',
        truckDate: '2027-02-10',
        lines: [
          { labels: roses.slice(0, 2), unitPrice: '0.80' },
          { labels: roses.slice(2), unitPrice: '0.90' },
        ],
      },
    });
    invoice = data.createInvoice.invoice.number;
  });
  afterAll(() => t.close());

  const count = async () => (await t.ok(`{ credits { totalCount } }`)).credits.totalCount as number;

  it('refuses a product on two lines of the invoice and takes "line 2"; a dry run writes nothing', async () => {
    const ambiguous = { ref: 'A', invoice, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', product: 'ROSE-FREEDOM-50', units: 10 }] };
    const refused = (await t.ok(SAVE, { input: [ambiguous] })).saveCredits;
    expect(refused.results).toEqual([{ index: 1, ref: 'A', number: null, version: null, status: 'ERROR' }]);
    expect(refused.errors).toEqual([
      {
        code: 'AMBIGUOUS_PRODUCT',
        message: `Row 1, line 1: ROSE-FREEDOM-50 is on 2 lines of ${invoice} (line 1 ROSE-FREEDOM-50, line 2 ROSE-FREEDOM-50): type "line 1" or the line you mean instead of the product`,
        row: 1,
        field: 'lines.1.product',
      },
    ]);
    const byLine = { ...ambiguous, lines: [{ kind: 'QUANTITY', product: 'line 2', units: 10 }] };
    const dry = (await t.ok(SAVE, { input: [byLine], dryRun: true })).saveCredits;
    expect(dry.results[0].status).toBe('VALID');
    expect(await count()).toBe(0);
    const saved = (await t.ok(SAVE, { input: [byLine], key: 'push-1' })).saveCredits;
    expect(saved.errors).toEqual([]);
    expect(saved.credits).toEqual([
      { number: 'CR-000001', total: '9.00', lines: [{ kind: 'QUANTITY', units: 10, amount: '9.00', invoiceLine: { lineNo: 2 } }] },
    ]);
    // The same push retried (its answer lost): the first answer, nothing written twice.
    const again = (await t.ok(SAVE, { input: [byLine], key: 'push-1' })).saveCredits;
    expect(again).toMatchObject({ replayed: true, results: saved.results });
    expect(await count()).toBe(1);
  });

  it('finds a new credit sent again with its document id (another push of the same rows) instead of saving a second one', async () => {
    const input = { ref: 'B', documentId: 'doc-b-1', invoice, reason: 'SHORT', lines: [{ kind: 'AMOUNT', amount: '5' }] };
    const first = (await t.ok(SAVE, { input: [input], key: 'push-b-1' })).saveCredits;
    expect(first.results[0]).toMatchObject({ status: 'SAVED', number: 'CR-000002' });
    const second = (await t.ok(SAVE, { input: [input], key: 'push-b-2' })).saveCredits;
    expect(second.results[0]).toMatchObject({ status: 'UNCHANGED', number: 'CR-000002' });
    const edited = (await t.ok(SAVE, { input: [{ ...input, lines: [{ kind: 'AMOUNT', amount: '6' }] }], key: 'push-b-3' })).saveCredits;
    expect(edited.results[0].status).toBe('ERROR');
    expect(edited.errors[0]).toMatchObject({
      row: 1,
      field: 'documentId',
      message: expect.stringContaining('an earlier push of these rows saved this credit'),
    });
    expect(await count()).toBe(2);
  });

  it('saves each credit whole or not at all: a refused one leaves the others, and its number is not taken', async () => {
    const good = { ref: 'C', customer: 'BLOOMS', reason: 'LATE', lines: [{ kind: 'AMOUNT', amount: '12.345' }] };
    // 300 stems of line 1 (200 billed) in two lines: the second line is over the limit, so neither is written.
    const over = {
      ref: 'D',
      invoice,
      reason: 'DAMAGED',
      lines: [
        { kind: 'QUANTITY', product: 'line 1', units: 100 },
        { kind: 'QUANTITY', product: 'line 1', units: 200 },
      ],
    };
    const answer = (await t.ok(SAVE, { input: [over, good] })).saveCredits;
    expect(answer.results.map((r: { status: string; number: string | null }) => [r.status, r.number])).toEqual([
      ['ERROR', null],
      ['SAVED', 'CR-000003'],
    ]);
    expect(answer.errors).toEqual([
      {
        code: 'CREDIT_UNITS_EXCEEDED',
        message: `Row 1, line 2: ${invoice} line 1 (ROSE-FREEDOM-50) has 100 of its 200 units left to credit; 200 asked`,
        row: 1,
        field: 'lines.2.units',
      },
    ]);
    expect(answer.credits[0].total).toBe('12.35');
    expect(await count()).toBe(3);
  });
});
