// The other panels of the task pane in headless Chromium, with the stand-in Excel host, against a real
// server: Purchase Orders push, Purchase Needs pull, Invoices pull and invoice sheet, and cancelling a push.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_CHUNK_LINES } from '../../addin/sheets/push';
import { allColumns, type TableName } from '../../addin/sheets/tables';
import { confirm, isoDate, prebookInStaging } from '../support/billing';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

type FakeTable = { header: string[]; rows: unknown[][]; fills?: Record<string, string | null>; columnFormats?: Record<string, string> };
type FakeWorkbook = { tables: Record<string, FakeTable>; sheets?: Record<string, { ranges: Record<string, Record<string, unknown>> }> };

describe('task pane panels in a browser', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  /** The task pane on a panel, over a fake workbook holding these tables (rows under the standard header, or a table of the buyer's own layout). */
  async function openPane(tab: string, tables: Partial<Record<TableName, unknown[][] | FakeTable>>): Promise<Page> {
    const workbook: FakeWorkbook = { tables: {} };
    for (const [name, rows] of Object.entries(tables)) workbook.tables[name] = Array.isArray(rows) ? { header: allColumns(name as TableName), rows } : rows;
    const page = await harness.openPane(workbook);
    await openTab(page, tab);
    return page;
  }

  const workbookOf = (page: Page) => page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
  const outcomeOf = (page: Page) =>
    page
      .getByTestId('task-outcome')
      .innerText()
      .catch(() => '');
  const row = (table: TableName, values: Record<string, unknown>) => allColumns(table).map((c) => values[c] ?? '');

  it('pushes a PurchaseOrders table: PO #, Status and Message per row, errors highlighted', async () => {
    const base = { Ref: 'P1', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-02-05' };
    const page = await openPane('purchaseOrders', {
      PurchaseOrders: [
        row('PurchaseOrders', { ...base, Product: 'ROSE-FREEDOM-50', Boxes: 5, 'Unit Cost': 0.38 }),
        row('PurchaseOrders', { ...base, Product: 'CARN-WHITE', Boxes: 2, 'Unit Cost': 0.09 }),
        // A date the pane cannot read and a vendor only the server knows is unknown: both reported by one push.
        row('PurchaseOrders', { Ref: 'P2', Vendor: 'NOBODY', Location: 'MIA', 'Ship Date': '31/31/2027', Product: 'VASE-20', Boxes: 1, 'Unit Cost': 1 }),
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
    expect(table.rows[2][col('Message')]).toBe(
      'Ship Date "31/31/2027" is not a date: neither month/day nor day/month is a real date; Vendor: unknown vendor "NOBODY"',
    );
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

  it("pulls by header name into tables whose columns the buyer reordered, keeping the buyer's own columns", async () => {
    const staged = await prebookInStaging(t, {
      customer: 'BLOOMS',
      truckDate: isoDate(25),
      lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3' }],
    });
    const saved = await t.ok(`mutation { savePrebooks(input: [{ customer: "FRESHMART", carrier: "FEDEX", truckDate: "${isoDate(26)}",
      lines: [{ product: "CARN-WHITE", boxes: 4, unitsPerBox: 500, vendor: "FLORES-EC", vendorCost: "0.09" }] }]) { prebooks { number } errors { code } } }`);
    expect(saved.savePrebooks.errors).toEqual([]);
    // Staging: Label moved last, the rest reversed, and a Notes column of the buyer's own in the middle.
    const rest = allColumns('Staging')
      .filter((c) => c !== 'Label')
      .reverse();
    const stagingHeader = [...rest.slice(0, 6), 'Notes', ...rest.slice(6), 'Label'];
    // PurchaseOrders: a Buyer note column first, Vendor moved last, and a row of the buyer's own to keep.
    const poHeader = ['Buyer note', ...allColumns('PurchaseOrders').filter((c) => c !== 'Vendor'), 'Vendor'];
    const mine = poHeader.map((c) => ({ 'Buyer note': 'call Ana first', Ref: 'MINE', Vendor: 'VASECO', Product: 'VASE-20', Boxes: 1 })[c] ?? '');
    const page = await openPane('staging', {
      Staging: { header: stagingHeader, rows: [stagingHeader.map((c) => (c === 'Notes' ? 'old note' : 'old'))] },
      PurchaseOrders: { header: poHeader, rows: [mine] },
    });

    await page.getByRole('button', { name: 'Pull' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('staged box(es)');
    const staging = (await workbookOf(page)).tables.Staging;
    const at = (header: string[], r: unknown[], ...names: string[]) => names.map((name) => r[header.indexOf(name)]);
    const boxes = staged.labels.map((label) => staging.rows.find((r) => r[stagingHeader.indexOf('Label')] === label)!);
    expect(boxes.map((r) => at(stagingHeader, r, 'Vendor', 'Product', 'Units', 'Customer', 'Prebook #', 'Notes'))).toEqual(
      staged.labels.map(() => ['ROSAS', 'VASE-20', 12, 'BLOOMS', staged.number, '']),
    );
    expect(staging.rows.every((r) => r.length === stagingHeader.length && r[stagingHeader.indexOf('Label')] !== 'old')).toBe(true);
    // The old rows' formats went with them; the pull sets the contract's formats again, on the columns by name.
    expect(staging.columnFormats).toEqual({ Arrival: 'yyyy-mm-dd', Units: '0', 'Landed Cost': '#,##0.00##' });

    await openTab(page, 'needs');
    await page.getByLabel('Customer (optional)').fill('FRESHMART');
    await page.getByRole('button', { name: 'Pull needs into Purchase Orders' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('1 need(s) added to PurchaseOrders');
    const orders = (await workbookOf(page)).tables.PurchaseOrders;
    expect(orders.rows).toHaveLength(2);
    expect(orders.rows[0]).toEqual(mine);
    expect(at(poHeader, orders.rows[1], 'Buyer note', 'Ref', 'Vendor', 'Product', 'Boxes', 'Units/Box', 'Unit Cost', 'Prebook #')).toEqual([
      '',
      'NEEDS-FLORES-EC',
      'FLORES-EC',
      'CARN-WHITE',
      4,
      500,
      0.09,
      saved.savePrebooks.prebooks[0].number,
    ]);
    await page.close();
  }, 60_000);

  it('writes nothing when a pull is cancelled, and says so', async () => {
    // The server is stood in for: the first page comes at once, the second only once Cancel has been clicked.
    const node = (label: string) => ({
      label,
      purchaseOrderNumber: 'PO-9',
      awb: null,
      arrivalDate: '2027-03-01',
      vendor: { code: 'ROSAS' },
      product: { code: 'VASE-20' },
      boxType: { code: 'QB' },
      units: 12,
      received: false,
      portOfOrigin: 'MIA',
      landedUnitCost: '0.40',
      customer: null,
      demands: [],
    });
    const before = [row('Staging', { Label: 'KEEP-1', Vendor: 'ROSAS', Confirm: 'x' })];
    const page = await openPane('staging', { Staging: before });
    let release: () => void = () => {};
    const cancelled = new Promise<void>((resolve) => (release = resolve));
    let pages = 0;
    await page.route('**/graphql', async (route) => {
      if (!route.request().postData()?.includes('query Staging')) return route.continue();
      const second = ++pages === 2;
      if (second) await cancelled;
      const staging = { nodes: second ? [node('L-3')] : [node('L-1'), node('L-2')], pageInfo: { hasNextPage: true, endCursor: `c${pages}` }, totalCount: 5 };
      await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ data: { staging } }) });
    });
    await page.getByRole('button', { name: 'Pull' }).click();
    await expect.poll(() => pages, { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('task-progress').innerText()).toContain('Pulling staging: 2 of 5');
    await page.getByTestId('cancel').click();
    release();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('Pull cancelled');
    expect(await outcomeOf(page)).toBe('Pull cancelled: nothing was written, the Staging table is as it was (3 of 5 fetched when it stopped).');
    expect(pages).toBe(2);
    expect((await workbookOf(page)).tables.Staging.rows).toEqual(before);
    await page.close();
  }, 60_000);

  it('pulls invoices into the Invoices table and opens one as the customer invoice: seller, bill-to, lines and total, no cost or GPM, set up to print', async () => {
    const staged = await prebookInStaging(t, {
      customer: 'FRESHMART',
      truckDate: isoDate(15),
      customerPo: 'FM-77',
      lines: [{ product: 'ROSE-FREEDOM-50', boxes: 2, unitsPerBox: 100, price: '0.80', cost: '0.50' }],
    });
    const [result] = await confirm(t, staged.labels);
    const number = result.billing!.invoiceNumbers[0];
    await t.ok(
      `mutation { updateSettings(input: { companyName: "Stemline Demo Florist", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122" }) { errors { message } } }`,
    );
    const page = await openPane('invoices', { Invoices: [] });
    await page.getByLabel('Customer').fill('FRESHMART');
    await page.getByRole('button', { name: 'Pull invoices' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('invoice(s)');
    let workbook = await workbookOf(page);
    const table = workbook.tables.Invoices;
    const col = (name: string) => table.header.indexOf(name);
    const mine = table.rows.find((r) => r[col('Invoice #')] === number)!;
    expect([
      mine[col('Customer')],
      mine[col('Customer PO')],
      mine[col('Units')],
      mine[col('Unit Price')],
      mine[col('Amount')],
      mine[col('Unit Cost')],
      mine[col('GPM %')],
    ]).toEqual(['FRESHMART', 'FM-77', 200, 0.8, 160, 0.5, 37.5]);

    await page.getByLabel('Invoice #').fill(number);
    await page.getByRole('button', { name: 'Open as a sheet' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('is open on its own sheet');
    workbook = await workbookOf(page);
    const sheet = workbook.sheets![number] as unknown as {
      ranges: Record<string, { values?: unknown[][] }>;
      pageLayout: Record<string, any>;
      showGridlines: boolean;
    };
    const values = Object.values(sheet.ranges).find((r) => r.values)!.values!;
    const cells = values.flat();
    expect(values[0]).toEqual(['Stemline Demo Florist', 'INVOICE', '', '', '']);
    expect(cells).toContain(number);
    expect(cells).toContain('FM-77');
    expect(cells).toContain('Net 30');
    const header = values.findIndex((row) => row[0] === 'Product');
    expect(values[header]).toEqual(['Product', 'Boxes', 'Units', 'Unit price', 'Amount']);
    expect(values[header + 1]).toEqual(['Rose Freedom 50cm (ROSE-FREEDOM-50)', 2, 200, 0.8, 160]);
    expect(values[header + 2]).toEqual(['1 line · 2 boxes', '', '', 'Total', 160]);
    expect(values[header + 3][0]).toBe('200 stems');
    // What goes to the customer shows no cost and no margin (0.50 and 37.5 % are in the internal list above).
    expect(cells).not.toContain(0.5);
    expect(cells).not.toContain(37.5);
    expect(cells.some((c) => /cost|gpm|margin/i.test(String(c)))).toBe(false);
    expect(sheet.showGridlines).toBe(false);
    expect(sheet.pageLayout).toMatchObject({
      orientation: 'Portrait',
      zoom: { horizontalFitToPages: 1, verticalFitToPages: 1 },
      printArea: `A1:E${values.length}`,
      printTitleRows: `$${header + 1}:$${header + 1}`,
      footers: { center: 'Page &P of 1' },
    });
    // Every row's height is set (so the pages break where the document says); one page, no break.
    expect(Object.entries(sheet.ranges).filter(([address, r]) => /^\d+:\d+$/.test(address) && (r as { rowHeight?: number }).rowHeight).length).toBeGreaterThan(
      0,
    );
    expect(sheet.pageLayout.rowBreaks).toBeUndefined();
    await page.screenshot({ path: 'test-results/taskpane-invoices.png' });
    await page.close();
  }, 60_000);

  it('shows progress on a long push and stops at the next chunk when cancelled', async () => {
    // Two chunks and a bit, in prebooks of 10 lines: three requests, two in flight at once. The second
    // waits until the cancel button is clicked, so the test decides where the push stops, not the clock.
    const total = 2 * PUSH_CHUNK_LINES + 500;
    const rows = Array.from({ length: total }, (_, i) =>
      row('Prebooks', {
        Ref: `R${Math.floor(i / 10)}`,
        Customer: 'BLOOMS',
        Carrier: 'FEDEX',
        'Truck Date': '2027-03-01',
        Product: ['ROSE-FREEDOM-50', 'CARN-WHITE', 'VASE-20'][i % 3],
        Boxes: 1,
        'Units/Box': [100, 500, 12][i % 3],
      }),
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
    expect(sent).toBeGreaterThanOrEqual(PUSH_CHUNK_LINES);
    expect(sent).toBeLessThanOrEqual(2 * PUSH_CHUNK_LINES);
    expect(statuses.slice(sent)).toEqual(Array(total - sent).fill('CANCELLED'));
    const server = await t.ok(`{ prebooks(filter: { customer: "BLOOMS", truckDateFrom: "2027-03-01", truckDateTo: "2027-03-01" }) { totalCount } }`);
    expect(server.prebooks.totalCount).toBe(sent / 10);
    await page.screenshot({ path: 'test-results/taskpane-cancelled.png' });
    await page.close();
  }, 120_000);
  it('pulls production runs into the Production table: a row per component, then the run total with the estimated cost', async () => {
    await t.ok(`mutation {
      c: upsertCustomers(input: [{ code: "BOUQUETWORKS", name: "Bouquet Works", kind: "PRODUCTION" }]) { errors { message } }
      p: upsertProducts(input: [{ code: "BQT-SPRING", recipe: [{ component: "ROSE-FREEDOM-50", units: "10" }, { component: "VASE-20", units: "1" }] }]) { errors { message } }
    }`);
    const saved = await t.ok(`mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { prebooks { lines { id } } errors { message } } }`, {
      input: [
        {
          customer: 'FRESHMART',
          carrier: 'ARMELLINI',
          truckDate: isoDate(20),
          lines: [{ product: 'BQT-SPRING', sellBy: 'UNIT', units: 16, price: '12.00', cost: '6.00' }],
        },
      ],
    });
    expect(saved.savePrebooks.errors).toEqual([]);
    const run = await t.ok(
      `mutation($l: ID!) { saveProductionRun(input: { productionCompany: "BOUQUETWORKS", prebookLines: [$l] }) { productionRun { number } errors { message } } }`,
      {
        l: saved.savePrebooks.prebooks[0].lines[0].id,
      },
    );
    const number = run.saveProductionRun.productionRun.number;

    const page = await openPane('production', { Production: [] });
    await page.getByLabel('Run #').fill(number);
    await page.getByRole('button', { name: 'Pull production runs' }).click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('1 production run(s)');
    const table = (await workbookOf(page)).tables.Production;
    const col = (name: string) => table.header.indexOf(name);
    expect(
      table.rows.map((r) => [r[col('Run #')], r[col('Component')], r[col('Required')], r[col('Transferred')], r[col('Short/Over')], r[col('Est. Unit Cost')]]),
    ).toEqual([
      [number, 'ROSE-FREEDOM-50', 160, 0, -160, ''],
      [number, 'VASE-20', 16, 0, -16, ''],
      [number, 'RUN TOTAL', 16, 0, -16, 6],
    ]);
  });
});
