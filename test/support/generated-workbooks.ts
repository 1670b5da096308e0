// Workbooks generated for the differential test of the two .xlsx readers (the push's own reader and
// the exceljs adapter): a spec made by fast-check, written by exceljs in this process or by openpyxl
// (test/support/openpyxl-workbooks.py, one Python process per batch of workbooks).
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { allColumns, type TableName } from '../../addin/sheets/tables';
import { letter } from '../../cli/xlsx-cells';

/** The errors a cell may hold. */
export type ErrorCode = ExcelJS.CellErrorValue['error'];

export type SpecCell =
  | { t: 'blank' }
  /** A blank cell with a fill of its own. */
  | { t: 'styled' }
  | { t: 'number'; v: number; fmt?: string; fill?: boolean; bold?: boolean }
  | { t: 'text'; v: string; fill?: boolean; bold?: boolean }
  /** Rich text runs (exceljs); openpyxl 3.0 writes their plain text. */
  | { t: 'rich'; parts: string[] }
  | { t: 'bool'; v: boolean; fill?: boolean }
  /** A date (milliseconds since 1970, UTC) under a number format. */
  | { t: 'date'; v: number; fmt: string }
  | { t: 'error'; v: ErrorCode }
  /** A formula, with its computed value when `result` is there (exceljs; openpyxl never writes one). */
  | { t: 'formula'; f: string; result?: number | string | boolean | { error: ErrorCode }; fmt?: string };

export interface WorkbookSpec {
  table: TableName;
  /** An Excel table named like the table, a sheet named like it, or another sheet whose header names its first column. */
  layout: 'table' | 'named-sheet' | 'plain-sheet';
  sheetName: string;
  /** A sheet before the table's. */
  sheetBefore: boolean;
  /** Title rows above the header (fewer than `top`). */
  titles: string[];
  /** The header's row and first column. */
  top: number;
  left: number;
  header: string[];
  rows: SpecCell[][];
  /** How many data rows the Excel table's range spans (the rows under it were typed there afterwards). */
  tableRows: number;
  date1904: boolean;
  /** The Excel table ends with a totals row (typed over, as the rows under it). */
  totalsRow: boolean;
  /** Rarer things, each declined by the push's reader or read alike: two cells of the first data row merged, a hyperlink in it, the header's first cell as rich text (exceljs), dates as ISO text (openpyxl's t="d"). */
  merged: boolean;
  hyperlink: boolean;
  richHeader: boolean;
  isoDates: boolean;
  /** exceljs: a shared formula down the first two data rows' last column, an array formula in the third's. */
  spanningFormulas: boolean;
  /** exceljs: strings in the shared strings part, or in the cells (t="str", rich text inline; not with an Excel table). */
  sharedStrings: boolean;
}

/** Built-in number formats (exceljs and openpyxl write their ids) and custom ones, dates among both. */
export const DATE_FORMATS = ['mm-dd-yy', 'd-mmm-yy', 'h:mm', '[h]:mm:ss', 'yyyy-mm-dd', 'dd/mm/yyyy hh:mm', '[$-409]mmmm d, yyyy', 'mmm d'];
export const NUMBER_FORMATS = ['0.00', '#,##0', '0%', '"days" 0', '[Red]0.00', '@', 'General', '0.00E+00', '#,##0.00_);(#,##0.00)', '# ?/?'];

// Characters a cell's text may need escaped or kept: XML's own, line ends, spaces at the ends,
// Excel's _xHHHH_ escapes, characters outside the BMP. Never a leading "=" (openpyxl makes a formula of it).
const textPiece = fc.constantFrom('', 'a', 'Rose', ' ', '&', '<', '>', '"', "'", '\n', '\r\n', '\t', '_x0041_', 'é', '😀', '0', '1.5', 'TRUE', ';', '&amp;');
const text = fc
  .array(textPiece, { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(''))
  .filter((s) => !s.startsWith('='));
const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 0.1, 1e-7, 123456789.125, 45000.5, 2958465),
);
// Whole milliseconds between 1901 and 2099: what both writers store as a serial number.
const date = fc.integer({ min: Date.UTC(1901, 0, 1), max: Date.UTC(2099, 11, 31) });
const error = fc.constantFrom<ErrorCode>('#N/A', '#DIV/0!', '#VALUE!', '#REF!');

