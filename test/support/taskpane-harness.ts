// The task pane built with Vite, served by a real test server, in headless Debian Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildAddin, launchChromium, openTaskpane, type PaneOptions } from '../../scripts/taskpane-browser';
import { setCompanyClock } from '../../server/src/common/today';
import { FIXTURE_TODAY } from './cli-workspace';
import { seedCatalogue } from './fixtures';
import { startTestServer, type TestServer } from './test-server';

export { openTab } from '../../scripts/taskpane-browser';

export interface TaskpaneHarness {
  t: TestServer;
  browser: Browser;
  /**
   * The task pane in a new page, over the fake Excel host (test/e2e/fake-excel.js) holding `workbook`,
   * with a stored connection: the test server's ADMIN token unless another (or null, none) is given.
   */
  openPane(
    workbook: object,
    options?: { connection?: { serverUrl: string; token: string } | null; height?: number; width?: number; host?: PaneOptions['host'] },
  ): Promise<Page>;
  close(): Promise<void>;
}

export async function startTaskpaneHarness(): Promise<TaskpaneHarness> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-addin-'));
  const browser = await launchChromium();
  let t: TestServer;
  // The workbooks carry fixed truck dates: the company's today is fixed as in the sheet tool's tests.
  setCompanyClock(() => new Date(`${FIXTURE_TODAY}T12:00:00Z`));
  try {
    await buildAddin(outDir);
    t = await startTestServer({ staticDir: outDir });
    await seedCatalogue(t);
  } catch (error) {
    await browser.close();
    throw error;
  }
  fs.mkdirSync('test-results', { recursive: true });
  return {
    t,
    browser,
    openPane(workbook, options = {}) {
      const connection = options.connection === undefined ? { serverUrl: t.url, token: t.adminToken } : options.connection;
      return openTaskpane(browser, { url: t.url, connection, workbook, width: options.width ?? 360, height: options.height ?? 720, host: options.host });
    },
    async close() {
      setCompanyClock(null);
      await browser.close();
      await t.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
