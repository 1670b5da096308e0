// The Staging panel's Print labels button in headless Chromium, over the stand-in Excel host, against a real server.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { isoDate, prebookInStaging } from '../support/billing';
import { pdfBarcodes } from '../support/documents';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

describe('task pane: Print labels', () => {
  let harness: TaskpaneHarness;
  let labels: string[];

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    labels = (
      await prebookInStaging(harness.t, { customer: 'BLOOMS', truckDate: isoDate(5), lines: [{ product: 'VASE-20', boxes: 3, unitsPerBox: 12, price: '3' }] })
    ).labels;
  }, 180_000);
  afterAll(() => harness?.close());

  async function paneWithSelection(selection: { sheet?: string; rowIndex: number; rowCount: number }): Promise<Page> {
    const header = allColumns('Staging');
    const rows = labels.map((label) => header.map((c) => (c === 'Label' ? label : c === 'Vendor' ? 'ROSAS' : '')));
    const page = await harness.openPane({ tables: { Staging: { header, rows } } });
    await page.evaluate((s) => ((window as unknown as { __selection: unknown }).__selection = s), selection);
    await openTab(page, 'staging');
    return page;
  }

  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');

  it('opens a PDF of the selected rows labels, each page scanning to its box', async () => {
    // Sheet rows 2 and 3: the table's second and third data rows (the header is row 0).
    const page = await paneWithSelection({ rowIndex: 2, rowCount: 2 });
    const served = page.waitForResponse((response) => response.url().endsWith('/documents/box-labels'));
    const popup = page.context().waitForEvent('page');
    await page.getByTestId('print-labels').click();
    const response = await served;
    expect(response.status()).toBe(200);
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ labels: labels.slice(1) });
    expect(pdfBarcodes(await response.body())).toEqual(labels.slice(1).map((l) => [`CODE-128:${l}`]));
    await expect.poll(async () => (await popup).url(), { timeout: 10_000 }).toMatch(/^blob:/);
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('2 box label(s) opened as a PDF');
    await page.screenshot({ path: 'test-results/taskpane-print-labels.png' });
    await page.close();
  });

  it('says to select rows when the selection is outside the Staging table', async () => {
    const page = await paneWithSelection({ sheet: 'Other', rowIndex: 2, rowCount: 1 });
    await page.getByTestId('print-labels').click();
    await expect.poll(() => outcomeOf(page), { timeout: 10_000 }).toContain('Select rows of the Staging table first');
    await page.close();
  });
});
