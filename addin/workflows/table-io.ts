// What the workflows need from a workbook and from the server: two small interfaces, one
// implementation each for Excel (addin/excel) and for .xlsx files (cli/).
import type { CellValue, RowUpdate, SheetRow, TableName } from '../sheets/tables';

/** A table as read: its header, every data row (blank ones included in `values`), and the rows with content. */
export interface TableSnapshot {
  header: string[];
  values: CellValue[][];
  rows: SheetRow[];
  /** The worksheet row number of the header (1 when unknown): data row n is worksheet row headerRow + n. */
  headerRow?: number;
}

export interface WriteOptions {
  onProgress?(done: number, total: number): void;
  /** replace only: a fill per row given (#RRGGBB), null for none (the Inventory's age bands). */
  fills?: ReadonlyArray<string | null>;
  /** update only: the fill a row that went through gets instead of none (an Inventory row keeps its age band's colour). */
  rowFills?: ReadonlyMap<number, string>;
}

/**
 * A workbook's tables, by their contract name. Rows are given in the standard
 * column order (allColumns) and laid out under the table's actual header;
 * updates name the columns they write, every other cell keeps what it has.
 */
export interface TableIO {
  /** Throws MissingTableError when the workbook has no such table. */
  read(table: TableName): Promise<TableSnapshot>;
  /**
   * Writes the named columns of the given data rows; a row whose update has an error is highlighted, any other row written loses the highlight.
   * With `updatesInParts`, it may be called several times for one snapshot, with different rows each time.
   */
  update(table: TableName, snapshot: TableSnapshot, updates: Map<number, RowUpdate>, options?: WriteOptions): Promise<void>;
  /** Replaces every data row (a pull of staging or invoices). */
  replace(table: TableName, rows: CellValue[][], options?: WriteOptions): Promise<void>;
  /** Adds rows below the rows that have content (a pull of needs, or of documents not yet in the table). */
  append(table: TableName, rows: CellValue[][], options?: WriteOptions): Promise<void>;
  /** Removes data rows (numbers as in SheetRow.row, of the snapshot just read). */
  remove(table: TableName, rows: number[]): Promise<void>;
  /** A new table with the contract's columns, formats, hidden columns and drop-downs. */
  create(table: TableName, lists: TemplateLists): Promise<void>;
  /**
   * Whether a push writes each chunk's rows as its answer comes (update() once per chunk, while later
   * chunks are at the server), rather than all rows once at the end: an adapter whose writes only
   * record cells until save (the .xlsx push adapter). Excel writes once, in one sync.
   */
  readonly updatesInParts?: boolean;
  /**
   * Writes what was updated so far where the workbook lives, before anything is sent (a file adapter
   * saves the file: a push's new document ids must be in it even if the results cannot be saved).
   * Excel keeps its updates in the open workbook and needs none.
   */
  persist?(): Promise<void>;
  /** Brings the buyer to a data row (Excel selects it; a file has nowhere to go). */
  select?(table: TableName, row: number): Promise<void>;
}

/** Drop-down lists for a new table: column name -> allowed values; Ship To also per customer. */
export interface TemplateLists {
  columns: Record<string, string[]>;
  shipTosByCustomer: Record<string, string[]>;
}

export class MissingTableError extends Error {
  constructor(readonly table: TableName) {
    super(`no ${table} table on this sheet: New sheet creates one`);
  }
}

/** Whether an API error says a filter named a document or master data that does not exist (UNKNOWN_PREBOOK ...). */
export function isUnknownReference(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('UNKNOWN_') || code === 'AMBIGUOUS_REFERENCE');
}

/** One GraphQL call; errors of the transport or of GraphQL are thrown. */
export interface Api {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** What every workflow gets: where the tables are, how to reach the server, progress and cancel. */
export interface WorkflowContext {
  tables: TableIO;
  api: Api;
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

/** A row the buyer should look at, by data row (SheetRow.row) and worksheet row. */
export interface RowProblem {
  row: number;
  sheetRow: number;
  status: string;
  message: string;
}

/** What a workflow tells its front end. */
export interface Outcome {
  intent: 'success' | 'warning' | 'error';
  text: string;
  table?: TableName;
  problems: RowProblem[];
  /** The documents the server has saved in this push (or found already saved), with the worksheet rows they came from. */
  saved?: Array<{ number: string; sheetRows: number[] }>;
}
