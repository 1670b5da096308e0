// The only code that calls Office.js. Each function takes the request context
// of an Excel.run, loads what it needs, and syncs once per step (per chunk when
// writing large tables, so each request stays under Excel's size limit).
import {
  allColumns,
  COLUMN_FORMATS,
  HIDDEN_COLUMNS,
  isBlank,
  missingColumns,
  rowsForHeader,
  rowsFromValues,
  type CellValue,
  type RowUpdate,
  type SheetRow,
  type TableName,
} from '../sheets/tables';
import { judges } from '../workflows/outcome';
import type { TableSnapshot, TemplateLists } from '../workflows/table-io';
import { YES_NO_COLUMNS } from '../sheets/cells';
import { shipToListFormula, shipToRangeName } from '../workflows/template.workflow';

/** Rows per write request: well under Excel's 5 MB request limit for our widths. */
export const WRITE_CHUNK_ROWS = 500;

type Context = Excel.RequestContext;

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A cell as Excel takes it: dates as ISO text, blanks as empty strings. */
function excelValue(value: CellValue): string | number | boolean {
  return value instanceof Date ? value.toISOString().slice(0, 10) : (value ?? '');
}

/**
 * Sets the number format of the contract's columns on each table column's data
 * body (by header name, wherever the buyer moved it), never on whole sheet
 * columns: Excel extends a table column's format to the rows added to it.
 */
function formatColumns(excelTable: Excel.Table, header: string[]): void {
  header.forEach((name, i) => {
    if (COLUMN_FORMATS[name]) excelTable.columns.getItemAt(i).getDataBodyRange().numberFormat = [[COLUMN_FORMATS[name]]];
  });
}

export type { TableSnapshot };

/**
 * Reads a table: its header and every data row, in one sync. A table made by hand without the
 * columns the tool writes into (Status, Message, the # column, the hidden ones) gets them added at
 * its right first, so that its results have somewhere to go.
 */
export async function readTable(context: Context, table: TableName, added = false): Promise<TableSnapshot> {
  const excelTable = context.workbook.tables.getItem(table);
  const header = excelTable.getHeaderRowRange().load('values, rowIndex');
  const body = excelTable.getDataBodyRange().load('values');
  await context.sync();
  const names = (header.values[0] as CellValue[]).map((v) => String(v ?? '').trim());
  const { addable } = missingColumns(table, names);
  if (addable.length && !added) {
    for (const name of addable) {
      const column = excelTable.columns.add(undefined, undefined, name);
      if ((HIDDEN_COLUMNS[table] as readonly string[]).includes(name)) column.getRange().columnHidden = true;
    }
    await context.sync();
    return readTable(context, table, true);
  }
  const values = body.values as CellValue[][];
  // rowIndex is 0-based: a header on Excel row 3 has rowIndex 2, and messages name rows as Excel shows them.
  const headerRow = typeof header.rowIndex === 'number' ? header.rowIndex + 1 : 1;
  return { header: names, values, rows: rowsFromValues(table, names, values, headerRow), headerRow };
}

/**
 * The table's data rows the user has selected (any cells of them; one selected area), in one sync;
 * none when the selection is on another sheet or outside the table.
 */
export async function readSelectedRows(context: Context, table: TableName): Promise<SheetRow[]> {
  const excelTable = context.workbook.tables.getItem(table);
  const header = excelTable.getHeaderRowRange().load('values');
  const body = excelTable.getDataBodyRange().load('values,rowIndex,rowCount');
  const sheet = excelTable.worksheet.load('name');
  const selected = context.workbook.getSelectedRange().load('rowIndex,rowCount');
  const selectedSheet = selected.worksheet.load('name');
  await context.sync();
  if (selectedSheet.name !== sheet.name) return [];
  const from = Math.max(body.rowIndex, selected.rowIndex);
  const to = Math.min(body.rowIndex + body.rowCount, selected.rowIndex + selected.rowCount);
  if (from >= to) return [];
  const names = (header.values[0] as CellValue[]).map((v) => String(v ?? '').trim());
  const offset = from - body.rowIndex;
  // body.rowIndex (0-based) is the header's Excel row: the slice's rows keep the numbers Excel shows.
  return rowsFromValues(table, names, (body.values as CellValue[][]).slice(offset, to - body.rowIndex), body.rowIndex + offset).map((row) => ({
    ...row,
    row: row.row + offset,
  }));
}

