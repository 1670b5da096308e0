// The workflows' TableIO over an .xlsx file (exceljs): tables found by their Excel table name
// wherever they sit (Excel, LibreOffice and openpyxl write them differently), or by a sheet of that
// name with its header in one of its first 20 rows. Only the cells a workflow writes change:
// formulas, the buyer's own columns and formats stay.
import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { YES_NO_COLUMNS } from '../addin/sheets/cells';
import {
  allColumns,
  COLUMN_FORMATS,
  findHeaderRow,
  HEADER_SEARCH_ROWS,
  HIDDEN_COLUMNS,
  isBlank,
  missingColumns,
  rowsForHeader,
  rowsFromValues,
  TABLE_COLUMNS,
  type CellValue,
  type RowUpdate,
  type TableName,
} from '../addin/sheets/tables';
import { failed, judges } from '../addin/workflows/outcome';
import { MissingTableError, type TableIO, type TableSnapshot, type TemplateLists, type WriteOptions } from '../addin/workflows/table-io';
import { shipToListFormula, shipToRangeName } from '../addin/workflows/template.workflow';
import { cellValue, readWorkbook } from './exceljs-workbook';
import { WorkbookFileError } from './workbook-file';
import { checkTableRows } from './workbook-limits';
import { DATE_COLUMNS, decode, grownBottom, letter, PINK, toCellValue } from './xlsx-cells';

export { loadWorkbook } from './exceljs-workbook';

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
  /** A sheet named like the table in which no row of the first 20 names its columns (row 1 taken). */
  noHeader?: boolean;
}

export class XlsxTables implements TableIO {
  private constructor(
    readonly workbook: ExcelJS.Workbook,
    readonly file: string,
    /** Cells with a formula and no computed value, by sheet name (uncomputedFormulas). */
    private readonly uncomputed = new Map<string, Set<string>>(),
    /** The CSV file the table was read from (fromRows), named in messages instead of `file`. */
    private readonly csv?: string,
  ) {}

