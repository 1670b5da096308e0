// Real .xlsx files for the sheet tool's tests, written and read with exceljs.
import ExcelJS from 'exceljs';
import { TABLE_COLUMNS, type TableName } from '../../addin/sheets/tables';

export async function writeSheet(file: string, table: TableName, rows: Array<Record<string, unknown>>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table);
  sheet.addRow([...TABLE_COLUMNS[table]]);
  for (const row of rows) sheet.addRow(TABLE_COLUMNS[table].map((c) => (row[c] ?? null) as ExcelJS.CellValue));
  await workbook.xlsx.writeFile(file);
}

export async function readSheet(file: string, table: TableName): Promise<Array<Record<string, unknown>>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(table)!;
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Array<Record<string, unknown>> = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const values = (sheet.getRow(r).values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
  }
  return rows;
}

/** Sets one column on every data row of a sheet (the buyer filling a column down). */
export async function fillColumn(file: string, table: TableName, column: string, value: ExcelJS.CellValue): Promise<number> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(table)!;
  const col = (sheet.getRow(1).values as unknown[]).indexOf(column);
  if (col < 1) throw new Error(`${table} has no column ${column}`);
  for (let r = 2; r <= sheet.rowCount; r++) sheet.getRow(r).getCell(col).value = value;
  await workbook.xlsx.writeFile(file);
  return sheet.rowCount - 1;
}
