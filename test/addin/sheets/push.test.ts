import { describe, expect, it } from 'vitest';
import { assignDocumentIds, newDocumentId } from '../../../addin/sheets/documents';
import { prebookSheet } from '../../../addin/sheets/prebooks.sheet';
import { PUSH_CHUNK_LINES, PUSH_CONCURRENCY, pushRows, type PushAnswer } from '../../../addin/sheets/push';
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
  it('sends documents in chunks of at most PUSH_CHUNK_LINES lines, each with a key made from its content', async () => {
    const sent: Array<{ documents: number; lines: number; key: string }> = [];
    let offset = 0;
    const rows = prebookRows(120, 50);
    const updates = await pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input, key) => {
        sent.push({ documents: input.length, lines: (input as Array<{ lines: unknown[] }>).reduce((s, d) => s + d.lines.length, 0), key });
        const answer = saved(input, offset);
        offset += input.length;
        return answer;
      },
    });
    expect(sent.map((s) => s.lines)).toEqual([PUSH_CHUNK_LINES, PUSH_CHUNK_LINES, 1000]);
    expect(new Set(sent.map((s) => s.key)).size).toBe(3);
    expect(updates.size).toBe(rows.length);
    expect(updates.get(rows.length)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000120' });

    // The same push again (a retry after a network failure) carries the same keys.
    const again: string[] = [];
    await pushRows(prebookSheet, rows, { operation: 'savePrebooks', send: async (input, key) => (again.push(key), saved(input, 0)) });
    expect(again).toEqual(sent.map((s) => s.key));

    // Rows added to the end of a sheet before a retry: the chunks before them keep their keys.
    const keysOf = async (pushed: SheetRow[]) => {
      const keys: string[] = [];
      await pushRows(prebookSheet, pushed, { operation: 'savePrebooks', send: async (input, key) => (keys.push(key), saved(input, 0)) });
      return keys;
    };
    const first = await keysOf(prebookRows(60, 50));
    const retried = await keysOf(prebookRows(61, 50));
    expect(first).toHaveLength(2);
    expect(retried[0]).toBe(first[0]);
    expect(retried[1]).not.toBe(first[1]);
  });

  it('stops between chunks when cancelled: what was sent stays sent, the rest is marked not sent', async () => {
    const controller = new AbortController();
    const rows = prebookRows(60, 50); // chunks of 2,500 and 500 lines
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

  it('keeps PUSH_CONCURRENCY chunks in flight, and writes each answer to its own rows whatever order they come back in', async () => {
    const rows = prebookRows(100, 100); // 4 chunks of 2,500 lines
    let inFlight = 0;
    let most = 0;
    const progress: number[] = [];
    const updates = await pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      onProgress: (done) => progress.push(done),
      send: async (input) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const first = (input[0] as { ref: string }).ref;
        const chunk = Number(first.slice(1)) / 25;
        // Earlier chunks answer later, so answers come back out of order.
        // (Long enough for the next chunk's key to be made on a busy machine: 2,500 lines each.)
        await new Promise((resolve) => setTimeout(resolve, (4 - chunk) * 60));
        inFlight--;
        return saved(input, chunk * 25);
      },
    });
    expect(most).toBe(PUSH_CONCURRENCY);
    expect(progress.at(-1)).toBe(rows.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    // Row 1 is D0 (PB-000001); the first row of D37 is row 3701, numbered in its chunk as PB-000038.
    expect(updates.get(1)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000001' });
    expect(updates.get(3701)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000038' });
    expect(updates.get(10000)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000100' });
  });

  it('throws the first failure once the chunks already sent have come back, and sends nothing more', async () => {
    const rows = prebookRows(50, 100);
    const sent: string[] = [];
    let settled = 0;
    // D0 fails at once: nothing after it is sent.
    const push = pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input) => {
        const ref = (input[0] as { ref: string }).ref;
        sent.push(ref);
        if (ref === 'D0') throw new Error('network down');
        await new Promise((resolve) => setTimeout(resolve, 20));
        settled++;
        return saved(input, 0);
      },
    });
    await expect(push).rejects.toThrow('network down');
    expect(sent).toEqual(['D0']);
    expect(settled).toBe(0);

    // D25 fails while D0 is in flight: the push waits for D0's answer, then throws.
    const later: string[] = [];
    let answered = false;
    const second = pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input) => {
        const ref = (input[0] as { ref: string }).ref;
        later.push(ref);
        if (ref === 'D25') throw new Error('server gone');
        await new Promise((resolve) => setTimeout(resolve, 20));
        answered = true;
        return saved(input, 0);
      },
    });
    await expect(second).rejects.toThrow('server gone');
    expect(later).toEqual(['D0', 'D25']);
    expect(answered).toBe(true);
  });

  it("hands each chunk's rows to onChunk as its answer comes, after the next chunk has left, and returns them all", async () => {
    const rows = prebookRows(60, 100); // chunks of 2,500, 2,500 and 1,000 lines
    const log: string[] = [];
    const written = new Map<number, number>();
    const answers = new Map<string, () => void>();
    const push = pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input) => {
        const ref = (input[0] as { ref: string }).ref;
        log.push(`sent ${ref}`);
        await new Promise<void>((resolve) => answers.set(ref, resolve));
        log.push(`answered ${ref}`);
        return saved(input, Number(ref.slice(1)));
      },
      onChunk: async (chunk) => {
        log.push(`rows ${Math.min(...chunk.keys())}-${Math.max(...chunk.keys())}`);
        for (const row of chunk.keys()) written.set(row, (written.get(row) ?? 0) + 1);
      },
    });
    // An answer once its chunk and the next have left (and the next one's key is made).
    const settle = async (ref: string) => {
      while (!answers.has(ref) || (ref === 'D0' && !answers.has('D25'))) await new Promise((resolve) => setTimeout(resolve, 1));
      // Time for the chunk after it to leave too (its key is made from 2,500 lines first), even on a busy machine.
      await new Promise((resolve) => setTimeout(resolve, 250));
      answers.get(ref)!();
    };
    await settle('D0');
    await settle('D25');
    await settle('D50');
    const updates = await push;
    expect(log).toEqual(['sent D0', 'sent D25', 'answered D0', 'sent D50', 'rows 1-2500', 'answered D25', 'rows 2501-5000', 'answered D50', 'rows 5001-6000']);
    // Every row handed over once, as returned.
    expect(written.size).toBe(rows.length);
    expect([...written.values()].every((n) => n === 1)).toBe(true);
    expect(updates.get(5001)).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000051' });
  });

  it('sends the first chunk as soon as its documents are read, and reads the rest while the server works on it', async () => {
    const rows = prebookRows(60, 50); // chunks of 2,500 and 500 lines
    const log: string[] = [];
    const last = rows[rows.length - 1].values;
    const product = last.Product;
    Object.defineProperty(last, 'Product', {
      enumerable: true,
      get: () => (log.push('last row read'), product),
    });
    await pushRows(prebookSheet, rows, {
      operation: 'savePrebooks',
      send: async (input) => (log.push(`sent ${(input[0] as { ref: string }).ref}`), saved(input, 0)),
    });
    expect(log[0]).toBe('sent D0');
    expect(log.indexOf('last row read')).toBeLessThan(log.indexOf('sent D50'));
  });
});

