import type { CellError } from './cells';
import { isBlank, type CellValue, type RowUpdate, type SheetRow, type TableName } from './tables';

/** How one kind of document (prebook, purchase order) is laid out in its table. */
export interface DocumentSheetSpec<H, L> {
  table: TableName;
  /** The column holding the server's document number (Prebook #, PO #). */
  numberColumn: string;
  /** Input columns of the document header: every row of a document must agree on them. */
  headerColumns: string[];
  /** Input columns of a line. */
  lineColumns: string[];
  parseHeader(row: SheetRow, errors: CellError[]): H;
  parseLine(row: SheetRow, errors: CellError[]): L;
  /** Server field (customer, lines.product ...) to the column that holds it. */
  fieldColumns: Record<string, string>;
}

export interface DocumentResult {
  index: number;
  number: string | null;
  version: number | null;
  status: 'SAVED' | 'UNCHANGED' | 'ERROR' | 'STALE';
}

export interface ServerError {
  code: string;
  message: string;
  row: number | null;
  field: string | null;
}

export interface PreparedPush<D> {
  /** Documents to send, each with the sheet rows it came from. */
  documents: Array<{ input: D; rows: SheetRow[]; fingerprint: string }>;
  /** Row updates already known: local errors, documents unchanged since the last push. */
  updates: Map<number, RowUpdate>;
}

/** A short, stable fingerprint of a document's input cells, kept in the hidden Pushed column. */
export function fingerprint(rows: SheetRow[], columns: string[]): string {
  const textOf = (v: CellValue) => (v instanceof Date ? v.toISOString() : isBlank(v) ? '' : String(v).trim());
  const source = JSON.stringify(rows.map((row) => columns.map((c) => textOf(row.values[c]))));
  let hash = 0x811c9dc5;
  for (let i = 0; i < source.length; i++) {
    hash ^= source.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${hash.toString(16).padStart(8, '0')}-${source.length}`;
}

function cellText(value: CellValue): string {
  return isBlank(value) ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
}

/** Rows with the same # (or, for new documents, the same Ref) form one document; a row with neither is one on its own. */
export function groupRows(rows: SheetRow[], numberColumn: string): SheetRow[][] {
  const groups = new Map<string, SheetRow[]>();
  for (const row of rows) {
    const number = cellText(row.values[numberColumn]).toUpperCase();
    const ref = cellText(row.values.Ref);
    const key = number ? `#${number}` : ref ? `ref:${ref}` : `row:${row.row}`;
    const group = groups.get(key) ?? [];
    group.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function rejectDocument(updates: Map<number, RowUpdate>, rows: SheetRow[], messages: Map<number, string>): void {
  const first = rows.find((row) => messages.has(row.row)) ?? rows[0];
  for (const row of rows) {
    updates.set(row.row, { Status: 'ERROR', Message: messages.get(row.row) ?? `not saved: row ${first.row} of this document has an error` });
  }
}

/**
 * Reads the rows into documents, checks what can be checked locally, and
 * leaves out documents unchanged since their last successful push.
 */
export function preparePush<H, L>(spec: DocumentSheetSpec<H, L>, rows: SheetRow[]): PreparedPush<H & { lines: L[] }> {
  const updates = new Map<number, RowUpdate>();
  const documents: PreparedPush<H & { lines: L[] }>['documents'] = [];
  for (const group of groupRows(rows, spec.numberColumn)) {
    const messages = new Map<number, string>();
    const note = (row: SheetRow, errors: CellError[]) => {
      if (errors.length) messages.set(row.row, [messages.get(row.row), ...errors.map((e) => e.message)].filter(Boolean).join('; '));
    };
    const headerErrors: CellError[] = [];
    const header = spec.parseHeader(group[0], headerErrors);
    note(group[0], headerErrors);
    for (const row of group.slice(1)) {
      const differs = spec.headerColumns.filter((c) => cellText(row.values[c]) !== '' && cellText(row.values[c]) !== cellText(group[0].values[c]));
      note(row, differs.map((column) => ({ column, message: `${column} differs from row ${group[0].row} of this document` })));
    }
    const lines = group.map((row) => {
      const errors: CellError[] = [];
      const line = spec.parseLine(row, errors);
      note(row, errors);
      return line;
    });
    if (messages.size) {
      rejectDocument(updates, group, messages);
      continue;
    }
    const print = fingerprint(group, [...spec.headerColumns, ...spec.lineColumns]);
    const unchanged = !isBlank(group[0].values[spec.numberColumn]) && group.every((row) => row.values.Pushed === print);
    if (unchanged) {
      for (const row of group) updates.set(row.row, { Status: 'OK', Message: 'unchanged since the last push' });
      continue;
    }
    documents.push({ input: { ...header, lines }, rows: group, fingerprint: print });
  }
  return { documents, updates };
}

/** The column a server error is about, and the row of the document it names. */
function placeError<H, L>(spec: DocumentSheetSpec<H, L>, rows: SheetRow[], error: ServerError): { row: SheetRow; message: string } {
  const match = /^lines\.(\d+)\.(\w+)/.exec(error.field ?? '');
  const row = match ? (rows[Number(match[1]) - 1] ?? rows[0]) : rows[0];
  const field = match ? `lines.${match[2]}` : (error.field ?? '').split('.')[0];
  const column = spec.fieldColumns[field];
  const text = error.message.replace(/^Row \d+(, [^:]+)?: /, '');
  return { row, message: column && !text.toLowerCase().startsWith(column.toLowerCase()) ? `${column}: ${text}` : text };
}

/**
 * Turns a push's answer into row updates: Status and Message on every row,
 * the number and version on saved documents; `extra` adds per-row values
 * (line ids) for saved documents.
 */
export function applyPushResult<H, L>(
  spec: DocumentSheetSpec<H, L>,
  prepared: PreparedPush<H & { lines: L[] }>,
  answer: { results: DocumentResult[]; errors: ServerError[] },
  extra?: (documentIndex: number, rows: SheetRow[]) => Map<number, RowUpdate>,
): Map<number, RowUpdate> {
  const updates = new Map(prepared.updates);
  const callErrors = answer.errors.filter((e) => e.row === null);
  prepared.documents.forEach((doc, i) => {
    const result = answer.results.find((r) => r.index === i + 1);
    const errors = answer.errors.filter((e) => e.row === i + 1);
    if (!result || result.status === 'ERROR' || result.status === 'STALE') {
      const messages = new Map<number, string>();
      for (const error of [...errors, ...callErrors]) {
        const { row, message } = placeError(spec, doc.rows, error);
        messages.set(row.row, [messages.get(row.row), message].filter(Boolean).join('; '));
      }
      if (result?.status === 'STALE') {
        for (const row of doc.rows) updates.set(row.row, { Status: 'STALE', Message: messages.get(row.row) ?? 'changed by someone else since you pulled it: pull it again' });
      } else {
        if (messages.size === 0) messages.set(doc.rows[0].row, 'not saved');
        rejectDocument(updates, doc.rows, messages);
      }
      return;
    }
    const more = extra?.(i, doc.rows) ?? new Map();
    for (const row of doc.rows) {
      updates.set(row.row, {
        Status: 'OK',
        Message: result.status === 'UNCHANGED' ? 'no change' : 'saved',
        [spec.numberColumn]: result.number,
        Version: result.version,
        Pushed: doc.fingerprint,
        ...more.get(row.row),
      });
    }
  });
  return updates;
}

/** A stable key for a push: the same push retried (after a network failure) is recognized by the server and written once. */
export async function idempotencyKey(operation: string, payload: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(`${operation}\n${JSON.stringify(payload)}`);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return `${operation}:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
