// The Inventory and Count sheets' pure helpers: age band fills, adjustments read from rows, scans to send
// and the count report laid into the sheet.
import { describe, expect, it } from 'vitest';
import { countOfSheet, reportRows, scansToSend, scanUpdates, writtenOffRows, type CountReportAnswer } from '../../../addin/sheets/count.sheet';
import { adjustmentsOf, adjustmentUpdates, AGE_FILLS, ageFill } from '../../../addin/sheets/inventory.sheet';
import type { SheetRow } from '../../../addin/sheets/tables';

const KOMET = [
  { name: '1-4', maxDays: 4 },
  { name: '5-9', maxDays: 9 },
  { name: '10+', maxDays: null },
];
const rows = (values: Array<Record<string, unknown>>): SheetRow[] => values.map((v, i) => ({ row: i + 1, sheetRow: i + 2, values: v as SheetRow['values'] }));

describe('ageFill', () => {
  it.each([
    ['1-4', 2, AGE_FILLS.fresh],
    ['5-9', 7, AGE_FILLS.middle],
    ['10+', 17, AGE_FILLS.old],
    [null, -3, AGE_FILLS.inTransit],
    ['gone', 3, null],
  ] as const)('band %s (age %i) fills %s', (ageBand, ageDays, fill) => {
    expect(ageFill({ ageBand, ageDays }, KOMET)).toBe(fill);
  });

  it('colours the first band green and the last red, whatever their number; any band between yellow', () => {
    const four = [...KOMET.slice(0, 2), { name: '10-14', maxDays: 14 }, { name: '15+', maxDays: null }];
    expect(['1-4', '5-9', '10-14', '15+'].map((ageBand) => ageFill({ ageBand, ageDays: 1 }, four))).toEqual([
      AGE_FILLS.fresh,
      AGE_FILLS.middle,
      AGE_FILLS.middle,
      AGE_FILLS.old,
    ]);
    expect(ageFill({ ageBand: 'all', ageDays: 1 }, [{ name: 'all', maxDays: null }])).toBe(AGE_FILLS.fresh);
  });
});

describe('adjustmentsOf', () => {
  it('reads units typed as text by the decimal separator, names the Excel row and column of each problem, and leaves untouched rows alone', () => {
    const found = adjustmentsOf(
      rows([
        { Label: 'B-1', 'Adjust Units': '12', Reason: 'dump', Note: ' wilted ' },
        { Label: 'B-2' },
        { Label: 'B-3', 'Adjust Units': '1,5', Reason: 'SHRINK' },
        { Label: 'B-4', Reason: 'LOST' },
        { Label: 'B-5', 'Adjust Units': 0, Reason: 'DUMP' },
      ]),
      { decimalSeparator: ',' },
    );
    expect(found.items).toEqual([{ row: 1, input: { label: 'B-1', unitsRemoved: 12, reason: 'DUMP', note: 'wilted' } }]);
    expect([...found.invalid.keys()]).toEqual([3, 4, 5]);
    expect(found.invalid.get(3)!.Message).toMatch(/^Row 4: Adjust Units "1,5" is not a whole number/);
    expect(found.invalid.get(4)!.Message).toBe(
      'Row 5: Adjust Units is required with a Reason: the units taken out of the box; Reason "LOST" is not one of DUMP, SHRINK, EXPIRED, DONATION, SAMPLE, OTHER',
    );
    expect(found.invalid.get(5)!.Message).toBe('Row 6: Adjust Units 0: the units taken out, at least 1');
  });

  it("puts the server's refusal on the row it names, by Excel row and column; the other rows were not adjusted", () => {
    const sheet = rows([
      { Label: 'B-1', 'Adjust Units': 5, Reason: 'DUMP' },
      { Label: 'B-2', 'Adjust Units': 500, Reason: 'DUMP' },
    ]);
    const { items } = adjustmentsOf(sheet, { decimalSeparator: '.' });
    const updates = adjustmentUpdates(items, sheet, {
      adjustments: [],
      errors: [{ code: 'INVALID_VALUE', message: 'Row 2: unitsRemoved 500 is more than the 100 units B-2 has', row: 2, field: 'unitsRemoved' }],
    });
    expect(updates.get(2)).toEqual({ Status: 'ERROR', Message: 'Row 3: Adjust Units: unitsRemoved 500 is more than the 100 units B-2 has' });
    expect(updates.get(1)).toEqual({ Status: 'ERROR', Message: 'not adjusted: another row of this push has an error' });
  });
});

