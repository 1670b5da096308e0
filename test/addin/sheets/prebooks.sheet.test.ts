import { describe, expect, it } from 'vitest';
import type { ParseOptions } from '../../../addin/sheets/cells';
import { preparePush } from '../../../addin/sheets/documents';
import { lineIdsForRows, prebookSheetFor, truckDateWarning } from '../../../addin/sheets/prebooks.sheet';
import type { SheetRow } from '../../../addin/sheets/tables';

const row = (n: number, lineId: string | null): SheetRow => ({ row: n, values: { 'Prebook #': 'PB-000007', Product: 'ROSE', 'Line Id': lineId } });

describe('lineIdsForRows', () => {
  it('keeps the ids rows had, and gives the new lines (by line number) to the rows without one, in order', () => {
    // Lines 1 and 3 were pulled before (ids 11 and 13); the buyer added two rows: the server numbered them 4 and 5.
    const rows = [row(2, '11'), row(3, null), row(4, '13'), row(5, null)];
    const updates = lineIdsForRows(
      rows,
      ['11', '12', '13', '14', '15'].filter((id) => id !== '12'),
    );
    expect([...updates]).toEqual([
      [2, { 'Line Id': '11' }],
      [3, { 'Line Id': '14' }],
      [4, { 'Line Id': '13' }],
      [5, { 'Line Id': '15' }],
    ]);
  });

  it('leaves a row without an id when the server has no line left for it', () => {
    expect(lineIdsForRows([row(2, null), row(3, null)], ['21']).get(3)).toEqual({ 'Line Id': null });
  });
});

describe('the Prebooks table read with the company settings', () => {
  const TODAY: ParseOptions = { decimalSeparator: '.', today: '2026-12-07' };
  const base = { Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2026-12-07', Product: 'ROSE', Boxes: 1, 'Units/Box': 10 };
  const prepare = (values: Record<string, unknown>, options: ParseOptions = TODAY) =>
    preparePush(prebookSheetFor(options), [{ row: 1, values: { ...base, ...values } as SheetRow['values'] }]);

  it("refuses a new prebook's truck date before the company's today, naming the way to allow it", () => {
    const prepared = prepare({ 'Truck Date': '2025-01-05' });
    expect(prepared.documents).toEqual([]);
    expect(prepared.updates.get(1)).toEqual({
      Status: 'ERROR',
      Message:
        'Truck Date 2025-01-05 is before today (2026-12-07): correct it, or if this prebook is for a past truck push with "Allow past truck dates" (stemline-sheet push prebooks --allow-past)',
    });
    // Today itself, and an Excel date the day before (serial 46362 is 2026-12-06).
    expect(prepare({ 'Truck Date': '2026-12-07' }).documents).toHaveLength(1);
    expect(prepare({ 'Truck Date': 46362 }).updates.get(1)?.Status).toBe('ERROR');
  });

  it('takes a past truck date when the buyer allows it, and on a prebook already saved (pulled and pushed again)', () => {
    expect(prepare({ 'Truck Date': '2025-01-05' }, { ...TODAY, allowPast: true }).documents).toHaveLength(1);
    const pulled = prepare({ Ref: null, 'Prebook #': 'PB-000001', Version: 2, 'Truck Date': '2026-11-30', Price: 0.9 });
    expect(pulled.updates.size).toBe(0);
    expect(pulled.documents[0].input).toMatchObject({ number: 'PB-000001', truckDate: '2026-11-30' });
  });

  it('warns of a truck date more than a year ahead', () => {
    const at = (truckDate: unknown) => truckDateWarning({ row: 1, values: { 'Truck Date': truckDate } as SheetRow['values'] }, TODAY);
    expect([at('2027-12-07'), at('2027-12-08'), at('2026-12-08'), at('not a date'), at(null)]).toEqual([
      null,
      'Truck Date 2027-12-08 is more than a year ahead: check it',
      null,
      null,
      null,
    ]);
    expect(truckDateWarning({ row: 1, values: { 'Truck Date': '2099-01-01' } }, { decimalSeparator: '.' })).toBeNull();
    // A prebook already saved keeps its truck date unchecked, as for dates before today.
    expect(truckDateWarning({ row: 1, values: { 'Prebook #': 'PB-000001', 'Truck Date': '2099-01-01' } }, TODAY)).toBeNull();
  });

  it('reads text numbers by the decimal separator, and a Holiday that is neither yes nor blank is an error', () => {
    const comma = prepare({ Price: '0,85', Boxes: '2', 'Units/Box': '1.000', Holiday: 'sí' }, { ...TODAY, decimalSeparator: ',' });
    expect(comma.documents[0].input).toMatchObject({ holiday: true, lines: [{ price: '0.85', boxes: 2, unitsPerBox: 1000 }] });
    const point = prepare({ Price: '0,85', Boxes: '2,5', Holiday: 'maybe' });
    expect(point.updates.get(1)?.Message).toBe(
      'Holiday: choose Yes or leave blank ("maybe" is neither yes nor no); ' +
        'Boxes "2,5" could be 2.5 or 25: a whole number has no decimals and groups its thousands by threes (1,000); type the number you mean, such as 25; ' +
        'Price "0,85" could be 0.85 or 85: this company writes numbers with a decimal point (1,250.50), so type 0.85 or 85',
    );
  });
});
