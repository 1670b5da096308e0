// The task pane as a buyer meets it: opened in a web browser instead of Excel, a connection that fails,
// a pane 350 to 450 px wide with thirteen tabs, and the Staging panel's customer filter.
import http from 'node:http';
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { isoDate, prebooksInStaging } from '../support/billing';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

const TAB_KEYS = [
  'prebooks',
  'purchaseOrders',
  'needs',
  'shipments',
  'staging',
  'invoices',
  'production',
  'inventory',
  'count',
  'credits',
  'priceLists',
  'payments',
  'connection',
];
/** What a buyer should never have to read: transport words, codes, a JavaScript error. */
const JARGON = /Bearer|Authorization|HTTP|graphql|UNAUTHENTICATED|fetch|ECONNREFUSED|is not defined|undefined|TypeError|ReferenceError/i;

describe('task pane: outside Excel, connection errors, a narrow pane, the staging customer filter', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  const text = (page: Page, testId: string) =>
    page
      .getByTestId(testId)
      .innerText()
      .catch(() => '');

  it.each([
    ['Office.js says it is in no host (a plain web browser)', 'browser'],
    ['Office.js did not load at all', 'no-office'],
  ] as const)(
    'opened in a web browser (%s), it says to open it from Excel and each action says so, never "Excel is not defined"',
    async (_, host) => {
      const page = await harness.openPane({ tables: {} }, { host, width: 380 });
      const notice = page.getByTestId('outside-excel');
      await notice.waitFor({ timeout: 30_000 });
      expect(await notice.innerText()).toContain("open it from Excel's Stemline button");
      // The connection can still be tested from here: the pane opens on it.
      expect(await page.getByTestId('tab-connection').getAttribute('aria-selected')).toBe('true');
      await page.getByTestId('test-connection').click();
      await expect.poll(() => text(page, 'connection-status'), { timeout: 30_000 }).toMatch(/^Connected as /);

      await openTab(page, 'prebooks');
      await page.getByTestId('push-Prebooks').click();
      await expect.poll(() => text(page, 'task-outcome'), { timeout: 30_000 }).toContain("open it from Excel's Stemline button");
      expect(await text(page, 'task-outcome')).not.toMatch(JARGON);
      expect(await page.locator('body').innerText()).not.toMatch(/is not defined/);
      await page.close();
    },
    60_000,
  );

  it('tells connection errors in a buyer’s words, the technical side folded away', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    // Another web service at the address typed (one that lets the pane's page call it): it has no /graphql.
    const website = http.createServer((req, res) => {
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization, content-type' };
      if (req.method === 'OPTIONS') res.writeHead(204, cors).end();
      else res.writeHead(404, { ...cors, 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    const websiteUrl = `http://127.0.0.1:${(website.address() as net.AddressInfo).port}`;
    const page = await harness.openPane({ tables: { Invoices: { header: allColumns('Invoices'), rows: [] } } }, { connection: null, width: 380 });
    const status = () => text(page, 'connection-status');
    const test = async (serverUrl: string, token: string, expected: string) => {
      await page.getByTestId('server-url').fill(serverUrl);
      await page.getByTestId('api-token').fill(token);
      await page.getByTestId('test-connection').click();
      await expect.poll(status, { timeout: 30_000 }).toBe(expected);
      // Web addresses (the one typed, an example of one) are the buyer's own words; the rest is plain.
      expect((await status()).replace(serverUrl, '').replace(/https?:\/\/\S+/g, '')).not.toMatch(JARGON);
    };
    try {
      await test(
        `http://127.0.0.1:${closedPort}`,
        t.adminToken,
        `Cannot reach the server at http://127.0.0.1:${closedPort}: check the address under Connection and that the server is running.`,
      );
      // The technical side is there for an administrator, folded away under the message.
      const detail = page.getByTestId('error-detail');
      expect(await detail.getAttribute('open')).toBeNull();
      await detail.locator('summary').click();
      expect(await detail.innerText()).toContain(`Cannot reach http://127.0.0.1:${closedPort}/graphql`);

      await test(t.url, 'not-a-token', 'The server refused this token: ask your administrator for a new one and paste it under Connection.');
      expect(await page.getByTestId('error-detail').textContent()).toContain('UNAUTHENTICATED');
      await test(websiteUrl, t.adminToken, `No Stemline server answers at ${websiteUrl}: check the address under Connection.`);
      await test(
        'localhost:4000',
        t.adminToken,
        '"localhost:4000" is not a server address: type it as your administrator gave it, such as https://stemline.example.com:4000, under Connection.',
      );
      await page.screenshot({ path: 'test-results/taskpane-connection-error.png' });

      // A panel's task with the refused token says it the same way.
      await test(t.url, 'not-a-token', 'The server refused this token: ask your administrator for a new one and paste it under Connection.');
      await openTab(page, 'invoices');
      await page.getByRole('button', { name: 'Pull invoices' }).click();
      await expect
        .poll(() => text(page, 'task-outcome'), { timeout: 30_000 })
        .toBe('The server refused this token: ask your administrator for a new one and paste it under Connection.');
    } finally {
      await page.close();
      await new Promise((resolve) => website.close(resolve));
    }
  }, 90_000);

  it.each([380, 350, 450])(
    'fits its thirteen tabs on one row at %i px: the rest under More, nothing wider than the pane, on every panel',
    async (width) => {
      const page = await harness.openPane({ tables: {} }, { width });
      for (const key of TAB_KEYS) {
        await openTab(page, key);
        const layout = await page.evaluate(() => {
          const box = (element: Element) => {
            const { left, right, top, bottom } = element.getBoundingClientRect();
            return { left, right, top, bottom };
          };
          const shown = (element: Element) => element.getBoundingClientRect().width > 0;
          const tabs = [...document.querySelectorAll('[role="tab"]')];
          const more = document.querySelector('[data-testid="tab-more"]');
          return {
            pane: document.documentElement.clientWidth,
            scrollWidth: document.documentElement.scrollWidth,
            list: box(document.querySelector('[role="tablist"]')!),
            tabs: tabs.map((tab) => ({ id: tab.getAttribute('data-testid')!, shown: shown(tab), ...box(tab) })),
            more: more && shown(more) ? box(more) : null,
          };
        });
        const shownTabs = layout.tabs.filter((tab) => tab.shown);
        const row = [...shownTabs, ...(layout.more ? [layout.more] : [])];
        // One row: every tab shown (and More) at the same height, none below another.
        expect(new Set(row.map((b) => Math.round(b.top))).size, `${width} px, ${key}: tabs on more than one row`).toBe(1);
        expect(new Set(row.map((b) => Math.round(b.bottom))).size).toBe(1);
        // Side by side, in order, inside the tab list and the pane.
        for (let i = 1; i < row.length; i++) expect(row[i].left).toBeGreaterThanOrEqual(row[i - 1].right - 0.5);
        for (const b of row) {
          expect(b.left).toBeGreaterThanOrEqual(layout.list.left - 0.5);
          expect(b.right).toBeLessThanOrEqual(layout.list.right + 0.5);
        }
        expect(layout.list.right).toBeLessThanOrEqual(layout.pane);
        expect(layout.scrollWidth, `${width} px, ${key}: the page scrolls sideways`).toBeLessThanOrEqual(layout.pane);
        // The open tab shows; what does not show is under More, once each.
        expect(shownTabs.map((tab) => tab.id)).toContain(`tab-${key}`);
        const hidden = layout.tabs.filter((tab) => !tab.shown).map((tab) => tab.id.replace('tab-', ''));
        if (hidden.length) {
          expect(layout.more).not.toBeNull();
          await page.getByTestId('tab-more').click();
          await page.getByRole('menu').waitFor();
          const items = await page.getByRole('menuitem').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-testid')!.replace('more-', '')));
          expect(items).toEqual(hidden);
          await page.keyboard.press('Escape');
          await page.getByRole('menu').waitFor({ state: 'detached' });
        } else expect(layout.more).toBeNull();
        expect(layout.tabs.map((tab) => tab.id)).toEqual(TAB_KEYS.map((k) => `tab-${k}`));
      }
      if (width === 380) {
        await openTab(page, 'staging');
        await page.screenshot({ path: 'test-results/taskpane-380-staging.png' });
        await page.getByTestId('tab-more').click();
        await page.getByRole('menu').waitFor();
        await page.waitForTimeout(300);
        await page.screenshot({ path: 'test-results/taskpane-380-more.png' });
      }
      await page.close();
    },
    120_000,
  );

  it('pulls only one customer’s staged boxes when the Customer filter is filled, as pull staging --customer does', async () => {
    await prebooksInStaging(t, [
      { customer: 'BLOOMS', truckDate: isoDate(21), lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3' }] },
      { customer: 'FRESHMART', truckDate: isoDate(21), lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, price: '3' }] },
    ]);
    const header = allColumns('Staging');
    const page = await harness.openPane({ tables: { Staging: { header, rows: [] } } }, { width: 380 });
    await openTab(page, 'staging');
    const pulled = async () =>
      (
        (await page.evaluate(
          () => (window as unknown as { __workbook: { tables: { Staging: { rows: unknown[][] } } } }).__workbook.tables.Staging.rows,
        )) as unknown[][]
      ).map((r) => [r[header.indexOf('Customer')], r[header.indexOf('Label')]]);
    const pull = async (expected: RegExp) => {
      await page.getByRole('button', { name: 'Pull', exact: true }).click();
      await expect.poll(() => text(page, 'task-outcome'), { timeout: 30_000 }).toMatch(expected);
    };

    await page.getByTestId('filter-customer-Staging').fill('BLOOMS');
    await pull(/^2 staged box\(es\)/);
    expect((await pulled()).map(([customer]) => customer)).toEqual(['BLOOMS', 'BLOOMS']);

    await page.getByTestId('filter-customer-Staging').fill('FRESHMART');
    await pull(/^1 staged box\(es\)/);
    expect((await pulled()).map(([customer]) => customer)).toEqual(['FRESHMART']);

    // An unknown customer is the server's own words, as the CLI prints them.
    await page.getByTestId('filter-customer-Staging').fill('NOBODY');
    await page.getByRole('button', { name: 'Pull', exact: true }).click();
    await expect.poll(() => text(page, 'task-outcome'), { timeout: 30_000 }).toContain('NOBODY');
    expect((await pulled()).map(([customer]) => customer)).toEqual(['FRESHMART']);
    await page.close();
  }, 60_000);
});
