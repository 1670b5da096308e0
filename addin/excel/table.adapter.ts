// The only code that calls Office.js. Each function takes the request context
// of an Excel.run, loads what it needs, and syncs once per step (per chunk when
// writing large tables, so each request stays under Excel's size limit).
import { allColumns, COLUMN_FORMATS, HIDDEN_COLUMNS, rowsForHeader, rowsFromValues, type CellValue, type RowUpdate, type SheetRow, type TableName } from '../sheets/tables';

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

export interface TableSnapshot {
  header: string[];
  values: CellValue[][];
  rows: SheetRow[];
}

/** Reads a table: its header and every data row, in one sync. */
export async function readTable(context: Context, table: TableName): Promise<TableSnapshot> {
  const excelTable = context.workbook.tables.getItem(table);
  const header = excelTable.getHeaderRowRange().load('values');
  const body = excelTable.getDataBodyRange().load('values');
  await context.sync();
  const names = (header.values[0] as CellValue[]).map((v) => String(v ?? '').trim());
  const values = body.values as CellValue[][];
  return { header: names, values, rows: rowsFromValues(table, names, values) };
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
  return rowsFromValues(table, names, (body.values as CellValue[][]).slice(offset, to - body.rowIndex)).map((row) => ({ ...row, row: row.row + offset }));
}

/**
 * Writes row updates (Status, Message, #, hidden columns) back into the table:
 * only the columns the updates name, as one column array each per chunk, one
 * sync per chunk; rows with an error are highlighted. Every other cell keeps
 * what the buyer has there now (formulas, edits made while the push ran).
 */
export async function writeRowUpdates(context: Context, table: TableName, snapshot: TableSnapshot, updates: Map<number, RowUpdate>, onProgress?: (done: number, total: number) => void): Promise<void> {
  const excelTable = context.workbook.tables.getItem(table);
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
      if (!update) continue;
      const failed = update.Status === 'ERROR' || update.Status === 'STALE' || update.Result === 'ERROR';
      const rowRange = body.getCell(start + i, 0).getResizedRange(0, width - 1);
      if (failed) rowRange.format.fill.color = '#FDE2E1';
      else rowRange.format.fill.clear();
    }
    await context.sync();
    onProgress?.(Math.min(start + WRITE_CHUNK_ROWS, total), total);
  }
}

export interface ReplaceOptions {
  /** Keeps the table's rows that have a value in any column of the contract, as they are (every column), above the new rows. */
  keepExisting?: boolean;
}

/**
 * Replaces all data rows of a table (pulls) with rows given in the standard
 * column order (allColumns). The header is read in the same sync as the row
 * count, and each value is written under its own header, wherever the buyer
 * moved it; the buyer's own columns are blank in the new rows. Rows go in
 * chunks of whole 2-D arrays, then the contract's number formats are set on the
 * columns' data body in the last chunk's request.
 */
export async function replaceRows(context: Context, table: TableName, rows: CellValue[][], onProgress?: (done: number, total: number) => void, options: ReplaceOptions = {}): Promise<void> {
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
    start += WRITE_CHUNK_ROWS;
    if (start >= values.length && values.length) formatColumns(excelTable, header);
    await context.sync();
    onProgress?.(Math.min(start, values.length), values.length);
  } while (start < values.length);
}

/**
 * Creates the table on a sheet of its own with the exact columns, number
 * formats, hidden bookkeeping columns and drop-down lists (kept on a hidden
 * Lists sheet and referenced by range: inline lists stop at 255 characters).
 */
export async function createTable(context: Context, table: TableName, lists: Record<string, string[]>): Promise<void> {
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
  });
  sheet.activate();
  await context.sync();
}

export interface InvoiceDocument {
  number: string;
  status: string;
  customer: { code: string; name: string };
  shipTo: { code: string; name: string } | null;
  carrier: { name: string } | null;
  truckDate: string;
  customerPo: string | null;
  total: string;
  cost: string;
  gpmPercent: string | null;
  pricePending: boolean;
  lines: Array<{ lineNo: number; product: { code: string; name: string }; boxes: number; units: number; unitPrice: string | null; amount: string | null; unitCost: string; cost: string; gpmPercent: string | null }>;
}

/** The 2-D layout of an invoice sheet: header block, lines, totals (pure, so it is tested without Excel). */
export function invoiceSheetValues(invoice: InvoiceDocument): (string | number)[][] {
  const n = (value: string | null) => (value === null ? '' : Number(value));
  return [
    [`Invoice ${invoice.number}`, '', '', '', '', '', '', ''],
    ['Customer', `${invoice.customer.name} (${invoice.customer.code})`, '', '', 'Status', invoice.status + (invoice.pricePending ? ' - price pending' : ''), '', ''],
    ['Ship to', invoice.shipTo ? `${invoice.shipTo.name} (${invoice.shipTo.code})` : '', '', '', 'Truck date', invoice.truckDate, '', ''],
    ['Carrier', invoice.carrier?.name ?? '', '', '', 'Customer PO', invoice.customerPo ?? '', '', ''],
    ['', '', '', '', '', '', '', ''],
    ['Line', 'Product', 'Boxes', 'Units', 'Unit price', 'Amount', 'Cost', 'GPM %'],
    ...invoice.lines.map((l) => [l.lineNo, `${l.product.name} (${l.product.code})`, l.boxes, l.units, n(l.unitPrice), n(l.amount), n(l.cost), n(l.gpmPercent)]),
    ['', '', '', '', '', '', '', ''],
    ['', 'Total', '', '', '', n(invoice.total), n(invoice.cost), n(invoice.gpmPercent)],
  ];
}

/** Opens one invoice as its own formatted sheet, ready to print. */
export async function writeInvoiceSheet(context: Context, invoice: InvoiceDocument): Promise<void> {
  const values = invoiceSheetValues(invoice);
  const existing = context.workbook.worksheets.getItemOrNullObject(invoice.number);
  await context.sync();
  if (!existing.isNullObject) existing.delete();
  const sheet = context.workbook.worksheets.add(invoice.number);
  sheet.getRange(`A1:H${values.length}`).values = values;
  sheet.getRange('A1').format.font.bold = true;
  sheet.getRange('A1').format.font.size = 16;
  sheet.getRange('A6:H6').format.font.bold = true;
  sheet.getRange('A6:H6').format.fill.color = '#E8F5E9';
  sheet.getRange(`E7:G${values.length}`).numberFormat = [['#,##0.00']];
  sheet.getRange(`A${values.length}:H${values.length}`).format.font.bold = true;
  sheet.getRange(`A1:H${values.length}`).format.autofitColumns();
  sheet.activate();
  await context.sync();
}
