// The receivables sync example runs as a real process against a real server: after every step of a day of
// remittances, each customer's receivable in its ledger equals Stemline's balance.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../support/fixtures';
import { stockBoxes } from '../support/receiving';
import { startTestServer, type TestServer } from '../support/test-server';

const run = promisify(execFile);

describe('examples/sync-receivables.ts', () => {
  let t: TestServer;
  let dir: string;
  let roses: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 6, unitCost: '0.40' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-receivables-'));
  }, 120_000);
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sync = async () => {
    const ledger = path.join(dir, 'ledger.json');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/sync-receivables.ts'], {
      env: { ...process.env, STEMLINE_URL: `${t.url}/graphql`, STEMLINE_TOKEN: t.adminToken, STEMLINE_LEDGER_FILE: ledger },
    });
    return Object.fromEntries(
      stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')),
    );
  };
  /** Stemline's balances of the customers the ledger knows. */
  const balances = async (codes: string[]) => {
    const data = await t.ok(`{ customers { nodes { code balance } } }`);
    return Object.fromEntries(data.customers.nodes.filter((c: any) => codes.includes(c.code)).map((c: any) => [c.code, c.balance]));
  };
  const invoice = async (customer: string, labels: string[], price: string) => {
    const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } errors { code } } }`, {
      input: { customer, truckDate: '2027-05-01', lines: [{ labels, unitPrice: price }] },
    });
    const number = data.createInvoice.invoice.number;
    await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
    return number;
  };

  it('keeps each customer receivable equal to Stemline balance through invoices, payments and a void', async () => {
    await invoice('BLOOMS', roses.slice(0, 2), '2.00'); // 400.00
    await invoice('FRESHMART', roses.slice(2, 3), '1.50'); // 150.00
    let ours = await sync();
    expect(ours).toEqual({ BLOOMS: '400.00', FRESHMART: '150.00' });
    expect(ours).toEqual(await balances(Object.keys(ours)));

    const pay = (customer: string, amount: string) =>
      t.ok(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { payment { number } errors { code } } }`, {
        input: { customer, amount, method: 'CHECK', reference: 'CHK 1' },
      });
    const paid = await pay('BLOOMS', '450.00');
    await pay('FRESHMART', '100.00');
    ours = await sync();
    expect(ours).toEqual({ BLOOMS: '-50.00', FRESHMART: '50.00' });
    expect(ours).toEqual(await balances(Object.keys(ours)));

    await t.ok(`mutation { voidPayment(number: "${paid.recordPayment.payment.number}", reason: "NSF", nsfFee: "20") { errors { code } } }`);
    ours = await sync();
    expect(ours).toEqual({ BLOOMS: '420.00', FRESHMART: '50.00' });
    expect(ours).toEqual(await balances(Object.keys(ours)));
    // Nothing changed: the same answer from the stored cursor.
    expect(await sync()).toEqual(ours);
  });
});
