import { describe, expect, it } from 'vitest';
import { CHUNK_LINES } from '../../../addin/sheets/push';
import { confirmStaging } from '../../../addin/workflows/confirm.workflow';
import type { Api } from '../../../addin/workflows/table-io';
import { MemoryTables } from '../../support/memory-tables';

/** A server that confirms every label it is sent, recording each call's labels and key; `replay` answers as a replay. */
function fakeServer(replay = false) {
  const calls: Array<{ labels: string[]; key: string | null; dryRun: boolean }> = [];
  const api: Api = {
    async request<T>(_query: string, variables?: Record<string, unknown>): Promise<T> {
      const { labels, key, dryRun } = variables as { labels: string[]; key: string | null; dryRun: boolean };
      calls.push({ labels, key, dryRun });
      const results = labels.map((label) => ({
        label,
        outcome: 'CONFIRMED',
        code: null,
        message: null,
        billing: { invoiceNumbers: ['INV-000009'], issue: null, releasedUnits: 0 },
        box: null,
      }));
      return { confirmStaging: { results, errors: [], replayed: replay } } as T;
    },
  };
  return { api, calls };
}

describe('confirm workflow (task pane and CLI alike)', () => {
  it('sends the marked rows in chunks of CHUNK_LINES, each with an idempotency key of its own labels', async () => {
    const count = CHUNK_LINES + 5;
    const tables = new MemoryTables().add(
      'Staging',
      Array.from({ length: count }, (_, i) => ({ Label: `B${i}`, Confirm: 'x' })),
    );
    const { api, calls } = fakeServer();
    const outcome = await confirmStaging({ tables, api }, false);
    expect(calls.map((c) => c.labels.length)).toEqual([CHUNK_LINES, 5]);
    expect(calls.every((c) => /^confirmStaging:[0-9a-f]{64}$/.test(c.key ?? ''))).toBe(true);
    expect(calls[0].key).not.toBe(calls[1].key);
    expect(outcome).toMatchObject({ intent: 'success', text: `${count} box(es) confirmed, 0 error(s).` });
  });

  it('sends no key for a preview (nothing is written)', async () => {
    const tables = new MemoryTables().add('Staging', [{ Label: 'B1', Confirm: 'x' }]);
    const { api, calls } = fakeServer();
    await confirmStaging({ tables, api }, true);
    expect(calls).toEqual([{ labels: ['B1'], key: null, dryRun: true }]);
    expect(tables.records('Staging')[0].Result).toBe('WOULD BILL');
  });

  it('sends again only rows newly marked: confirmed rows keep their Result and Invoice #', async () => {
    const tables = new MemoryTables().add('Staging', [
      { Label: 'B1', Confirm: 'x', Result: 'BILLED', 'Invoice #': 'INV-000001', Message: 'confirmed and billed' },
      { Label: 'B2', Confirm: 'x', Result: 'CONFIRMED', Message: 'in inventory' },
      { Label: 'B3', Confirm: 'x', Result: 'WOULD BILL', 'Invoice #': '(new invoice 1)' },
      { Label: 'B4', Confirm: 'x' },
      { Label: 'B5' },
    ]);
    const { api, calls } = fakeServer();
    const outcome = await confirmStaging({ tables, api }, false);
    expect(calls.map((c) => c.labels)).toEqual([['B3', 'B4']]);
    const rows = tables.records('Staging');
    expect(rows.map((r) => [r.Label, r.Result, r['Invoice #']])).toEqual([
      ['B1', 'BILLED', 'INV-000001'],
      ['B2', 'CONFIRMED', null],
      ['B3', 'BILLED', 'INV-000009'],
      ['B4', 'BILLED', 'INV-000009'],
      ['B5', null, null],
    ]);
    expect(outcome.text).toBe('2 box(es) confirmed, 0 error(s). 2 marked row(s) were confirmed by an earlier run and were not sent again.');

    // The same sheet again: nothing new, nothing sent.
    const again = await confirmStaging({ tables, api }, false);
    expect(calls).toHaveLength(1);
    expect(again).toMatchObject({
      intent: 'success',
      text: 'Nothing new to confirm: 4 marked row(s) were confirmed by an earlier run and were not sent again.',
    });
  });

  it('says so when the server answers with a replay of an earlier confirm', async () => {
    const tables = new MemoryTables().add('Staging', [{ Label: 'B1', Confirm: 'x' }]);
    const { api } = fakeServer(true);
    const outcome = await confirmStaging({ tables, api }, false);
    expect(outcome.text).toContain('This was a replay: the server had already confirmed these 1 box(es) with the same request and wrote nothing new.');
  });

  it('names a missing table the way the buyer can fix it', async () => {
    await expect(confirmStaging({ tables: new MemoryTables(), api: fakeServer().api }, false)).rejects.toThrow(
      'no Staging table on this sheet: New sheet creates one',
    );
  });

  it('takes every way of saying yes in Confirm, and makes any other value an error on its row that the summary counts', async () => {
    const tables = new MemoryTables().add('Staging', [
      { Label: 'B1', Confirm: 'ok' },
      { Label: 'B2', Confirm: 'Done' },
      { Label: 'B3', Confirm: 'confirmed' },
      { Label: 'B4', Confirm: '✓' },
      { Label: 'B5', Confirm: 'x' },
      { Label: 'B6', Confirm: 'Sí' },
      { Label: 'B7', Confirm: 'no' },
      { Label: 'B8', Confirm: 'maybe' },
      { Confirm: 'yes' },
      { Label: 'B10' },
    ]);
    const { api, calls } = fakeServer();
    const outcome = await confirmStaging({ tables, api }, false);
    expect(calls.map((c) => c.labels)).toEqual([['B1', 'B2', 'B3', 'B4', 'B5', 'B6']]);
    expect(tables.records('Staging').map((r) => [r.Label ?? null, r.Result, r.Message])).toEqual([
      ...['B1', 'B2', 'B3', 'B4', 'B5', 'B6'].map((label) => [label, 'BILLED', 'confirmed and billed']),
      ['B7', null, null],
      ['B8', 'ERROR', 'Confirm: choose Yes or leave blank ("maybe" is neither yes nor no)'],
      [null, 'ERROR', 'Label is required: this row is marked in Confirm but has no box label'],
      ['B10', null, null],
    ]);
    expect(outcome).toMatchObject({
      intent: 'warning',
      text: '6 box(es) confirmed, 2 error(s). 2 row(s) not sent: Confirm must be Yes (or x, ok, done, ✓ ...) or blank, and a marked row needs its Label.',
    });
    expect(outcome.problems.map((p) => [p.sheetRow, p.status])).toEqual([
      [9, 'ERROR'],
      [10, 'ERROR'],
    ]);
  });

  it('says which rows are wrong when no row is marked with a yes, instead of "no row is marked"', async () => {
    const tables = new MemoryTables().add('Staging', [{ Label: 'B1', Confirm: 'tomorrow' }, { Label: 'B2' }]);
    const { api, calls } = fakeServer();
    const outcome = await confirmStaging({ tables, api }, false);
    expect(calls).toEqual([]);
    expect(outcome).toMatchObject({ intent: 'error', text: expect.stringMatching(/^0 box\(es\) confirmed, 1 error\(s\)\./) });
    expect(tables.records('Staging')[0]).toMatchObject({ Result: 'ERROR', Message: 'Confirm: choose Yes or leave blank ("tomorrow" is neither yes nor no)' });
  });
});
