// The push's TableIO over an .xlsx file, without exceljs: a push reads one table and writes back
// Status, Message, # and the pink of failed rows, so it reads the cell values of that table straight
// from the sheet's XML and, on save, patches only the cells it changed into that XML (and a style
// or shared string it adds), copying every other part of the file as it is. Loading the whole
// workbook into exceljs and rendering it again took most of a 5,000-row push.
//
// The contract: this reader reads a table as XlsxTables does (the same snapshot), or declines it.
// Values are read as exceljs reads them: shared and inline strings, numbers, booleans, errors,
// cached formula results, numbers as dates when their cell's number format is a date format. A
// workbook this reader does not cover exactly (merged cells, hyperlinks, spanning formulas, ISO date
// cells, ZIP64 ...) opens as null, and a table missing columns as incomplete; either goes through
// exceljs instead, before anything is sent. Held by test/cli/xlsx-readers.property.test.ts on
// workbooks generated with exceljs and openpyxl, and by the tests of the fixtures of each writer.
import fs from 'node:fs/promises';
import {
  allColumns,
  findHeaderRow,
  HEADER_SEARCH_ROWS,
  HIDDEN_COLUMNS,
  rowsFromValues,
  TABLE_COLUMNS,
  type CellValue,
  type RowUpdate,
  type TableName,
} from '../addin/sheets/tables';
import { failed, judges } from '../addin/workflows/outcome';
import type { TableIO, TableSnapshot } from '../addin/workflows/table-io';
import { checkTableRows, readWorkbookFile } from './workbook-limits';
import { CellValues } from './xlsx-cell-values';
import { decode, grownBottom, letter, toCellValue } from './xlsx-cells';
import { formulaOf, parseSheet, type Located } from './xlsx-sheet-data';
import { SheetPatch } from './xlsx-sheet-patch';
import { SharedStrings, Styles } from './xlsx-workbook-parts';
import { attribute, attributesOf, relationships, relsOf, Unsupported, withAttribute } from './xlsx-xml';
import { ZipArchive } from './zip-archive';

export { BUILT_IN_FORMATS } from './xlsx-workbook-parts';

export class XlsxPushTables implements TableIO {
  /** update() only records cells (save writes them): a push gives it each chunk's rows as they come. */
  readonly updatesInParts = true;
  private readonly located = new Map<TableName, Located>();
  /** The cells' values, read as exceljs reads them. */
  private readonly values: CellValues;
  /** The cells the push writes, and the sheet's text with them. */
  private readonly patch: SheetPatch;

  private constructor(
    readonly file: string,
    private readonly zip: ZipArchive,
    private readonly styles: Styles,
    private readonly stylesPart: string,
    private readonly sharedStrings: SharedStrings | undefined,
    private readonly sharedStringsPart: string | undefined,
    private readonly date1904: boolean,
    private readonly workbookRels: string,
  ) {
    this.values = new CellValues(styles, sharedStrings, date1904);
    this.patch = new SheetPatch(styles, sharedStrings, date1904);
  }

