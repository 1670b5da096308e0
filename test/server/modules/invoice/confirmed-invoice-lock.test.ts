import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const PRICES = `mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p) { invoice { total status } errors { code message field } } }`;

describe('a confirmed invoice stays as billed', () => {
  let t: TestServer;
  let sales: string;
  let manager: string;
  let invoice: { number: string; lines: Array<{ id: string }> };

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } errors { code } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = created.createInvoice.invoice;
    await t.ok(`mutation { confirmInvoice(number: "${invoice.number}") { errors { code } } }`);
    for (const [role, set] of [
      ['SALES', (s: string) => (sales = s)],
      ['SALES_MANAGER', (s: string) => (manager = s)],
    ] as const) {
      set((await t.ok(`mutation { createApiToken(input: { name: "${role}", role: "${role}" }) { secret } }`)).createApiToken.secret);
    }
  });
  afterAll(() => t.close());

  it('refuses price changes and voids with a typed error pointing to credits (Settings.lockConfirmedInvoices, on by default)', async () => {
    const settings = await t.ok(`{ settings { lockConfirmedInvoices allowSameDayManagerEdits creditReasonRequired } }`);
    expect(settings.settings).toEqual({ lockConfirmedInvoices: true, allowSameDayManagerEdits: false, creditReasonRequired: true });
    for (const token of [sales, manager]) {
      const refused = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.70' }] }, token);
      expect(refused.setInvoicePrices.errors).toEqual([
        {
          code: 'INVOICE_LOCKED',
          message: expect.stringMatching(
            new RegExp(
              `^price 1: ${invoice.number} is CONFIRMED \\(on \\d{4}-\\d{2}-\\d{2}\\) and stays as billed: correct it with a credit \\(requestCredit\\)$`,
            ),
          ),
          field: 'prices.1.unitPrice',
        },
      ]);
    }
    const voided = await t.ok(`mutation { voidInvoice(number: "${invoice.number}") { errors { code message } } }`, undefined, manager);
    expect(voided.voidInvoice.errors).toEqual([{ code: 'INVOICE_LOCKED', message: expect.stringContaining('correct it with a credit (requestCredit)') }]);
  });

  it('still lets a pending price be set, once', async () => {
    // No call confirms an invoice with a pending price; an older database may hold one.
    await t.orm.em.fork().execute(`update invoice_line set unit_price = null where id = ?`, [Number(invoice.lines[0].id)]);
    const set = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.80' }] }, sales);
    expect(set.setInvoicePrices).toEqual({ invoice: { total: '320.00', status: 'CONFIRMED' }, errors: [] });
    const again = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.90' }] }, sales);
    expect(again.setInvoicePrices.errors).toEqual([
      { code: 'INVOICE_LOCKED', message: expect.stringContaining('stays as billed'), field: 'prices.1.unitPrice' },
    ]);
  });

  it('lets a SALES_MANAGER (not SALES) change it on the day it was confirmed with allowSameDayManagerEdits', async () => {
    await t.ok(`mutation { updateSettings(input: { allowSameDayManagerEdits: true }) { errors { code } } }`);
    const bySales = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.70' }] }, sales);
    expect(bySales.setInvoicePrices.errors).toEqual([
      {
        code: 'INVOICE_LOCKED',
        message: expect.stringContaining('a SALES_MANAGER or ADMIN may still change it on the day it was confirmed'),
        field: 'prices.1.unitPrice',
      },
    ]);
    const byManager = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.75' }] }, manager);
    expect(byManager.setInvoicePrices).toEqual({ invoice: { total: '300.00', status: 'CONFIRMED' }, errors: [] });
    const pendingAgain = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: null }] }, manager);
    expect(pendingAgain.setInvoicePrices.errors).toEqual([
      { code: 'INVALID_VALUE', message: `price 1: ${invoice.number} is CONFIRMED: its prices cannot become pending again`, field: 'prices.1.unitPrice' },
    ]);
  });

  it('with lockConfirmedInvoices off, lets SALES change it, and never voids an invoice that has credits', async () => {
    await t.ok(`mutation { updateSettings(input: { lockConfirmedInvoices: false, allowSameDayManagerEdits: false }) { errors { code } } }`);
    const bySales = await t.ok(PRICES, { n: invoice.number, p: [{ line: invoice.lines[0].id, unitPrice: '0.80' }] }, sales);
    expect(bySales.setInvoicePrices).toEqual({ invoice: { total: '320.00', status: 'CONFIRMED' }, errors: [] });
    const credit = await t.ok(
      `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code } } }`,
      { input: { invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lines[0].id, units: 100 }] } },
      sales,
    );
    expect(credit.requestCredit.errors).toEqual([]);
    const voided = await t.ok(`mutation { voidInvoice(number: "${invoice.number}") { invoice { status } errors { code message } } }`, undefined, sales);
    expect(voided.voidInvoice.errors).toEqual([
      { code: 'INVALID_STATUS', message: `${invoice.number} has 1 pending or approved credit(s): void them (voidCredit) before the invoice` },
    ]);
    await t.ok(`mutation { voidCredit(number: "${credit.requestCredit.credit.number}", reason: "entered by mistake") { errors { code } } }`);
    const now = await t.ok(`mutation { voidInvoice(number: "${invoice.number}") { invoice { status } errors { code } } }`, undefined, sales);
    expect(now.voidInvoice).toEqual({ invoice: { status: 'VOID' }, errors: [] });
  });
});
