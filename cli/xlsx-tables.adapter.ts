// The workflows' TableIO over an .xlsx file (exceljs): tables found by their Excel table name
// wherever they sit (Excel, LibreOffice and openpyxl write them differently), or by a sheet of that
// name with the header in row 1. Only the cells a workflow writes change: formulas, the buyer's
// own columns and formats stay.
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
// The class exceljs itself uses (a static import, so a bundle of the tool patches its own copy).
import DataValidationsXformClass from 'exceljs/lib/xlsx/xform/sheet/data-validations-xform.js';
import JSZip from 'jszip';
import { YES_NO_COLUMNS } from '../addin/sheets/cells';
import {
  allColumns,
  COLUMN_FORMATS,
  HIDDEN_COLUMNS,
  isBlank,
  rowsForHeader,
  rowsFromValues,
  TABLE_COLUMNS,
  type CellValue,
  type RowUpdate,
  type TableName,
} from '../addin/sheets/tables';
import { failed } from '../addin/workflows/outcome';
import { MissingTableError, type TableIO, type TableSnapshot, type TemplateLists } from '../addin/workflows/table-io';
import { shipToListFormula, shipToRangeName } from '../addin/workflows/template.workflow';
import { DATE_COLUMNS, decode, grownBottom, letter, PINK, toCellValue } from './xlsx-cells';

interface DataValidationsXform {
  prototype: {
    parseClose(this: { _address: string; _dataValidation: object; model: Record<string, object> }, name: string): boolean;
  };
}

/**
 * exceljs reads a drop-down over a range (C2:C10000, as templates have them) into one entry per
 * cell, and merges them back into ranges on save: some 80,000 entries per template sheet, a second
 * on a push. Kept as the ranges they are instead: exceljs writes a range entry back as it is.
 */
function keepValidationRanges(): void {
  const xform = DataValidationsXformClass as DataValidationsXform;
  const parseClose = xform.prototype.parseClose;
  xform.prototype.parseClose = function (name) {
    const addresses = this._address.split(/\s+/).filter(Boolean);
    // Anything but plain cells and ranges (never seen) is left to exceljs.
    if (name !== 'dataValidation' || !addresses.every((a) => /^\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?$/i.test(a))) return parseClose.call(this, name);
    const validation = this._dataValidation as { formulae?: unknown[]; operator?: unknown };
    if (!validation.formulae?.length) {
      delete validation.formulae;
      delete validation.operator;
    }
    for (const address of addresses) {
      // As exceljs names a range when it writes it (C2:C10000: upper case, no $, top left first).
      const { top, left, bottom, right } = decode(address);
      const key = address.includes(':')
        ? `${letter(Math.min(left, right))}${Math.min(top, bottom)}:${letter(Math.max(left, right))}${Math.max(top, bottom)}`
        : `${letter(left)}${top}`;
      this.model[key] = validation;
    }
    return true;
  };
}
keepValidationRanges();

/**
 * Reads an .xlsx file into exceljs. Relationship targets written as absolute
 * part names (openpyxl writes /xl/tables/table1.xml) are made relative first:
 * exceljs looks tables up by the relative form only and fails on the other.
 */
export async function loadWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const buffer = await fs.readFile(file);
  const zip = await JSZip.loadAsync(buffer);
  let changed = false;
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/_rels\/[^/]+\.rels$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const fixed = xml.replace(/Target="\/xl\/([^"]+)"/g, 'Target="../$1"');
    if (fixed !== xml) {
      zip.file(name, fixed);
      changed = true;
    }
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((changed ? await zip.generateAsync({ type: 'nodebuffer' }) : buffer) as never);
  return workbook;
}

function cellValue(cell: ExcelJS.Cell): CellValue {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value as CellValue;
  // A formula's cached result (cell.result: exceljs's value object leaves out a result of 0, '' or false).
  if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
    const result = cell.result as unknown;
    return result === undefined || (typeof result === 'object' && result !== null && !(result instanceof Date)) ? null : (result as CellValue);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return String(value);
}

/** A cell as written: ISO dates in date columns become real dates. */
function toCell(column: string, value: CellValue): ExcelJS.CellValue {
  return toCellValue(column, value) as ExcelJS.CellValue;
}