/**
 * Writes row updates (Status, Message, #, hidden columns) back into the table:
 * only the columns the updates name, as one column array each per chunk, one
 * sync per chunk; rows with an error are highlighted. Every other cell keeps
 * what the buyer has there now (formulas, edits made while the push ran).
 */
export async function writeRowUpdates(
  context: Context,
  table: TableName,
  snapshot: TableSnapshot,
  updates: Map<number, RowUpdate>,
  onProgress?: (done: number, total: number) => void,
  rowFills?: ReadonlyMap<number, string>,
): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
  // A table made before a bookkeeping column existed (a new document's Document Id) gets it, hidden, at its right.
  const hidden = HIDDEN_COLUMNS[table] as readonly string[];
  const named = new Set<string>();
  for (const update of updates.values()) for (const name in update) named.add(name);
  const added = [...named].filter((name) => hidden.includes(name) && !snapshot.header.includes(name));
  for (const name of added) {
    excelTable.columns.add(undefined, undefined, name).getRange().columnHidden = true;
    snapshot.header.push(name);
    for (const cells of snapshot.values) cells.push(null);
  }
  if (added.length) await context.sync();
  const body = excelTable.getDataBodyRange();
  // Only the columns the server answers in (Status, Message, document #, Result ...) are written, each
  // as one column array per chunk: every other cell keeps what the buyer has there now, formulas included.
  const columns = [...new Set([...updates.values()].flatMap((update) => Object.keys(update)))]
    .map((name) => ({ name, col: snapshot.header.indexOf(name) }))
    .filter(({ col }) => col >= 0);
  const total = snapshot.values.length;
  const width = snapshot.header.length;
  for (let start = 0; start < total; start += WRITE_CHUNK_ROWS) {
    const count = Math.min(WRITE_CHUNK_ROWS, total - start);
    for (const { name, col } of columns) {
      const cells = Array.from({ length: count }, (_, i) => {
        const update = updates.get(start + i + 1);
        return [excelValue(update && name in update ? (update[name] ?? '') : (snapshot.values[start + i][col] ?? ''))];
      });
      body.getCell(start, col).getResizedRange(count - 1, 0).values = cells;
    }
    for (let i = 0; i < count; i++) {
      const update = updates.get(start + i + 1);
      if (!update || !judges(update)) continue;
      const failed = update.Status === 'ERROR' || update.Status === 'STALE' || update.Result === 'ERROR';
      const rowRange = body.getCell(start + i, 0).getResizedRange(0, width - 1);
      const fill = rowFills?.get(start + i + 1);
      if (failed) rowRange.format.fill.color = '#FDE2E1';
      else if (fill) rowRange.format.fill.color = fill;
      else rowRange.format.fill.clear();
    }
    await context.sync();
    onProgress?.(Math.min(start + WRITE_CHUNK_ROWS, total), total);
  }
}

export interface ReplaceOptions {
  /** Keeps the table's rows that have a value in any column of the contract, as they are (every column), above the new rows. */
  keepExisting?: boolean;
  /** A fill per new row (#RRGGBB; null: none), set with the rows: the Inventory's age bands. */
  fills?: ReadonlyArray<string | null>;
}

/**
 * Replaces all data rows of a table (pulls) with rows given in the standard
 * column order (allColumns). The header is read in the same sync as the row
 * count, and each value is written under its own header, wherever the buyer
 * moved it; the buyer's own columns are blank in the new rows. Rows go in
 * chunks of whole 2-D arrays, then the contract's number formats are set on the
 * columns' data body in the last chunk's request.
 */