  /**
   * The workbook with its table found; null when this reader cannot read it as exceljs does (or
   * finds no such table): the caller opens it with XlsxTables then.
   */
  static async open(file: string, table: TableName): Promise<XlsxPushTables | null> {
    // Refused past the limits (a zip bomb, a DTD, a part named out of the workbook's folders) before anything is inflated here.
    const { buffer, inflated } = await readWorkbookFile(file);
    const zip = ZipArchive.open(buffer, inflated);
    if (!zip) return null;
    // The worksheets inflate on zlib's threads while the workbook's parts are read here.
    zip.prefetch(zip.names.filter((name) => /^xl\/worksheets\/[^/]+\.xml$/.test(name)));
    try {
      const [workbookXml, relsXml, contentTypes] = await Promise.all([
        zip.text('xl/workbook.xml'),
        zip.text('xl/_rels/workbook.xml.rels'),
        zip.text('[Content_Types].xml'),
      ]);
      // A macro-enabled workbook is left to the exceljs reader, which refuses it (workbook-file.ts).
      if (!workbookXml || !relsXml || !contentTypes || /macroEnabled\.main\+xml/i.test(contentTypes)) return null;
      const rels = relationships(relsXml, 'xl/workbook.xml');
      const stylesPart = rels.find((r) => r.type.endsWith('/styles'))?.target;
      const sharedStringsPart = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target;
      const [stylesXml, sharedStringsXml] = await Promise.all([
        stylesPart ? zip.text(stylesPart) : undefined,
        sharedStringsPart ? zip.text(sharedStringsPart) : undefined,
      ]);
      if (!stylesPart || !stylesXml) return null;
      const date1904 = /<workbookPr\b[^>]*>/.exec(workbookXml)?.[0] ?? '';
      const tables = new XlsxPushTables(
        file,
        zip,
        new Styles(stylesXml),
        stylesPart,
        sharedStringsXml !== undefined ? new SharedStrings(sharedStringsXml) : undefined,
        sharedStringsXml !== undefined ? sharedStringsPart : undefined,
        attribute(date1904, 'date1904') === '1',
        relsXml,
      );
      const sheets = [...workbookXml.matchAll(/<sheet\b[^>]*>/g)].map((m) => {
        const a = attributesOf(m[0]);
        const id = Object.entries(a).find(([k]) => /(^|:)id$/.test(k))?.[1];
        return { name: a.name, part: rels.find((r) => r.id === id)?.target };
      });
      if (sheets.some((s) => !s.part)) return null;
      const located = await tables.find(
        table,
        sheets.map((s) => ({ name: s.name, part: s.part! })),
      );
      if (!located) return null;
      let spanning = false;
      // A formula spanning cells (a shared formula's first cell, an array) is not overwritten in place, and one
      // without its computed value (as openpyxl writes them) in a column of the table's contract is refused by the
      // exceljs reader. Only a cell's <f> makes the look necessary: the <formula1> of the drop-downs' data
      // validations, in every sheet we make, does not.
      if (/<f[\s/>]/.test(located.sheetXml)) {
        const contract = new Set(allColumns(table).map((name) => located.columns.get(name)));
        for (const [number, row] of located.rows)
          if (number > located.headerRow && number <= located.lastRow)
            row.forEachCell(located.firstCol, located.lastCol, (cell) => {
              if (cell.isPlain) return;
              const formula = formulaOf(cell.inner);
              const uncomputed = formula.formula && cell.t !== 'str' && cell.t !== 'inlineStr' && !/<v\b[^>]*>[^<]/.test(cell.inner ?? '');
              if (formula.ref || (uncomputed && contract.has(cell.col))) spanning = true;
            });
      }
      if (spanning) return null;
      // Past the row limit: refused as the workbook opens, before the push asks the server anything.
      checkTableRows(file, table, located.lastRow - located.headerRow);
      tables.located.set(table, located);
      // Every value of the table read now, while a cell this reader does not read as exceljs does (an ISO date,
      // a shared string that is not there) can still send the workbook to exceljs: read() gives them. (A table
      // lacking columns goes through exceljs anyway.)
      if (tables.complete(table)) located.values = tables.tableValues(located);
      return tables;
    } catch (error) {
      if (error instanceof Unsupported) return null;
      throw error;
    }
  }

