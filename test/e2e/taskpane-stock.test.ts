// The Inventory and Count panels of the task pane in headless Chromium, with the stand-in Excel host,
// against a real server: inventory pulled with rows filled by age band, adjustments pushed, labels scanned
// into a Count sheet with the report written back, and the count closed.
//
// Company today 2026-12-07. MIA: ROSE-FREEDOM-50 arrived 12-05 (age 2, 1-4), 11-30 (age 7, 5-9),
// 11-20 (age 17, 10+) and one due 12-10 (in transit).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_FILLS } from '../../addin/sheets/inventory.sheet';
import { allColumns, type TableName } from '../../addin/sheets/tables';
import { openTab, startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';
import type { TestServer } from '../support/test-server';
import { shipBoxes } from '../server/modules/stock/stock-support';

type FakeTable = { header: string[]; rows: unknown[][]; fills?: Record<string, string | null> };
type FakeWorkbook = { tables: Record<string, FakeTable> };

describe('task pane: Inventory and Count', () => {
  let harness: TaskpaneHarness;
  let t: TestServer;
  const labels: Record<string, string> = {};

  beforeAll(async () => {
    harness = await startTaskpaneHarness();
    ({ t } = harness);
    const ship = async (arrivalDate: string) =>
      (await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40', arrivalDate, location: 'MIA' }))[0];
    labels.fresh = await ship('2026-12-05');
    labels.middle = await ship('2026-11-30');
    labels.old = await ship('2026-11-20');
    labels.coming = await ship('2026-12-10');
  }, 180_000);
  afterAll(() => harness?.close());

  async function openPane(tab: string, tables: Partial<Record<TableName, unknown[][]>>): Promise<Page> {
    const workbook: FakeWorkbook = { tables: {} };
    for (const [name, rows] of Object.entries(tables)) workbook.tables[name] = { header: allColumns(name as TableName), rows: rows! };
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
  const blank = (table: TableName) => allColumns(table).map(() => '');

  it('pulls the inventory of a location into the Inventory sheet, each row filled by its age band, and pushes an adjustment', async () => {
    const page = await openPane('inventory', { Inventory: [blank('Inventory')] });
    await page.getByTestId('filter-location-Inventory').fill('MIA');
    await page.getByTestId('pull-Inventory').click();
    await expect
      .poll(() => outcomeOf(page), { timeout: 30_000 })
      .toContain('4 box(es) in inventory: 1 aged 1-4 days, 1 aged 5-9 days, 1 aged 10+ days, 1 in transit');
    let table = (await workbookOf(page)).tables.Inventory;
    const col = (name: string) => table.header.indexOf(name);
    const index = (label: string) => table.rows.findIndex((r) => r[col('Label')] === label);
    expect(
      [labels.fresh, labels.middle, labels.old, labels.coming].map((l) => [table.rows[index(l)][col('Age')], table.rows[index(l)][col('Age Band')]]),
    ).toEqual([
      [2, '1-4'],
      [7, '5-9'],
      [17, '10+'],
      [-3, 'in transit'],
    ]);
    expect([labels.fresh, labels.middle, labels.old, labels.coming].map((l) => table.fills?.[index(l)])).toEqual([
      AGE_FILLS.fresh,
      AGE_FILLS.middle,
      AGE_FILLS.old,
      AGE_FILLS.inTransit,
    ]);
    await page.screenshot({ path: 'test-results/taskpane-inventory.png' });

    // A dump typed on the oldest box: a number typed as text, the reason in lower case.
    const old = index(labels.old);
    await page.evaluate(
      ({ row, units, reason }) => {
        const inventory = (window as unknown as { __workbook: FakeWorkbook }).__workbook.tables.Inventory;
        inventory.rows[row][units] = '30';
        inventory.rows[row][reason] = 'dump';
      },
      { row: old, units: col('Adjust Units'), reason: col('Reason') },
    );
    await page.getByTestId('push-Inventory').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('1 row(s) OK, 0 with errors');
    table = (await workbookOf(page)).tables.Inventory;
    expect([table.rows[old][col('Status')], table.rows[old][col('Units')], table.rows[old][col('Message')]]).toEqual([
      'OK',
      70,
      '30 unit(s) adjusted out (DUMP); 70 unit(s) left',
    ]);
    // The row that went through keeps its age band's colour.
    expect(table.fills?.[old]).toBe(AGE_FILLS.old);
    expect((await t.ok(`{ box(label: "${labels.old}") { unitsRemaining } }`)).box.unitsRemaining).toBe(70);
    await page.close();
  }, 90_000);

  it('pushes scanned labels into a count of a location, writes the report back, and closes the count', async () => {
    const countRow = (label: string) => allColumns('Count').map((c) => (c === 'Label' ? label : ''));
    const page = await openPane('count', { Count: [countRow(labels.fresh), countRow(labels.fresh), countRow('B-MISREAD')] });
    await page.getByTestId('count-location').fill('MIA');
    await page.getByTestId('push-Count').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('2 label(s) sent to CNT-');
    expect(await outcomeOf(page)).toMatch(/CNT-\d{6} at MIA: 3 box\(es\) expected, 2 label\(s\) scanned; 1 in place, 2 missing, 1 unexpected\./);
    let table = (await workbookOf(page)).tables.Count;
    const col = (name: string) => table.header.indexOf(name);
    expect(table.rows.map((r) => [r[col('Label')], r[col('Result')]])).toEqual([
      [labels.fresh, 'OK'],
      [labels.fresh, 'OK'],
      ['B-MISREAD', 'UNKNOWN'],
      [labels.middle, 'MISSING'],
      [labels.old, 'MISSING'],
    ]);
    expect(table.rows[2][col('Message')]).toContain('No box has this label');
    await page.screenshot({ path: 'test-results/taskpane-count.png' });

    await page.getByTestId('close-Count').click();
    await expect.poll(() => outcomeOf(page), { timeout: 30_000 }).toContain('closed: 2 missing box(es), 170 unit(s), adjusted out as SHRINK');
    table = (await workbookOf(page)).tables.Count;
    expect(table.rows.map((r) => r[col('Result')])).toEqual(['OK', 'OK', 'UNKNOWN', 'WRITTEN OFF', 'WRITTEN OFF']);
    expect((await t.ok(`{ box(label: "${labels.middle}") { status } }`)).box.status).toBe('VOID');
    await page.close();
  }, 90_000);
});
