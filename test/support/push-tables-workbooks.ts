// Workbooks and readings shared by the tests of the push's own .xlsx reader (XlsxPushTables) and
// its agreement with the exceljs adapter (XlsxTables).
import path from 'node:path';
import fs from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import { allColumns, HIDDEN_COLUMNS, type CellValue } from '../../addin/sheets/tables';
import { loadWorkbook, XlsxTables } from '../../cli/xlsx-tables.adapter';

/** The columns the exceljs adapter adds to the fixtures' tables: the hidden ones, and Price Source (the fixtures predate it). */
const HIDDEN: readonly string[] = [...HIDDEN_COLUMNS.Prebooks, 'Price Source'];

export async function copy(dir: string, from: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.copyFile(from, file);
  return file;
}

/** What the exceljs adapter reads, without the hidden columns it adds to a table that lacks them (and writes nothing). */
export async function exceljsRead(file: string, lacksHidden = false) {
  const snapshot = await (await XlsxTables.open(file)).read('Prebooks');
  if (!lacksHidden) return snapshot;
  const kept = snapshot.header.map((name, i) => (HIDDEN.includes(name) ? -1 : i)).filter((i) => i >= 0);
  return {
    ...snapshot,
    header: kept.map((i) => snapshot.header[i]),
    values: snapshot.values.map((cells) => kept.map((i) => cells[i])),
    rows: snapshot.rows.map((row) => ({ ...row, values: Object.fromEntries(Object.entries(row.values).filter(([name]) => !HIDDEN.includes(name))) })),
  };
}

/**
 * A Prebooks table as `stemline-sheet new` makes it, with what buyers and other tools put in cells:
 * text needing escapes, rich text, booleans, formulas with results of every type (0 too), an error,
 * dates, a row typed under the table, the buyer's own column, a row already pink from a push.
 */
export async function variedWorkbook(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  const tables = await XlsxTables.open(file);
  await tables.create('Prebooks', { columns: { Customer: ['FRESHMART', 'BLOOMS'] }, shipTosByCustomer: {} });
  const columns = allColumns('Prebooks');
  const row = (values: Record<string, CellValue>) => columns.map((c) => values[c] ?? null);
  await tables.append('Prebooks', [
    row({ Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Units/Box': 100, Price: 0.85 }),
    row({ Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 750 }),
    row({ Ref: 'B', Customer: ' R&D <west> "co" ', Carrier: 'FEDEX', 'Truck Date': '2027-02-11', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
    row({
      Ref: 'C',
      Customer: 'BLOOMS',
      Carrier: 'FEDEX',
      'Truck Date': '2027-02-12',
      Product: 'VASE-20',
      Boxes: 2,
      'Units/Box': 12,
      Message: 'line one\nline two',
    }),
  ]);
  // The third row comes back pink from an earlier push.
  const snapshot = await tables.read('Prebooks');
  await tables.update('Prebooks', snapshot, new Map([[3, { Status: 'ERROR', Message: 'Customer: unknown customer' }]]));
  await tables.save();

  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet('Prebooks')!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const set = (r: number, column: string, value: ExcelJS.CellValue) => (sheet.getRow(r).getCell(header.indexOf(column)).value = value);
  set(2, 'Customer PO', { richText: [{ text: 'PO-' }, { font: { bold: true }, text: 'RICH' }] });
  set(2, 'Holiday', true);
  set(3, 'Holiday', false);
  set(2, 'Cost', { formula: 'O2*2', result: 1.7 });
  set(3, 'Cost', { formula: 'O3*2', result: 0 });
  set(4, 'Cost', { formula: 'IF(1,"x","y")', result: 'x' });
  set(5, 'Cost', { formula: '1/0', result: { error: '#DIV/0!' } });
  set(4, 'Vendor Cost', { error: '#N/A' });
  set(5, 'Vendor', { formula: 'TRUE()', result: true });
  set(2, 'Vendor Cost', { formula: 'DATE(2027,1,2)', result: new Date('2027-01-02T00:00:00Z') });
  // A style of its own (loaded cells share theirs): a date format the column does not have.
  const vendorCost = sheet.getRow(2).getCell(header.indexOf('Vendor Cost'));
  vendorCost.style = { ...vendorCost.style, numFmt: 'dd/mm/yyyy' };
  // A formula's result in a date format is a date to exceljs whatever its type (an invalid one for an error).
  const price = sheet.getRow(5).getCell(header.indexOf('Price'));
  price.value = { formula: 'NA()', result: { error: '#N/A' } };
  price.style = { ...price.style, numFmt: 'yyyy-mm-dd' };
  // The buyer's own column right of the table, and a row typed under it (not yet in its range).
  sheet.getRow(2).getCell(header.length + 1).value = 'buyer note';
  set(6, 'Ref', 'D');
  set(6, 'Customer', 'BLOOMS');
  set(6, 'Carrier', 'FEDEX');
  set(6, 'Truck Date', new Date('2027-02-13T00:00:00Z'));
  set(6, 'Product', 'VASE-20');
  set(6, 'Boxes', 3);
  set(6, 'Units/Box', 12);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** Every cell of the table region as exceljs sees it after a save: value, fill and number format. */
export async function cells(file: string) {
  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet('Prebooks')!;
  const result: unknown[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, r) => {
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const fill = (cell.style?.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb ?? null;
      const value = cell.value;
      if (value === null && fill === null) return;
      result.push({ r, c, value: value instanceof Date ? value.toISOString() : value, fill, date: typeof cell.numFmt === 'string' && /y/.test(cell.numFmt) });
    });
  });
  return result;
}