  private async find(table: TableName, sheets: Array<{ name: string; part: string }>): Promise<Located | null> {
    const wanted = table.toLowerCase();
    const tablesOf = new Map<string, string[]>();
    for (const sheet of sheets) {
      const rels = relationships(await this.zip.text(relsOf(sheet.part)), sheet.part);
      const parts = rels.filter((r) => r.type.endsWith('/table')).map((r) => r.target);
      tablesOf.set(sheet.part, parts);
      for (const part of parts) {
        const xml = await this.zip.text(part);
        const tag = xml && /<table\b[^>]*>/.exec(xml)?.[0];
        if (!tag) continue;
        const a = attributesOf(tag);
        if (![a.name, a.displayName].some((n) => n?.toLowerCase() === wanted)) continue;
        const sheetXml = (await this.zip.text(sheet.part))!;
        const parsed = parseSheet(sheetXml);
        const ref = decode(a.ref);
        const totalsRow = a.totalsRowCount === '1';
        let bottom = ref.bottom - (totalsRow ? 1 : 0);
        if (!totalsRow) bottom = grownBottom(bottom, (r) => this.values.cellsOf(parsed.rows.get(r), ref.left, ref.right));
        const located = this.locate(parsed, sheet.part, sheetXml, ref.top, ref.left, ref.right, bottom);
        located.tablePart = part;
        located.tableXml = xml;
        if (bottom !== ref.bottom) this.resize(located);
        return located;
      }
    }
    // As the exceljs adapter: a sheet named like the table, its header the row of its first 20 naming the most
    // columns (findHeaderRow); else the first sheet without tables whose header so found names the first column.
    const first = TABLE_COLUMNS[table][0];
    const isNamed = (s: { name: string }) => s.name.trim().toLowerCase() === wanted;
    const named = sheets.find(isNamed);
    const candidates = named ? [named] : sheets.filter((s) => !tablesOf.get(s.part)?.length);
    for (const sheet of candidates) {
      const sheetXml = (await this.zip.text(sheet.part))!;
      const parsed = parseSheet(sheetXml);
      const top = Array.from({ length: HEADER_SEARCH_ROWS }, (_, i) => {
        const cells: CellValue[] = [];
        for (const cell of parsed.rows.get(i + 1)?.cells ?? []) cells[cell.col - 1] = this.values.rawValueText(cell) ?? null;
        return cells;
      });
      const headerRow = named ? (findHeaderRow(table, top) ?? 1) : findHeaderRow(table, top, first);
      if (!headerRow) continue;
      const header = parsed.rows.get(headerRow)?.cells ?? [];
      // As exceljs: the header reaches the last cell of its row that has a value or a formula, the table the last row of the sheet.
      const right = Math.max(0, ...header.filter((cell) => formulaOf(cell.inner).formula || this.values.hasValue(cell)).map((c) => c.col));
      const lastRow = Math.max(headerRow, ...parsed.rows.keys());
      return this.locate(parsed, sheet.part, sheetXml, headerRow, 1, right, lastRow);
    }
    return null;
  }

  private locate(
    parsed: Pick<Located, 'rows' | 'columnStyles' | 'dimension'>,
    sheetPart: string,
    sheetXml: string,
    headerRow: number,
    firstCol: number,
    lastCol: number,
    lastRow: number,
  ): Located {
    const columns = new Map<string, number>();
    const header = this.values.cellsOf(parsed.rows.get(headerRow), firstCol, lastCol) ?? [];
    header.forEach((value, i) => {
      const name = String(value ?? '').trim();
      if (name && !columns.has(name)) columns.set(name, firstCol + i);
    });
    return { ...parsed, columnStyleAt: [], sheetPart, sheetXml, headerRow, firstCol, lastCol, lastRow, columns };
  }

  /**
   * Whether the table has every column of the contract, the hidden ones too. When it does not, the
   * exceljs adapter adds the hidden ones (or refuses the table) and the push goes through it.
   */
  complete(table: TableName): boolean {
    const names = [...this.get(table).columns.keys()];
    return [...TABLE_COLUMNS[table], ...HIDDEN_COLUMNS[table]].every((c) => names.includes(c));
  }

  private get(table: TableName): Located {
    const located = this.located.get(table);
    if (!located) throw new Error(`${this.file}: the push adapter was opened for another table than ${table}`);
    return located;
  }

  /** Keeps the table's range (and its filter's) over its header and data rows. */
  private resize(located: Located): void {
    if (!located.tableXml) return;
    const ref = `${letter(located.firstCol)}${located.headerRow}:${letter(located.lastCol)}${Math.max(located.lastRow, located.headerRow + 1)}`;
    located.tableXml = located.tableXml
      .replace(/<table\b[^>]*>/, (tag) => withAttribute(tag, 'ref', ref))
      .replace(/<autoFilter\b[^>]*>/, (tag) => withAttribute(tag, 'ref', ref));
  }

  /** The values of the table's data rows (null where a row or cell is not in the sheet). */
  private tableValues(located: Located): CellValue[][] {
    const values: CellValue[][] = [];
    for (let r = located.headerRow + 1; r <= located.lastRow; r++)
      values.push(this.values.cellsOf(located.rows.get(r), located.firstCol, located.lastCol) ?? new Array(located.lastCol - located.firstCol + 1).fill(null));
    return values;
  }

  async read(table: TableName): Promise<TableSnapshot> {
    const located = this.get(table);
    checkTableRows(this.file, table, located.lastRow - located.headerRow);
    const header: string[] = [];
    for (const [name, col] of located.columns) header[col - located.firstCol] = name;
    const fullHeader = Array.from({ length: located.lastCol - located.firstCol + 1 }, (_, i) => header[i] ?? '');
    const values = located.values ?? this.tableValues(located);
    located.values = undefined;
    return { header: fullHeader, values, rows: rowsFromValues(table, fullHeader, values, located.headerRow), headerRow: located.headerRow };
  }

