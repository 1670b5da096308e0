// Customer statements with the numbers of a day at a wholesaler: INV-1 1,000.00 (Mar 1, due Mar 31) with an
// 80.00 approved credit, INV-2 500.00 (Apr 10, due May 10), a payment of 1,200.00 on May 15 applied oldest
// first, a bounced check and its NSF fee. Balance Forward and Open Items, exact; the PDF read with pdftotext.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setCompanyClock } from '../../../../server/src/common/today';
import { setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const STATEMENT = `query($customer: String!, $from: Date, $to: Date!, $type: StatementType) {
  statement(customer: $customer, from: $from, to: $to, type: $type) {
    customer { code balance } seller { name } type from to openingBalance charges credits closingBalance pdfUrl
    lines { kind date number description dueDate amount openAmount balance }
    aging { current days1To30 days31To60 days61To90 days91To120 over120 total unapplied priorBalance balance }
  }
}`;
const RECORD = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { number unappliedAmount } errors { code message } } }`;

describe('customer statements', () => {
  let t: TestServer;
  let roses: string[];
  let next = 0;
  const sql = (q: string, params: unknown[] = []) => t.orm.em.getConnection().execute(q, params);

  async function token(role: string, customer?: string): Promise<string> {
    const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
      input: { name: `${role} ${customer ?? ''} ${next++}`.trim(), role, customer: customer ?? null },
    });
    return data.createApiToken.secret;
  }

  async function invoiceOf(customer: string, boxes: number, price: string, invoiceDate: string): Promise<string> {
    const labels = roses.splice(0, boxes);
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code message } } }`, {
      input: { customer, truckDate: invoiceDate, customerPo: `PO-${customer}`, lines: [{ labels, unitPrice: price }] },
    });
    const number = data.createInvoice.invoice.number;
    await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
    await sql(`update invoice set invoice_date = ? where number = ?`, [invoiceDate, number]);
    return number;
  }

  /** INV-1 1,000.00 (Mar 1, due Mar 31) with an 80.00 credit of Mar 5, INV-2 500.00 (Apr 10, due May 10). */
  async function scenario(code: string, openBalance = '0'): Promise<{ inv1: string; inv2: string; credit: string }> {
    await t.ok(
      `mutation { upsertCustomers(input: [{ code: "${code}", name: "${code} Flowers", paymentTermsDays: 30, openBalance: "${openBalance}", billingAddress: "12 Petal Lane\\nOrlando, FL 32801" }]) { errors { message } } }`,
    );
    const inv1 = await invoiceOf(code, 5, '2.00', '2027-03-01');
    const inv2 = await invoiceOf(code, 5, '1.00', '2027-04-10');
    const requested = await t.ok(`mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code } } }`, {
      input: { invoice: inv1, reason: 'DAMAGED', lines: [{ kind: 'AMOUNT', amount: '80.00' }] },
    });
    const credit = requested.requestCredit.credit.number;
    await t.ok(`mutation { approveCredit(number: "${credit}") { errors { code } } }`);
    await sql(`update credit set credit_date = '2027-03-05' where number = ?`, [credit]);
    return { inv1, inv2, credit };
  }

  const pay = async (customer: string, amount: string, date: string, reference: string) =>
    (await t.ok(RECORD, { input: { customer, amount, method: 'CHECK', reference, date } })).recordPayment.payment.number as string;
  const statement = async (variables: Record<string, unknown>, token?: string) => (await t.ok(STATEMENT, variables, token)).statement;
  const get = async (path: string, token: string | null = t.adminToken) => {
    const response = await fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
  };
  const pdfText = (body: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' });

  let nsf: { inv1: string; inv2: string; credit: string; paid: string; bounced: string; fee: string };

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, { companyName: 'Miami Flower Wholesale LLC', companyAddress: '7200 NW 25th St\nMiami, FL 33122', companyPhone: '+1 305 555 0100' });
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 60, unitCost: '0.40' });
    // STMT: 50.00 from before Stemline; 1,200.00 on May 15 (oldest first); a check of 100.00 on May 20 that
    // bounced on May 21 with a 25.00 NSF fee invoiced May 22.
    const docs = await scenario('STMT', '50.00');
    const paid = await pay('STMT', '1200.00', '2027-05-15', 'CHK 1001');
    const bounced = await pay('STMT', '100.00', '2027-05-20', 'CHK 1002');
    const voided = await t.ok(
      `mutation { voidPayment(number: "${bounced}", reason: "NSF", nsfFee: "25.00") { payment { feeInvoice { number } } errors { code } } }`,
    );
    const fee = voided.voidPayment.payment.feeInvoice.number;
    await sql(`update payment set voided_at = '2027-05-21T15:00:00Z' where number = ?`, [bounced]);
    await sql(`update invoice set invoice_date = '2027-05-22' where number = ?`, [fee]);
    nsf = { ...docs, paid, bounced, fee };
  }, 120_000);
  afterAll(() => t.close());
  afterEach(() => setCompanyClock(null));

  it('Balance Forward for May: opening 1,470.00 (50.00 before Stemline + 920.00 + 500.00), the payments, the reversal and the fee, closing 295.00', async () => {
    const s = await statement({ customer: 'STMT', from: '2027-05-01', to: '2027-05-31' });
    expect(s).toMatchObject({
      type: 'BALANCE_FORWARD',
      from: '2027-05-01',
      to: '2027-05-31',
      openingBalance: '1470.00',
      charges: '125.00',
      credits: '1300.00',
      closingBalance: '295.00',
    });
    expect(s.seller.name).toBe('Miami Flower Wholesale LLC');
    expect(s.lines.map((l: any) => [l.kind, l.date, l.number, l.amount, l.balance])).toEqual([
      ['PAYMENT', '2027-05-15', nsf.paid, '-1200.00', '270.00'],
      ['PAYMENT', '2027-05-20', nsf.bounced, '-100.00', '170.00'],
      ['NSF_REVERSAL', '2027-05-21', nsf.bounced, '100.00', '270.00'],
      ['FEE', '2027-05-22', nsf.fee, '25.00', '295.00'],
    ]);
    expect(s.lines[0].description).toBe('Check received, ref CHK 1001');
    // Opening + movements = closing, exactly.
    const moved = s.lines.reduce((sum: number, l: any) => sum + Math.round(Number(l.amount) * 100), 0);
    expect(Math.round(Number(s.openingBalance) * 100) + moved).toBe(Math.round(Number(s.closingBalance) * 100));
    // On May 31: INV-2's 220.00 is 21 days past due, the fee (due Jun 21) current.
    expect(s.aging).toEqual({
      current: '25.00',
      days1To30: '220.00',
      days31To60: '0.00',
      days61To90: '0.00',
      days91To120: '0.00',
      over120: '0.00',
      total: '245.00',
      unapplied: '0.00',
      priorBalance: '50.00',
      balance: '295.00',
    });
    expect(s.pdfUrl).toBe('/documents/statements/STMT?from=2027-05-01&to=2027-05-31');
  });

  it('Balance Forward from March: the invoices and the credit, then May opens where April closed', async () => {
    const march = await statement({ customer: 'STMT', from: '2027-03-01', to: '2027-04-30' });
    expect(march.openingBalance).toBe('50.00');
    expect(march.lines.map((l: any) => [l.kind, l.date, l.number, l.dueDate, l.amount, l.balance])).toEqual([
      ['INVOICE', '2027-03-01', nsf.inv1, '2027-03-31', '1000.00', '1050.00'],
      ['CREDIT', '2027-03-05', nsf.credit, null, '-80.00', '970.00'],
      ['INVOICE', '2027-04-10', nsf.inv2, '2027-05-10', '500.00', '1470.00'],
    ]);
    expect(march.lines[1].description).toBe(`Credit on ${nsf.inv1} (Damaged)`);
    expect(march.closingBalance).toBe('1470.00');
    // The default period is to's month.
    expect((await statement({ customer: 'STMT', to: '2027-05-31' })).openingBalance).toBe('1470.00');
  });

  it("closes at Customer.balance on the company's today", async () => {
    setCompanyClock(() => new Date('2027-06-30T15:00:00Z'));
    const s = await statement({ customer: 'STMT', from: '2027-06-01', to: '2027-06-30' });
    expect(s.closingBalance).toBe('295.00');
    expect(s.customer.balance).toBe('295.00');
    expect(s.lines).toEqual([]);
  });

  it('Open Items on May 14: INV-1 920.00 open in 31–60 and INV-2 500.00 in 1–30; on May 31 INV-2 220.00 and the fee', async () => {
    const before = await statement({ customer: 'STMT', to: '2027-05-14', type: 'OPEN_ITEMS' });
    expect(before.lines.map((l: any) => [l.kind, l.number, l.amount, l.openAmount])).toEqual([
      ['PRIOR_BALANCE', '', '50.00', '50.00'],
      ['INVOICE', nsf.inv1, '1000.00', '920.00'],
      ['INVOICE', nsf.inv2, '500.00', '500.00'],
    ]);
    expect(before.aging).toMatchObject({ days1To30: '500.00', days31To60: '920.00', total: '1420.00', balance: '1470.00' });
    expect(before.closingBalance).toBe('1470.00');
    const after = await statement({ customer: 'STMT', from: '2027-05-01', to: '2027-05-31', type: 'OPEN_ITEMS' });
    expect(after.lines.map((l: any) => [l.kind, l.number, l.openAmount])).toEqual([
      ['PRIOR_BALANCE', '', '50.00'],
      ['INVOICE', nsf.inv2, '220.00'],
      ['FEE', nsf.fee, '25.00'],
    ]);
    const open = after.lines.reduce((sum: number, l: any) => sum + Math.round(Number(l.openAmount) * 100), 0);
    expect(open).toBe(29_500);
    expect(after.closingBalance).toBe('295.00');
  });

  it('Open Items after 1,500.00 paid: nothing open, 80.00 not applied, a closing balance of -80.00 (Customer.balance)', async () => {
    await scenario('OVER');
    const paid = await pay('OVER', '1500.00', '2027-05-15', 'WIRE 77');
    const s = await statement({ customer: 'OVER', from: '2027-05-01', to: '2027-05-31', type: 'OPEN_ITEMS' });
    expect(s.lines.map((l: any) => [l.kind, l.number, l.amount, l.openAmount])).toEqual([['UNAPPLIED_PAYMENT', paid, '-1500.00', '-80.00']]);
    expect(s.aging).toMatchObject({ total: '0.00', unapplied: '80.00', balance: '-80.00' });
    expect(s.closingBalance).toBe('-80.00');
    expect(s.customer.balance).toBe('-80.00');
  });

  it('refuses a bad period and an unknown customer with a clear error', async () => {
    const reversed = await t.gql(STATEMENT, { customer: 'STMT', from: '2027-06-01', to: '2027-05-31' });
    expect(reversed.errors?.[0].message).toMatch(/from \(2027-06-01\) is after to \(2027-05-31\)/);
    const unknown = await t.gql(STATEMENT, { customer: 'NOPE', to: '2027-05-31' });
    expect(unknown.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
  });

  it('lets a CUSTOMER token read its own statement only, by GraphQL and as a PDF; BUYER and WAREHOUSE read none', async () => {
    await t.ok(`mutation { upsertCustomers(input: [{ code: "OTHERCO", name: "Other Co" }]) { errors { message } } }`);
    const own = await token('CUSTOMER', 'STMT');
    expect((await statement({ customer: 'STMT', from: '2027-05-01', to: '2027-05-31' }, own)).closingBalance).toBe('295.00');
    const theirs = await t.gql(STATEMENT, { customer: 'OTHERCO', to: '2027-05-31' }, own);
    expect(theirs.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
    expect((await get('/documents/statements/STMT?from=2027-05-01&to=2027-05-31', own)).status).toBe(200);
    expect((await get('/documents/statements/OTHERCO?to=2027-05-31', own)).status).toBe(404);
    for (const role of ['BUYER', 'WAREHOUSE']) {
      expect((await get('/documents/statements/STMT?to=2027-05-31', await token(role))).status, role).toBe(403);
      expect((await t.gql(STATEMENT, { customer: 'STMT', to: '2027-05-31' }, await token(role))).errors?.[0].extensions?.code, role).toBe('FORBIDDEN');
    }
    for (const role of ['ACCOUNTING', 'SALES', 'SALES_MANAGER'])
      expect((await get('/documents/statements/OTHERCO?to=2027-05-31', await token(role))).status, role).toBe(200);
  });

  it('prints the statement as a PDF: seller, bill-to, the opening and closing balances, the lines, the aging line, page 1 of 1', async () => {
    const pdf = await get('/documents/statements/STMT?from=2027-05-01&to=2027-05-31');
    expect(pdf.status).toBe(200);
    const text = pdfText(pdf.body);
    for (const expected of [
      'Miami Flower Wholesale LLC',
      'STATEMENT',
      'STMT Flowers (STMT)',
      '12 Petal Lane',
      'May 1, 2027 – May 31, 2027',
      'Balance forward on May 1, 2027',
      '1,470.00',
      nsf.paid,
      'Check received, ref CHK 1001',
      'Payment reversed: NSF',
      '1,200.00',
      'Closing balance',
      '295.00',
      'Aging as of May 31, 2027',
      '121+',
      'Statement STMT 2027-05-31 · page 1 of 1',
    ])
      expect(text, expected).toContain(expected);
    const open = pdfText((await get('/documents/statements/STMT?to=2027-05-31&type=open-items')).body);
    expect(open).toContain('STATEMENT (OPEN ITEMS)');
    expect(open).toContain('220.00');
    expect((await get('/documents/statements/STMT?to=2027-05-31&type=weekly')).status).toBe(400);
    expect((await get('/documents/statements/STMT')).status).toBe(400);
  });

  it('numbers the pages of a long statement within it: page X of Y on each', async () => {
    await t.ok(`mutation { upsertCustomers(input: [{ code: "LONG", name: "Long Co", paymentTermsDays: 30 }]) { errors { message } } }`);
    for (let i = 0; i < 30; i++) await invoiceOf('LONG', 1, '1.00', `2027-05-${String((i % 28) + 1).padStart(2, '0')}`);
    for (let i = 0; i < 30; i++) await pay('LONG', '10.00', `2027-05-${String((i % 28) + 1).padStart(2, '0')}`, `CHK ${i}`);
    const text = pdfText((await get('/documents/statements/LONG?from=2027-05-01&to=2027-05-31')).body);
    const pages = text.split('\f').filter((page) => page.trim());
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => expect(page).toContain(`page ${i + 1} of ${pages.length}`));
    const s = await statement({ customer: 'LONG', from: '2027-05-01', to: '2027-05-31' });
    expect(s.closingBalance).toBe('2700.00');
  });
});
