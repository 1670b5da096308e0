// The task pane's equivalent of stemline-sheet's --allow-past: a checkbox on the Prebooks panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns } from '../../addin/sheets/tables';
import { startTaskpaneHarness, type TaskpaneHarness } from '../support/taskpane-harness';

describe('task pane: truck dates before today', () => {
  let harness: TaskpaneHarness;
  beforeAll(async () => {
    harness = await startTaskpaneHarness();
  }, 180_000);
  afterAll(() => harness?.close());

  it('refuses a new prebook for a past truck until "Allow past truck dates" is ticked', async () => {
    const header = allColumns('Prebooks');
    const row = (values: Record<string, unknown>) => header.map((c) => values[c] ?? '');
    const workbook = {
      tables: {
        Prebooks: {
          header,
          rows: [
            row({ Ref: 'OLD', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': '2025-01-05', Product: 'ROSE-FREEDOM-50', Boxes: 1, Price: '0.85' }),
          ],
        },
      },
    };
    const page = await harness.openPane(workbook, { height: 640 });
    const outcome = page.getByTestId('task-outcome');
    const rows = async () =>
      (await page.evaluate(
        () => (window as unknown as { __workbook: { tables: { Prebooks: { rows: unknown[][] } } } }).__workbook.tables.Prebooks.rows,
      )) as unknown[][];
    const at = (r: unknown[], column: string) => r[header.indexOf(column)];

    await page.getByTestId('push-Prebooks').click();
    await expect.poll(() => outcome.innerText().catch(() => ''), { timeout: 30_000 }).toContain('0 row(s) OK, 1 with errors');
    expect(at((await rows())[0], 'Message')).toBe(
      'Truck Date 2025-01-05 is before today (2026-12-07): correct it, or if this prebook is for a past truck push with "Allow past truck dates" (stemline-sheet push prebooks --allow-past)',
    );

    await page.getByTestId('allow-past-Prebooks').check();
    await page.getByTestId('push-Prebooks').click();
    await expect.poll(() => outcome.innerText().catch(() => ''), { timeout: 30_000 }).toContain('1 row(s) OK, 0 with errors');
    expect([at((await rows())[0], 'Prebook #'), at((await rows())[0], 'Status')]).toEqual(['PB-000001', 'OK']);
    await page.close();
  }, 90_000);
});
