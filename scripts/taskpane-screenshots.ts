// The README's pictures of the task pane (docs/taskpane-*.png), as a buyer sees it: the add-in built with
// Vite, served by a real server on an embedded PostgreSQL holding the demo catalogue (as npm start makes
// it), in headless Debian Chromium over the stand-in Excel host of the browser tests (test/e2e/fake-excel.js).
// The browser set-up is the browser tests' own (taskpane-browser.ts); their harness needs vitest's run.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { allColumns, type TableName } from '../addin/sheets/tables';
import { setCompanyClock } from '../server/src/common/today';
import { startEmbeddedPostgres } from '../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../server/src/db/orm';
import { seedDemoCatalogue } from '../server/src/demo/demo-catalogue';
import { createLogger } from '../server/src/logger';
import { listen } from '../server/src/server';
import { buildAddin, launchChromium, openTab, openTaskpane } from './taskpane-browser';

/** CSS pixels; Excel's task pane is 350 to 450 wide. Drawn at twice that, for high-density screens. */
export const PANE_WIDTH = 380;
export const SCALE = 2;

/** Every picture drawn, with the caption the README gives it. */
export const TASKPANE_PICTURES = [
  { file: 'taskpane-prebooks-errors.png', caption: 'Prebooks after a push with errors: the amber outcome and a link to each row to fix' },
  {
    file: 'taskpane-staging.png',
    caption: 'Staging: boxes pulled, marked in the Confirm column and confirmed; Print labels prints the box labels of the selected rows',
  },
  { file: 'taskpane-invoices.png', caption: 'Invoices: pulled by customer, and one opened as the customer invoice sheet' },
] as const;

type Workbook = { tables: Record<string, { header: string[]; rows: unknown[][]; address?: string }> };

const row = (table: TableName, values: Record<string, unknown>) => allColumns(table).map((c) => values[c] ?? '');

