import type { RowUpdate, TableName } from '../sheets/tables';
import type { Outcome, RowProblem, TableSnapshot } from './table-io';

const FAILED = new Set(['ERROR', 'STALE', 'CANCELLED']);

/** Whether a row update says the row did not go through. */
export function failed(update: RowUpdate): boolean {
  return FAILED.has(String(update.Status ?? '')) || update.Result === 'ERROR';
}

/** Whether a row update says how the row went (Status, Result): only such an update sets or clears the row's pink (a new document's id alone does not). */
export function judges(update: RowUpdate): boolean {
  return 'Status' in update || 'Result' in update;
}

/** The rows of a push or confirm that need the buyer, in sheet order. */
export function problemsOf(snapshot: TableSnapshot, updates: Map<number, RowUpdate>): RowProblem[] {
  return [...updates.entries()]
    .filter(([, update]) => failed(update))
    .sort(([a], [b]) => a - b)
    .map(([row, update]) => ({
      row,
      sheetRow: (snapshot.headerRow ?? 1) + row,
      status: String(update.Status ?? update.Result),
      message: String(update.Message ?? ''),
    }));
}

/** Success only when every row went through, an error when none did, a warning in between. */
export function intentOf(ok: number, failedRows: number): Outcome['intent'] {
  if (failedRows === 0) return 'success';
  return ok === 0 ? 'error' : 'warning';
}

/** The outcome of a push: counts per status, and the rows to look at. */
export function pushOutcome(table: TableName, snapshot: TableSnapshot, updates: Map<number, RowUpdate>): Outcome {
  const statuses = [...updates.values()].map((u) => String(u.Status ?? ''));
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const problems = problemsOf(snapshot, updates);
  const cancelled = count('CANCELLED');
  const text = `${count('OK')} row(s) OK, ${count('ERROR')} with errors, ${count('STALE')} stale${cancelled ? `, ${cancelled} not sent (cancelled)` : ''}.${count('STALE') ? " Refresh the stale documents to get the server's version." : ''}`;
  if (updates.size === 0) return { intent: 'warning', text: `The ${table} table has no rows to push.`, table, problems };
  return { intent: intentOf(count('OK'), problems.length), text, table, problems };
}
