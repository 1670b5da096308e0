// The availability list from the task pane in headless Chromium, with the stand-in Excel host, against a real
// server: the Invoices panel opens the list priced for the customer as its own printable sheet, no cost.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { shipBoxes } from '../server/modules/stock/stock-support';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

type FakeWorkbook = { sheets?: Record<string, { ranges: Record<string, { values?: unknown[][] }>; pageLayout: Record<string, any> }> };

describe('the availability list in the task pane', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
    await t.ok(`mutation {
      updateSettings(input: { companyName: "Stemline Demo Florist" }) { errors { message } }
      upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "20" }]) { errors { message } }
    }`);
    // Far in the future, so the boxes are in transit whatever today is: a cost (0.4137) no price can equal.
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.4137', arrivalDate: '2099-03-01', confirm: false });
  }, 180_000);
  afterAll(() => harness?.close());

  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');

  it("opens the customer's availability list as its own sheet, priced for it, set up to print, no cost", async () => {
    const page = await harness.openPane({ tables: { Invoices: { header: allColumns('Invoices'), rows: [] } } });
    await openTab(page, 'invoices');
    await page.getByLabel('Customer').fill('BLOOMS');
    await page.getByTestId('open-availability').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('availability list for BLOOMS (1 product) is open on its own sheet');
    const workbook = await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
    const sheet = workbook.sheets!['Availability BLOOMS'];
    const values = Object.values(sheet.ranges).find((r) => r.values)!.values!;
    expect(values[0][0]).toBe('Stemline Demo Florist');
    expect(values[0]).toContain('AVAILABILITY');
    const header = values.findIndex((row) => row[0] === 'Product');
    expect(values[header]).toEqual(['Product', 'Box', 'On hand boxes', 'On hand units', 'Arriving', 'Boxes', 'Units', 'Price / unit', 'Price basis']);
    // 0.4137 at BLOOMS's 20 % target: 0.5171 -> 0.52, a quote (no list prices roses).
    expect(values[header + 1]).toEqual(['Rose Freedom 50cm (ROSE-FREEDOM-50)', 'QB', 0, 0, 'Mar 1, 2099', 2, 200, 0.52, 'Quote']);
    expect(values.flat()).not.toContain(0.4137);
    expect(sheet.pageLayout).toMatchObject({ orientation: 'Portrait', footers: { center: 'Page &P of 1' } });
    // On hand only: nothing is on hand.
    await page.getByLabel('On hand only').check();
    await page.getByTestId('open-availability').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('(0 products)');
    await page.screenshot({ path: 'test-results/taskpane-availability.png' });
    await page.close();
  }, 60_000);
});
