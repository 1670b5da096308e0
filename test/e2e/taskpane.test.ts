// The task pane in headless Chromium, with a stand-in Excel host, pushing a Prebooks table to a real server.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { isoDate, prebookInStaging } from '../support/billing';
import { startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

describe('task pane in a browser', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t, browser } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  it('pushes a Prebooks table and writes Status, Message and Prebook # back into it', async () => {
    const header = allColumns('Prebooks');
    const row = (values: Record<string, unknown>) => header.map((c) => values[c] ?? '');
    const base = { Ref: 'A', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': '2027-02-10' };
    const workbook = {
      tables: {
        Prebooks: {
          header,
          rows: [
            row({ ...base, Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Units/Box': 100, Price: 0.85 }),
            row({ ...base, Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 750 }),
            row({ Ref: 'B', Customer: 'NOBODY', Carrier: 'ARMELLINI', 'Truck Date': '2027-02-10', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
          ],
        },
      },
    };
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
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
    await page.getByTestId('push-Prebooks').click();
    const outcome = page.getByTestId('task-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.innerText()).toContain('2 row(s) OK, 1 with errors');

    const rows = (await page.evaluate(() => (window as unknown as { __workbook: { tables: { Prebooks: { rows: unknown[][] } } } }).__workbook.tables.Prebooks.rows)) as unknown[][];
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => [r[col('Prebook #')], r[col('Status')], r[col('Message')]])).toEqual([
      ['PB-000001', 'OK', 'saved'],
      ['PB-000001', 'OK', 'saved'],
      ['', 'ERROR', 'Customer: unknown customer "NOBODY"'],
    ]);
    expect(rows[0][col('Version')]).toBe(1);
    const fills = await page.evaluate(() => (window as unknown as { __workbook: { tables: { Prebooks: { fills: Record<string, string | null> } } } }).__workbook.tables.Prebooks.fills);
    expect(fills).toEqual({ '0': null, '1': null, '2': '#FDE2E1' });
    await page.screenshot({ path: 'test-results/taskpane-prebooks.png' });
    const server = await t.ok(`{ prebooks { totalCount nodes { number lines { product { code } } } } }`);
    expect(server.prebooks.totalCount).toBe(1);
    await page.close();
  }, 60_000);

  it('pulls staging, previews and confirms the marked rows, writing Result and Invoice # per row', async () => {
    const staged = await prebookInStaging(t, { customer: 'BLOOMS', truckDate: isoDate(20), lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3' }] });
    const header = allColumns('Staging');
    const page = await browser.newPage({ viewport: { width: 360, height: 720 } });
    await page.route('**/appsforoffice.microsoft.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await page.addInitScript(
      ({ connection, header }) => {
        window.localStorage.setItem('stemline.connection', JSON.stringify(connection));
        (window as unknown as { __workbook: unknown }).__workbook = { tables: { Staging: { header, rows: [] } } };
      },
      { connection: { serverUrl: t.url, token: t.adminToken }, header },
    );
    await page.addInitScript({ path: 'test/e2e/fake-excel.js' });
    await page.goto(`${t.url}/taskpane.html`);
    await page.getByTestId('tab-staging').click();
    const outcome = page.getByTestId('task-outcome');
    const rows = () => page.evaluate(() => (window as unknown as { __workbook: { tables: { Staging: { rows: unknown[][] } } } }).__workbook.tables.Staging.rows) as Promise<unknown[][]>;
    const col = (name: string) => header.indexOf(name);

    await page.getByRole('button', { name: 'Pull' }).click();
    await expect.poll(async () => (await outcome.innerText().catch(() => '')).includes('staged box')).toBe(true);
    const pulled = await rows();
    expect(pulled.map((r) => r[col('Label')]).sort()).toEqual([...staged.labels].sort());
    expect(pulled[0][col('Customer')]).toBe('BLOOMS');

    await page.evaluate((confirmColumn) => {
      const table = (window as unknown as { __workbook: { tables: { Staging: { rows: unknown[][] } } } }).__workbook.tables.Staging;
      table.rows[0][confirmColumn] = 'x';
    }, col('Confirm'));
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(async () => (await outcome.innerText().catch(() => '')).includes('would be confirmed')).toBe(true);
    let after = await rows();
    expect([after[0][col('Result')], after[0][col('Invoice #')]]).toEqual(['WOULD BILL', '(new invoice 1)']);
    expect(after[1][col('Result')]).toBe('');

    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(async () => (await outcome.innerText().catch(() => '')).includes('1 box(es) confirmed')).toBe(true);
    after = await rows();
    expect(after[0][col('Result')]).toBe('BILLED');
    expect(String(after[0][col('Invoice #')])).toMatch(/^INV-\d{6}$/);
    await expect.poll(() => page.getByRole('button', { name: 'Pull' }).isEnabled()).toBe(true);
    await page.waitForTimeout(400); // let Fluent's enable transition finish, for the picture only
    await page.screenshot({ path: 'test-results/taskpane-staging.png' });
    await page.close();
  }, 60_000);
});
