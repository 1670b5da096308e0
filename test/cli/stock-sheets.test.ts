// The Inventory and Count sheets through stemline-sheet on .xlsx files: inventory pulled with age and age
// band (rows filled by band), adjustments pushed from it, and a physical count scanned into a Count sheet,
// its report written back and the count closed with the missing boxes written off.
//
// Company today 2026-12-07. MIA: ROSE-FREEDOM-50 (category ROSES, max 10 days) arrived 12-05 (age 2, band
// 1-4), 11-30 (age 7, 5-9) and 11-20 (age 17, 10+, past its maximum: proposed for dump), one due 12-10
// (age -3, in transit); NYC: CARN-WHITE arrived 12-06.
// The tests run in order on these boxes: the second adjusts two of them, the third counts what is left.
import ExcelJS from 'exceljs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { AGE_FILLS } from '../../addin/sheets/inventory.sheet';
import type { TestServer } from '../support/test-server';
import { closeCliWorkspace, runCli, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';
import { shipBoxes } from '../server/modules/stock/stock-support';

describe('stemline-sheet: the Inventory and Count sheets', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  const labels: Record<string, string> = {};
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-stock-'));
    await t.ok(`mutation {
      c: upsertProductCategories(input: [{ code: "ROSES", name: "Roses", maxAgeDays: 10 }]) { errors { message } }
      p: upsertProducts(input: [{ code: "ROSE-FREEDOM-50", category: "ROSES" }]) { errors { message } }
    }`);
    const ship = async (arrivalDate: string, product = 'ROSE-FREEDOM-50', location = 'MIA') =>
      (await shipBoxes(t, { product, boxes: 1, unitCost: '0.40', arrivalDate, location }))[0];
    labels.fresh = await ship('2026-12-05');
    labels.middle = await ship('2026-11-30');
    labels.old = await ship('2026-11-20');
    labels.coming = await ship('2026-12-10');
    labels.nyc = await ship('2026-12-06', 'CARN-WHITE', 'NYC');
  }, 120_000);
  afterAll(() => closeCliWorkspace(t, dir));

  const fillOf = (cell: ExcelJS.Cell) => (cell.style?.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb ?? null;
  const argb = (hex: string) => `FF${hex.slice(1).toUpperCase()}`;

  it('pulls the inventory of a location: age, age band and landed cost per box, each row filled by its band', async () => {
    const out = path.join(dir, 'inventory.xlsx');
    const { code, out: printed } = await runCli(['pull', 'inventory', '--out', out, '--location', 'MIA', ...args]);
    expect(code).toBe(0);
    expect(printed).toContain("4 box(es) in inventory: 1 aged 1-4 days, 1 aged 5-9 days, 1 aged 10+ days, 1 in transit. 1 past their category's maximum age");
    const rows = await readSheet(out, 'Inventory');
    const byLabel = new Map(rows.map((r) => [r.Label, r]));
    expect([labels.fresh, labels.middle, labels.old, labels.coming].map((l) => [byLabel.get(l)?.Age, byLabel.get(l)?.['Age Band']])).toEqual([
      [2, '1-4'],
      [7, '5-9'],
      [17, '10+'],
      [-3, 'in transit'],
    ]);
    const old = byLabel.get(labels.old)!;
    expect(old).toMatchObject({ Product: 'ROSE-FREEDOM-50', Category: 'ROSES', Location: 'MIA', Units: 100, 'Landed Cost': 0.4, Type: 'M' });
    expect(String(old.Message)).toContain('proposed for dump');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    const sheet = workbook.getWorksheet('Inventory')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const fills = new Map<unknown, unknown>();
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      // Every cell of the row, not just the first, carries the band's fill.
      const cells = header.map((_, i) => fillOf(row.getCell(i + 1)));
      expect(new Set(cells).size).toBe(1);
      fills.set(row.getCell(1).value, cells[0]);
    }
    expect([labels.fresh, labels.middle, labels.old, labels.coming].map((l) => fills.get(l))).toEqual(
      [AGE_FILLS.fresh, AGE_FILLS.middle, AGE_FILLS.old, AGE_FILLS.inTransit].map(argb),
    );
    // Kept to look at (rendered with LibreOffice), never compared by pixels.
    await fs.mkdir('test-results', { recursive: true });
    await fs.copyFile(out, 'test-results/inventory.xlsx');
  });

  it('pushes adjustments from the Inventory sheet: a bad row (by Excel row and column) holds back the others, then they go through once', async () => {
    const file = path.join(dir, 'adjust.xlsx');
    expect(await main(['pull', 'inventory', '--out', file, '--location', 'MIA', ...args])).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Inventory')!;
    const col = (name: string) => (sheet.getRow(1).values as unknown[]).indexOf(name);
    const rowOf = (label: string) => {
      for (let r = 2; r <= sheet.rowCount; r++) if (sheet.getRow(r).getCell(1).value === label) return r;
      throw new Error(label);
    };
    const old = rowOf(labels.old);
    const middle = rowOf(labels.middle);
    sheet.getRow(old).getCell(col('Adjust Units')).value = '100';
    sheet.getRow(old).getCell(col('Reason')).value = 'expired';
    sheet.getRow(middle).getCell(col('Adjust Units')).value = 'twelve';
    sheet.getRow(middle).getCell(col('Reason')).value = 'DUMP';
    await workbook.xlsx.writeFile(file);

    const refused = await runCli(['push', 'inventory', file, ...args]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`Inventory row ${middle}: ERROR Row ${middle}: Adjust Units "twelve" is not a whole number`);
    let rows = await readSheet(file, 'Inventory');
    expect(rows[old - 2]).toMatchObject({ Status: 'ERROR', Message: 'not adjusted: another row of this push has an error' });
    expect((await t.ok(`{ box(label: "${labels.old}") { unitsRemaining status } }`)).box).toEqual({ unitsRemaining: 100, status: 'IN_INVENTORY' });

    const again = new ExcelJS.Workbook();
    await again.xlsx.readFile(file);
    again.getWorksheet('Inventory')!.getRow(middle).getCell(col('Adjust Units')).value = '12';
    await again.xlsx.writeFile(file);
    expect((await runCli(['push', 'inventory', file, ...args])).code).toBe(0);
    rows = await readSheet(file, 'Inventory');
    expect(rows[old - 2]).toMatchObject({ Status: 'OK', Units: 0, 'Adjust Units': null, Reason: null });
    expect(String(rows[old - 2].Message)).toBe('100 unit(s) adjusted out (EXPIRED); box now VOID (no unit left)');
    expect(rows[middle - 2]).toMatchObject({ Status: 'OK', Units: 88, Message: '12 unit(s) adjusted out (DUMP); 88 unit(s) left' });
    // Pink while refused, each row has its age band's colour back once it went through.
    const pushed = new ExcelJS.Workbook();
    await pushed.xlsx.readFile(file);
    const fills = [old, middle].map((r) => fillOf(pushed.getWorksheet('Inventory')!.getRow(r).getCell(1)));
    expect(fills).toEqual([argb(AGE_FILLS.old), argb(AGE_FILLS.middle)]);
    // Pushed again as it is: Adjust Units was cleared, nothing is adjusted twice.
    const twice = await runCli(['push', 'inventory', file, ...args]);
    expect(twice.out).toContain('No row has Adjust Units and a Reason');
    expect((await t.ok(`{ box(label: "${labels.middle}") { unitsRemaining } }`)).box.unitsRemaining).toBe(88);

    // More units than the box has: the server's refusal lands on the row, by Excel row and column.
    const more = new ExcelJS.Workbook();
    await more.xlsx.readFile(file);
    more.getWorksheet('Inventory')!.getRow(middle).getCell(col('Adjust Units')).value = 90;
    more.getWorksheet('Inventory')!.getRow(middle).getCell(col('Reason')).value = 'DUMP';
    await more.xlsx.writeFile(file);
    const over = await runCli(['push', 'inventory', file, ...args]);
    expect(over.code).toBe(1);
    expect(over.out).toContain(`Inventory row ${middle}: ERROR Row ${middle}: Adjust Units: ${labels.middle} has 88 units; 90 cannot be removed`);
  });

  it('scans labels into a Count sheet, writes the report back, and closes the count writing the missing box off', async () => {
    const file = path.join(dir, 'count.xlsx');
    // What a scanner gun types: one label per row, a repeat, a label of another location, a misread.
    await writeSheet(file, 'Count', [
      { Label: labels.middle },
      { Label: labels.middle },
      { Label: labels.nyc },
      { Label: 'B-NOPE' },
      { Label: 'X'.repeat(61) },
    ]);
    const made = path.join(dir, 'new-count.xlsx');
    expect(await main(['new', 'count', '--out', made, ...args])).toBe(0);
    expect(Object.keys((await readSheet(made, 'Count'))[0] ?? {})).toEqual(['Label', 'Scanned At', 'Result', 'Count #', 'Product', 'Units', 'Message']);
    const none = await runCli(['push', 'count', file, ...args]);
    expect(none.code).toBe(1);
    const pushed = await runCli(['push', 'count', file, '--location', 'MIA', ...args]);
    expect(pushed.code).toBe(1);
    expect(pushed.out).toContain(
      '3 label(s) sent to CNT-000001 (started now). CNT-000001 at MIA: 2 box(es) expected, 3 label(s) scanned; 1 in place, 1 missing, 2 unexpected.',
    );
    expect(pushed.out).toContain('Count row 6: ERROR Row 6: Label has 61 characters, at most 60');
    let rows = await readSheet(file, 'Count');
    expect(rows.map((r) => [r.Label, r.Result, r['Count #']])).toEqual([
      [labels.middle, 'OK', 'CNT-000001'],
      [labels.middle, 'OK', 'CNT-000001'],
      [labels.nyc, 'OTHER_LOCATION', 'CNT-000001'],
      ['B-NOPE', 'UNKNOWN', 'CNT-000001'],
      ['X'.repeat(61), 'ERROR', null],
      [labels.fresh, 'MISSING', 'CNT-000001'],
    ]);
    expect(String(rows[1].Message)).toMatch(/^also scanned on row 2: counted once/);
    expect(rows[0]['Scanned At']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(rows[5]['Scanned At']).toBeNull();
    expect(rows[5]).toMatchObject({ Product: 'ROSE-FREEDOM-50', Units: 100 });

    // The clerk fixes the misread row and pushes again: the sheet's open count is used, only that row is sent; the report replaces the MISSING rows.
    const fix = new ExcelJS.Workbook();
    await fix.xlsx.readFile(file);
    fix.getWorksheet('Count')!.getRow(6).getCell(1).value = labels.middle;
    await fix.xlsx.writeFile(file);
    const second = await runCli(['push', 'count', file, ...args]);
    expect(second.code).toBe(0);
    expect(second.out).toContain('1 label(s) sent to CNT-000001. ');
    rows = await readSheet(file, 'Count');
    expect(rows.filter((r) => r.Result === 'MISSING').map((r) => r.Label)).toEqual([labels.fresh]);
    expect(rows[4]).toMatchObject({ Result: 'OK', 'Count #': 'CNT-000001' });
    expect(String(rows[4].Message)).toContain('already scanned in this count');

    const closed = await runCli(['close', 'count', file, '--apply-missing-as', 'shrink', ...args]);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain('CNT-000001 closed: 1 missing box(es), 100 unit(s), adjusted out as SHRINK. CNT-000001 (closed) at MIA');
    rows = await readSheet(file, 'Count');
    const written = rows.find((r) => r.Label === labels.fresh)!;
    expect(written).toMatchObject({ Result: 'WRITTEN OFF', Units: 0 });
    expect((await t.ok(`{ box(label: "${labels.fresh}") { status unitsRemaining } }`)).box).toEqual({ status: 'VOID', unitsRemaining: 0 });
    // A closed count takes no more scans: the sheet says so instead of an internal error.
    const late = await runCli(['push', 'count', file, '--count', 'CNT-000001', ...args]);
    expect(late.out).toContain('No new label to send');
    const closedSheet = await runCli(['push', 'count', file, ...args]);
    expect([closedSheet.code, closedSheet.out]).toEqual([
      1,
      `${file}: CNT-000001, the Count # of this sheet, is closed: give a location to start a new count (or an open count's number).`,
    ]);
    expect((await runCli(['close', 'count', file, '--apply-missing-as', 'LOST', ...args])).code).toBe(2);
  });

  it('shows the age band of each staged box on the Staging sheet (blank while it is still to arrive)', async () => {
    const [arrived] = await shipBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', arrivalDate: '2026-12-01', confirm: false });
    const [coming] = await shipBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10', arrivalDate: '2026-12-20', confirm: false });
    const out = path.join(dir, 'staging.xlsx');
    expect(await main(['pull', 'staging', '--out', out, '--vendor', 'ROSAS', ...args])).toBe(0);
    const rows = await readSheet(out, 'Staging');
    expect([arrived, coming].map((label) => rows.find((r) => r.Label === label)?.['Age Band'])).toEqual(['5-9', null]);
  });
});