  async update(table: TableName, _snapshot: TableSnapshot, updates: Map<number, RowUpdate>): Promise<void> {
    const located = this.get(table);
    for (const [row, values] of updates) {
      const sheetRow = located.headerRow + row;
      // for...in rather than Object.entries: no array per cell (a push writes some 30,000).
      for (const column in values) {
        const col = located.columns.get(column);
        if (col) this.patch.cell(located, sheetRow, col).value = toCellValue(column, values[column]);
      }
      // Every cell of a failed row turns pink; a row that went through loses only our own pink.
      const on = failed(values);
      // (A workbook with no pink fill at all, the usual case, has nothing to remove.)
      if (judges(values) && (on || this.styles.hasPink))
        for (let col = located.firstCol; col <= located.lastCol; col++) {
          if (on) {
            const cell = this.patch.cell(located, sheetRow, col);
            cell.s = this.styles.withPink(cell.s);
          } else if (this.styles.isPink(this.patch.styleAt(located, sheetRow, col))) {
            const cell = this.patch.cell(located, sheetRow, col);
            cell.s = this.styles.withoutFill(cell.s);
          }
        }
      if (sheetRow > located.lastRow) {
        located.lastRow = sheetRow;
        this.resize(located);
      }
      this.patch.rowWritten(located, sheetRow);
    }
  }

  /** Saves the workbook as it is so far (a push's new document ids, before anything is sent). */
  persist(): Promise<void> {
    return this.save();
  }

  /** Writes the file once it is built: the sheet with its changed cells, and the parts the push added to (to `file`: elsewhere when it cannot be written). */
  async save(file = this.file): Promise<void> {
    const strings = { added: 0 };
    let formulasOverwritten = false;
    for (const located of this.located.values()) {
      if (!this.patch.written.size && !located.tableXml) continue;
      const sheet = this.patch.sheetBytes(located);
      strings.added += sheet.stringsAdded;
      if (sheet.formulasOverwritten) formulasOverwritten = true;
      if (sheet.bytes) this.zip.set(located.sheetPart, sheet.bytes);
      if (located.tablePart && located.tableXml) this.zip.set(located.tablePart, located.tableXml);
    }
    if (this.styles.changed) this.zip.set(this.stylesPart, this.styles.toXml());
    if (this.sharedStrings && this.sharedStringsPart && (this.sharedStrings.changed || strings.added !== 0))
      this.zip.set(this.sharedStringsPart, this.sharedStrings.toXml(strings.added));
    // Excel's calculation chain names formula cells; one overwritten with a value would make Excel repair the file. Excel rebuilds the chain.
    if (formulasOverwritten) await this.dropCalcChain();
    await fs.writeFile(file, await this.zip.toBuffer());
  }

  private async dropCalcChain(): Promise<void> {
    const rel = relationships(this.workbookRels, 'xl/workbook.xml').find((r) => r.type.endsWith('/calcChain'));
    if (!rel) return;
    this.zip.remove(rel.target);
    this.zip.set('xl/_rels/workbook.xml.rels', this.workbookRels.replace(rel.xml, ''));
    const types = await this.zip.text('[Content_Types].xml');
    if (types) this.zip.set('[Content_Types].xml', types.replace(new RegExp(`<Override\\b[^>]*PartName="/${rel.target}"[^>]*/>`), ''));
  }

  // The push reads a table and writes results into its rows; everything else goes through XlsxTables.
  async replace(): Promise<void> {
    throw new Error('XlsxPushTables only reads a table and writes results back: open the workbook with XlsxTables to replace rows');
  }

  async append(): Promise<void> {
    throw new Error('XlsxPushTables only reads a table and writes results back: open the workbook with XlsxTables to append rows');
  }

  async remove(): Promise<void> {
    throw new Error('XlsxPushTables only reads a table and writes results back: open the workbook with XlsxTables to remove rows');
  }

  async create(): Promise<void> {
    throw new Error('XlsxPushTables only reads a table and writes results back: open the workbook with XlsxTables to create a table');
  }
}