const cell: fc.Arbitrary<SpecCell> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ t: 'blank' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'styled' as const }) },
  {
    weight: 3,
    arbitrary: fc.record(
      { t: fc.constant('number' as const), v: number, fmt: fc.constantFrom(...NUMBER_FORMATS, ...DATE_FORMATS), fill: fc.boolean(), bold: fc.boolean() },
      { requiredKeys: ['t', 'v'] },
    ),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('text' as const), v: text, fill: fc.boolean(), bold: fc.boolean() }, { requiredKeys: ['t', 'v'] }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rich' as const), parts: fc.array(text, { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('bool' as const), v: fc.boolean(), fill: fc.boolean() }, { requiredKeys: ['t', 'v'] }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('date' as const), v: date, fmt: fc.constantFrom(...DATE_FORMATS) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('error' as const), v: error }) },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        t: fc.constant('formula' as const),
        f: fc.constantFrom('1+1', 'SUM(1,2)', 'IF(TRUE,"a","b")', '"R&D "&"<x>"', 'NA()', 'TODAY()'),
        result: fc.oneof(
          number,
          text,
          fc.constant(''),
          fc.boolean(),
          error.map((e) => ({ error: e })),
        ),
        fmt: fc.constantFrom(...NUMBER_FORMATS, ...DATE_FORMATS),
      },
      { requiredKeys: ['t', 'f'] },
    ),
  },
);

/** A workbook holding a table somewhere: its columns in any order, maybe one missing, maybe the buyer's own among them. */
export function workbookSpec(): fc.Arbitrary<WorkbookSpec> {
  return fc
    .record({
      table: fc.constantFrom<TableName>('Prebooks', 'Shipments'),
      layout: fc.constantFrom('table' as const, 'named-sheet' as const, 'plain-sheet' as const),
      sheetBefore: fc.boolean(),
      titles: fc.array(fc.constantFrom('Spring orders', 'Week 12', ''), { maxLength: 3 }),
      topGap: fc.nat(2),
      left: fc.integer({ min: 1, max: 4 }),
      shuffle: fc.array(fc.nat(), { maxLength: 30 }),
      // One column in five missing (the push's reader declines: exceljs adds it, or refuses the table).
      drop: fc.nat(5 * 24),
      buyerColumn: fc.option(fc.constantFrom('Notes', 'Grower', 'Ref 2', 'R&D <x>', 'Ref'), { freq: 3 }),
      padded: fc.boolean(),
      // Formulas nowhere, in the buyer's column only, or anywhere (one without its computed value in the
      // table's own columns makes exceljs refuse the table, and the push's reader decline it).
      formulas: fc.constantFrom('none', 'none', 'buyer', 'anywhere'),
      rowCount: fc.nat(6),
      cells: fc.array(cell, { minLength: 200, maxLength: 200 }),
      extraTableRows: fc.integer({ min: -3, max: 1 }),
      date1904: fc.boolean(),
      sharedStrings: fc.boolean(),
      rare: fc.array(fc.constantFrom('totalsRow', 'merged', 'hyperlink', 'richHeader', 'isoDates', 'spanningFormulas'), { maxLength: 2 }),
    })
    .map((g) => {
      const header = allColumns(g.table);
      for (const [i, n] of g.shuffle.entries()) {
        const j = n % header.length;
        [header[i % header.length], header[j]] = [header[j], header[i % header.length]];
      }
      if (g.drop < header.length) header.splice(g.drop, 1);
      // A second Ref (the buyer's own, the first one read) only outside an Excel table, whose column names are unique.
      const buyerColumn = g.buyerColumn === 'Ref' && g.layout === 'table' ? 'Notes' : g.buyerColumn;
      if (buyerColumn) header.splice(header.length >> 1, 0, buyerColumn);
      if (g.padded) header[0] = ` ${header[0]} `;
      const formulaAt = (c: number) => g.formulas === 'anywhere' || (g.formulas === 'buyer' && header[c] === buyerColumn);
      const rows = Array.from({ length: g.rowCount }, (_, r) =>
        header.map((_, c): SpecCell => {
          const cell = g.cells[(r * header.length + c) % g.cells.length];
          return cell.t !== 'formula' || formulaAt(c) ? cell : { t: 'number', v: r + c, fmt: cell.fmt };
        }),
      );
      const titles = g.layout === 'plain-sheet' && g.left > 1 ? [] : g.titles;
      return {
        table: g.table,
        layout: g.layout,
        sheetName: g.layout === 'named-sheet' ? g.table.toLowerCase() : g.sheetBefore ? 'Orders & "Co"' : 'Orders',
        sheetBefore: g.sheetBefore,
        titles,
        top: titles.length + 1 + g.topGap,
        left: g.layout === 'plain-sheet' ? 1 : g.left,
        header,
        rows,
        tableRows: Math.max(1, g.rowCount + g.extraTableRows),
        date1904: g.date1904,
        sharedStrings: g.sharedStrings,
        totalsRow: g.rare.includes('totalsRow'),
        merged: g.rare.includes('merged'),
        hyperlink: g.rare.includes('hyperlink'),
        richHeader: g.rare.includes('richHeader'),
        isoDates: g.rare.includes('isoDates'),
        spanningFormulas: g.rare.includes('spanningFormulas'),
      };
    });
}

function exceljsValue(cell: SpecCell): ExcelJS.CellValue {
  switch (cell.t) {
    case 'blank':
    case 'styled':
      return null;
    case 'rich':
      return { richText: cell.parts.map((part, i) => ({ text: part, font: { bold: i % 2 === 1 } })) };
    case 'date':
      return new Date(cell.v);
    case 'error':
      return { error: cell.v };
    case 'formula':
      return cell.result === undefined ? { formula: cell.f, date1904: false } : { formula: cell.f, result: cell.result, date1904: false };
    default:
      return cell.v;
  }
}

