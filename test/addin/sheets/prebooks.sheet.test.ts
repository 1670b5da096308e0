import { describe, expect, it } from 'vitest';
import { lineIdsForRows } from '../../../addin/sheets/prebooks.sheet';
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
