import type { CellError } from './cells';
import { excelRow, isBlank, type CellValue, type RowUpdate, type SheetRow, type TableName } from './tables';

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
  /**
   * Documents that failed the local checks, read as far as they could be (a
   * bad cell left blank) with their errors by row: a dry run on the server
   * adds its own errors (unknown product, quantities ...) in the same push.
   */
  rejected?: Array<{ input: D; rows: SheetRow[]; errors: Map<number, CellError[]> }>;
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

/** The hidden column of a new document's own id. */
export const DOCUMENT_ID_COLUMN = 'Document Id';

/** A new document id: 96 random bits, 16 characters. */
export function newDocumentId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/**
 * Gives every new document (rows without a number) its id before anything is sent: the one one of its
 * rows already has (from an earlier push of this sheet), else a new one; rows copied from another
 * document of the sheet get a new one. Sets the rows' values and returns the cells to write, which
 * must be in the workbook before the push is sent (a retry after a lost answer, or after the workbook
 * could not be saved, must send the same ids). A document with a number needs none.
 */
export function assignDocumentIds(rows: SheetRow[], numberColumn: string, makeId: () => string = newDocumentId): Map<number, RowUpdate> {
  const updates = new Map<number, RowUpdate>();
  const taken = new Set<string>();
  for (const group of groupRows(rows, numberColumn)) {
    if (!isBlank(group[0].values[numberColumn])) continue;
    const kept = group.map((row) => cellText(row.values[DOCUMENT_ID_COLUMN])).find((id) => id !== '' && !taken.has(id));
    const id = kept ?? makeId();
    taken.add(id);
    for (const row of group) {
      if (cellText(row.values[DOCUMENT_ID_COLUMN]) === id) continue;
      row.values[DOCUMENT_ID_COLUMN] = id;
      updates.set(row.row, { [DOCUMENT_ID_COLUMN]: id });
    }
  }
  return updates;
}

/** One row's message: each error once, in the order found. */
function joinErrors(errors: CellError[]): string {
  return [...new Set(errors.map((e) => e.message))].join('; ');
}

function rejectDocument(updates: Map<number, RowUpdate>, rows: SheetRow[], errors: Map<number, CellError[]>): void {
  const first = rows.find((row) => errors.get(row.row)?.length) ?? rows[0];
  for (const row of rows) {
    const own = errors.get(row.row) ?? [];
    updates.set(row.row, { Status: 'ERROR', Message: own.length ? joinErrors(own) : `not saved: row ${excelRow(first)} of this document has an error` });
  }
}

function addError(errors: Map<number, CellError[]>, row: SheetRow, error: CellError): void {
  errors.set(row.row, [...(errors.get(row.row) ?? []), error]);
}

/**
 * Reads the rows into documents, checks what can be checked locally, and
 * leaves out documents unchanged since their last successful push. A document
 * with local errors is rejected whole; every error of every row is kept.
 */
export function preparePush<H, L>(spec: DocumentSheetSpec<H, L>, rows: SheetRow[]): PreparedPush<H & { lines: L[] }> {
  const prepared: Required<PreparedPush<H & { lines: L[] }>> = { documents: [], updates: new Map(), rejected: [] };
  for (const group of groupRows(rows, spec.numberColumn)) prepareDocument(spec, group, prepared);
  return prepared;
}

/** One document's rows (a group of groupRows) checked and read into what preparePush returns. */
export function prepareDocument<H, L>(spec: DocumentSheetSpec<H, L>, group: SheetRow[], into: Required<PreparedPush<H & { lines: L[] }>>): void {
  const { updates, documents, rejected } = into;
  const errors = new Map<number, CellError[]>();
  const note = (row: SheetRow, found: CellError[]) => found.forEach((error) => addError(errors, row, error));
  const headerErrors: CellError[] = [];
  // A new document goes with its id (assignDocumentIds), which the server knows again on a retry.
  const documentId = isBlank(group[0].values[spec.numberColumn]) ? cellText(group[0].values[DOCUMENT_ID_COLUMN]) : '';
  const header = documentId ? { ...spec.parseHeader(group[0], headerErrors), documentId } : spec.parseHeader(group[0], headerErrors);
  note(group[0], headerErrors);
  const first = spec.headerColumns.map((c) => cellText(group[0].values[c]));
  for (const row of group.slice(1)) {
    const differs = spec.headerColumns.filter((c, i) => {
      const text = cellText(row.values[c]);
      return text !== '' && text !== first[i];
    });
    if (!differs.length) continue;
    // A value that is wrong in itself (a Holiday of "maybe") is told as such, not only as differing.
    const own: CellError[] = [];
    spec.parseHeader(row, own);
    note(
      row,
      differs.map(
        (column) => own.find((error) => error.column === column) ?? { column, message: `${column} differs from row ${excelRow(group[0])} of this document` },
      ),
    );
  }
  const lines = group.map((row) => {
    const found: CellError[] = [];
    const line = spec.parseLine(row, found);
    note(row, found);
    return line;
  });
  if (errors.size) {
    rejectDocument(updates, group, errors);
    rejected.push({ input: { ...header, lines }, rows: group, errors });
    return;
  }
  const print = fingerprint(group, [...spec.headerColumns, ...spec.lineColumns]);
  const unchanged = !isBlank(group[0].values[spec.numberColumn]) && group.every((row) => row.values.Pushed === print);
  if (unchanged) {
    for (const row of group) updates.set(row.row, { Status: 'OK', Message: 'unchanged since the last push' });
    return;
  }
  documents.push({ input: { ...header, lines }, rows: group, fingerprint: print });
}

