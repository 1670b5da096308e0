// The task pane in headless Chromium, with a stand-in Excel host, pushing a Prebooks table to a real server.
import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns, COLUMN_FORMATS, HIDDEN_COLUMNS, type TableName } from '../../addin/sheets/tables';
import { isoDate, prebookInStaging } from '../support/billing';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

describe('task pane in a browser', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  type Ranges = Record<
    string,
    { values?: unknown[][]; numberFormat?: unknown; columnHidden?: boolean; validation?: { list: { inCellDropDown: boolean; source: string } } }
  >;
  type Workbook = {
    tables: Record<
      string,
      { header: string[]; rows: unknown[][]; sheet?: string; address?: string; columnFormats?: Record<string, string>; hiddenColumns?: string[] }
    >;
    sheets: Record<string, { ranges: Ranges; visibility?: string }>;
    activeSheet?: string;
  };

  const workbookOf = (page: Page) => page.evaluate(() => (window as unknown as { __workbook: Workbook }).__workbook);
  const letter = (index: number) => String.fromCharCode(65 + index);

  /** The drop-down lists a created table validates against: column name -> items of the Lists column its rule points at. */
  function dropDowns(workbook: Workbook, table: TableName): Record<string, string[]> {
    const columns = allColumns(table);
    const lists = workbook.sheets.Lists.ranges;
    const result: Record<string, string[]> = {};
    for (const [address, range] of Object.entries(workbook.sheets[table].ranges)) {
      if (!range.validation || range.validation.list.source.startsWith('=INDIRECT(')) continue;
      const target = /^([A-Z])2:\1(\d+)$/.exec(address)!;
      expect(Number(target[2])).toBeGreaterThanOrEqual(1000);
      const source = /^=Lists!\$([A-Z])\$2:\$\1\$(\d+)$/.exec(range.validation.list.source)!;
      expect(range.validation.list.inCellDropDown).toBe(true);
      const list = Object.entries(lists)
        .find(([a]) => a.startsWith(`${source[1]}1:`))![1]
        .values!.map((r) => r[0]);
      const column = columns[target[1].charCodeAt(0) - 65];
      expect(list[0]).toBe(column); // the rule points at this column's own list
      expect(Number(source[2])).toBe(list.length); // and covers all of it, no more
      result[column] = list.slice(1) as string[];
    }
    return result;
  }

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
    const page = await harness.openPane(workbook, { height: 640 });
    await page.getByTestId('push-Prebooks').click();
    const outcome = page.getByTestId('task-outcome');
    await outcome.waitFor({ timeout: 30_000 });
    expect(await outcome.innerText()).toContain('2 row(s) OK, 1 with errors');

    const rows = (await page.evaluate(
      () => (window as unknown as { __workbook: { tables: { Prebooks: { rows: unknown[][] } } } }).__workbook.tables.Prebooks.rows,
    )) as unknown[][];
    const col = (name: string) => header.indexOf(name);
    expect(rows.map((r) => [r[col('Prebook #')], r[col('Status')], r[col('Message')]])).toEqual([
      ['PB-000001', 'OK', 'saved'],
      ['PB-000001', 'OK', 'saved'],
      ['', 'ERROR', 'Customer: unknown customer "NOBODY"'],
    ]);
    expect(rows[0][col('Version')]).toBe(1);
    const fills = await page.evaluate(
      () => (window as unknown as { __workbook: { tables: { Prebooks: { fills: Record<string, string | null> } } } }).__workbook.tables.Prebooks.fills,
    );
    expect(fills).toEqual({ '0': null, '1': null, '2': '#FDE2E1' });
    await page.screenshot({ path: 'test-results/taskpane-prebooks.png' });
    const server = await t.ok(`{ prebooks { totalCount nodes { number lines { product { code } } } } }`);
    expect(server.prebooks.totalCount).toBe(1);
    await page.close();
  }, 60_000);

  it('pulls staging, previews and confirms the marked rows, writing Result and Invoice # per row', async () => {
    const staged = await prebookInStaging(t, {
      customer: 'BLOOMS',
      truckDate: isoDate(20),
      lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3' }],
    });
    const header = allColumns('Staging');
    const page = await harness.openPane({ tables: { Staging: { header, rows: [] } } });
    await openTab(page, 'staging');
    const outcome = page.getByTestId('task-outcome');
    const rows = () =>
      page.evaluate(() => (window as unknown as { __workbook: { tables: { Staging: { rows: unknown[][] } } } }).__workbook.tables.Staging.rows) as Promise<
        unknown[][]
      >;
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

    // The confirm goes through the same workflow as the CLI's: an idempotency key made from its content.
    const sent: Array<{ query: string; variables: { labels?: string[]; key?: string | null; dryRun?: boolean } }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('confirmStaging')) sent.push(JSON.parse(request.postData()!));
    });
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();
    await expect.poll(async () => (await outcome.innerText().catch(() => '')).includes('1 box(es) confirmed')).toBe(true);
    after = await rows();
    expect(after[0][col('Result')]).toBe('BILLED');
    expect(String(after[0][col('Invoice #')])).toMatch(/^INV-\d{6}$/);
    expect(sent.map((s) => [s.variables.labels, s.variables.dryRun])).toEqual([[[staged.labels.find((l) => l === pulled[0][col('Label')])], false]]);
    expect(sent[0].variables.key).toMatch(/^confirmStaging:[0-9a-f]{64}$/);
    expect(await outcome.getAttribute('data-intent')).toBe('success');
    await expect.poll(() => page.getByRole('button', { name: 'Pull' }).isEnabled()).toBe(true);
    await page.waitForTimeout(400); // let Fluent's enable transition finish, for the picture only
    await page.screenshot({ path: 'test-results/taskpane-staging.png' });
    await page.close();
  }, 60_000);

  it('tests the connection: an unreachable server, a wrong token, then the right one, which is kept for the next session', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const page = await harness.openPane({ tables: {} }, { connection: null });
    const status = page.getByTestId('connection-status');
    // No token yet: the pane opens on Connection, with this server's own address proposed.
    expect(await page.getByTestId('server-url').inputValue()).toBe(t.url);

    await page.getByTestId('server-url').fill(`http://127.0.0.1:${closedPort}`);
    await page.getByTestId('api-token').fill(t.adminToken);
    await page.getByTestId('test-connection').click();
    await expect
      .poll(() => status.innerText().catch(() => ''), { timeout: 30_000 })
      .toBe(`Cannot reach the server at http://127.0.0.1:${closedPort}: check the address under Connection and that the server is running.`);

    await page.getByTestId('server-url').fill(t.url);
    await page.getByTestId('api-token').fill('not-a-token');
    await page.getByTestId('test-connection').click();
    await expect
      .poll(() => status.innerText().catch(() => ''), { timeout: 30_000 })
      .toBe('The server refused this token: ask your administrator for a new one and paste it under Connection.');

    await page.getByTestId('api-token').fill(t.adminToken);
    await page.getByTestId('test-connection').click();
    await expect
      .poll(() => status.innerText().catch(() => ''), { timeout: 30_000 })
      .toMatch(/^Connected as .+ \(administrator\); automatic billing: when boxes are confirmed from staging$/);
    expect(JSON.parse((await page.evaluate(() => window.localStorage.getItem('stemline.connection')))!)).toEqual({ serverUrl: t.url, token: t.adminToken });
    await page.screenshot({ path: 'test-results/taskpane-connection.png' });

    // Reopened with the token kept, the pane goes straight to Prebooks and its requests carry that token.
    await page.reload();
    await page.getByTestId('push-Prebooks').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tab-prebooks').getAttribute('aria-selected')).toBe('true');
    await page.close();
  }, 60_000);

  it('New sheet makes each table on a sheet of its own (formats, hidden columns, drop-downs from the server), ready to type into and push', async () => {
    const page = await harness.openPane({ tables: {} });
    const outcome = () =>
      page
        .getByTestId('task-outcome')
        .innerText()
        .catch(() => '');
    await page.getByTestId('new-Prebooks').click();
    await expect.poll(outcome, { timeout: 30_000 }).toContain('A Prebooks table is ready');
    let workbook = await workbookOf(page);
    const columns = allColumns('Prebooks');
    // Number formats on the table columns' data body (Excel extends them to new rows), hidden columns through the table's columns.
    const formats = (table: TableName) =>
      Object.fromEntries(
        allColumns(table)
          .filter((c) => COLUMN_FORMATS[c])
          .map((c) => [c, COLUMN_FORMATS[c]]),
      );
    expect(workbook.tables.Prebooks).toEqual({
      header: columns,
      rows: [columns.map(() => '')],
      sheet: 'Prebooks',
      address: `A1:${letter(columns.length - 1)}1`,
      columnFormats: formats('Prebooks'),
      hiddenColumns: [...HIDDEN_COLUMNS.Prebooks],
    });
    expect(workbook.tables.Prebooks.columnFormats!['Truck Date']).toBe('yyyy-mm-dd');
    expect(workbook.activeSheet).toBe('Prebooks');
    // Nothing is set on whole sheet columns (F:F): costly in Excel, and not how Office's docs format a table.
    const ranges = workbook.sheets.Prebooks.ranges;
    expect(Object.entries(ranges).filter(([, range]) => range.numberFormat !== undefined || range.columnHidden !== undefined)).toEqual([]);
    expect(workbook.sheets.Lists.visibility).toBe('Hidden');
    const prebookLists = dropDowns(workbook, 'Prebooks');
    expect(Object.keys(prebookLists).sort()).toEqual(['Box Type', 'Carrier', 'Customer', 'Holiday', 'Product', 'Sell By', 'Vendor']);
    expect([...prebookLists.Customer].sort()).toEqual(['BLOOMS', 'BOUQUETWORKS', 'FRESHMART', 'HOLDCO']);
    // Ship To lists the row's customer's ship-tos: a named range per customer, chosen by INDIRECT over the row's Customer cell.
    const shipTo = letter(columns.indexOf('Ship To'));
    const customer = letter(columns.indexOf('Customer'));
    expect(workbook.sheets.Prebooks.ranges[`${shipTo}2:${shipTo}10000`].validation!.list.source).toBe(
      `=INDIRECT("ShipTo_"&UPPER(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE($${customer}2,"-","_")," ","_"),".","_")))`,
    );
    const named = (workbook as unknown as { names: Record<string, string> }).names;
    expect(Object.keys(named)).toEqual(['ShipTo_FRESHMART']);
    const freshmartList = workbook.sheets.Lists.ranges[named.ShipTo_FRESHMART.replace('Lists!', '').replace(/2:/, '1:')].values!.map((r) => r[0]);
    expect(freshmartList).toEqual(['ShipTo_FRESHMART', 'DC-ATL', 'DC-ORL']);
    expect([...prebookLists.Product].sort()).toEqual(['BQT-SPRING', 'CARN-WHITE', 'ROSE-FREEDOM-50', 'VASE-20']);
    expect(prebookLists['Sell By']).toEqual(['BOX', 'UNIT']);

    // A second table reuses the hidden Lists sheet rather than failing to add it again.
    await openTab(page, 'purchaseOrders');
    await page.getByTestId('new-PurchaseOrders').click();
    await expect.poll(outcome, { timeout: 30_000 }).toContain('A PurchaseOrders table is ready');
    workbook = await workbookOf(page);
    expect(Object.keys(workbook.sheets).sort()).toEqual(['Lists', 'Prebooks', 'PurchaseOrders']);
    expect(workbook.tables.PurchaseOrders.header).toEqual(allColumns('PurchaseOrders'));
    expect(workbook.activeSheet).toBe('PurchaseOrders');
    const poLists = dropDowns(workbook, 'PurchaseOrders');
    expect(Object.keys(poLists).sort()).toEqual(['Box Type', 'Customer', 'Location', 'Product', 'Vendor']);
    expect([...poLists.Location].sort()).toEqual(['MIA', 'NYC']);
    expect([...poLists.Vendor].sort()).toEqual(['BOUQUETWORKS', 'FLORES-EC', 'ROSAS', 'VASECO']);
    expect(workbook.tables.PurchaseOrders.hiddenColumns).toEqual(['Version', 'Pushed', 'Document Id']);
    expect(workbook.tables.PurchaseOrders.columnFormats).toEqual(formats('PurchaseOrders'));
    await page.screenshot({ path: 'test-results/taskpane-new-sheet.png' });

    // The buyer types two lines into the new Prebooks table; Excel gives the date cell back as a serial number.
    const serial = (Date.UTC(2027, 2, 15) - Date.UTC(1899, 11, 30)) / 86_400_000;
    const row = (values: Record<string, unknown>) => columns.map((c) => values[c] ?? '');
    const typed = [
      row({
        Ref: 'NEW',
        Customer: 'FRESHMART',
        'Ship To': 'DC-ORL',
        Carrier: 'FEDEX',
        'Truck Date': serial,
        Product: 'ROSE-FREEDOM-50',
        Boxes: 2,
        'Units/Box': 100,
        Price: 0.9,
      }),
      row({ Ref: 'NEW', Customer: 'FRESHMART', 'Ship To': 'DC-ORL', Carrier: 'FEDEX', 'Truck Date': serial, Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
    ];
    await page.evaluate((rows) => ((window as unknown as { __workbook: Workbook }).__workbook.tables.Prebooks.rows = rows), typed);
    await openTab(page, 'prebooks');
    await page.getByTestId('push-Prebooks').click();
    await expect.poll(outcome, { timeout: 30_000 }).toContain('2 row(s) OK, 0 with errors');
    const pushed = (await workbookOf(page)).tables.Prebooks.rows;
    const number = pushed[0][columns.indexOf('Prebook #')] as string;
    expect(number).toMatch(/^PB-\d{6}$/);
    expect(pushed.map((r) => [r[columns.indexOf('Prebook #')], r[columns.indexOf('Status')]])).toEqual([
      [number, 'OK'],
      [number, 'OK'],
    ]);
    const server = await t.ok(`{ prebooks(filter: { number: "${number}" }) { nodes { truckDate shipTo { code } lines { product { code } } } } }`);
    expect(server.prebooks.nodes).toEqual([
      { truckDate: '2027-03-15', shipTo: { code: 'DC-ORL' }, lines: [{ product: { code: 'ROSE-FREEDOM-50' } }, { product: { code: 'VASE-20' } }] },
    ]);
    await page.close();
  }, 90_000);
});
