// A printable sheet described as data: values, styles, merges, column widths
// and page setup. Documents (the customer invoice) build one with pure code;
// the Excel adapter (Office.js) and the .xlsx writer (exceljs) both write it,
// so the task pane and the command-line tool print the same page.

export type PrintValue = string | number | null;

export type BorderStyle = 'thin' | 'medium' | 'double';

/** A style applies to every cell of its range (a bottom border: under each cell). */
export interface CellStyle {
  bold?: boolean;
  italic?: boolean;
  /** Font size in points; the sheet's font size otherwise. */
  size?: number;
  /** Font colour, #RRGGBB. */
  color?: string;
  /** Background, #RRGGBB. */
  fill?: string;
  align?: 'left' | 'center' | 'right';
  numberFormat?: string;
  wrap?: boolean;
  borderTop?: BorderStyle;
  borderBottom?: BorderStyle;
}

export interface PrintableSheet {
  /** The worksheet's name (at most 31 characters, none of : \ / ? * [ ]). */
  name: string;
  /** Column widths in Excel's units (characters of the default font). */
  columnWidths: number[];
  /** Each row's height in points, rows[i]'s at rowHeights[i]: set, so the pages break where the document says. */
  rowHeights: number[];
  /** The grid, row by row, each row exactly as wide as columnWidths. Row 1 is rows[0]. */
  rows: PrintValue[][];
  /** Styles by range (A1 notation, within the grid); later ones win where they overlap. */
  styles: Array<{ range: string; style: CellStyle }>;
  /** Ranges merged into one cell (the value is the top-left cell's). */
  merges: string[];
  font: { name: string; size: number };
  page: {
    orientation: 'portrait' | 'landscape';
    paper: 'letter' | 'a4';
    /** Scaled to fit this many pages across. */
    fitToPagesWide: number;
    /** And this many pages down; 0: as many as needed. */
    fitToPagesTall: number;
    /** Rows printed at the top of every page (1-based, inclusive), e.g. a table's header. */
    titleRows: [number, number] | null;
    /** The print area, A1 notation. */
    area: string;
    /** Margins in inches. */
    margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
    /** Rows (1-based) that start a new page: the document's own page breaks. */
    breaksBefore: number[];
    /**
     * Footer sections in Excel's header/footer codes (&P page). A document that breaks its own pages
     * writes its page count as a number: &N counts every page of the workbook in LibreOffice, so each
     * of three one-page invoices in one workbook printed "Page 1 of 3".
     */
    footer: { left?: string; center?: string; right?: string };
  };
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A1 address of a 0-based row and column. */
export function cellAddress(row: number, col: number): string {
  return `${columnLetter(col)}${row + 1}`;
}

/** The 0-based first and last row and column of an A1 range (A1 or A1:E9). */
export function rangeBounds(range: string): { top: number; left: number; bottom: number; right: number } {
  const [from, to = from] = range.split(':');
  const parse = (address: string) => {
    const match = /^([A-Z]+)(\d+)$/.exec(address.replace(/\$/g, ''));
    if (!match) throw new Error(`not a cell address: ${address}`);
    const col = [...match[1]].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
    return { row: Number(match[2]) - 1, col };
  };
  const a = parse(from);
  const b = parse(to);
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

/** Each styled cell's style, the styles of the ranges over it combined in order (later ones win), keyed "row,col" (0-based). */
export function cellStyles(sheet: PrintableSheet): Map<string, CellStyle> {
  const styles = new Map<string, CellStyle>();
  for (const { range, style } of sheet.styles) {
    const { top, left, bottom, right } = rangeBounds(range);
    for (let r = top; r <= bottom; r++) {
      for (let c = left; c <= right; c++) styles.set(`${r},${c}`, { ...styles.get(`${r},${c}`), ...style });
    }
  }
  return styles;
}

/** Paper heights in points. */
export const PAPER_HEIGHT: Record<PrintableSheet['page']['paper'], number> = { letter: 11 * 72, a4: (297 / 25.4) * 72 };

/**
 * Where the pages of a document with a table break: rows (0-based) that start a new page. Rows
 * before `firstLine` (the heading, down to the table's header row) stay on the first page; the table's
 * header row repeats at the top of every later page; a page holds at most `height` points of rows; and
 * the rows after `lastLine` (the totals and notes) stay on one page with the last `keep` lines, so no
 * page holds only a header and a note. Lines are never split.
 */
export function pageBreaks(heights: number[], table: { headerRow: number; firstLine: number; lastLine: number; keep: number; height: number }): number[] {
  const { headerRow, firstLine, lastLine, height } = table;
  const sum = (from: number, to: number) => heights.slice(from, to + 1).reduce((a, b) => a + b, 0);
  // Units that are never split: each line, then the last `keep` lines with everything after them.
  const tailStart = Math.max(firstLine, lastLine + 1 - Math.max(0, table.keep));
  const units: Array<[number, number]> = [];
  for (let r = firstLine; r < tailStart; r++) units.push([r, r]);
  if (tailStart <= heights.length - 1) units.push([tailStart, heights.length - 1]);
  const breaks: number[] = [];
  let used = sum(0, firstLine - 1);
  for (const [from, to] of units) {
    const size = sum(from, to);
    if (used + size > height && used > heights[headerRow]) {
      breaks.push(from);
      used = heights[headerRow];
    }
    used += size;
  }
  return breaks;
}