/** The last part of a server field path (lines.2.unitsPerBox -> unitsPerBox) and the column that holds it. */
function fieldWords<H, L>(spec: DocumentSheetSpec<H, L>): Array<[string, string]> {
  const words = new Map<string, string>();
  for (const [field, column] of Object.entries(spec.fieldColumns)) {
    const word = field.split('.').pop()!;
    // The version lives in a hidden column, and "lines" and "id" are no one column's words.
    if (['version', 'lines', 'id'].includes(word)) continue;
    if (!words.has(word)) words.set(word, column);
  }
  return [...words];
}

/**
 * A server message in the sheet's words: GraphQL field names (truckDate,
 * unitsPerBox) become the column headers (Truck Date, Units/Box), and a
 * message that does not start with its column is prefixed by it.
 */
export function sheetMessage<H, L>(spec: DocumentSheetSpec<H, L>, message: string, column: string | undefined): string {
  let text = message.replace(/^Row \d+(, [^:]+)?: /, '');
  for (const [word, header] of fieldWords(spec)) {
    if (/[A-Z]/.test(word)) text = text.replace(new RegExp(`\\b${word}\\b`, 'g'), header);
    else if (text.startsWith(`${word} `)) text = `${header}${text.slice(word.length)}`;
  }
  return column && !text.toLowerCase().startsWith(column.toLowerCase()) ? `${column}: ${text}` : text;
}

/** The row of the document a server error names, its column, and its message in the sheet's words. */
function placeError<H, L>(spec: DocumentSheetSpec<H, L>, rows: SheetRow[], error: ServerError): { row: SheetRow; column: string; message: string } {
  const match = /^lines\.(\d+)\.(\w+)/.exec(error.field ?? '');
  const row = match ? (rows[Number(match[1]) - 1] ?? rows[0]) : rows[0];
  const field = match ? `lines.${match[2]}` : (error.field ?? '').split('.')[0];
  const column = spec.fieldColumns[field];
  return { row, column: column ?? '', message: sheetMessage(spec, error.message, column) };
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
      const placed = new Map<number, CellError[]>();
      for (const error of [...errors, ...callErrors]) {
        const { row, column, message } = placeError(spec, doc.rows, error);
        addError(placed, row, { column, message });
      }
      if (result?.status === 'STALE') {
        for (const row of doc.rows) {
          const own = placed.get(row.row);
          updates.set(row.row, { Status: 'STALE', Message: own ? joinErrors(own) : 'changed by someone else since you pulled it: pull it again' });
        }
      } else {
        if (placed.size === 0) addError(placed, doc.rows[0], { column: '', message: 'not saved' });
        rejectDocument(updates, doc.rows, placed);
      }
      return;
    }
    const more = extra?.(i, doc.rows) ?? new Map();
    // A new document the server already had, from an earlier push of these rows whose answer never reached the sheet.
    const known = isBlank(doc.rows[0].values[spec.numberColumn]);
    for (const row of doc.rows) {
      updates.set(row.row, {
        Status: 'OK',
        Message: result.status === 'UNCHANGED' ? (known ? 'already saved by an earlier push' : 'no change') : 'saved',
        [spec.numberColumn]: result.number,
        Version: result.version,
        Pushed: doc.fingerprint,
        // Its number names it from now on: a copy of these rows, its number cleared, is a new document.
        [DOCUMENT_ID_COLUMN]: null,
        ...more.get(row.row),
      });
    }
  });
  return updates;
}

/**
 * Adds the server's errors, from a dry run of documents that failed the local
 * checks, to their rows: every error of a document in one push. A server error
 * on a cell that already has a local error is left out (the cell was sent
 * blank, so the server would only say it is required).
 */
export function applyCheckResult<H, L>(
  spec: DocumentSheetSpec<H, L>,
  rejected: NonNullable<PreparedPush<H & { lines: L[] }>['rejected']>,
  answer: { errors: ServerError[] },
): Map<number, RowUpdate> {
  const updates = new Map<number, RowUpdate>();
  rejected.forEach((doc, i) => {
    const errors = new Map([...doc.errors].map(([row, list]) => [row, [...list]]));
    for (const error of answer.errors.filter((e) => e.row === i + 1)) {
      const placed = placeError(spec, doc.rows, error);
      if ((doc.errors.get(placed.row.row) ?? []).some((local) => local.column === placed.column)) continue;
      addError(errors, placed.row, { column: placed.column, message: placed.message });
    }
    rejectDocument(updates, doc.rows, errors);
  });
  return updates;
}

/** The rows a push left in error, by the Excel row number the buyer sees, for a list beside the sheet. */
export function rowProblems(rows: SheetRow[], updates: Map<number, RowUpdate>): Array<{ row: number; status: string; message: string }> {
  return rows.flatMap((row) => {
    const update = updates.get(row.row);
    const status = String(update?.Status ?? update?.Result ?? '');
    if (!update || !['ERROR', 'STALE'].includes(status)) return [];
    return [{ row: excelRow(row), status, message: String(update.Message ?? '') }];
  });
}

/** A stable key for a push: the same push retried (after a network failure) is recognized by the server and written once. */
export async function idempotencyKey(operation: string, payload: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(`${operation}\n${JSON.stringify(payload)}`);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return `${operation}:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