  /** Opens a workbook; a file that does not exist yet starts empty (written by save). */
  static async open(file: string): Promise<XlsxTables> {
    const exists = await fs.stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) return new XlsxTables(new ExcelJS.Workbook(), file);
    const { workbook, uncomputed } = await readWorkbook(file);
    return new XlsxTables(workbook, file, uncomputed);
  }

  /**
   * A new workbook, saved to `file`, with one sheet named like the table holding `rows` as they are
   * (a CSV file's records: the header among them, text as text); read as any sheet of that name.
   */
  static fromRows(table: TableName, rows: string[][], file: string, csv: string): XlsxTables {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet(table);
    const header = findHeaderRow(table, rows) ?? 1;
    rows.forEach((cells, i) => {
      const names = rows[header - 1] ?? [];
      const row = sheet.getRow(i + 1);
      cells.forEach((value, j) => {
        if (value === '') return;
        const name = names[j]?.trim() ?? '';
        const cell = row.getCell(j + 1);
        cell.value = i + 1 > header ? toCell(name, value) : value;
        if (i + 1 > header && cell.value instanceof Date && COLUMN_FORMATS[name]) cell.numFmt = COLUMN_FORMATS[name];
      });
    });
    sheet.getRow(header).font = { bold: true };
    sheet.views = [{ state: 'frozen', ySplit: header }];
    (rows[header - 1] ?? []).forEach((name, j) => (sheet.getColumn(j + 1).width = Math.max(10, name.trim().length + 4)));
    return new XlsxTables(workbook, file, undefined, csv);
  }

  /** Writes the whole file only once it is built: a failure never leaves the buyer's workbook half written. */
  async save(file = this.file): Promise<void> {
    // The fastest deflate level: on 5,000 rows the file is about a quarter larger (290 KB, not 225 KB), the save some 60 ms shorter.
    const buffer = await this.workbook.xlsx.writeBuffer({ zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } });
    await fs.writeFile(file, Buffer.from(buffer as ArrayBuffer));
  }

  /** Saves the workbook as it is so far (a push's new document ids, before anything is sent). */
  persist(): Promise<void> {
    return this.save();
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
    // A sheet named like the table, its header wherever it is in its first rows; else the first sheet
    // without tables whose header (found the same way) names the table's first column.
    const first = TABLE_COLUMNS[table][0];
    const named = this.workbook.worksheets.find((ws) => ws.name.trim().toLowerCase() === table.toLowerCase());
    const topRows = (ws: ExcelJS.Worksheet) =>
      Array.from({ length: Math.min(HEADER_SEARCH_ROWS, ws.rowCount) }, (_, i) => {
        const row = ws.findRow(i + 1);
        return row ? (row.values as CellValue[]).slice(1).map((v) => (typeof v === 'string' ? v : null)) : [];
      });
    let sheet: ExcelJS.Worksheet | undefined;
    let headerRow: number | undefined;
    if (named) [sheet, headerRow] = [named, findHeaderRow(table, topRows(named))];
    else
      for (const ws of this.workbook.worksheets) {
        if (Object.keys((ws as unknown as { tables?: object }).tables ?? {}).length) continue;
        headerRow = findHeaderRow(table, topRows(ws), first);
        if (headerRow) {
          sheet = ws;
          break;
        }
      }
    if (!sheet) return null;
    const row = headerRow ?? 1;
    let right = 0;
    sheet.getRow(row).eachCell((_, col) => (right = Math.max(right, col)));
    return { ...this.locate(sheet, row, 1, right, Math.max(row, sheet.rowCount)), noHeader: !headerRow };
  }

  private locate(sheet: ExcelJS.Worksheet, headerRow: number, firstCol: number, lastCol: number, lastRow: number, model?: ExcelJsTableModel): Located {
    const columns = new Map<string, number>();
    for (let col = firstCol; col <= lastCol; col++) {
      const name = String(cellValue(sheet.getRow(headerRow).getCell(col)) ?? '').trim();
      if (name && !columns.has(name)) columns.set(name, col);
    }
    return { sheet, headerRow, firstCol, lastCol, lastRow, columns, model };
  }

  /**
   * The table, with the columns the tool writes into added at the right when the sheet lacks them
   * (Status, Message, the # column, then the hidden ones); a missing column the buyer types in is an error.
   */
  private get(table: TableName): Located {
    const located = this.find(table);
    if (!located) throw new MissingTableError(table);
    const { addable, required } = missingColumns(table, [...located.columns.keys()]);
    if (required.length) {
      const where = located.model
        ? ''
        : located.noHeader
          ? ` (no row among its first ${HEADER_SEARCH_ROWS} names its columns)`
          : this.csv
            ? ` (header found in line ${located.headerRow})`
            : ` (header found in row ${located.headerRow} of sheet ${located.sheet.name})`;
      throw new Error(
        `${this.csv ?? this.file}: the ${table} table lacks the column(s) ${required.join(', ')}${where}: add them back (header names are the sheet's contract).`,
      );
    }
    const headerCells = located.sheet.getRow(located.headerRow);
    const lastHeaderStyle = headerCells.getCell(located.lastCol).style;
    for (const name of addable) {
      const col = ++located.lastCol;
      located.columns.set(name, col);
      const cell = headerCells.getCell(col);
      cell.value = name;
      if (lastHeaderStyle) cell.style = { ...lastHeaderStyle };
      if ((HIDDEN_COLUMNS[table] as readonly string[]).includes(name)) located.sheet.getColumn(col).hidden = true;
      else located.sheet.getColumn(col).width = Math.max(located.sheet.getColumn(col).width ?? 0, name.length + 4);
      if (located.model) located.model.columns.push({ name });
      this.resize(located);
    }
    return located;
  }

  /** Refuses a table whose cells hold formulas without computed values: they would read as blank. */
  private checkComputed(table: TableName, located: Located): void {
    const cells = this.uncomputed.get(located.sheet.name);
    if (!cells?.size) return;
    const columns = new Set(allColumns(table));
    const found: string[] = [];
    for (const [name, col] of located.columns) {
      if (!columns.has(name)) continue;
      for (let r = located.headerRow + 1; r <= located.lastRow; r++) if (cells.has(`${letter(col)}${r}`)) found.push(`${letter(col)}${r}`);
    }
    if (!found.length) return;
    found.sort((a, b) => parseInt(a.replace(/\D/g, ''), 10) - parseInt(b.replace(/\D/g, ''), 10) || a.length - b.length || a.localeCompare(b));
    const shown = found.length > 10 ? `${found.slice(0, 10).join(', ')} and ${found.length - 10} more` : found.join(', ');
    throw new WorkbookFileError(
      `${this.csv ?? this.file}: ${found.length > 1 ? 'formulas' : 'formula'} in ${shown} ${found.length > 1 ? 'have' : 'has'} no computed value: open and save the file in Excel (it computes them; the program that wrote the file did not), then try again. Nothing was sent.`,
    );
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
    checkTableRows(this.csv ?? this.file, table, located.lastRow - located.headerRow);
    this.checkComputed(table, located);
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

  async update(table: TableName, _snapshot: TableSnapshot, updates: Map<number, RowUpdate>, options: WriteOptions = {}): Promise<void> {
    const located = this.get(table);
    for (const [row, values] of updates) {
      const sheetRow = located.headerRow + row;
      const excelRow = located.sheet.getRow(sheetRow);
      for (const [column, value] of Object.entries(values)) {
        const col = located.columns.get(column);
        if (col) excelRow.getCell(col).value = toCell(column, value);
      }
      if (judges(values)) this.highlight(located, sheetRow, failed(values));
      const fill = options.rowFills?.get(row);
      if (fill && judges(values) && !failed(values)) this.fill(located, sheetRow, fill);
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

  async replace(table: TableName, rows: CellValue[][], options: WriteOptions = {}): Promise<void> {
    const located = this.get(table);
    const count = located.lastRow - located.headerRow;
    if (count > 0) located.sheet.spliceRows(located.headerRow + 1, count);
    located.lastRow = located.headerRow;
    this.writeRows(located, table, located.headerRow + 1, rows);
    options.fills?.forEach((fill, i) => {
      if (fill) this.fill(located, located.headerRow + 1 + i, fill);
    });
  }

  /** Fills a row's table cells with a colour (#RRGGBB): an Inventory row's age band. */
  private fill(located: Located, sheetRow: number, fill: string): void {
    const row = located.sheet.getRow(sheetRow);
    const argb = `FF${fill.replace('#', '').toUpperCase()}`;
    for (let col = located.firstCol; col <= located.lastCol; col++) {
      const cell = row.getCell(col);
      cell.style = { ...cell.style, fill: { type: 'pattern', pattern: 'solid', fgColor: { argb } } };
    }
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
    // The Inventory is printed for a walk of the cooler: landscape, one page wide, the header on every page.
    if (table === 'Inventory') sheet.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' };
    sheet.addTable({
      name: table,
      ref: 'A1',
      headerRow: true,
      style: { theme: 'TableStyleLight9', showRowStripes: true },
      columns: columns.map((name) => ({ name, filterButton: true })),
      rows: [columns.map(() => null)],
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
