// The task pane in headless Chromium, with a stand-in Excel host, pushing a Prebooks table to a real server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { seedCatalogue } from '../support/fixtures';
import { startTestServer, type TestServer } from '../support/test-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('task pane in a browser', () => {
  let t: TestServer;
  let browser: Browser;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-addin-'));

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it in CI.`);
    }
    await build({ configFile: 'addin/vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    t = await startTestServer({ staticDir: outDir });
    await seedCatalogue(t);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

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
    fs.mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/taskpane-prebooks.png' });
    const server = await t.ok(`{ prebooks { totalCount nodes { number lines { product { code } } } } }`);
    expect(server.prebooks.totalCount).toBe(1);
    await page.close();
  }, 60_000);
});
