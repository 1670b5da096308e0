import ExcelJS from 'exceljs';
import { allColumns, COLUMN_FORMATS, HIDDEN_COLUMNS, rowsFromValues, TABLE_COLUMNS, type CellValue, type RowUpdate, type SheetRow, type TableName } from '../addin/sheets/tables';

export interface OpenTable {
  workbook: ExcelJS.Workbook;
  sheet: ExcelJS.Worksheet;
  rows: SheetRow[];
  /** Column number (1-based) of each header. */
  columns: Map<string, number>;
}

function cellValue(cell: ExcelJS.Cell): CellValue {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value as CellValue;
  if ('result' in value) return (value.result as CellValue) ?? null;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  return String(value);
}

/** Finds the table's sheet (by name, else the first sheet whose first row has the table's first column) and reads its rows. */
export async function openTable(file: string, table: TableName): Promise<OpenTable> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const first = TABLE_COLUMNS[table][0];
  const sheet =
    workbook.getWorksheet(table) ??
    workbook.worksheets.find((ws) => (ws.getRow(1).values as CellValue[]).some((v) => String(v ?? '').trim() === first));
  if (!sheet) throw new Error(`${file} has no ${table} table (a sheet named ${table}, or one whose first row starts with "${first}")`);
  const headerRow = sheet.getRow(1);
  const columns = new Map<string, number>();
  headerRow.eachCell((cell, col) => columns.set(String(cellValue(cell) ?? '').trim(), col));
  const missing = TABLE_COLUMNS[table].filter((c) => !columns.has(c));
  if (missing.length) throw new Error(`${file}: the ${table} table lacks the column(s) ${missing.join(', ')}`);
  let next = Math.max(...columns.values());
  for (const hidden of HIDDEN_COLUMNS[table]) {
    if (!columns.has(hidden)) {
      columns.set(hidden, ++next);
      headerRow.getCell(next).value = hidden;
      sheet.getColumn(next).hidden = true;
    }
  }
  const header: CellValue[] = [];
  for (const [name, col] of columns) header[col - 1] = name;
  const data: CellValue[][] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    data.push(header.map((_, i) => cellValue(row.getCell(i + 1))));
  }
  return { workbook, sheet, rows: rowsFromValues(table, header, data), columns };
}

/** Writes values into data rows (row 1 = first row under the header). */
export function applyUpdates(open: OpenTable, updates: Map<number, RowUpdate>): void {
  for (const [row, values] of updates) {
    const excelRow = open.sheet.getRow(row + 1);
    for (const [column, value] of Object.entries(values)) {
      const col = open.columns.get(column);
      if (col) excelRow.getCell(col).value = (value ?? null) as ExcelJS.CellValue;
    }
    if (values.Status === 'ERROR' || values.Status === 'STALE' || values.Result === 'ERROR') {
      excelRow.eachCell({ includeEmpty: false }, (cell) => {
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE2E1' } };
      });
    }
  }
}

/** About how many characters a value shows in a cell (dates as yyyy-mm-dd, money with its decimals). */
function displayLength(value: CellValue): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value))) return 10;
  if (typeof value === 'number') return value.toLocaleString('en-US', { minimumFractionDigits: Number.isInteger(value) ? 0 : 2 }).length;
  return String(value).length;
}

/** A new workbook holding one table, with formats and a header filter. */
export async function writeTable(file: string, table: TableName, rows: CellValue[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table);
  const columns = allColumns(table);
  sheet.addRow(columns);
  sheet.getRow(1).font = { bold: true };
  for (const cells of rows) sheet.addRow(cells.map((value) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : value)));
  columns.forEach((name, i) => {
    const column = sheet.getColumn(i + 1);
    // Wide enough for the header and the longest value (product codes, customer POs), within reason.
    const longest = rows.reduce((max, cells) => Math.max(max, displayLength(cells[i])), 0);
    column.width = Math.min(60, Math.max(10, name.length + 4, longest + 2));
    if (COLUMN_FORMATS[name]) column.numFmt = COLUMN_FORMATS[name];
    if ((HIDDEN_COLUMNS[table] as readonly string[]).includes(name)) column.hidden = true;
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  await workbook.xlsx.writeFile(file);
}
