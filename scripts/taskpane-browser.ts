// The task pane in headless Debian Chromium over the stand-in Excel host (test/e2e/fake-excel.js): shared by
// the browser tests (test/support/taskpane-harness.ts) and the README's screenshots (taskpane-screenshots.ts).
// No vitest here: the screenshots run under plain node.
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds the add-in with Vite into `outDir`. */
export async function buildAddin(outDir: string): Promise<void> {
  await build({ configFile: 'addin/vite.config.ts', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH; .ci/run installs it in CI.`);
  }
  return chromium.launch({
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
}

export interface PaneOptions {
  /** The server that serves taskpane.html. */
  url: string;
  /** The stored connection; null: none (the Connection panel opens). */
  connection: { serverUrl: string; token: string } | null;
  /** What the fake Excel host holds. */
  workbook: object;
  width: number;
  height: number;
  deviceScaleFactor?: number;
  /**
   * Where the page runs: in Excel (the fake Excel host, the default); in a web browser where Office.js loaded
   * and says it is in no Office host ('browser'); or where Office.js did not load at all ('no-office').
   */
  host?: 'excel' | 'browser' | 'no-office';
}

/** The task pane in a new page, Office.js stubbed out and the fake Excel host in its place. */
export async function openTaskpane(browser: Browser, options: PaneOptions): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width, height: options.height }, deviceScaleFactor: options.deviceScaleFactor });
  await page.route('**/appsforoffice.microsoft.com/**', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
  await page.addInitScript(
    ({ connection, workbook }) => {
      if (connection) window.localStorage.setItem('stemline.connection', JSON.stringify(connection));
      (window as unknown as { __workbook: unknown }).__workbook = workbook;
    },
    { connection: options.connection, workbook: options.workbook },
  );
  const host = options.host ?? 'excel';
  if (host === 'excel') await page.addInitScript({ path: 'test/e2e/fake-excel.js' });
  if (host === 'browser') {
    // As office.js does in a plain browser tab: ready at once, with no host, and no Excel API.
    await page.addInitScript(() => {
      const info = { host: null, platform: null };
      (window as unknown as { Office: unknown }).Office = {
        onReady: (callback?: (i: typeof info) => void) => {
          callback?.(info);
          return Promise.resolve(info);
        },
      };
    });
  }
  await page.goto(`${options.url}/taskpane.html`);
  return page;
}

/**
 * Opens a tab of the task pane: clicked when it shows, else chosen under More (the tabs that do not fit the
 * pane's width); waits until it is the open one.
 */
export async function openTab(page: Page, key: string): Promise<void> {
  await page.locator('[data-testid="tabs"][data-measured="true"]').waitFor();
  const tab = page.getByTestId(`tab-${key}`);
  if (await tab.isVisible()) await tab.click();
  else {
    await page.getByTestId('tab-more').click();
    await page.getByTestId(`more-${key}`).click();
  }
  await page.locator(`[data-testid="tab-${key}"][aria-selected="true"]`).waitFor();
}