export async function replaceRows(
  context: Context,
  table: TableName,
  rows: CellValue[][],
  onProgress?: (done: number, total: number) => void,
  options: ReplaceOptions = {},
): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
  const headerRange = excelTable.getHeaderRowRange().load('values');
  const existing = options.keepExisting ? excelTable.getDataBodyRange().load('values') : null;
  excelTable.rows.load('count');
  await context.sync();
  const header = (headerRange.values[0] as CellValue[]).map((v) => String(v ?? '').trim());
  const pulled = rowsForHeader(table, header, rows);
  const kept = existing ? rowsFromValues(table, header, existing.values as CellValue[][]).map((row) => (existing.values as CellValue[][])[row.row - 1]) : [];
  const values = [...kept, ...pulled];
  const body = excelTable.getDataBodyRange();
  body.clear();
  if (excelTable.rows.count > 0) body.delete('Up');
  let start = 0;
  do {
    const chunk = values.slice(start, start + WRITE_CHUNK_ROWS).map((r) => header.map((_, i) => excelValue(r[i])));
    if (chunk.length) excelTable.rows.add(undefined, chunk);
    if (options.fills && chunk.length) {
      const rowsRange = excelTable.getDataBodyRange();
      chunk.forEach((_, i) => {
        const fill = options.fills?.[start + i - kept.length];
        if (fill) rowsRange.getCell(start + i, 0).getResizedRange(0, header.length - 1).format.fill.color = fill;
      });
    }
    start += WRITE_CHUNK_ROWS;
    if (start >= values.length && values.length) formatColumns(excelTable, header);
    await context.sync();
    onProgress?.(Math.min(start, values.length), values.length);
  } while (start < values.length);
}

/**
 * Adds rows (standard column order) under the last row with content, leaving
 * every existing row as it is (formulas included): blank rows at the end of the
 * table are filled first, in the contract's columns only (so the buyer's
 * calculated columns keep their formulas), then rows are added in chunks.
 */
export async function appendRows(context: Context, table: TableName, rows: CellValue[][], onProgress?: (done: number, total: number) => void): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
  const headerRange = excelTable.getHeaderRowRange().load('values');
  const body = excelTable.getDataBodyRange().load('values');
  await context.sync();
  const header = (headerRange.values[0] as CellValue[]).map((v) => String(v ?? '').trim());
  const laidOut = rowsForHeader(table, header, rows);
  const contract = header.map((name, i) => ((allColumns(table) as string[]).includes(name) ? i : -1)).filter((i) => i >= 0);
  const existing = body.values as CellValue[][];
  let last = -1;
  existing.forEach((cells, i) => {
    if (contract.some((col) => !isBlank(cells[col]))) last = i;
  });
  const reuse = Math.min(existing.length - (last + 1), laidOut.length);
  if (reuse > 0) {
    for (const col of contract) body.getCell(last + 1, col).getResizedRange(reuse - 1, 0).values = laidOut.slice(0, reuse).map((r) => [excelValue(r[col])]);
  }
  const rest = laidOut.slice(reuse);
  for (let start = 0; start < rest.length; start += WRITE_CHUNK_ROWS) {
    excelTable.rows.add(
      undefined,
      rest.slice(start, start + WRITE_CHUNK_ROWS).map((r) => header.map((_, i) => excelValue(r[i]))),
    );
    if (start + WRITE_CHUNK_ROWS < rest.length) {
      await context.sync();
      onProgress?.(reuse + start + WRITE_CHUNK_ROWS, laidOut.length);
    }
  }
  formatColumns(excelTable, header);
  await context.sync();
  onProgress?.(laidOut.length, laidOut.length);
}