/**
 * Writes a spec's workbook with exceljs: its workbook writer when the strings go into the shared
 * strings part (it always puts them there), its streaming writer when they go into the cells (t="str",
 * rich text as inline strings); the streaming writer makes no Excel tables, so a table keeps them shared.
 */
export async function writeWithExceljs(file: string, spec: WorkbookSpec): Promise<void> {
  const streaming = !spec.sharedStrings && spec.layout !== 'table';
  const workbook = streaming ? new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true }) : new ExcelJS.Workbook();
  // (The streaming writer has no workbook properties: its workbooks count dates from 1900.)
  if (spec.date1904 && !streaming) workbook.properties.date1904 = true;
  if (spec.sheetBefore) {
    const notes = workbook.addWorksheet('Notes');
    notes.getCell('A1').value = 'Notes';
    if (streaming) notes.commit();
  }
  const sheet = workbook.addWorksheet(spec.sheetName);
  spec.titles.forEach((title, i) => (sheet.getCell(i + 1, 1).value = title || null));
  if (spec.layout === 'table')
    sheet.addTable({
      name: spec.table,
      ref: `${letter(spec.left)}${spec.top}`,
      headerRow: true,
      style: { theme: 'TableStyleLight9', showRowStripes: true },
      totalsRow: spec.totalsRow,
      columns: spec.header.map((name) => ({ name, filterButton: true, totalsRowFunction: 'none' as const })),
      rows: Array.from({ length: spec.tableRows }, () => spec.header.map(() => null)),
    });
  else spec.header.forEach((name, j) => (sheet.getCell(spec.top, spec.left + j).value = name));
  spec.rows.forEach((cells, i) =>
    cells.forEach((cell, j) => {
      const target = sheet.getCell(spec.top + 1 + i, spec.left + j);
      target.value = exceljsValue(cell);
      if ('fmt' in cell && cell.fmt) target.numFmt = cell.fmt;
      if (cell.t === 'styled' || ('fill' in cell && cell.fill)) target.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFEB9C' } };
      if ('bold' in cell && cell.bold) target.font = { bold: true };
    }),
  );
  if (spec.richHeader)
    sheet.getCell(spec.top, spec.left).value = { richText: [{ text: spec.header[0].slice(0, 2) }, { font: { bold: true }, text: spec.header[0].slice(2) }] };
  if (spec.rows.length && spec.hyperlink) sheet.getCell(spec.top + 1, spec.left).value = { text: 'see', hyperlink: 'https://example.com/' };
  if (spec.rows.length && spec.merged) sheet.mergeCells(spec.top + 1, spec.left, spec.top + 1, spec.left + 1);
  if (spec.spanningFormulas && spec.rows.length >= 3) {
    const col = spec.left + spec.header.length - 1;
    const first = `${letter(col)}${spec.top + 1}`;
    // exceljs writes a formula's shareType and ref, which its types do not declare.
    type Spanning = ExcelJS.CellFormulaValue & { shareType: 'shared' | 'array'; ref: string };
    const shared: Spanning = { formula: '1+1', result: 2, date1904: false, shareType: 'shared', ref: `${first}:${letter(col)}${spec.top + 2}` };
    const array: Spanning = { formula: '1+2', result: 3, date1904: false, shareType: 'array', ref: `${letter(col)}${spec.top + 3}` };
    sheet.getCell(spec.top + 1, col).value = shared;
    sheet.getCell(spec.top + 2, col).value = { sharedFormula: first, result: 2, date1904: false };
    sheet.getCell(spec.top + 3, col).value = array;
  }
  if (workbook instanceof ExcelJS.stream.xlsx.WorkbookWriter) {
    sheet.commit();
    await workbook.commit();
  } else await workbook.xlsx.writeFile(file);
}

/** A Python that has openpyxl: python3 on the PATH, else Debian's own (a version manager's python3 may lack it). */
export function openpyxlPython(): string {
  for (const python of ['python3', '/usr/bin/python3'])
    try {
      execFileSync(python, ['-c', 'import openpyxl'], { stdio: 'ignore' });
      return python;
    } catch {
      // the next one
    }
  throw new Error('openpyxl is not installed: the differential test of the .xlsx readers needs it (apt-get install python3-openpyxl; .ci/run installs it)');
}

/** Writes every spec's workbook with openpyxl, in one Python process. */
export async function writeWithOpenpyxl(entries: Array<{ file: string; spec: WorkbookSpec }>): Promise<void> {
  const script = path.join(import.meta.dirname, 'openpyxl-workbooks.py');
  const child = spawn(openpyxlPython(), [script], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(JSON.stringify(entries));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`openpyxl could not write the workbooks (exit ${code}): ${stderr}`);
}