describe('new documents known by their id', () => {
  const row = (n: number, values: Record<string, string | null>): SheetRow => ({ row: n, values });
  let made = 0;
  const makeId = () => `id-${++made}`;

  it('gives each new document one id in all its rows, keeps the one it has, and gives rows copied from another document a new one', () => {
    made = 0;
    const rows = [
      row(1, { Ref: 'A', 'Document Id': null }),
      row(2, { Ref: 'A', 'Document Id': null }),
      row(3, { Ref: 'B', 'Document Id': 'kept' }),
      row(4, { Ref: 'B', 'Document Id': null }),
      // Rows copied from B into a new document C: the id is B's, so C gets its own.
      row(5, { Ref: 'C', 'Document Id': 'kept' }),
      // A document with a number is known by it.
      row(6, { 'Prebook #': 'PB-000001', Ref: 'D', 'Document Id': null }),
    ];
    const updates = assignDocumentIds(rows, 'Prebook #', makeId);
    expect(Object.fromEntries(updates)).toEqual({
      1: { 'Document Id': 'id-1' },
      2: { 'Document Id': 'id-1' },
      4: { 'Document Id': 'kept' },
      5: { 'Document Id': 'id-2' },
    });
    expect(rows.map((r) => r.values['Document Id'])).toEqual(['id-1', 'id-1', 'kept', 'kept', 'id-2', null]);
    // Read again, the same rows need nothing more.
    expect(assignDocumentIds(rows, 'Prebook #', makeId).size).toBe(0);
  });

  it('sends a new document with its id, so identical rows of two sheets make two keys, and the same sheet sent again the same key', async () => {
    const keys: string[] = [];
    const inputs: unknown[] = [];
    const push = async (rows: SheetRow[]) => {
      assignDocumentIds(rows, 'Prebook #');
      await pushRows(prebookSheet, rows, {
        operation: 'savePrebooks',
        send: async (input, key) => {
          keys.push(key);
          inputs.push(...input);
          return saved(input, 0);
        },
      });
    };
    const morning = prebookRows(1, 2);
    const afternoon = prebookRows(1, 2);
    await push(morning);
    await push(afternoon);
    await push(morning.map((r) => ({ ...r, values: { ...r.values, Status: null } })));
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[2]).toBe(keys[0]);
    expect((inputs as Array<{ documentId: string }>).map((d) => d.documentId.length)).toEqual([16, 16, 16]);
    expect(newDocumentId()).not.toBe(newDocumentId());
  });
});