/**
 * Creates the table on a sheet of its own with the exact columns, number
 * formats, hidden bookkeeping columns and drop-down lists (kept on a hidden
 * Lists sheet and referenced by range: inline lists stop at 255 characters).
 */
export async function createTable(context: Context, table: TableName, templateLists: TemplateLists): Promise<void> {
  const lists = templateLists.columns;
  const columns = allColumns(table);
  const sheet = context.workbook.worksheets.add(table);
  const lastColumn = columnLetter(columns.length - 1);
  const excelTable = sheet.tables.add(`A1:${lastColumn}1`, true);
  excelTable.name = table;
  excelTable.getHeaderRowRange().values = [columns];
  formatColumns(excelTable, columns);
  for (const name of HIDDEN_COLUMNS[table]) excelTable.columns.getItemAt(columns.indexOf(name)).getRange().columnHidden = true;
  const listSheet = context.workbook.worksheets.getItemOrNullObject('Lists');
  await context.sync();
  const lists_ = listSheet.isNullObject ? context.workbook.worksheets.add('Lists') : listSheet;
  lists_.visibility = Excel.SheetVisibility.hidden;
  Object.entries(lists).forEach(([name, items], i) => {
    const col = columnLetter(i);
    lists_.getRange(`${col}1:${col}${items.length + 1}`).values = [[name], ...items.map((item) => [item])];
    const index = columns.indexOf(name);
    if (index < 0 || items.length === 0) return;
    const target = sheet.getRange(`${columnLetter(index)}2:${columnLetter(index)}10000`);
    target.dataValidation.clear();
    target.dataValidation.rule = { list: { inCellDropDown: true, source: `=Lists!$${col}$2:$${col}$${items.length + 1}` } };
    // A yes/no column also takes what the drop-down does not list (x, ok, ✓ ...): no stop on typing.
    if (YES_NO_COLUMNS.includes(name)) target.dataValidation.errorAlert = { showAlert: false, style: 'Information', title: name, message: 'Yes, or blank' };
  });
  const customerIndex = columns.indexOf('Customer');
  const shipToIndex = columns.indexOf('Ship To');
  const customers = Object.entries(templateLists.shipTosByCustomer).filter(([, shipTos]) => shipTos.length > 0);
  if (customerIndex >= 0 && shipToIndex >= 0 && customers.length) {
    // Ship To lists only the row's customer's ship-tos: one named range per customer, chosen by INDIRECT.
    const names = context.workbook.names;
    names.load('items/name');
    await context.sync();
    const first = Object.keys(lists).length;
    customers.forEach(([customer, shipTos], i) => {
      const col = columnLetter(first + i);
      const name = shipToRangeName(customer);
      lists_.getRange(`${col}1:${col}${shipTos.length + 1}`).values = [[name], ...shipTos.map((s) => [s])];
      names.items.find((n) => n.name === name)?.delete();
      names.add(name, lists_.getRange(`${col}2:${col}${shipTos.length + 1}`));
    });
    const target = sheet.getRange(`${columnLetter(shipToIndex)}2:${columnLetter(shipToIndex)}10000`);
    target.dataValidation.clear();
    target.dataValidation.rule = { list: { inCellDropDown: true, source: `=${shipToListFormula(`$${columnLetter(customerIndex)}2`)}` } };
  }
  sheet.activate();
  await context.sync();
}

/** Removes data rows (1-based among the data rows), from the bottom up so the numbers hold, in one sync. */
export async function removeRows(context: Context, table: TableName, rows: number[]): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
  for (const row of [...new Set(rows)].sort((a, b) => b - a)) excelTable.rows.getItemAt(row - 1).delete();
  await context.sync();
}

/** Shows the buyer a data row: its sheet comes to the front and the row is selected. */
export async function selectRow(context: Context, table: TableName, row: number): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
  excelTable.worksheet.activate();
  excelTable
    .getDataBodyRange()
    .getRow(row - 1)
    .select();
  await context.sync();
}
