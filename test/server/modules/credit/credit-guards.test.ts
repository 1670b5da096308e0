import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const REQUEST = `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number total version } errors { code message field } } }`;

describe('what a credit holds on its invoice', () => {
  let t: TestServer;
  let roses: string[];

  async function pendingInvoice(labels: string[]): Promise<{ number: string; lineId: string }> {
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } errors { code } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels, unitPrice: '0.80' }] },
    });
    return { number: data.createInvoice.invoice.number, lineId: data.createInvoice.invoice.lines[0].id };
  }

  async function credit(invoice: { number: string; lineId: string }, units: number): Promise<{ number: string; version: number }> {
    const data = await t.ok(REQUEST, {
      input: { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units }] },
    });
    expect(data.requestCredit.errors).toEqual([]);
    return data.requestCredit.credit;
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 6, unitCost: '0.40' });
  });
  afterAll(() => t.close());

  it('keeps a pending invoice whole while it has credits: no void, unallocation or merge; no price below what is credited', async () => {
    const invoice = await pendingInvoice([roses[0]]);
    const other = await pendingInvoice([roses[1]]);
    const { number } = await credit(invoice, 50);
    const lower = await t.ok(
      `mutation { setInvoicePrices(number: "${invoice.number}", prices: [{ line: "${invoice.lineId}", unitPrice: "0.79" }]) { errors { code message field } } }`,
    );
    expect(lower.setInvoicePrices.errors).toEqual([]);
    const tooLow = await t.ok(
      `mutation { setInvoicePrices(number: "${invoice.number}", prices: [{ line: "${invoice.lineId}", unitPrice: "0.30" }]) { errors { code message field } } }`,
    );
    expect(tooLow.setInvoicePrices.errors).toEqual([
      {
        code: 'CREDIT_AMOUNT_EXCEEDED',
        message: `price 1: ${invoice.number} line 1 has 40.00 on credits: at 0.30 it would bill 30.00`,
        field: 'prices.1.unitPrice',
      },
    ]);
    const voided = await t.ok(`mutation { voidInvoice(number: "${invoice.number}") { errors { code message } } }`);
    expect(voided.voidInvoice.errors).toEqual([
      { code: 'INVALID_STATUS', message: `${invoice.number} has 1 pending or approved credit(s): void them (voidCredit) before the invoice` },
    ]);
    const unallocated = await t.ok(`mutation { unallocate(invoiceLine: "${invoice.lineId}") { errors { code message } } }`);
    expect(unallocated.unallocate.errors).toEqual([
      { code: 'INVALID_STATUS', message: `${invoice.number} line 1 has pending or approved credits: void them (voidCredit) before unallocating it` },
    ]);
    const merged = await t.ok(`mutation { mergeInvoices(target: "${other.number}", sources: ["${invoice.number}"]) { errors { code message } } }`);
    expect(merged.mergeInvoices.errors).toEqual([
      {
        code: 'INVALID_STATUS',
        message: `Row 1: ${invoice.number} has pending or approved credits: credits stay with their invoice (void them first to merge it)`,
      },
    ]);
    await t.ok(`mutation { rejectCredit(number: "${number}", reason: "no damage") { errors { code } } }`);
    const now = await t.ok(`mutation { voidInvoice(number: "${invoice.number}") { invoice { status } errors { code } } }`);
    expect(now.voidInvoice).toEqual({ invoice: { status: 'VOID' }, errors: [] });
  });

  it('never lets a void and a credit of one invoice both commit, from two server processes', async () => {
    const second = await startTestServer({ databaseUrl: t.databaseUrl });
    try {
      for (const label of roses.slice(3, 5)) {
        const invoice = await pendingInvoice([label]);
        const input = { invoice: invoice.number, reason: 'SHORT', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units: 10 }] };
        const [voided, credited] = await Promise.all([
          t.ok(`mutation { voidInvoice(number: "${invoice.number}") { invoice { status } errors { code } } }`),
          second.ok(REQUEST, { input }),
        ]);
        const outcomes = [voided.voidInvoice.errors.length === 0, credited.requestCredit.errors.length === 0];
        expect(outcomes.filter(Boolean), JSON.stringify([voided, credited])).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });

  it('checks an updated credit against its line without counting its own old lines', async () => {
    const invoice = await pendingInvoice([roses[2]]);
    const first = await credit(invoice, 100);
    const update = (units: number, version?: number) =>
      t.ok(
        `mutation($n: String!, $input: UpdateCreditInput!, $v: Int) { updateCredit(number: $n, input: $input, version: $v) { credit { total version lines { units } } errors { code message field } } }`,
        { n: first.number, input: { lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lineId, units }] }, v: version },
      );
    expect((await update(90, first.version)).updateCredit).toEqual({ credit: { total: '72.00', version: 2, lines: [{ units: 90 }] }, errors: [] });
    expect((await update(80, 1)).updateCredit.errors).toEqual([
      { code: 'STALE_VERSION', message: expect.stringContaining('version 2, yours 1'), field: 'version' },
    ]);
    expect((await update(101)).updateCredit.errors).toEqual([
      {
        code: 'CREDIT_UNITS_EXCEEDED',
        message: `line 1: ${invoice.number} line 1 (ROSE-FREEDOM-50) has 100 of its 100 units left to credit; 101 asked`,
        field: 'lines.1.units',
      },
    ]);
  });

  it('takes a credit without a reason once Settings.creditReasonRequired is off', async () => {
    await t.ok(`mutation { updateSettings(input: { creditReasonRequired: false }) { errors { code } } }`);
    const data = await t.ok(REQUEST, { input: { customer: 'BLOOMS', lines: [{ kind: 'AMOUNT', amount: '3' }] } });
    expect(data.requestCredit).toMatchObject({ credit: { total: '3.00' }, errors: [] });
  });
});
