// The buyer's round trip in the task pane (headless Chromium, stand-in Excel, real server): the outcome
// colour, the rows with errors as links to them, a missing table, pulling prebooks to edit, and
// refreshing the stale ones while other edits are kept.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns, type TableName } from '../../addin/sheets/tables';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';

type FakeTable = { header: string[]; rows: unknown[][]; fills?: Record<string, string | null> };
type FakeWorkbook = { tables: Record<string, FakeTable>; selection?: { table: string; row: number }; activeSheet?: string };

describe('task pane round trip in a browser', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
  }, 180_000);
  afterAll(() => harness?.close());

  const header = allColumns('Prebooks');
  const col = (name: string) => header.indexOf(name);
  const row = (values: Record<string, unknown>) => header.map((c) => values[c] ?? '');
  const workbookOf = (page: Page) => page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook);
  const rowsOf = async (page: Page, table: TableName = 'Prebooks') => (await workbookOf(page)).tables[table].rows;
  const setCell = (page: Page, r: number, column: string, value: unknown) =>
    page.evaluate(([r, c, v]) => ((window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.Prebooks.rows[r as number][c as number] = v), [
      r,
      col(column),
      value,
    ] as const);
  const outcome = (page: Page) => page.getByTestId('task-outcome');
  async function done(page: Page, text: string) {
    await expect
      .poll(
        () =>
          outcome(page)
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toContain(text);
    await expect.poll(() => page.getByTestId('push-Prebooks').isEnabled()).toBe(true);
  }

  it('colours the outcome by what happened and lists the rows with errors, each a link that selects its row', async () => {
    const base = { Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': '2027-09-01' };
    const rows = [
      row({ ...base, Ref: 'A', Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Units/Box': 100 }),
      row({ ...base, Ref: 'A', Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 500 }),
      row({ ...base, Ref: 'B', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
      row({ ...base, Ref: 'C', Customer: 'NOBODY', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
      row({ ...base, Ref: 'D', Product: 'NO-SUCH-ROSE', Boxes: 1, 'Units/Box': 12 }),
      row({ ...base, Ref: 'D', Product: 'VASE-20', Boxes: 2, 'Units/Box': 12 }),
      row({ ...base, Ref: 'E', Carrier: '', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
    ];
    const page = await harness.openPane({ tables: { Prebooks: { header, rows, address: 'A4:Z4' } } }, { height: 900 });
    await page.getByTestId('push-Prebooks').click();
    await done(page, '3 row(s) OK, 4 with errors');
    expect(await outcome(page).getAttribute('data-intent')).toBe('warning');
    const links = page.getByTestId('problem-link');
    // The table's header is on worksheet row 4: data row 4 is worksheet row 8.
    expect(await links.allInnerTexts()).toEqual(['Row 8', 'Row 9', 'Row 10', 'Row 11']);
    const items = await page.getByTestId('problems').locator('li').allInnerTexts();
    expect(items[0]).toContain('ERROR: Customer: unknown customer "NOBODY"');
    // Messages name rows as Excel numbers them too: data row 5 is worksheet row 9.
    expect(items[2]).toContain('not saved: row 9 of this document has an error');
    await page.screenshot({ path: 'test-results/taskpane-errors.png' });
    await links.nth(1).click();
    await expect.poll(async () => (await workbookOf(page)).selection).toEqual({ table: 'Prebooks', sheet: undefined, row: 4 });

    // Nothing saved: red. All saved: green, and no list.
    await page.evaluate(() => {
      const table = (window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.Prebooks;
      table.rows = table.rows.slice(3, 4);
    });
    await page.getByTestId('push-Prebooks').click();
    await done(page, '0 row(s) OK, 1 with errors');
    expect(await outcome(page).getAttribute('data-intent')).toBe('error');
    await setCell(page, 0, 'Customer', 'BLOOMS');
    await page.getByTestId('push-Prebooks').click();
    await done(page, '1 row(s) OK, 0 with errors');
    expect(await outcome(page).getAttribute('data-intent')).toBe('success');
    expect(await page.getByTestId('problems').count()).toBe(0);
    await page.close();
  }, 90_000);

  it('gives a table made before the Document Id column that column, hidden; identical rows of two workbooks are two prebooks', async () => {
    const older = header.filter((c) => c !== 'Document Id');
    const values = { Ref: '1', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': '2027-09-03', Product: 'VASE-20', Boxes: 3, 'Units/Box': 12 };
    const numbers: unknown[] = [];
    for (const workbook of ['morning', 'afternoon']) {
      const page = await harness.openPane({ tables: { Prebooks: { header: older, rows: [older.map((c) => values[c as keyof typeof values] ?? '')] } } });
      await page.getByTestId('push-Prebooks').click();
      await done(page, '1 row(s) OK, 0 with errors');
      const table = (await workbookOf(page)).tables.Prebooks as FakeTable & { hiddenColumns?: string[] };
      expect(table.header.at(-1), workbook).toBe('Document Id');
      expect(table.hiddenColumns, workbook).toContain('Document Id');
      // Numbered, the document is known by its number: its id is cleared.
      expect(table.rows[0].at(-1), workbook).toBe('');
      numbers.push(table.rows[0][table.header.indexOf('Prebook #')]);
      await page.close();
    }
    expect(numbers[0]).toMatch(/^PB-/);
    expect(numbers[1]).toMatch(/^PB-/);
    expect(numbers[1]).not.toBe(numbers[0]);
  }, 90_000);

  it("names a missing table and how to make one, instead of Excel's ItemNotFound", async () => {
    const page = await harness.openPane({ tables: {} });
    await page.getByTestId('push-Prebooks').click();
    await done(page, 'no Prebooks table on this sheet: New sheet creates one');
    expect(await outcome(page).getAttribute('data-intent')).toBe('error');
    // New sheet twice: the second says what to do instead of Excel's ItemAlreadyExists.
    await page.getByTestId('new-Prebooks').click();
    await done(page, 'A Prebooks table is ready');
    await page.getByTestId('new-Prebooks').click();
    await done(page, 'This workbook already has a Prebooks sheet: use its table (Push, or Pull into it), or rename that sheet to make a new one.');
    await page.close();
  }, 60_000);

  it('pulls prebooks by filter to edit and push again, and refreshes only the stale ones, keeping other edits', async () => {
    const made = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { number version lines { id } } errors { message } } }`, {
      i: [
        {
          customer: 'BLOOMS',
          carrier: 'FEDEX',
          truckDate: '2027-10-05',
          customerPo: 'PULL-1',
          lines: [
            { product: 'VASE-20', boxes: 2, unitsPerBox: 12, price: '3.5', vendor: 'VASECO', vendorCost: '1.2' },
            { product: 'CARN-WHITE', sellBy: 'UNIT', units: 250 },
          ],
        },
        { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-10-06', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }] },
        { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-11-20', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }] },
      ],
    });
    expect(made.savePrebooks.errors).toEqual([]);
    const [p, q] = made.savePrebooks.prebooks;
    const page = await harness.openPane(
      { tables: { Prebooks: { header, rows: [row({ Ref: 'MINE', Customer: 'BLOOMS', Product: 'VASE-20', Message: 'my draft' })] } } },
      { height: 1000 },
    );
    await page.getByTestId('filter-customer-Prebooks').fill('BLOOMS');
    await page.getByTestId('filter-status-Prebooks').selectOption('OPEN');
    await page.getByTestId('filter-from-Prebooks').fill('2027-10-01');
    await page.getByTestId('filter-to-Prebooks').fill('2027-10-31');
    await page.getByTestId('pull-Prebooks').click();
    await done(page, '2 prebook(s) pulled: 0 refreshed in place, 2 added below');
    let rows = await rowsOf(page);
    expect(
      rows.map((r) => [
        r[col('Prebook #')],
        r[col('Ref')],
        r[col('Product')],
        r[col('Boxes')],
        r[col('Units')],
        r[col('Vendor')],
        r[col('Vendor Cost')],
        r[col('Version')],
      ]),
    ).toEqual([
      ['', 'MINE', 'VASE-20', '', '', '', '', ''],
      [p.number, '', 'VASE-20', 2, '', 'VASECO', 1.2, 1],
      [p.number, '', 'CARN-WHITE', '', 250, '', '', 1],
      [q.number, '', 'ROSE-FREEDOM-50', 1, '', '', '', 1],
    ]);
    expect(rows.slice(1).map((r) => r[col('Line Id')])).toEqual([...p.lines.map((l: { id: string }) => l.id), q.lines[0].id]);
    await page.waitForTimeout(400); // let Fluent's enable transition finish, for the picture only
    await page.screenshot({ path: 'test-results/taskpane-pull.png' });

    // The buyer edits P and sends it back: an update (version 2); the draft row is still only a draft.
    await setCell(page, 1, 'Boxes', 3);
    await page.evaluate(() => (window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.Prebooks.rows.splice(0, 1));
    await page.getByTestId('push-Prebooks').click();
    await done(page, '3 row(s) OK, 0 with errors');
    rows = await rowsOf(page);
    expect(rows.map((r) => [r[col('Prebook #')], r[col('Message')], r[col('Version')]])).toEqual([
      [p.number, 'saved', 2],
      [p.number, 'saved', 2],
      [q.number, 'no change', 1],
    ]);

    // Someone else drops P's carnation line; the buyer's next edit of P is STALE.
    const server = await t.ok(`query($n: String) { prebooks(filter: { number: $n }) { nodes { version lines { id } } } }`, { n: p.number });
    await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { message } } }`, {
      i: [
        {
          number: p.number,
          version: server.prebooks.nodes[0].version,
          customer: 'BLOOMS',
          carrier: 'FEDEX',
          truckDate: '2027-10-05',
          customerPo: 'PULL-1',
          lines: [
            { id: server.prebooks.nodes[0].lines[0].id, product: 'VASE-20', boxes: 6, unitsPerBox: 12, price: '3.5', vendor: 'VASECO', vendorCost: '1.2' },
          ],
        },
      ],
    });
    await setCell(page, 0, 'Price', 3.9);
    await page.getByTestId('push-Prebooks').click();
    await done(page, '1 row(s) OK, 0 with errors, 2 stale');
    expect(await outcome(page).getAttribute('data-intent')).toBe('warning');
    // An edit of Q the buyer has not pushed yet.
    await setCell(page, 2, 'Boxes', 4);
    await page.getByTestId('refresh-Prebooks').click();
    await done(page, `1 stale document(s) refreshed from the server (${p.number})`);
    rows = await rowsOf(page);
    expect(rows.map((r) => [r[col('Prebook #')], r[col('Product')], r[col('Boxes')], r[col('Status')], r[col('Version')]])).toEqual([
      [p.number, 'VASE-20', 6, 'OK', 3],
      [q.number, 'ROSE-FREEDOM-50', 4, 'OK', 1],
    ]);
    await page.waitForTimeout(400); // let Fluent's enable transition finish, for the picture only
    await page.screenshot({ path: 'test-results/taskpane-refresh.png' });
    await page.close();
  }, 120_000);

  it('ships from a Shipments table made by New sheet: boxes into staging, labels back into the rows', async () => {
    const made = await t.ok(
      `mutation { savePurchaseOrders(input: [{ vendor: "ROSAS", location: "MIA", shipDate: "2027-09-10", lines: [{ product: "ROSE-FREEDOM-50", boxes: 2, unitCost: "0.4" }] }]) { purchaseOrders { number } errors { message } } }`,
    );
    const po = made.savePurchaseOrders.purchaseOrders[0].number;
    const page = await harness.openPane({ tables: {} });
    await openTab(page, 'shipments');
    await page.getByTestId('new-Shipments').click();
    await expect
      .poll(
        () =>
          outcome(page)
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toContain('A Shipments table is ready');
    const columns = allColumns('Shipments');
    expect((await workbookOf(page)).tables.Shipments.header).toEqual(columns);
    const typed = [
      columns.map((c) => ({ 'PO #': po, 'PO Line': 1, Boxes: 1, AWB: 'AWB-E2E', Labels: 'E2E-1' })[c] ?? ''),
      columns.map((c) => ({ 'PO #': po, Product: 'ROSE-FREEDOM-50', Boxes: 1, AWB: 'AWB-E2E' })[c] ?? ''),
    ];
    await page.evaluate((rows) => ((window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.Shipments.rows = rows), typed);
    await page.getByTestId('push-Shipments').click();
    await expect
      .poll(
        () =>
          outcome(page)
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toContain('2 row(s) OK, 0 with errors');
    expect(await outcome(page).getAttribute('data-intent')).toBe('success');
    const rows = await rowsOf(page, 'Shipments');
    const at = (name: string) => columns.indexOf(name);
    expect(rows.map((r) => [r[at('Status')], r[at('Message')]])).toEqual([
      ['OK', 'shipped: 1 box(es) in staging on AWB AWB-E2E'],
      ['OK', 'shipped: 1 box(es) in staging on AWB AWB-E2E'],
    ]);
    expect(rows[0][at('Labels')]).toBe('E2E-1');
    const staged = await t.ok(`query($po: String) { staging(filter: { purchaseOrder: $po }) { nodes { label awb } } }`, { po });
    expect(staged.staging.nodes).toHaveLength(2);
    expect(staged.staging.nodes.map((b: { label: string }) => b.label)).toContain('E2E-1');
    await page.close();
  }, 60_000);
});