describe('the Count sheet', () => {
  const report: CountReportAnswer = {
    count: { number: 'CNT-000001', status: 'OPEN', location: { code: 'MIA' }, expectedBoxes: 3, scannedLabels: 2 },
    matched: 1,
    missing: [{ label: 'B-9', finding: 'MISSING', product: { code: 'ROSE' }, units: 100, invoiceNumber: null, action: 'look for it' }],
    unexpected: [{ label: 'B-7', finding: 'INVOICED', product: { code: 'ROSE' }, units: 0, invoiceNumber: 'INV-000004', action: 'ship it' }],
  };

  it('sends rows not pushed yet and failed ones; a label over 60 characters is an error on its row', () => {
    const sheet = rows([
      { Label: 'B-1', Result: 'OK', 'Count #': 'CNT-000001' },
      { Label: 'B-2', Result: 'ERROR', 'Count #': null },
      { Label: 'B-3' },
      { Label: 'B-9', Result: 'MISSING', 'Count #': 'CNT-000001' },
      { Label: 'Y'.repeat(61) },
    ]);
    const { scans, invalid } = scansToSend(sheet);
    expect(scans).toEqual([
      { row: 2, label: 'B-2' },
      { row: 3, label: 'B-3' },
    ]);
    expect(invalid.get(5)).toEqual({ Result: 'ERROR', Message: 'Row 6: Label has 61 characters, at most 60: is it one label?' });
    expect(countOfSheet(sheet)).toBe('CNT-000001');
  });

  it('writes findings on the scanned rows, replaces the MISSING rows, and marks written-off boxes after a close', () => {
    const sheet = rows([{ Label: 'B-1' }, { Label: 'b-7' }, { Label: 'B-1' }, { Label: 'B-8', Result: 'MISSING', 'Count #': 'CNT-000001' }]);
    const scans = [
      { row: 1, label: 'B-1' },
      { row: 2, label: 'b-7' },
      { row: 3, label: 'B-1' },
    ];
    const scanned = scanUpdates(
      scans,
      sheet,
      'CNT-000001',
      new Map([
        ['B-1', 'SCANNED'],
        ['b-7', 'ALREADY_SCANNED'],
      ]),
      '2026-12-07 10:00',
    );
    const { updates, remove, append } = reportRows(sheet, report, scanned);
    expect(updates.get(1)).toMatchObject({ Result: 'OK', 'Count #': 'CNT-000001', 'Scanned At': '2026-12-07 10:00', Message: 'in inventory at MIA' });
    expect(updates.get(2)).toMatchObject({ Result: 'INVOICED', Units: 0, Product: 'ROSE' });
    expect(updates.get(2)!.Message).toBe('already scanned in this count (an earlier push or another counter): counted once. ship it (INV-000004)');
    expect(updates.get(3)!.Message).toBe('also scanned on row 2: counted once. in inventory at MIA');
    expect(remove).toEqual([4]);
    expect(append).toEqual([['B-9', null, 'MISSING', 'CNT-000001', 'ROSE', 100, 'look for it']]);

    const closed = writtenOffRows(rows([{ Label: 'B-9', Result: 'MISSING', 'Count #': 'CNT-000001' }]), 'CNT-000001', [
      { label: 'B-9', units: 100, reason: 'SHRINK' },
      { label: 'B-10', units: 5, reason: 'SHRINK' },
    ]);
    expect(closed.updates.get(1)).toMatchObject({ Result: 'WRITTEN OFF', Units: 0 });
    expect(closed.append.map((r) => [r[0], r[2]])).toEqual([['B-10', 'WRITTEN OFF']]);
  });
});
