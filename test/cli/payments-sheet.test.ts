// The Payments table with stemline-sheet on real .xlsx files: a clerk's day of remittances pushed (every error at
// once by row and column, nothing recorded for a refused payment), pushed again (nothing recorded twice), pulled.
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCliWorkspace, runCli, startCliWorkspace } from '../support/cli-workspace';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { fillColumn, readSheet, writeSheet } from '../support/xlsx';
import { TABLE_COLUMNS } from '../../addin/sheets/tables';

/** A hidden column the sheet tool keeps (Document Id), set on the first rows, as an earlier push left it. */
async function addColumn(file: string, column: string, values: string[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet('Payments')!;
  const at = sheet.getRow(1).cellCount + 1;
  sheet.getRow(1).getCell(at).value = column;
  values.forEach((value, i) => (sheet.getRow(i + 2).getCell(at).value = value));
  await workbook.xlsx.writeFile(file);
}

const PAYMENTS = `{ payments(filter: { customer: "PAYER" }) { totalCount nodes { number amount method reference date unappliedAmount
  applications { invoice { number } amount } } } }`;
const INVOICE = `query($n: String!) { invoice(number: $n) { openAmount paymentStatus } }`;

describe('stemline-sheet: the Payments table', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let inv1: string;
  let inv2: string;

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-payments-'));
    await t.ok(`mutation { upsertCustomers(input: [{ code: "PAYER", name: "Payer Flowers", paymentTermsDays: 30 }]) { errors { message } } }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.40' });
    const numbers: string[] = [];
    // INV-1: 5 boxes × 100 stems × 2.00 = 1,000.00 (Mar 1, due Mar 31); INV-2: 500.00 (Apr 10, due May 10).
    for (const [labels, price, date] of [
      [roses.slice(0, 5), '2.00', '2027-03-01'],
      [roses.slice(5), '1.00', '2027-04-10'],
    ] as const) {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer: 'PAYER', truckDate: date, lines: [{ labels, unitPrice: price }] },
      });
      const number = data.createInvoice.invoice.number;
      await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
      await t.orm.em.getConnection().execute(`update invoice set invoice_date = ? where number = ?`, [date, number]);
      numbers.push(number);
    }
    [inv1, inv2] = numbers;
  }, 120_000);
  afterAll(() => closeCliWorkspace(t, dir));

  it('makes an empty Payments workbook, Method a drop-down of the six methods', async () => {
    const file = path.join(dir, 'new.xlsx');
    expect((await runCli(['new', 'payments', '--out', file, ...args])).code).toBe(0);
    const rows = await readSheet(file, 'Payments');
    expect(Object.keys(rows[0]).slice(0, TABLE_COLUMNS.Payments.length)).toEqual([...TABLE_COLUMNS.Payments]);
    // Method is a drop-down of the six methods.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const lists = workbook.getWorksheet('Lists')!;
    const column = (lists.getRow(1).values as unknown[]).indexOf('Method');
    expect(column).toBeGreaterThan(0);
    expect([2, 3, 4, 5, 6, 7, 8].map((r) => lists.getRow(r).getCell(column).value)).toEqual(['CHECK', 'WIRE', 'ACH', 'CARD', 'CASH', 'OTHER', null]);
  });

  it('records a day of remittances: as the remittance says, else oldest due first; every error of a refused payment at once; a second push records nothing twice', async () => {
    const file = path.join(dir, 'day.xlsx');
    const a = { Ref: 'A', Customer: 'PAYER', Date: '2027-05-15', Amount: '600.00', Method: 'check', Reference: 'CHK 1001' };
    const b = { Ref: 'B', Customer: 'Payer Flowers', Date: '2027-05-15', Amount: '1,100.00', Method: 'WIRE', Reference: 'FW 77' };
    await writeSheet(file, 'Payments', [
      { ...a, 'Invoice #': inv2, Applied: '400' },
      b,
      { Ref: 'C', Customer: 'NOBODY', Date: '2027-05-15', Amount: '12,5', Method: 'CHEQUE', Applied: 10 },
      { Ref: 'D', Customer: 'PAYER', Date: '2027-05-15', Amount: 50, Method: 'CASH', 'Invoice #': 'INV-999999', Applied: 50 },
    ]);
    await addColumn(file, 'Document Id', ['day-a', 'day-b']);
    // The workbook as it was before the push: as if the push's answer never reached it.
    const lost = path.join(dir, 'lost.xlsx');
    await fs.copyFile(file, lost);
    const { code, out } = await runCli(['push', 'payments', file, ...args]);
    expect(code).toBe(1);
    expect(out).toContain('2 row(s) OK, 2 with errors');
    let rows = await readSheet(file, 'Payments');
    expect(rows.map((r) => r.Status)).toEqual(['OK', 'OK', 'ERROR', 'ERROR']);
    expect(rows[0]['Payment #']).toMatch(/^PMT-\d{6}$/);
    expect(rows[1]['Payment #']).not.toBe(rows[0]['Payment #']);
    // Every error of C in one push, each naming its column: the sheet's own checks and the server's (unknown customer).
    expect(rows[2].Message).toContain('Amount "12,5" could be 12.5 or 125');
    expect(rows[2].Message).toContain('Method "CHEQUE" is not one of CHECK, WIRE, ACH, CARD, CASH, OTHER');
    expect(rows[2].Message).toContain('Invoice #: Applied needs the invoice it pays');
    expect(rows[2].Message).toContain('Customer: unknown customer "NOBODY"');
    expect(rows[3].Message).toBe('Invoice #: no confirmed invoice INV-999999 of this customer with an open amount');
    expect(out).toMatch(/Payments row 4: ERROR .*Method "CHEQUE"/);
    expect(out).toMatch(/Payments row 5: ERROR Invoice #: no confirmed invoice INV-999999/);

    const payments = (await t.ok(PAYMENTS)).payments;
    expect(payments.totalCount).toBe(2);
    const byRef = new Map(payments.nodes.map((p: { number: string }) => [p.number, p]));
    // A: 400.00 to INV-2 as its remittance says, 200.00 left; B: 1,000.00 to INV-1 (oldest due), the 100.00 left on INV-2, 0.00 left.
    expect(byRef.get(rows[0]['Payment #'])).toMatchObject({
      amount: '600.00',
      method: 'CHECK',
      reference: 'CHK 1001',
      unappliedAmount: '200.00',
      applications: [{ invoice: { number: inv2 }, amount: '400.00' }],
    });
    expect(byRef.get(rows[1]['Payment #'])).toMatchObject({
      amount: '1100.00',
      method: 'WIRE',
      unappliedAmount: '0.00',
      applications: [
        { invoice: { number: inv1 }, amount: '1000.00' },
        { invoice: { number: inv2 }, amount: '100.00' },
      ],
    });
    expect((await t.ok(INVOICE, { n: inv1 })).invoice).toEqual({ openAmount: '0.00', paymentStatus: 'PAID' });
    expect((await t.ok(INVOICE, { n: inv2 })).invoice).toEqual({ openAmount: '0.00', paymentStatus: 'PAID' });

    // The same file again: recorded payments unchanged, nothing recorded twice.
    expect((await runCli(['push', 'payments', file, ...args])).code).toBe(1);
    expect((await t.ok(PAYMENTS)).payments.totalCount).toBe(2);
    // An answer lost (the numbers never reached the sheet): the hidden Document Id finds the payments already recorded.
    const numbers = rows.map((r) => r['Payment #']);
    await runCli(['push', 'payments', lost, ...args]);
    rows = await readSheet(lost, 'Payments');
    expect(rows.slice(0, 2).map((r) => r['Payment #'])).toEqual(numbers.slice(0, 2));
    expect(rows.slice(0, 2).map((r) => r.Status)).toEqual(['OK', 'OK']);
    expect((await t.ok(PAYMENTS)).payments.totalCount).toBe(2);
  });

  it('pulls payments with their applications and unapplied amount; pushed back unedited they are unchanged, edited they are refused', async () => {
    const file = path.join(dir, 'pulled.xlsx');
    const { code, out } = await runCli(['pull', 'payments', '--customer', 'PAYER', '--out', file, ...args]);
    expect(code, out).toBe(0);
    const rows = await readSheet(file, 'Payments');
    expect(Object.keys(rows[0]).slice(0, TABLE_COLUMNS.Payments.length)).toEqual([...TABLE_COLUMNS.Payments]);
    // Newest first: B's two applications, then A's one.
    expect(rows.map((r) => [r['Invoice #'], r.Applied])).toEqual([
      [inv1, 1000],
      [inv2, 100],
      [inv2, 400],
    ]);
    expect(rows[0].Message).toBe('pulled from the server: POSTED: applied to 2 invoice(s), 0.00 unapplied');
    expect(rows[2].Message).toBe('pulled from the server: POSTED: applied to 1 invoice(s), 200.00 unapplied');
    expect(rows[2]).toMatchObject({ Customer: 'PAYER', Amount: 600, Method: 'CHECK', Reference: 'CHK 1001' });

    expect((await runCli(['push', 'payments', file, ...args])).code).toBe(0);
    expect((await readSheet(file, 'Payments')).map((r) => r.Status)).toEqual(['OK', 'OK', 'OK']);
    await fillColumn(file, 'Payments', 'Amount', 650);
    const edited = await runCli(['push', 'payments', file, ...args]);
    expect(edited.code).toBe(1);
    const after = await readSheet(file, 'Payments');
    expect(after[2].Status).toBe('ERROR');
    expect(after[2].Message).toMatch(/^Payment #: PMT-\d{6} is posted: a recorded payment is not edited \(Amount differ\)/);
    expect((await t.ok(PAYMENTS)).payments.totalCount).toBe(2);
  });
});
