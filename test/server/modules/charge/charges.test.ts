import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, isoDate, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const INVOICE = `query($n: String!) { invoice(number: $n) {
  number status version subtotal chargesTotal total openAmount
  charges { rule description basis amount overridden }
  lines { id boxes units unitPrice amount }
  documentLines { lineNo boxes units unitPrice amount }
  documentCharges { rule amount }
} }`;
const SAVE_RULES = `mutation($input: [ChargeRuleInput!]!) { saveChargeRules(input: $input) {
  chargeRules { code kind basis amount maxPerDay customer { code } carrier { code } rates { portOfOrigin boxType amount } }
  errors { code message row field } } }`;
const SET_CHARGE = `mutation($input: SetInvoiceChargeInput!) { setInvoiceCharge(input: $input) {
  invoice { total charges { rule amount overridden } } errors { code message field } } }`;

describe('invoice charges', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ debugErrors: true });
    await seedCatalogue(t);
    await setSettings(t, DEFAULT_SETTINGS);
    await t.ok(`mutation { upsertCustomers(input: [
      { code: "FUELCO", name: "Fuel Co", fuelSurcharge: true }
      { code: "FOBCO", name: "FOB Co", fuelSurcharge: true, showFobPrice: true }
      { code: "BOXCO", name: "Box Co" }
      { code: "PCTCO", name: "Percent Co" }
    ]) { errors { message } } }`);
    const saved = await t.ok(SAVE_RULES, {
      input: [
        {
          code: 'FUEL',
          name: 'Fuel surcharge',
          kind: 'FUEL_SURCHARGE',
          rates: [
            { portOfOrigin: 'bog', boxType: 'HB', amount: '2.00' },
            { portOfOrigin: 'BOG', boxType: 'QB', amount: '1.50' },
          ],
        },
        { code: 'HANDLING', name: 'Handling', kind: 'AUTOMATIC', customer: 'BOXCO', basis: 'PER_BOX', amount: '1.25', maxPerDay: '20.00' },
        { code: 'INSURANCE', name: 'Insurance 3 %', kind: 'AUTOMATIC', customer: 'PCTCO', basis: 'PERCENT_OF_SUBTOTAL', amount: '3' },
      ],
    });
    expect(saved.saveChargeRules.errors).toEqual([]);
    expect(saved.saveChargeRules.chargeRules[0].rates).toEqual([
      { portOfOrigin: 'BOG', boxType: 'HB', amount: '2.00' },
      { portOfOrigin: 'BOG', boxType: 'QB', amount: '1.50' },
    ]);
  });
  afterAll(() => t?.close());

  const invoiceOf = async (number: string) => (await t.ok(INVOICE, { n: number })).invoice;

  /** A prebook shipped from BOG and confirmed: its one invoice's number. */
  async function billed(customer: string, truckDate: string, lines: object[], carrier = 'ARMELLINI'): Promise<string> {
    const staged = await prebookInStaging(t, { customer, carrier, truckDate, lines }, { port: 'BOG' });
    const results = await confirm(t, staged.labels);
    const numbers = [...new Set(results.flatMap((r) => r.billing.invoiceNumbers))];
    expect(numbers).toHaveLength(1);
    return numbers[0];
  }

  it('a fuel surcharge of 2.00 per HB and 1.50 per QB: an invoice of 2 HB + 10 QB + 7 HB carries 33.00, in its total and out of GPM revenue', async () => {
    const number = await billed('FUELCO', isoDate(3), [
      { product: 'CARN-WHITE', boxes: 2, unitsPerBox: 500, price: '0.20' },
      { product: 'ROSE-FREEDOM-50', boxes: 10, unitsPerBox: 100, price: '0.80' },
      { product: 'ROSE-FREEDOM-50', boxType: 'HB', boxes: 7, unitsPerBox: 200, price: '0.75' },
    ]);
    const invoice = await invoiceOf(number);
    expect(invoice.charges).toEqual([{ rule: 'FUEL', description: 'Fuel surcharge', basis: 'PORT_AND_BOX_TYPE', amount: '33.00', overridden: false }]);
    // 200 + 800 + 1,050 of lines.
    expect(invoice).toMatchObject({ subtotal: '2050.00', chargesTotal: '33.00', total: '2083.00', openAmount: '2083.00' });
    // Internal views keep the surcharge apart: the document of a customer without showFobPrice prints it as a charge.
    expect(invoice.documentCharges).toEqual([{ rule: 'FUEL', amount: '33.00' }]);
    expect(invoice.documentLines.map((l: any) => l.unitPrice)).toEqual(['0.20', '0.80', '0.75']);
    const gpm = await t.ok(`{ gpmReport(filter: { customer: "FUELCO" }) { revenue } }`);
    expect(gpm.gpmReport.revenue).toBe('2050.00');
  });

  it('a customer without fuelSurcharge carries none', async () => {
    const number = await billed('BLOOMS', isoDate(3), [{ product: 'CARN-WHITE', boxes: 2, unitsPerBox: 500, price: '0.20' }]);
    expect((await invoiceOf(number)).charges).toEqual([]);
  });

  it('per box 1.25 capped at 20.00 a day: a first invoice of 12 boxes gets 15.00, a second of 8 boxes the same day 5.00', async () => {
    const day = isoDate(4);
    const first = await billed('BOXCO', day, [{ product: 'ROSE-FREEDOM-50', boxes: 12, unitsPerBox: 100, price: '0.80' }], 'ARMELLINI');
    const second = await billed('BOXCO', day, [{ product: 'ROSE-FREEDOM-50', boxes: 8, unitsPerBox: 100, price: '0.80' }], 'FEDEX');
    expect(second).not.toBe(first);
    expect((await invoiceOf(first)).charges).toMatchObject([{ rule: 'HANDLING', basis: 'PER_BOX', amount: '15.00' }]);
    expect((await invoiceOf(second)).charges).toMatchObject([{ rule: 'HANDLING', basis: 'PER_BOX', amount: '5.00' }]);
    // Another day starts again.
    const next = await billed('BOXCO', isoDate(5), [{ product: 'ROSE-FREEDOM-50', boxes: 8, unitsPerBox: 100, price: '0.80' }]);
    expect((await invoiceOf(next)).charges).toMatchObject([{ amount: '10.00' }]);
  });

  it('the daily cap holds under concurrent billing of one customer and day (the charge day is locked)', async () => {
    for (const offset of [6, 7, 8]) {
      const day = isoDate(offset);
      const staged = await Promise.all(
        ['ARMELLINI', 'FEDEX'].map((carrier, i) =>
          prebookInStaging(
            t,
            { customer: 'BOXCO', carrier, truckDate: day, lines: [{ product: 'ROSE-FREEDOM-50', boxes: i ? 8 : 12, unitsPerBox: 100, price: '0.80' }] },
            { port: 'BOG' },
          ),
        ),
      );
      const results = await Promise.all(staged.map((s) => confirm(t, s.labels)));
      const numbers = [...new Set(results.flat().flatMap((r) => r.billing.invoiceNumbers))];
      expect(numbers).toHaveLength(2);
      const amounts = (await Promise.all(numbers.map(invoiceOf))).map((i) => Number(i.chargesTotal));
      // 15.00 + 5.00 or 10.00 + 10.00, whichever committed first: never 15.00 + 10.00.
      expect(amounts.reduce((a, b) => a + b, 0)).toBe(20);
    }
  });

  it('3 % of a 1,000.00 subtotal is 30.00; set by hand to 25.00 it stays 25.00 after more lines are billed, until handed back', async () => {
    const day = isoDate(9);
    const number = await billed('PCTCO', day, [{ product: 'ROSE-FREEDOM-50', boxes: 10, unitsPerBox: 100, price: '1.00' }]);
    expect((await invoiceOf(number)).charges).toMatchObject([{ rule: 'INSURANCE', basis: 'PERCENT_OF_SUBTOTAL', amount: '30.00', overridden: false }]);
    const set = await t.ok(SET_CHARGE, { input: { invoice: number, rule: 'INSURANCE', amount: '25.00' } });
    expect(set.setInvoiceCharge).toEqual({ invoice: { total: '1025.00', charges: [{ rule: 'INSURANCE', amount: '25.00', overridden: true }] }, errors: [] });
    expect(await billed('PCTCO', day, [{ product: 'CARN-WHITE', boxes: 1, unitsPerBox: 500, price: '0.20' }])).toBe(number);
    const after = await invoiceOf(number);
    expect(after).toMatchObject({ subtotal: '1100.00', total: '1125.00', charges: [{ amount: '25.00', overridden: true }] });
    const back = await t.ok(SET_CHARGE, { input: { invoice: number, rule: 'INSURANCE', amount: null } });
    expect(back.setInvoiceCharge.invoice.charges).toEqual([{ rule: 'INSURANCE', amount: '33.00', overridden: false }]);
  });

  it('prices set, unallocation and void recompute the charges in their transaction', async () => {
    const number = await billed('PCTCO', isoDate(10), [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100 }]);
    let invoice = await invoiceOf(number);
    expect(invoice.charges).toEqual([]);
    await t.ok(`mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p) { errors { message } } }`, {
      n: number,
      p: [{ line: invoice.lines[0].id, unitPrice: '1.50' }],
    });
    invoice = await invoiceOf(number);
    expect(invoice).toMatchObject({ subtotal: '300.00', charges: [{ amount: '9.00' }], total: '309.00' });
    await t.ok(`mutation($n: String!) { voidInvoice(number: $n) { errors { message } } }`, { n: number });
    expect((await invoiceOf(number)).charges).toEqual([]);
  });

  it('a merge recomputes the target under the daily cap and leaves the merged invoices none; an unallocation recomputes too', async () => {
    const day = isoDate(13);
    const first = await billed('BOXCO', day, [{ product: 'ROSE-FREEDOM-50', boxes: 12, unitsPerBox: 100, price: '0.80' }], 'ARMELLINI');
    const second = await billed('BOXCO', day, [{ product: 'ROSE-FREEDOM-50', boxes: 8, unitsPerBox: 100, price: '0.80' }], 'FEDEX');
    const merged = await t.ok(`mutation($t: String!, $s: [String!]!) { mergeInvoices(target: $t, sources: $s) { errors { message } } }`, {
      t: first,
      s: [second],
    });
    expect(merged.mergeInvoices.errors).toEqual([]);
    // 20 boxes x 1.25 = 25.00, capped at 20.00; the merged invoice is void and carries nothing.
    const target = await invoiceOf(first);
    expect(target.charges).toMatchObject([{ rule: 'HANDLING', amount: '20.00' }]);
    expect((await invoiceOf(second)).charges).toEqual([]);
    const lastLine = target.lines[target.lines.length - 1].id;
    const undone = await t.ok(`mutation($l: ID!) { unallocate(invoiceLine: $l) { errors { message } } }`, { l: lastLine });
    expect(undone.unallocate.errors).toEqual([]);
    expect((await invoiceOf(first)).charges).toMatchObject([{ amount: '15.00' }]);
  });

  it('a customer with showFobPrice gets the fuel surcharge folded into its document prices, the total unchanged to the cent', async () => {
    const number = await billed('FOBCO', isoDate(11), [
      { product: 'CARN-WHITE', boxes: 3, unitsPerBox: 500, price: '0.20' },
      { product: 'ROSE-FREEDOM-50', boxes: 7, unitsPerBox: 100, price: '0.80' },
    ]);
    const invoice = await invoiceOf(number);
    // 3 HB x 2.00 + 7 QB x 1.50 = 16.50 on 300.00 + 560.00.
    expect(invoice).toMatchObject({ subtotal: '860.00', chargesTotal: '16.50', total: '876.50' });
    expect(invoice.charges).toMatchObject([{ rule: 'FUEL', amount: '16.50' }]);
    expect(invoice.documentCharges).toEqual([]);
    // Carnations: (300.00 + 6.00) / 1,500 = 0.204; roses: (560.00 + 10.50) / 700 = 0.815, the last line taking what is left.
    expect(invoice.documentLines).toEqual([
      { lineNo: 1, boxes: 3, units: 1500, unitPrice: '0.204', amount: '306.00' },
      { lineNo: 2, boxes: 7, units: 700, unitPrice: '0.815', amount: '570.50' },
    ]);
    // The API's lines keep the prices as billed.
    expect(invoice.lines.map((l: any) => l.unitPrice)).toEqual(['0.20', '0.80']);
  });

  it('refuses bad rules and charges with typed errors naming the row and field', async () => {
    const bad = await t.ok(SAVE_RULES, {
      input: [
        { code: 'X1', name: 'x', kind: 'AUTOMATIC', basis: 'PER_PALLET', amount: '1' },
        { code: 'X2', name: 'x', kind: 'AUTOMATIC', basis: 'PER_BOX', amount: '1', customer: 'NOBODY' },
        { code: 'X3', name: 'x', kind: 'FUEL_SURCHARGE', rates: [{ portOfOrigin: 'BOG', boxType: 'ZZ', amount: '1' }] },
        { code: 'X4', name: 'x', kind: 'AUTOMATIC', basis: 'PERCENT_OF_SUBTOTAL', amount: '150' },
      ],
    });
    expect(bad.saveChargeRules.chargeRules).toEqual([]);
    expect(bad.saveChargeRules.errors.map((e: any) => [e.code, e.row, e.field])).toEqual(
      expect.arrayContaining([
        ['INVALID_VALUE', 1, 'basis'],
        ['UNKNOWN_CUSTOMER', 2, 'customer'],
        ['UNKNOWN_BOX_TYPE', 3, 'rates.1.boxType'],
        ['INVALID_VALUE', 4, 'amount'],
      ]),
    );
    const none = await t.ok(SET_CHARGE, { input: { invoice: 'INV-999999', rule: 'FUEL', amount: '1' } });
    expect(none.setInvoiceCharge.errors).toMatchObject([{ code: 'NOT_FOUND', field: 'invoice' }]);
  });

  it('a CONFIRMED invoice keeps its charges while lockConfirmedInvoices is on', async () => {
    const number = await billed('PCTCO', isoDate(12), [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '1.00' }]);
    await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { errors { message } } }`, { n: number });
    await setSettings(t, { lockConfirmedInvoices: true, allowSameDayManagerEdits: false });
    try {
      const locked = await t.ok(SET_CHARGE, { input: { invoice: number, rule: 'INSURANCE', amount: '0.00' } });
      expect(locked.setInvoiceCharge.errors).toMatchObject([{ code: 'INVOICE_LOCKED', field: 'invoice' }]);
      expect((await invoiceOf(number)).charges).toMatchObject([{ amount: '3.00', overridden: false }]);
    } finally {
      await setSettings(t, { lockConfirmedInvoices: false });
    }
  });
});
