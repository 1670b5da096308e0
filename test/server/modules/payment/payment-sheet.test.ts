// savePayments, the Payments sheet's push, on the server: a dry run checks each payment as recordPayment would
// (the remittance's rows by their position in the sheet) and records nothing; a retried call records nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const SAVE = `mutation($input: [PaymentSheetInput!]!, $key: String, $dryRun: Boolean) {
  savePayments(input: $input, idempotencyKey: $key, dryRun: $dryRun) {
    payments { number unappliedAmount applications { invoice { number } amount } }
    results { index ref number status }
    errors { code message row field }
    replayed
  }
}`;

describe('savePayments', () => {
  let t: TestServer;
  let inv1: string;
  let inv2: string;
  const count = async () => (await t.ok(`{ payments(filter: { customer: "SHEETPAY" }) { totalCount } }`)).payments.totalCount;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "SHEETPAY", name: "Sheet Pay Florist", paymentTermsDays: 30 }]) { errors { message } } }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.40' });
    const numbers: string[] = [];
    for (const [labels, price] of [
      [roses.slice(0, 5), '2.00'],
      [roses.slice(5), '1.00'],
    ] as const) {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer: 'SHEETPAY', truckDate: '2027-03-01', lines: [{ labels, unitPrice: price }] },
      });
      await t.ok(`mutation { confirmInvoice(number: "${data.createInvoice.invoice.number}") { errors { code } } }`);
      numbers.push(data.createInvoice.invoice.number);
    }
    [inv1, inv2] = numbers;
  }, 120_000);
  afterAll(() => t.close());

  const check = (lines: Array<{ invoice?: string | null; applied?: string | null }>, extra: Record<string, unknown> = {}) => ({
    ref: 'A',
    documentId: 'doc-a',
    customer: 'SHEETPAY',
    date: '2027-05-15',
    amount: '600.00',
    method: 'check',
    reference: 'CHK 1',
    lines,
    ...extra,
  });

  it('dry run: a valid payment is VALID, an application past an invoice open amount is told on its own row (lines.2.applied); nothing is recorded', async () => {
    const data = await t.ok(SAVE, {
      dryRun: true,
      input: [
        check([{ invoice: inv1, applied: '100' }]),
        check([{}, { invoice: inv2, applied: '501.00' }, { invoice: 'INV-999999', applied: '1' }], { ref: 'B', documentId: 'doc-b', method: 'IOU' }),
      ],
    });
    expect(data.savePayments.results.map((r: { status: string }) => r.status)).toEqual(['VALID', 'ERROR']);
    expect(data.savePayments.errors).toHaveLength(3);
    expect(data.savePayments.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'INVALID_VALUE', row: 2, field: 'method' }),
        { code: 'NOT_FOUND', message: 'Row 2: no confirmed invoice INV-999999 of this customer with an open amount', row: 2, field: 'lines.3.invoice' },
        {
          code: 'APPLICATION_EXCEEDS_OPEN',
          message: `Row 2: ${inv2} has 500.00 open: 501.00 cannot be applied to it`,
          row: 2,
          field: 'lines.2.applied',
        },
      ]),
    );
    expect(await count()).toBe(0);
  });

  it('records a payment once, whatever the retries: by the call key, and by its document id in a new call', async () => {
    const input = [check([{ invoice: inv2, applied: '400' }])];
    const first = (await t.ok(SAVE, { input, key: 'k-1' })).savePayments;
    expect(first.errors).toEqual([]);
    expect(first.results).toEqual([{ index: 1, ref: 'A', number: expect.stringMatching(/^PMT-/), status: 'SAVED' }]);
    expect(first.payments[0]).toEqual({
      number: first.results[0].number,
      unappliedAmount: '200.00',
      applications: [{ invoice: { number: inv2 }, amount: '400.00' }],
    });
    const replayed = (await t.ok(SAVE, { input, key: 'k-1' })).savePayments;
    expect(replayed.replayed).toBe(true);
    const again = (await t.ok(SAVE, { input, key: 'k-2' })).savePayments;
    expect(again.results[0]).toMatchObject({ number: first.results[0].number, status: 'UNCHANGED' });
    expect(await count()).toBe(1);
    // Sent back by number, unchanged: UNCHANGED; edited: refused, and the payment stays as recorded.
    const byNumber = { ...check([{ invoice: inv2, applied: '400.00' }]), documentId: null, number: first.results[0].number };
    expect((await t.ok(SAVE, { input: [byNumber] })).savePayments.results[0].status).toBe('UNCHANGED');
    const edited = (await t.ok(SAVE, { input: [{ ...byNumber, lines: [{ invoice: inv2, applied: '450' }] }] })).savePayments;
    expect(edited.errors).toEqual([
      {
        code: 'INVALID_STATUS',
        message: `Row 1: ${first.results[0].number} is posted: a recorded payment is not edited (Invoice #/Applied differ). Void it and record it again, or apply its unapplied amount with applyCredit`,
        row: 1,
        field: 'number',
      },
    ]);
    expect(await count()).toBe(1);
  });
});
