// The Price Lists panel of the task pane in headless Chromium, with the stand-in Excel host, against a real
// server: pull the lists into the PriceLists table, edit a price, push it back; an error on its row.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

type FakeTable = { header: string[]; rows: unknown[][]; fills?: Record<string, string | null> };
type FakeWorkbook = { tables: Record<string, FakeTable> };

describe('task pane price lists in a browser', () => {
  let harness: TaskpaneHarness;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    const saved = await harness.t.ok(`mutation($input: [PriceListInput!]!) { savePriceLists(input: $input) { errors { message } } }`, {
      input: [
        {
          code: 'BLOOMS-PB',
          name: 'Blooms',
          kind: 'PREBOOK',
          customers: ['BLOOMS'],
          prices: [{ product: 'ROSE-FREEDOM-50', price: '0.65' }],
          seasons: [{ name: 'Valentine', from: '2028-02-01', to: '2028-02-14', prices: [{ product: 'ROSE-FREEDOM-50', price: '0.85' }] }],
        },
      ],
    });
    expect(saved.savePriceLists.errors).toEqual([]);
  }, 180_000);
  afterAll(() => harness?.close());

  const workbookOf = (page: Page) => page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');

  it('pulls the lists, pushes an edited price back, and marks a row the server refuses', async () => {
    const page = await harness.openPane({ tables: { PriceLists: { header: allColumns('PriceLists'), rows: [] } } });
    await openTab(page, 'priceLists');
    await page.getByTestId('pull-PriceLists').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('1 price list(s).');
    let table = (await workbookOf(page)).tables.PriceLists;
    const col = (name: string) => table.header.indexOf(name);
    expect(table.rows.map((r) => [r[col('List')], r[col('Season')], r[col('Product')], r[col('Price')]])).toEqual([
      ['BLOOMS-PB', '', 'ROSE-FREEDOM-50', 0.65],
      ['BLOOMS-PB', 'Valentine', 'ROSE-FREEDOM-50', 0.85],
    ]);

    await page.evaluate(() => {
      const t = (window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.PriceLists;
      t.rows[0][t.header.indexOf('Price')] = 0.66;
      const row = t.header.map(() => '' as unknown);
      row[t.header.indexOf('List')] = 'BLOOMS-PB';
      row[t.header.indexOf('Product')] = 'NOPE';
      row[t.header.indexOf('Price')] = 1;
      t.rows.push(row);
    });
    await page.getByTestId('push-PriceLists').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('0 price list(s) saved, 1 refused');
    table = (await workbookOf(page)).tables.PriceLists;
    expect(table.rows.map((r) => r[col('Status')])).toEqual(['ERROR', 'ERROR', 'ERROR']);
    expect(table.rows[2][col('Message')]).toBe('Product: unknown product "NOPE"');

    await page.evaluate(() => {
      (window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.PriceLists.rows.pop();
    });
    await page.getByTestId('push-PriceLists').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('1 price list(s) saved.');
    const server = await harness.t.ok(`{ priceList(code: "BLOOMS-PB") { prices { price } seasons { prices { price } } } }`);
    expect(server.priceList).toEqual({ prices: [{ price: '0.66' }], seasons: [{ prices: [{ price: '0.85' }] }] });
    await page.screenshot({ path: 'test-results/taskpane-price-lists.png' });
    await page.close();
  }, 90_000);
});
