// Payments applied to invoices, open amounts, balances, aging and finance charges, with the numbers of a
// day at a wholesaler: INV-1 1,000.00 due Mar 31 with an 80.00 credit, INV-2 500.00 due May 10, aged on May 15.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, prebookInStaging, isoDate } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const AS_OF = '2027-05-15';
const RECORD = `mutation($input: RecordPaymentInput!, $key: String) {
  recordPayment(input: $input, idempotencyKey: $key) {
    payment { number status amount appliedAmount unappliedAmount method reference date customer { code } applications { invoice { number } amount payment } }
    applications { invoice { number } amount }
    errors { code message row field }
  }
}`;
const APPLY = `mutation($input: ApplyCreditInput!) { applyCredit(input: $input) { applications { invoice { number } amount payment credit } unappliedAmount errors { code message row field } } }`;
const VOID = `mutation($n: String!, $fee: Decimal) { voidPayment(number: $n, reason: "NSF: check returned", nsfFee: $fee) {
  payment { number status unappliedAmount voidReason feeInvoice { number kind total openAmount dueDate paymentStatus } } errors { code message field } } }`;
const AMOUNTS = `query($n: String!) { invoice(number: $n) { total creditedAmount paidAmount openAmount paymentStatus dueDate } }`;

describe('receivables', () => {
  let t: TestServer;
  let roses: string[];
  let next = 0;

  async function token(role: string, customer?: string): Promise<string> {
    const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
      input: { name: `${role} ${customer ?? ''} ${next++}`.trim(), role, customer: customer ?? null },
    });
    return data.createApiToken.secret;
  }

  /** A confirmed invoice of `boxes` boxes of 100 stems at `price`, dated `invoiceDate`. */
  async function invoiceOf(customer: string, boxes: number, price: string, invoiceDate: string): Promise<string> {
    const labels = roses.splice(0, boxes);
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code message } } }`, {
      input: { customer, truckDate: invoiceDate, lines: [{ labels, unitPrice: price }] },
    });
    expect(data.createInvoice.errors).toEqual([]);
    const number = data.createInvoice.invoice.number;
    expect((await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`)).confirmInvoice.errors).toEqual([]);
    await t.orm.em.getConnection().execute(`update invoice set invoice_date = ? where number = ?`, [invoiceDate, number]);
    return number;
  }

  /** A customer with 30-day terms, INV-1 1,000.00 (Mar 1, due Mar 31) with an approved 80.00 credit, and INV-2 500.00 (Apr 10, due May 10). */
  async function scenario(code: string, fields = ''): Promise<{ inv1: string; inv2: string }> {
    const saved = await t.ok(
      `mutation { upsertCustomers(input: [{ code: "${code}", name: "${code} Flowers", paymentTermsDays: 30 ${fields} }]) { errors { message } } }`,
    );
    expect(saved.upsertCustomers.errors).toEqual([]);
    const inv1 = await invoiceOf(code, 5, '2.00', '2027-03-01');
    const inv2 = await invoiceOf(code, 5, '1.00', '2027-04-10');
    const credit = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`, {
      input: { invoice: inv1, reason: 'DAMAGED', lines: [{ kind: 'AMOUNT', amount: '80.00' }] },
    });
    expect(credit.requestCredit.errors).toEqual([]);
    const approved = await t.ok(`mutation { approveCredit(number: "${credit.requestCredit.credit.number}") { errors { code } } }`);
    expect(approved.approveCredit.errors).toEqual([]);
    return { inv1, inv2 };
  }

  const amounts = async (number: string) => (await t.ok(AMOUNTS, { n: number })).invoice;
  const balance = async (code: string) =>
    (await t.ok(`{ customers(filter: { text: "${code}" }) { nodes { code balance } } }`)).customers.nodes.find((c: any) => c.code === code).balance;
  const pay = async (customer: string, amount: string, extra: Record<string, unknown> = {}) =>
    (await t.ok(RECORD, { input: { customer, amount, method: 'CHECK', reference: 'CHK 1001', date: AS_OF, ...extra } })).recordPayment;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 150, unitCost: '0.40' });
  }, 120_000);
  afterAll(() => t.close());

  it('ages INV-1 (920.00 open after its 80.00 credit) in 31–60 and INV-2 (500.00) in 1–30 on May 15; the balance is 1,420.00', async () => {
    const { inv1, inv2 } = await scenario('AGE');
    expect(await amounts(inv1)).toEqual({
      total: '1000.00',
      creditedAmount: '80.00',
      paidAmount: '0.00',
      openAmount: '920.00',
      paymentStatus: 'UNPAID',
      dueDate: '2027-03-31',
    });
    expect(await amounts(inv2)).toMatchObject({ openAmount: '500.00', dueDate: '2027-05-10' });
    const aging = await t.ok(`{ receivablesAging(asOf: "${AS_OF}", customer: "AGE") {
      asOf customers { customer { code } current days1To30 days31To60 days61To90 days91To120 over120 total unapplied } totals { days1To30 days31To60 total } } }`);
    expect(aging.receivablesAging).toEqual({
      asOf: AS_OF,
      customers: [
        {
          customer: { code: 'AGE' },
          current: '0.00',
          days1To30: '500.00',
          days31To60: '920.00',
          days61To90: '0.00',
          days91To120: '0.00',
          over120: '0.00',
          total: '1420.00',
          unapplied: '0.00',
        },
      ],
      totals: { days1To30: '500.00', days31To60: '920.00', total: '1420.00' },
    });
    expect(await balance('AGE')).toBe('1420.00');
  });

  it('applies a payment of 1,200.00 oldest due first: INV-1 PAID, 220.00 left on INV-2 (PARTIAL)', async () => {
    const { inv1, inv2 } = await scenario('OLDEST');
    const paid = await pay('OLDEST', '1200.00');
    expect(paid.errors).toEqual([]);
    expect(paid.payment).toMatchObject({
      status: 'POSTED',
      amount: '1200.00',
      appliedAmount: '1200.00',
      unappliedAmount: '0.00',
      method: 'CHECK',
      date: AS_OF,
    });
    expect(paid.payment.number).toMatch(/^PMT-\d{6}$/);
    expect(paid.applications).toEqual([
      { invoice: { number: inv1 }, amount: '920.00' },
      { invoice: { number: inv2 }, amount: '280.00' },
    ]);
    expect(await amounts(inv1)).toMatchObject({ openAmount: '0.00', paidAmount: '920.00', paymentStatus: 'PAID' });
    expect(await amounts(inv2)).toMatchObject({ openAmount: '220.00', paidAmount: '280.00', paymentStatus: 'PARTIAL' });
    expect(await balance('OLDEST')).toBe('220.00');
  });

  it('keeps what a payment of 1,500.00 does not need as 80.00 unapplied, and applyCredit applies it to the next invoice', async () => {
    const { inv1, inv2 } = await scenario('OVERPAY');
    const paid = await pay('OVERPAY', '1500.00');
    expect(paid.payment).toMatchObject({ appliedAmount: '1420.00', unappliedAmount: '80.00' });
    expect([await amounts(inv1), await amounts(inv2)].map((a) => a.paymentStatus)).toEqual(['PAID', 'PAID']);
    expect(await balance('OVERPAY')).toBe('-80.00');
    const aging = await t.ok(`{ receivablesAging(asOf: "${AS_OF}", customer: "OVERPAY") { customers { total unapplied } } }`);
    expect(aging.receivablesAging.customers).toEqual([{ total: '0.00', unapplied: '80.00' }]);

    const inv3 = await invoiceOf('OVERPAY', 1, '1.00', '2027-05-01');
    const applied = await t.ok(APPLY, { input: { source: paid.payment.number } });
    expect(applied.applyCredit).toEqual({
      applications: [{ invoice: { number: inv3 }, amount: '80.00', payment: paid.payment.number, credit: null }],
      unappliedAmount: '0.00',
      errors: [],
    });
    expect(await amounts(inv3)).toMatchObject({ openAmount: '20.00', paymentStatus: 'PARTIAL' });
    expect(await balance('OVERPAY')).toBe('20.00');
    // Nothing left: asking more is refused, nothing is written.
    const more = await t.ok(APPLY, { input: { source: paid.payment.number, applications: [{ invoice: inv3, amount: '5' }] } });
    expect(more.applyCredit.errors[0]).toMatchObject({ code: 'APPLICATION_EXCEEDS_UNAPPLIED', field: 'applications' });
  });

  it("applies a remittance as it says, and refuses an amount past an invoice's open amount or a foreign invoice by row", async () => {
    const { inv1, inv2 } = await scenario('REMIT');
    const other = await scenario('OTHER');
    const refused = await pay('REMIT', '600.00', {
      applications: [
        { invoice: inv2, amount: '500.01' },
        { invoice: other.inv1, amount: '10' },
      ],
    });
    expect(refused.payment).toBeNull();
    expect(refused.errors.map((e: any) => [e.code, e.row, e.field])).toEqual([
      ['APPLICATION_EXCEEDS_OPEN', 1, 'amount'],
      ['NOT_FOUND', 2, 'invoice'],
    ]);
    const zero = await pay('REMIT', '600.00', { applications: [{ invoice: inv1, amount: '0' }] });
    expect(zero.errors.map((e: any) => [e.code, e.row, e.field])).toEqual([['INVALID_VALUE', 1, 'amount']]);
    const tooMuch = await pay('REMIT', '100.00', {
      applications: [
        { invoice: inv2, amount: '100' },
        { invoice: inv1, amount: '50' },
      ],
    });
    expect(tooMuch.errors).toEqual([expect.objectContaining({ code: 'APPLICATION_EXCEEDS_UNAPPLIED' })]);
    expect((await t.ok(`{ payments(filter: { customer: "REMIT" }) { totalCount } }`)).payments.totalCount).toBe(0);

    const paid = await pay('REMIT', '600.00', {
      applications: [
        { invoice: inv2, amount: '500' },
        { invoice: inv1, amount: '50.50' },
      ],
    });
    expect(paid.errors).toEqual([]);
    expect(paid.payment.unappliedAmount).toBe('49.50');
    expect(await amounts(inv1)).toMatchObject({ openAmount: '869.50', paymentStatus: 'PARTIAL' });
    expect(await amounts(inv2)).toMatchObject({ openAmount: '0.00', paymentStatus: 'PAID' });
    const bad = await t.gql(RECORD, { input: { customer: 'NOPE', amount: '-1', method: 'CHECK', date: '2027-02-30' } });
    expect(bad.data!.recordPayment.errors.map((e: any) => e.field).sort()).toEqual(['amount', 'customer', 'date']);
  });

  it('voids a bounced check: its invoices are open again and an NSF fee invoice is added', async () => {
    const { inv1, inv2 } = await scenario('NSF');
    const paid = await pay('NSF', '1200.00');
    const voided = await t.ok(VOID, { n: paid.payment.number, fee: '25.00' });
    expect(voided.voidPayment.errors).toEqual([]);
    expect(voided.voidPayment.payment).toMatchObject({ status: 'VOID', unappliedAmount: '0.00', voidReason: 'NSF: check returned' });
    expect(voided.voidPayment.payment.feeInvoice).toMatchObject({ kind: 'FEE', total: '25.00', openAmount: '25.00', paymentStatus: 'UNPAID' });
    expect(await amounts(inv1)).toMatchObject({ openAmount: '920.00', paymentStatus: 'UNPAID' });
    expect(await amounts(inv2)).toMatchObject({ openAmount: '500.00', paymentStatus: 'UNPAID' });
    expect(await balance('NSF')).toBe('1445.00');
    const again = await t.ok(VOID, { n: paid.payment.number });
    expect(again.voidPayment.errors[0].code).toBe('INVALID_STATUS');
    // A voided payment is applied no more.
    expect((await t.ok(APPLY, { input: { source: paid.payment.number } })).applyCredit.errors[0].code).toBe('INVALID_STATUS');
  });

  it('applies an approved credit without an invoice to the oldest open invoice', async () => {
    const { inv1 } = await scenario('ONACCT');
    const credit = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`, {
      input: { customer: 'ONACCT', reason: 'PRICE', lines: [{ kind: 'AMOUNT', amount: '30.00' }] },
    });
    const number = credit.requestCredit.credit.number;
    expect((await t.ok(APPLY, { input: { source: number } })).applyCredit.errors[0].code).toBe('INVALID_STATUS');
    await t.ok(`mutation { approveCredit(number: "${number}") { errors { code } } }`);
    expect(await balance('ONACCT')).toBe('1390.00');
    const applied = await t.ok(APPLY, { input: { source: number } });
    expect(applied.applyCredit).toEqual({
      applications: [{ invoice: { number: inv1 }, amount: '30.00', payment: null, credit: number }],
      unappliedAmount: '0.00',
      errors: [],
    });
    expect(await amounts(inv1)).toMatchObject({ openAmount: '890.00', paidAmount: '30.00' });
    expect(await balance('ONACCT')).toBe('1390.00');
  });

  it('a payment releases a credit-limit hold on the next billing run', async () => {
    await scenario('LIMIT', ', creditLimit: "1450"');
    // 1,420.00 owed; a box of 100 x 0.80 = 80.00 would take it to 1,500.00, past 1,450.00.
    const staged = await prebookInStaging(t, {
      customer: 'LIMIT',
      truckDate: isoDate(7),
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.80' }],
    });
    const [held] = await confirm(t, staged.labels);
    expect(held.billing!.issue!.code).toBe('CREDIT_LIMIT');
    expect(held.box!.status).toBe('IN_INVENTORY');
    expect((await pay('LIMIT', '500.00')).errors).toEqual([]);
    const run = await t.ok(`mutation { massAllocate(filter: { customer: "LIMIT" }) { lines { allocated invoiceNumbers reason } errors { code } } }`);
    expect(run.massAllocate.lines).toEqual([expect.objectContaining({ allocated: 1, reason: null })]);
    expect(await balance('LIMIT')).toBe('1000.00');
  });

  it('lets ACCOUNTING record payments but not BUYER or WAREHOUSE; a CUSTOMER reads its own payments only', async () => {
    await scenario('ROLES');
    const accounting = await token('ACCOUNTING');
    const recorded = await t.ok(RECORD, { input: { customer: 'ROLES', amount: '10', method: 'WIRE' } }, accounting);
    expect(recorded.recordPayment.errors).toEqual([]);
    for (const role of ['BUYER', 'WAREHOUSE']) {
      const refused = await t.gql(RECORD, { input: { customer: 'ROLES', amount: '10', method: 'WIRE' } }, await token(role));
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const own = await token('CUSTOMER', 'ROLES');
    const mine = await t.ok(`{ payments { nodes { number customer { code } } } }`, undefined, own);
    expect(mine.payments.nodes).toEqual([{ number: recorded.recordPayment.payment.number, customer: { code: 'ROLES' } }]);
    const others = await token('CUSTOMER', 'OLDEST');
    const foreign = await t.gql(`{ payments(filter: { number: "${recorded.recordPayment.payment.number}" }) { totalCount } }`, undefined, others);
    expect(foreign.errors?.[0].extensions?.code).toBe('UNKNOWN_PAYMENT');
    expect((await t.gql(`{ receivablesAging(asOf: "${AS_OF}") { asOf } }`, undefined, own)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('reports payments and the invoices they pay in the change feed; a CUSTOMER follows its own payments only', async () => {
    const { inv1 } = await scenario('FEED');
    const start = (await t.ok(`{ changes(first: 1000) { pageInfo { endCursor } } }`)).changes.pageInfo.endCursor;
    const paid = await pay('FEED', '100.00');
    await pay('OLDEST', '1.00');
    const FEED = `query($after: String) { changes(after: $after, types: [PAYMENT, INVOICE]) { nodes { type key change payment { number amount unappliedAmount applications { invoice { number } amount } } } } }`;
    const staff = (await t.ok(FEED, { after: start })).changes.nodes;
    expect(staff.filter((n: any) => n.key === paid.payment.number || n.key === inv1)).toEqual([
      {
        type: 'PAYMENT',
        key: paid.payment.number,
        change: 'CREATED',
        payment: { number: paid.payment.number, amount: '100.00', unappliedAmount: '0.00', applications: [{ invoice: { number: inv1 }, amount: '100.00' }] },
      },
      { type: 'INVOICE', key: inv1, change: 'UPDATED', payment: null },
    ]);
    const own = (await t.ok(FEED, { after: start }, await token('CUSTOMER', 'FEED'))).changes.nodes;
    expect(own.map((n: any) => n.key).sort()).toEqual([inv1, paid.payment.number].sort());
  });

  it('refuses to void a paid invoice or price it below what its credits and payments take (confirmed invoices unlocked)', async () => {
    const { inv1, inv2 } = await scenario('UNLOCKED');
    await pay('UNLOCKED', '1000.00', {
      applications: [
        { invoice: inv1, amount: '900' },
        { invoice: inv2, amount: '100' },
      ],
    });
    await t.ok(`mutation { updateSettings(input: { lockConfirmedInvoices: false }) { errors { code } } }`);
    try {
      const voided = await t.ok(`mutation { voidInvoice(number: "${inv2}") { errors { code message } } }`);
      expect(voided.voidInvoice.errors).toEqual([expect.objectContaining({ code: 'INVALID_STATUS', message: expect.stringContaining('100.00 of payments') })]);
      const line = (await t.ok(`{ invoice(number: "${inv1}") { lines { id } } }`)).invoice.lines[0].id;
      const SET = `mutation($p: [InvoicePriceInput!]!) { setInvoicePrices(number: "${inv1}", prices: $p) { errors { code message } } }`;
      // 980.00 = 900.00 applied + 80.00 credited: 1.96 x 500 is the least it may bill.
      const low = await t.ok(SET, { p: [{ line, unitPrice: '1.95' }] });
      expect(low.setInvoicePrices.errors).toEqual([
        { code: 'APPLICATION_EXCEEDS_OPEN', message: `${inv1} would bill 975.00, less than the 980.00 its credits and payments take` },
      ]);
      expect((await t.ok(SET, { p: [{ line, unitPrice: '1.96' }] })).setInvoicePrices.errors).toEqual([]);
      expect(await amounts(inv1)).toMatchObject({ openAmount: '0.00', paymentStatus: 'PAID' });
    } finally {
      await t.ok(`mutation { updateSettings(input: { lockConfirmedInvoices: true }) { errors { code } } }`);
    }
  });

  it('replays a recordPayment with the same idempotency key instead of recording it twice', async () => {
    await scenario('IDEM');
    const input = { customer: 'IDEM', amount: '100', method: 'ACH', reference: 'ACH 77' };
    const first = await t.ok(RECORD, { input, key: 'idem-1' });
    const second = await t.ok(RECORD, { input, key: 'idem-1' });
    expect(second.recordPayment.payment.number).toBe(first.recordPayment.payment.number);
    expect((await t.ok(`{ payments(filter: { customer: "IDEM" }) { totalCount } }`)).payments.totalCount).toBe(1);
  });

  it('charges 1.5 % a month on what is overdue past the grace days (INV-1: 920.00 → 13.80), once a month, outside GPM', async () => {
    await scenario('FINANCE');
    const refused = await t.ok(`mutation { applyFinanceCharges(asOf: "${AS_OF}", dryRun: true) { charges { amount } errors { code field } } }`);
    expect(refused.applyFinanceCharges.errors).toEqual([{ code: 'INVALID_VALUE', field: 'financeChargePercentMonthly' }]);
    await t.ok(`mutation { updateSettings(input: { financeChargePercentMonthly: "1.5", financeChargeGraceDays: 10 }) { errors { code } } }`);
    const CHARGE = (dryRun: boolean) => `mutation { applyFinanceCharges(asOf: "${AS_OF}", dryRun: ${dryRun}) {
      dryRun charges { customer { code } period overdueAmount amount invoice { number kind total dueDate chargePeriod } } errors { code } } }`;
    const mine = (data: any) => data.applyFinanceCharges.charges.filter((c: any) => c.customer.code === 'FINANCE');
    const gpm = async () => (await t.ok(`{ gpmReport(filter: { customer: "FINANCE" }) { revenue credits rows { product { code } } } }`)).gpmReport;
    const before = await gpm();
    const dry = await t.ok(CHARGE(true));
    // INV-2 is 5 days past due, within the 10 grace days: only INV-1's 920.00 is charged.
    expect(mine(dry)).toEqual([{ customer: { code: 'FINANCE' }, period: '2027-05', overdueAmount: '920.00', amount: '13.80', invoice: null }]);
    expect(await balance('FINANCE')).toBe('1420.00');
    const done = await t.ok(CHARGE(false));
    expect(mine(done)).toEqual([
      {
        customer: { code: 'FINANCE' },
        period: '2027-05',
        overdueAmount: '920.00',
        amount: '13.80',
        invoice: { number: expect.stringMatching(/^INV-/), kind: 'FINANCE_CHARGE', total: '13.80', dueDate: '2027-06-14', chargePeriod: '2027-05' },
      },
    ]);
    expect(await balance('FINANCE')).toBe('1433.80');
    expect((await t.ok(CHARGE(false))).applyFinanceCharges.charges).toEqual([]);
    // A finance charge is no sale: GPM is as it was.
    expect(await gpm()).toEqual(before);
  });
});
