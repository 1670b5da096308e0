import { describe, expect, it } from 'vitest';
import { prebookSheet } from '../../../addin/sheets/prebooks.sheet';
import { CHUNK_LINES, pushRows, type PushAnswer } from '../../../addin/sheets/push';
import type { SheetRow } from '../../../addin/sheets/tables';

function prebookRows(documents: number, linesEach: number): SheetRow[] {
  const rows: SheetRow[] = [];
  for (let d = 0; d < documents; d++) {
    for (let l = 0; l < linesEach; l++) {
      rows.push({
        row: rows.length + 1,
        values: { Ref: `D${d}`, Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'ROSE', Boxes: 1, 'Units/Box': 100 },
      });
    }
  }
  return rows;
}

const saved = (input: unknown[], offset: number): PushAnswer => ({
  results: input.map((_, i) => ({ index: i + 1, number: `PB-${String(offset + i + 1).padStart(6, '0')}`, version: 1, status: 'SAVED' as const })),
  errors: [],
});

describe('pushing a table', () => {
  it('sends documents in chunks of at most CHUNK_LINES lines, each with a key made from its content', async () => {
    const sent: Array<{ documents: number; lines: number; key: string }> = [];
    let offset = 0;
    const rows = prebookRows(30, 50);
    const updates = await pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input, key) => {
        sent.push({ documents: input.length, lines: (input as Array<{ lines: unknown[] }>).reduce((s, d) => s + d.lines.length, 0), key });
        const answer = saved(input, offset);
        offset += input.length;
        return answer;
      },
    });
    expect(sent.map((s) => s.lines)).toEqual([CHUNK_LINES, 500]);
    expect(new Set(sent.map((s) => s.key)).size).toBe(2);
    expect(updates.size).toBe(rows.length);
    expect(updates.get(rows.length)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000030' });

    // The same push again (a retry after a network failure) carries the same keys.
    const again: string[] = [];
    await pushRows(prebookSheet, rows, { operation: 'savePrebooks', send: async (input, key) => (again.push(key), saved(input, 0)) });
    expect(again).toEqual(sent.map((s) => s.key));
  });

  it('stops between chunks when cancelled: what was sent stays sent, the rest is marked not sent', async () => {
    const controller = new AbortController();
    const rows = prebookRows(30, 50);
    let calls = 0;
    const updates = await pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      signal: controller.signal,
      send: async (input) => {
        calls++;
        controller.abort();
        return saved(input, 0);
      },
    });
    expect(calls).toBe(1);
    expect(updates.get(1)).toMatchObject({ Status: 'OK' });
    expect(updates.get(rows.length)).toEqual({ Status: 'CANCELLED', Message: 'not sent: the push was cancelled' });
  });
});
