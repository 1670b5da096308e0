// Two real server processes on one PostgreSQL apply payments to the same invoices at once: no invoice is ever
// paid past its total, no payment applied past its amount.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { graphql, startServerProcess, type ServerProcess } from '../../../support/server-process';
import { startTestServer, type TestServer } from '../../../support/test-server';

const TOKEN = 'multi-process-payments-token-0123456789';
const RECORD = `mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { number unappliedAmount } applications { amount } errors { code } } }`;
const APPLY = `mutation($input: ApplyCreditInput!) { applyCredit(input: $input) { applications { amount } errors { code } } }`;

describe('payments from two server processes', () => {
  let t: TestServer;
  let servers: ServerProcess[] = [];
  let roses: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: t.databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN })));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t.close();
  });

  const invoice = async (customer: string, labels: string[], price: string) => {
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code } } }`, {
      input: { customer, truckDate: '2027-05-01', lines: [{ labels, unitPrice: price }] },
    });
    const number = data.createInvoice.invoice.number;
    await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
    return number;
  };
  const sql = (q: string) => t.orm.em.getConnection().execute(q);

  it('never applies more than an invoice has open: 8 payments of 300.00 on 1,000.00 apply 1,000.00 exactly', async () => {
    const number = await invoice('BLOOMS', roses.slice(0, 2), '5.00'); // 2 x 100 x 5.00 = 1,000.00
    const calls = Array.from({ length: 8 }, (_, i) =>
      graphql(servers[i % 2].url, TOKEN, RECORD, { input: { customer: 'BLOOMS', amount: '300.00', method: 'ACH', reference: `ACH ${i}` } }),
    );
    const results = (await Promise.all(calls)).map((r) => r.recordPayment);
    expect(results.every((r) => r.errors.length === 0)).toBe(true);
    const applied = results.flatMap((r) => r.applications).reduce((sum, a) => sum + Number(a.amount) * 100, 0);
    expect(applied).toBe(100_000);
    const unapplied = results.reduce((sum, r) => sum + Number(r.payment.unappliedAmount) * 100, 0);
    expect(unapplied).toBe(140_000);
    expect((await t.ok(`{ invoice(number: "${number}") { openAmount paymentStatus } }`)).invoice).toEqual({ openAmount: '0.00', paymentStatus: 'PAID' });
    expect(await sql(`select sum(amount)::text as s from payment_application where invoice_id = (select id from invoice where number = '${number}')`)).toEqual([
      { s: '1000.0000' },
    ]);
  });

  it('never applies more of a payment than is left of it: two processes each ask 600.00 of 1,000.00', async () => {
    const paid = await t.ok(RECORD, { input: { customer: 'FRESHMART', amount: '1000.00', method: 'WIRE' } });
    const source = paid.recordPayment.payment.number;
    const a = await invoice('FRESHMART', roses.slice(2, 3), '7.00'); // 700.00
    const b = await invoice('FRESHMART', roses.slice(3, 4), '7.00'); // 700.00
    const results = await Promise.all([
      graphql(servers[0].url, TOKEN, APPLY, { input: { source, applications: [{ invoice: a, amount: '600' }] } }),
      graphql(servers[1].url, TOKEN, APPLY, { input: { source, applications: [{ invoice: b, amount: '600' }] } }),
    ]);
    const codes = results.map((r) => r.applyCredit.errors.map((e: { code: string }) => e.code).join() || 'OK').sort();
    expect(codes).toEqual(['APPLICATION_EXCEEDS_UNAPPLIED', 'OK']);
    const left = await t.ok(`{ payments(filter: { number: "${source}" }) { nodes { appliedAmount unappliedAmount } } }`);
    expect(left.payments.nodes).toEqual([{ appliedAmount: '600.00', unappliedAmount: '400.00' }]);
  });
});
