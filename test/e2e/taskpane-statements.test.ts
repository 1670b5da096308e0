// Customer statements from the task pane in headless Chromium, with the stand-in Excel host, against a real
// server: the Invoices panel opens one printable sheet per customer, each numbering its own pages.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { stockBoxes } from '../support/receiving';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

type FakeWorkbook = { sheets?: Record<string, { ranges: Record<string, { values?: unknown[][] }>; pageLayout: Record<string, any> }> };

describe('customer statements in the task pane', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
    await t.ok(`mutation {
      updateSettings(input: { companyName: "Stemline Demo Florist" }) { errors { message } }
      upsertCustomers(input: [{ code: "BLOOMS", paymentTermsDays: 30 }, { code: "FRESHMART", paymentTermsDays: 30 }]) { errors { message } }
    }`);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40' });
    for (const [customer, label] of [
      ['BLOOMS', roses[0]],
      ['FRESHMART', roses[1]],
    ]) {
      const data = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number } } }`, {
        input: { customer, truckDate: '2027-05-03', lines: [{ labels: [label], unitPrice: '2.00' }] },
      });
      const number = data.createInvoice.invoice.number;
      await t.ok(`mutation { confirmInvoice(number: "${number}") { errors { code } } }`);
      await t.orm.em.getConnection().execute(`update invoice set invoice_date = '2027-05-03' where number = ?`, [number]);
    }
  }, 180_000);
  afterAll(() => harness?.close());

  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');

  it('opens the statements of two customers, one sheet each, with the closing balance and page X of Y', async () => {
    const page = await harness.openPane({ tables: { Invoices: { header: allColumns('Invoices'), rows: [] } } });
    await openTab(page, 'invoices');
    await page.getByTestId('statement-customers').fill('BLOOMS, FRESHMART');
    await page.getByTestId('statement-from').fill('2027-05-01');
    await page.getByTestId('statement-to').fill('2027-05-31');
    await page.getByTestId('open-statements').click();
    await expect
      .poll(() => outcomeOf(page), { timeout: 30_000 })
      .toContain('2 statement(s) to 2027-05-31 open, one sheet each (closing balances: BLOOMS 200.00, FRESHMART 200.00)');
    const workbook = await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
    for (const code of ['BLOOMS', 'FRESHMART']) {
      const sheet = workbook.sheets![`Statement ${code}`];
      const values = Object.values(sheet.ranges).find((r) => r.values)!.values!;
      expect(values[0][0]).toBe('Stemline Demo Florist');
      expect(values[0]).toContain('STATEMENT');
      const closing = values.find((row) => row[0] === 'Closing balance')!;
      expect(closing.at(-1)).toBe(200);
      expect(sheet.pageLayout).toMatchObject({ orientation: 'Portrait', footers: { center: 'Page &P of 1' } });
    }
    await page.getByTestId('statement-type').selectOption('OPEN_ITEMS');
    await page.getByTestId('statement-customers').fill('NOPE');
    await page.getByTestId('open-statements').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('unknown customer "NOPE"');
    await page.screenshot({ path: 'test-results/taskpane-statements.png' });
    await page.close();
  }, 60_000);
});
