// The task pane built with Vite, served by a real test server, in headless Debian Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { seedCatalogue } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface TaskpaneHarness {
  t: TestServer;
  browser: Browser;
  /**
   * The task pane in a new page, over the fake Excel host (test/e2e/fake-excel.js) holding `workbook`,
   * with a stored connection: the test server's ADMIN token unless another (or null, none) is given.
   */
  openPane(workbook: object, options?: { connection?: { serverUrl: string; token: string } | null; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

export async function startTaskpaneHarness(): Promise<TaskpaneHarness> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it in CI.`);
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-addin-'));
  await build({ configFile: 'addin/vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const t = await startTestServer({ staticDir: outDir });
  await seedCatalogue(t);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  fs.mkdirSync('test-results', { recursive: true });
  return {
    t,
    browser,
    async openPane(workbook, options = {}) {
      const connection = options.connection === undefined ? { serverUrl: t.url, token: t.adminToken } : options.connection;
      const page = await browser.newPage({ viewport: { width: 360, height: options.height ?? 720 } });
      await page.route('**/appsforoffice.microsoft.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
      await page.addInitScript(
        ({ connection, workbook }) => {
          if (connection) window.localStorage.setItem('stemline.connection', JSON.stringify(connection));
          (window as unknown as { __workbook: unknown }).__workbook = workbook;
        },
        { connection, workbook },
      );
      await page.addInitScript({ path: 'test/e2e/fake-excel.js' });
      await page.goto(`${t.url}/taskpane.html`);
      return page;
    },
    async close() {
      await browser.close();
      await t.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