/** Writes the TASKPANE_PICTURES into `out`; returns their paths. */
export async function taskpaneScreenshots(out: string): Promise<string[]> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'docs-taskpane-'));
  const cleanup: Array<() => Promise<unknown>> = [() => fs.rm(work, { recursive: true, force: true })];
  // The pictured sheets carry fixed truck dates (2027-02-10): the company's today is fixed before them, so the pictures stay the same.
  setCompanyClock(() => new Date('2026-12-07T12:00:00Z'));
  cleanup.push(async () => setCompanyClock(null));
  try {
    const addin = path.join(work, 'addin');
    await buildAddin(addin);
    const database = await startEmbeddedPostgres({ dataDir: path.join(work, 'pg'), persistent: false, database: 'stemline' });
    cleanup.unshift(() => database.stop());
    const orm = await initOrm(database.url, { debug: false });
    cleanup.unshift(() => orm.close());
    await migrate(orm);
    const logger = createLogger('silent');
    await seedDemoCatalogue(orm, logger);
    const token = `docs-${crypto.randomBytes(12).toString('hex')}`;
    const server = await listen({ orm, logger, port: 0, host: '127.0.0.1', adminToken: token, staticDir: addin });
    cleanup.unshift(() => server.close());
    const gql = async (query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
      if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    };
    const browser = await launchChromium();
    cleanup.unshift(() => browser.close());
    await fs.mkdir(out, { recursive: true });
    const shot = async (page: Page, file: string) => {
      await page.mouse.move(0, 0); // no button drawn as hovered
      await page.waitForTimeout(400); // let Fluent's transitions finish
      const target = path.join(out, file);
      await page.screenshot({ path: target, fullPage: true }); // the whole panel: as tall as its content
      await page.close();
      return target;
    };
    const pane = { browser, url: server.url, token };

    // 1. A buyer's Prebooks sheet with three mistakes among good rows: Push saves the good documents only.
    const truck = '2027-02-10';
    const base = { Customer: 'FRESHMART', 'Ship To': 'DC-ATL', Carrier: 'ARMELLINI', 'Truck Date': truck, 'Customer PO': 'FM-7781' };
    const prebooks = [
      row('Prebooks', { ...base, Ref: 'A', Product: 'ROSE-FREEDOM-50-RED', Boxes: 4, Price: 0.85 }),
      row('Prebooks', { ...base, Ref: 'A', Product: 'CARN-FANCY-RED', Boxes: 1, Price: 0.32 }),
      row('Prebooks', { ...base, Ref: 'B', Customer: 'BLOOMS-NYC', 'Ship To': '', Product: 'HYDRANGEA-WHITE-SELECT', Boxes: 2, Price: 2.1 }),
      row('Prebooks', { ...base, Ref: 'C', Customer: 'FRESHMARKET', Product: 'ROSE-VENDELA-50-WHITE', Boxes: 2, Price: 0.8 }),
      row('Prebooks', { ...base, Ref: 'D', Customer: 'PETALS-MIAMI', 'Ship To': '', Product: 'TULIP-RED', Boxes: 1, Price: 0.6 }),
      row('Prebooks', { ...base, Ref: 'D', Customer: 'PETALS-MIAMI', 'Ship To': '', Product: 'GYPSO-XLENCE-750G', Boxes: 1 }),
      row('Prebooks', {
        ...base,
        Ref: 'E',
        Customer: 'GREENGROCER',
        'Ship To': 'DC-NJ',
        'Truck Date': '03/04/2027',
        Product: 'SPRAY-MIMI-PINK',
        Boxes: 3,
        Price: 1.45,
      }),
    ];
    let page = await openPane(pane, { tables: { Prebooks: { header: allColumns('Prebooks'), rows: prebooks, address: 'A4:Z4' } } });
    await openTab(page, 'prebooks');
    await page.getByTestId('push-Prebooks').click();
    await outcome(page, /with errors/);
    const written = [await shot(page, TASKPANE_PICTURES[0].file)];

    // 2. The FreshMart prebook bought and shipped: its boxes wait in staging. The buyer pulls them,
    //    marks them in the Confirm column and confirms (which bills them: the invoice of picture 3).
    const saved = await gql(`query($c: String) { prebooks(filter: { customer: $c }) { nodes { lines { id } } } }`, { c: 'FRESHMART' });
    const lineIds: string[] = saved.prebooks.nodes.flatMap((p: { lines: Array<{ id: string }> }) => p.lines.map((l) => l.id));
    const po = await gql(
      `mutation($input: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $input) { purchaseOrders { number lines { id boxes } } errors { message } } }`,
      { input: { vendor: 'ROSAS-SABANA', location: 'MIA', prebookLines: lineIds.map((id) => ({ id, unitCost: '0.40' })) } },
    );
    for (const order of po.createPurchaseOrdersFromPrebooks.purchaseOrders) {
      await gql(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { errors { message } } }`, {
        input: {
          purchaseOrder: order.number,
          awb: '369-12345675',
          lines: order.lines.map((l: { id: string; boxes: number }) => ({ poLine: l.id, boxes: l.boxes })),
        },
      });
    }
    page = await openPane(pane, { tables: { Staging: { header: allColumns('Staging'), rows: [] } } });
    await openTab(page, 'staging');
    await page.getByRole('button', { name: 'Pull' }).click();
    await outcome(page, /staged box/);
    await page.evaluate(() => {
      const staging = (window as unknown as { __workbook: Workbook }).__workbook.tables.Staging;
      const confirm = staging.header.indexOf('Confirm');
      for (const r of staging.rows) r[confirm] = 'x';
    });
    await page.getByTestId('confirm-Staging').click();
    await outcome(page, /confirmed/);
    written.push(await shot(page, TASKPANE_PICTURES[1].file));

    // 3. The invoice that confirming made, pulled into the Invoices list and opened as its own sheet.
    const invoices = await gql(`query { invoices(filter: { customer: "FRESHMART" }) { nodes { number } } }`);
    const number: string = invoices.invoices.nodes[0].number;
    page = await openPane(pane, { tables: { Invoices: { header: allColumns('Invoices'), rows: [] } } });
    await openTab(page, 'invoices');
    await page.getByLabel('Customer').fill('FRESHMART');
    await page.getByRole('button', { name: 'Pull invoices' }).click();
    await outcome(page, /invoice\(s\)/);
    await page.getByLabel('Invoice #').fill(number);
    await page.getByRole('button', { name: 'Open as a sheet' }).click();
    await outcome(page, /is open on its own sheet/);
    written.push(await shot(page, TASKPANE_PICTURES[2].file));
    return written;
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}

/** The task pane in a new page over a stand-in Excel holding `workbook`, already connected to the server. */
function openPane(pane: { browser: Browser; url: string; token: string }, workbook: Workbook): Promise<Page> {
  const connection = { serverUrl: pane.url, token: pane.token };
  return openTaskpane(pane.browser, { url: pane.url, connection, workbook, width: PANE_WIDTH, height: 400, deviceScaleFactor: SCALE });
}

/** Waits for the task's outcome; fails with what the pane says when it is not the expected one. */
async function outcome(page: Page, expected: RegExp): Promise<void> {
  const bar = page.getByTestId('task-outcome');
  const deadline = Date.now() + 60_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await bar.innerText({ timeout: 1_000 }).catch(() => '');
    if (expected.test(text) && !(await page.getByTestId('task-progress').count())) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`the task pane said "${text}", not ${expected}`);
}
