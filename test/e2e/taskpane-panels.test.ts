// The other panels of the task pane in headless Chromium, with the stand-in Excel host, against a real
// server: Purchase Orders push, Purchase Needs pull, Invoices pull and invoice sheet, and cancelling a push.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns, type TableName } from '../../addin/sheets/tables';
import { confirm, isoDate, prebookInStaging } from '../support/billing';
import { startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

type FakeWorkbook = { tables: Record<string, { header: string[]; rows: unknown[][]; fills?: Record<string, string | null> }>; sheets?: Record<string, { ranges: Record<string, Record<string, unknown>> }> };

describe('task pane panels in a browser', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t, browser } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  /** The task pane on a panel, over a fake workbook holding these tables. */
  async function openPane(tab: string, tables: Partial<Record<TableName, unknown[][]>>): Promise<Page> {
    const workbook: FakeWorkbook = { tables: {} };
    for (const [name, rows] of Object.entries(tables)) workbook.tables[name] = { header: allColumns(name as TableName), rows: rows as unknown[][] };
    const page = await browser.newPage({ viewport: { width: 360, height: 720 } });
    await page.route('**/appsforoffice.microsoft.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await page.addInitScript(
      ({ connection, workbook }) => {
        window.localStorage.setItem('stemline.connection', JSON.stringify(connection));
        (window as unknown as { __workbook: unknown }).__workbook = workbook;
      },
      { connection: { serverUrl: t.url, token: t.adminToken }, workbook },
    );
    await page.addInitScript({ path: 'test/e2e/fake-excel.js' });
    await page.goto(`${t.url}/taskpane.html`);
    await page.getByTestId(`tab-${tab}`).click();
    return page;
  }

  const workbookOf = (page: Page) => page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
  const outcomeOf = (page: Page) => page.getByTestId('task-outcome').innerText().catch(() => '');
  const row = (table: TableName, values: Record<string, unknown>) => allColumns(table).map((c) => values[c] ?? '');

  it('pushes a PurchaseOrders table: PO #, Status and Message per row, errors highlighted', async () => {
    const base = { Ref: 'P1', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-02-05' };
    const page = await openPane('purchaseOrders', {
      PurchaseOrders: [
        row('PurchaseOrders', { ...base, Product: 'ROSE-FREEDOM-50', Boxes: 5, 'Unit Cost': 0.38 }),
        row('PurchaseOrders', { ...base, Product: 'CARN-WHITE', Boxes: 2, 'Unit Cost': 0.09 }),
        row('PurchaseOrders', { Ref: 'P2', Vendor: 'NOBODY', Location: 'MIA', 'Ship Date': '2027-02-05', Product: 'VASE-20', Boxes: 1, 'Unit Cost': 1 }),
      ],
    });
    await page.getByTestId('push-PurchaseOrders').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 row(s) OK, 1 with errors');
    const table = (await workbookOf(page)).tables.PurchaseOrders;
    const col = (name: string) => table.header.indexOf(name);
    expect(table.rows.map((r) => [r[col('PO #')], r[col('Status')]])).toEqual([
      ['PO-000001', 'OK'],
      ['PO-000001', 'OK'],
      ['', 'ERROR'],
    ]);
    expect(String(table.rows[2][col('Message')])).toContain('NOBODY');
    expect(table.rows[0][col('Version')]).toBe(1);
    expect(table.fills).toEqual({ '0': null, '1': null, '2': '#FDE2E1' });
    const server = await t.ok(`{ purchaseOrders(filter: { number: "PO-000001" }) { nodes { lines { boxes } } } }`);
    expect(server.purchaseOrders.nodes[0].lines.map((l: { boxes: number }) => l.boxes)).toEqual([5, 2]);
    await page.screenshot({ path: 'test-results/taskpane-purchase-orders.png' });
    await page.close();
  }, 60_000);

  it('pulls purchase needs into the PurchaseOrders table, below the rows already there', async () => {
    const saved = await t.ok(`mutation { savePrebooks(input: [{ customer: "BLOOMS", carrier: "FEDEX", truckDate: "${isoDate(12)}",
      lines: [{ product: "ROSE-FREEDOM-50", boxes: 3, unitsPerBox: 100, vendor: "ROSAS", vendorCost: "0.41" }, { product: "VASE-20", boxes: 2, unitsPerBox: 12 }] }]) { prebooks { number } errors { code } } }`);
    const number = saved.savePrebooks.prebooks[0].number;
    const kept = row('PurchaseOrders', { Ref: 'MINE', Vendor: 'VASECO', Product: 'VASE-20', Boxes: 1 });
    const page = await openPane('needs', { PurchaseOrders: [kept] });
    await page.getByLabel('Customer (optional)').fill('BLOOMS');
    await page.getByRole('button', { name: 'Pull needs into Purchase Orders' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 need(s) added to PurchaseOrders');
    const table = (await workbookOf(page)).tables.PurchaseOrders;
    const col = (name: string) => table.header.indexOf(name);
    expect(table.rows[0]).toEqual(kept);
    expect(table.rows.slice(1).map((r) => [r[col('Prebook #')], r[col('Product')], r[col('Boxes')], r[col('Vendor')], r[col('Unit Cost')]])).toEqual([
      [number, 'ROSE-FREEDOM-50', 3, 'ROSAS', 0.41],
      [number, 'VASE-20', 2, '', ''],
    ]);
    await page.screenshot({ path: 'test-results/taskpane-purchase-needs.png' });
    await page.close();
  }, 60_000);

  it('pulls invoices into the Invoices table and opens one as its own sheet with totals, cost and GPM', async () => {
    const staged = await prebookInStaging(t, { customer: 'FRESHMART', truckDate: isoDate(15), customerPo: 'FM-77', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80', cost: '0.50' }] });
    const [result] = await confirm(t, staged.labels);
    const number = result.billing!.invoiceNumbers[0];
    const page = await openPane('invoices', { Invoices: [] });
    await page.getByLabel('Customer').fill('FRESHMART');
    await page.getByRole('button', { name: 'Pull invoices' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('invoice(s)');
    let workbook = await workbookOf(page);
    const table = workbook.tables.Invoices;
    const col = (name: string) => table.header.indexOf(name);
    const mine = table.rows.find((r) => r[col('Invoice #')] === number)!;
    expect([mine[col('Customer')], mine[col('Customer PO')], mine[col('Units')], mine[col('Unit Price')], mine[col('Amount')], mine[col('Unit Cost')], mine[col('GPM %')]]).toEqual(['FRESHMART', 'FM-77', 200, 0.8, 160, 0.5, 37.5]);

    await page.getByLabel('Invoice #').fill(number);
    await page.getByRole('button', { name: 'Open as a sheet' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('is open on its own sheet');
    workbook = await workbookOf(page);
    const values = Object.values(workbook.sheets![number].ranges).find((r) => r.values)!.values as unknown[][];
    expect(values[0][0]).toBe(`Invoice ${number}`);
    expect(values[6]).toEqual([1, 'Rose Freedom 50cm (ROSE-FREEDOM-50)', 2, 200, 0.8, 160, 100, 37.5]);
    expect(values.at(-1)).toEqual(['', 'Total', '', '', '', 160, 100, 37.5]);
    await page.screenshot({ path: 'test-results/taskpane-invoices.png' });
    await page.close();
  }, 60_000);

  it('shows progress on a long push and stops at the next chunk when cancelled', async () => {
    // 2,500 lines in 250 prebooks: three requests of at most 1,000 lines. The second waits until the
    // cancel button is clicked, so the test decides where the push stops, not the clock.
    const rows = Array.from({ length: 2500 }, (_, i) =>
      row('Prebooks', { Ref: `R${Math.floor(i / 10)}`, Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-03-01', Product: ['ROSE-FREEDOM-50', 'CARN-WHITE', 'VASE-20'][i % 3], Boxes: 1, 'Units/Box': [100, 500, 12][i % 3] }),
    );
    const page = await openPane('prebooks', { Prebooks: rows });
    let pushes = 0;
    let release: () => void = () => {};
    const cancelled = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/graphql', async (route) => {
      if (route.request().postData()?.includes('savePrebooks') && ++pushes === 2) await cancelled;
      await route.continue();
    });
    await page.getByTestId('push-Prebooks').click();
    await expect.poll(() => pushes, { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('task-progress').innerText()).toMatch(/Pushing/);
    await page.getByTestId('cancel').click();
    release();
    await expect.poll(() => outcomeOf(page), { timeout: 60_000 }).toMatch(/not sent \(cancelled\)/);
    expect(pushes).toBe(2);
    const table = (await workbookOf(page)).tables.Prebooks;
    const col = (name: string) => table.header.indexOf(name);
    const statuses = table.rows.map((r) => r[col('Status')]);
    const sent = statuses.filter((s) => s === 'OK').length;
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(sent).toBeLessThanOrEqual(2000);
    expect(statuses.slice(sent)).toEqual(Array(2500 - sent).fill('CANCELLED'));
    const server = await t.ok(`{ prebooks(filter: { customer: "BLOOMS", truckDateFrom: "2027-03-01", truckDateTo: "2027-03-01" }) { totalCount } }`);
    expect(server.prebooks.totalCount).toBe(sent / 10);
    await page.screenshot({ path: 'test-results/taskpane-cancelled.png' });
    await page.close();
  }, 120_000);
});