interface ExcelJsTableModel {
  name: string;
  displayName?: string;
  tableRef: string;
  autoFilterRef?: string;
  totalsRow?: boolean;
  columns: Array<{ name: string }>;
  style?: object | null;
}

/** Where a table sits: its header row, its columns by name, and its last row. */
interface Located {
  sheet: ExcelJS.Worksheet;
  headerRow: number;
  firstCol: number;
  lastCol: number;
  lastRow: number;
  columns: Map<string, number>;
  model?: ExcelJsTableModel;
}

export class XlsxTables implements TableIO {
  private constructor(
    readonly workbook: ExcelJS.Workbook,
    readonly file: string,
  ) {}

  /** Opens a workbook; a file that does not exist yet starts empty (written by save). */
  static async open(file: string): Promise<XlsxTables> {
    const exists = await fs.stat(file).then(
      () => true,
      () => false,
    );
    return new XlsxTables(exists ? await loadWorkbook(file) : new ExcelJS.Workbook(), file);
  }

  /** Writes the whole file only once it is built: a failure never leaves the buyer's workbook half written. */
  async save(): Promise<void> {
    // The fastest deflate level: on 5,000 rows the file is about a quarter larger (290 KB, not 225 KB), the save some 60 ms shorter.
    const buffer = await this.workbook.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as never);
    await fs.writeFile(this.file, Buffer.from(buffer as ArrayBuffer));
  }

  has(table: TableName): boolean {
    return this.find(table) !== null;
  }

  private find(table: TableName): Located | null {
    for (const sheet of this.workbook.worksheets) {
      const tables = (sheet as unknown as { tables?: Record<string, { table: ExcelJsTableModel }> }).tables ?? {};
      const found = Object.values(tables).find((t) => [t.table.name, t.table.displayName].some((n) => n?.toLowerCase() === table.toLowerCase()));
      if (found) {
        // A table without a style (LibreOffice writes none) is written back with an unnamed one: exceljs needs the object.
        found.table.style ??= {};
        const ref = decode(found.table.tableRef);
        let bottom = ref.bottom - (found.table.totalsRow ? 1 : 0);
        if (!found.table.totalsRow)
          bottom = grownBottom(bottom, (r) => {
            const row = sheet.findRow(r); // never getRow here: it would add the row to the sheet
            return row ? Array.from({ length: ref.right - ref.left + 1 }, (_, i) => cellValue(row.getCell(ref.left + i))) : null;
          });
        const located = this.locate(sheet, ref.top, ref.left, ref.right, bottom, found.table);
        if (bottom !== ref.bottom) this.resize(located);
        return located;
      }
    }
    const first = TABLE_COLUMNS[table][0];
    const sheet =
      this.workbook.getWorksheet(table) ??
      this.workbook.worksheets.find(
        (ws) =>
          Object.keys((ws as unknown as { tables?: object }).tables ?? {}).length === 0 &&
          (ws.getRow(1).values as CellValue[]).some((v) => String(v ?? '').trim() === first),
      );
    if (!sheet) return null;
    let right = 0;
    sheet.getRow(1).eachCell((_, col) => (right = Math.max(right, col)));
    return this.locate(sheet, 1, 1, right, Math.max(1, sheet.rowCount));
  }

  private locate(sheet: ExcelJS.Worksheet, headerRow: number, firstCol: number, lastCol: number, lastRow: number, model?: ExcelJsTableModel): Located {
    const columns = new Map<string, number>();
    for (let col = firstCol; col <= lastCol; col++) {
      const name = String(cellValue(sheet.getRow(headerRow).getCell(col)) ?? '').trim();
      if (name && !columns.has(name)) columns.set(name, col);
    }
    return { sheet, headerRow, firstCol, lastCol, lastRow, columns, model };
  }

  private get(table: TableName): Located {
    const located = this.find(table);
    if (!located) throw new MissingTableError(table);
    const missing = TABLE_COLUMNS[table].filter((c) => !located.columns.has(c));
    if (missing.length)
      throw new Error(`${this.file}: the ${table} table lacks the column(s) ${missing.join(', ')}: add them back (header names are the sheet's contract).`);
    for (const hidden of HIDDEN_COLUMNS[table] as readonly string[]) {
      if (located.columns.has(hidden)) continue;
      const col = ++located.lastCol;
      located.columns.set(hidden, col);
      located.sheet.getRow(located.headerRow).getCell(col).value = hidden;
      located.sheet.getColumn(col).hidden = true;
      if (located.model) located.model.columns.push({ name: hidden });
      this.resize(located);
    }
    return located;
  }

  /** Keeps an Excel table's range (and its filter range) over its header and data rows. */
  private resize(located: Located): void {
    if (!located.model) return;
    const ref = `${letter(located.firstCol)}${located.headerRow}:${letter(located.lastCol)}${Math.max(located.lastRow, located.headerRow + 1)}`;
    located.model.tableRef = ref;
    located.model.autoFilterRef = ref;
  }

  private header(located: Located): string[] {
    const header: string[] = [];
    for (const [name, col] of located.columns) header[col - located.firstCol] = name;
    return Array.from({ length: located.lastCol - located.firstCol + 1 }, (_, i) => header[i] ?? '');
  }

  private dataValues(located: Located): CellValue[][] {
    const width = located.lastCol - located.firstCol + 1;
    const rows: CellValue[][] = [];
    for (let r = located.headerRow + 1; r <= located.lastRow; r++) {
      const row = located.sheet.getRow(r);
      // findCell, not getCell: no cell objects made for empty cells (half the read time on 5,000 rows).
      rows.push(
        Array.from({ length: width }, (_, i) => {
          const cell = row.findCell(located.firstCol + i);
          return cell ? cellValue(cell) : null;
        }),
      );
    }
    return rows;
  }

  async read(table: TableName): Promise<TableSnapshot> {
    const located = this.get(table);
    const header = this.header(located);
    const values = this.dataValues(located);
    return { header, values, rows: rowsFromValues(table, header, values, located.headerRow), headerRow: located.headerRow };
  }

  /** Sets the fill of a row's table cells: each cell gets a style of its own (loaded cells share theirs), and only our own highlight is ever removed. */
  private highlight(located: Located, sheetRow: number, on: boolean): void {
    const row = located.sheet.getRow(sheetRow);
    for (let col = located.firstCol; col <= located.lastCol; col++) {
      const cell = row.getCell(col);
      const fill = cell.style?.fill as { fgColor?: { argb?: string } } | undefined;
      if (on) cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: PINK } } };
      else if (fill?.fgColor?.argb === PINK) {
        const { fill: _removed, ...rest } = cell.style;
        cell.style = rest;
      }
    }
  }

  async update(table: TableName, _snapshot: TableSnapshot, updates: Map<number, RowUpdate>): Promise<void> {
    const located = this.get(table);
    for (const [row, values] of updates) {
      const sheetRow = located.headerRow + row;
      const excelRow = located.sheet.getRow(sheetRow);
      for (const [column, value] of Object.entries(values)) {
        const col = located.columns.get(column);
        if (col) excelRow.getCell(col).value = toCell(column, value);
      }
      this.highlight(located, sheetRow, failed(values));
      if (sheetRow > located.lastRow) {
        located.lastRow = sheetRow;
        this.resize(located);
      }
    }
  }

  private writeRows(located: Located, table: TableName, start: number, rows: CellValue[][]): void {
    const header = this.header(located);
    const laidOut = rowsForHeader(table, header, rows);
    laidOut.forEach((cells, i) => {
      const excelRow = located.sheet.getRow(start + i);
      cells.forEach((value, j) => {
        const name = header[j];
        if (!allColumns(table).includes(name)) return;
        const cell = excelRow.getCell(located.firstCol + j);
        cell.value = toCell(name, value);
        if (COLUMN_FORMATS[name]) cell.numFmt = COLUMN_FORMATS[name];
      });
      this.highlight(located, start + i, false);
    });
    located.lastRow = Math.max(located.lastRow, start + laidOut.length - 1);
    this.resize(located);
    // Wide enough for what was pulled (product codes, customer POs), never narrower than before.
    header.forEach((name, j) => {
      if (!allColumns(table).includes(name) || (HIDDEN_COLUMNS[table] as readonly string[]).includes(name)) return;
      const longest = Math.max(
        name.length,
        ...laidOut.map((cells) => (cells[j] instanceof Date || DATE_COLUMNS.has(name) ? 10 : String(cells[j] ?? '').length)),
      );
      const column = located.sheet.getColumn(located.firstCol + j);
      column.width = Math.max(column.width ?? 0, Math.min(50, longest + 3));
    });
  }

  async append(table: TableName, rows: CellValue[][]): Promise<void> {
    const located = this.get(table);
    // New rows go right under the last row with content (trailing blank rows of the table are reused).
    let last = located.headerRow;
    this.dataValues(located).forEach((cells, i) => {
      if (cells.some((v) => !isBlank(v))) last = located.headerRow + 1 + i;
    });
    this.writeRows(located, table, last + 1, rows);
  }

  async replace(table: TableName, rows: CellValue[][]): Promise<void> {
    const located = this.get(table);
    const count = located.lastRow - located.headerRow;
    if (count > 0) located.sheet.spliceRows(located.headerRow + 1, count);
    located.lastRow = located.headerRow;
    this.writeRows(located, table, located.headerRow + 1, rows);
  }

  async remove(table: TableName, rows: number[]): Promise<void> {
    const located = this.get(table);
    for (const row of [...new Set(rows)].sort((a, b) => b - a)) {
      located.sheet.spliceRows(located.headerRow + row, 1);
      located.lastRow--;
    }
    this.resize(located);
  }

  async create(table: TableName, lists: TemplateLists): Promise<void> {
    if (this.has(table)) throw new Error(`${this.file} already has a ${table} table`);
    const columns = allColumns(table);
    const sheet = this.workbook.addWorksheet(table, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addTable({
      name: table,
      ref: 'A1',
      headerRow: true,
      style: { theme: 'TableStyleLight9', showRowStripes: true },
      columns: columns.map((name) => ({ name, filterButton: true })),
      rows: [columns.map(() => null)] as never,
    });
    columns.forEach((name, i) => {
      const column = sheet.getColumn(i + 1);
      column.width = Math.max(10, name.length + 4);
      if (COLUMN_FORMATS[name]) column.numFmt = COLUMN_FORMATS[name];
      if ((HIDDEN_COLUMNS[table] as readonly string[]).includes(name)) column.hidden = true;
    });
    sheet.getRow(1).font = { bold: true };
    const listSheet = this.workbook.getWorksheet('Lists') ?? this.workbook.addWorksheet('Lists', { state: 'hidden' });
    const validations = (sheet as unknown as { dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void } }).dataValidations;
    const entries = Object.entries(lists.columns);
    entries.forEach(([name, items], i) => {
      const col = letter(i + 1);
      listSheet.getColumn(i + 1).values = [name, ...items];
      const index = columns.indexOf(name);
      if (index < 0 || items.length === 0) return;
      const target = letter(index + 1);
      validations.add(`${target}2:${target}10000`, {
        type: 'list',
        allowBlank: true,
        formulae: [`Lists!$${col}$2:$${col}$${items.length + 1}`],
        // A yes/no column also takes what the drop-down does not list (x, ok, ✓ ...).
        showErrorMessage: !YES_NO_COLUMNS.includes(name),
        errorTitle: name,
        error: `Pick a ${name} from the list (the server's master data).`,
      });
    });
    const customer = columns.indexOf('Customer');
    const shipTo = columns.indexOf('Ship To');
    const customers = Object.entries(lists.shipTosByCustomer).filter(([, shipTos]) => shipTos.length > 0);
    if (customer >= 0 && shipTo >= 0 && customers.length) {
      customers.forEach(([code, shipTos], i) => {
        const col = entries.length + i + 1;
        listSheet.getColumn(col).values = [shipToRangeName(code), ...shipTos];
        this.workbook.definedNames.add(`Lists!$${letter(col)}$2:$${letter(col)}$${shipTos.length + 1}`, shipToRangeName(code));
      });
      validations.add(`${letter(shipTo + 1)}2:${letter(shipTo + 1)}10000`, {
        type: 'list',
        allowBlank: true,
        formulae: [shipToListFormula(`$${letter(customer + 1)}2`)],
        showErrorMessage: true,
        errorTitle: 'Ship To',
        error: "Pick one of the row's customer's ship-tos.",
      });
    }
  }
}
