// The Payments panel in headless Chromium, over the stand-in Excel host, against a real server: a clerk pushes
// the day's remittances, pushes again (nothing recorded twice), pulls them back, and opens the aging sheet.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { stockBoxes } from '../support/receiving';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

type FakeWorkbook = {
  tables: Record<string, { header: string[]; rows: unknown[][] }>;
  sheets?: Record<string, { ranges: Record<string, { values?: unknown[][] }> }>;
};

describe('task pane: the Payments panel', () => {
  let harness: TaskpaneHarness;
  const invoices: string[] = [];

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    const { t } = harness;
    await t.ok(`mutation { upsertCustomers(input: [{ code: "PANEPAY", name: "Pane Pay Florist", paymentTermsDays: 30 }]) { errors { message } } }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 10, unitCost: '0.40' });
    // 1,000.00 due Mar 31 and 500.00 due May 10.
    for (const [labels, price, date] of [
      [roses.slice(0, 5), '2.00', '2027-03-01'],
      [roses.slice(5), '1.00', '2027-04-10'],
    ] as const) {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer: 'PANEPAY', truckDate: date, lines: [{ labels, unitPrice: price }] },
      });
      const number = data.createInvoice.invoice.number;
      await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
      await t.orm.em.getConnection().execute(`update invoice set invoice_date = ? where number = ?`, [date, number]);
      invoices.push(number);
    }
  }, 180_000);
  afterAll(() => harness?.close());

  const header = allColumns('Payments');
  const row = (values: Record<string, unknown>) => header.map((c) => values[c] ?? '');
  const workbookOf = async (page: Page) => page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
  const cell = (r: unknown[], column: string) => r[header.indexOf(column)];
  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');
  const count = async () => (await harness.t.ok(`{ payments(filter: { customer: "PANEPAY" }) { totalCount } }`)).payments.totalCount;

  it('pushes a day of remittances, records nothing twice, pulls them with their applications, and opens the aging', async () => {
    const [inv1, inv2] = invoices;
    const rows = [
      row({ Ref: 'A', Customer: 'PANEPAY', Date: '2027-05-15', Amount: '600.00', Method: 'CHECK', Reference: 'CHK 1001', 'Invoice #': inv2, Applied: 400 }),
      row({ Ref: 'B', Customer: 'PANEPAY', Date: '2027-05-15', Amount: 300, Method: 'WIRE', Reference: 'FW 77' }),
      row({ Ref: 'C', Customer: 'PANEPAY', Date: '2027-05-15', Amount: 50, Method: 'CHEQUE' }),
    ];
    const page = await harness.openPane({ tables: { Payments: { header, rows } } }, { height: 1100 });
    await openTab(page, 'payments');
    await page.getByTestId('push-Payments').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 row(s) OK, 1 with errors');
    const pushed = (await workbookOf(page)).tables.Payments.rows;
    expect(cell(pushed[0], 'Payment #')).toMatch(/^PMT-\d{6}$/);
    expect(cell(pushed[2], 'Status')).toBe('ERROR');
    expect(cell(pushed[2], 'Message')).toBe('Method "CHEQUE" is not one of CHECK, WIRE, ACH, CARD, CASH, OTHER');
    expect(await count()).toBe(2);

    // Pushed again: nothing recorded twice.
    await page.getByTestId('push-Payments').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 row(s) OK, 1 with errors');
    expect(await count()).toBe(2);

    // Pulled: B (newest) paid the oldest due invoice; A's 200.00 is left unapplied.
    await page.getByTestId('filter-customer-Payments').fill('PANEPAY');
    await page.getByTestId('pull-Payments').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 payment(s) pulled: 2 refreshed in place');
    const pulled = (await workbookOf(page)).tables.Payments.rows;
    expect(pulled.map((r) => [cell(r, 'Ref'), cell(r, 'Invoice #'), cell(r, 'Applied'), cell(r, 'Message')])).toEqual([
      ['', inv2, 400, 'pulled from the server: POSTED: applied to 1 invoice(s), 200.00 unapplied'],
      ['', inv1, 300, 'pulled from the server: POSTED: applied to 1 invoice(s), 0.00 unapplied'],
      ['C', '', '', 'Method "CHEQUE" is not one of CHECK, WIRE, ACH, CARD, CASH, OTHER'],
    ]);

    // The aging as of May 15: INV-1's 700.00 left is 31–60 days past due; INV-2's 100.00 is 1–30.
    await page.getByTestId('aging-as-of').fill('2027-05-15');
    await page.getByTestId('aging-customer').fill('PANEPAY');
    await page.getByTestId('open-aging').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('The receivables aging as of 2027-05-15 is open on its own sheet: 1 customer(s)');
    const sheet = (await workbookOf(page)).sheets!.Aging;
    const cells = Object.values(sheet.ranges)
      .flatMap((r) => r.values ?? [])
      .flat();
    for (const expected of ['PANEPAY', 'Pane Pay Florist', 700, 100, 800, 200]) expect(cells).toContain(expected);
    await page.screenshot({ path: 'test-results/taskpane-payments.png', fullPage: true });
    await page.close();
  }, 120_000);
});
