// Building a printable sheet row by row (the credit memo, the farm claim sheet): rows with their heights,
// styles and merges, and the Letter page they print on: one page wide, its own breaks and "Page X of Y".
import { cellAddress, PAPER_HEIGHT, pageBreaks, type CellStyle, type PrintableSheet, type PrintValue } from './printable-sheet';

export const ROW = 12.75;
const SPACER = 8;
const PAGE_FILL = 0.97;
const ONE_PAGE_SCALE = 0.82;

/** Rows of `width` columns, each with its height, styles and merges. */
export function sheetRows(width: number) {
  const rows: PrintValue[][] = [];
  const heights: number[] = [];
  const styles: PrintableSheet['styles'] = [];
  const merges: string[] = [];
  const row = (...values: PrintValue[]) => {
    rows.push([...values, ...Array(width - values.length).fill(null)].slice(0, width));
    heights.push(ROW);
    return rows.length - 1;
  };
  const spacer = () => (heights[row()] = SPACER);
  const style = (r: number, c1: number, c2: number, s: CellStyle) => styles.push({ range: `${cellAddress(r, c1)}:${cellAddress(r, c2)}`, style: s });
  const merge = (r: number, c1: number, c2: number) => merges.push(`${cellAddress(r, c1)}:${cellAddress(r, c2)}`);
  return { rows, heights, styles, merges, row, spacer, style, merge };
}

/** The sheet on portrait Letter: one page when it fits, else breaks that keep the lines' header on each page. */
export function letterSheet(
  built: ReturnType<typeof sheetRows>,
  options: { name: string; columnWidths: number[]; header: number; firstLine: number; lastLine: number; footerLeft: string; footerRight: string },
): PrintableSheet {
  const { rows, heights, styles, merges } = built;
  const { header, firstLine, lastLine } = options;
  const margins = { left: 0.6, right: 0.6, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 };
  const paper = 'letter';
  const pageHeight = (PAPER_HEIGHT[paper] - (margins.top + margins.bottom) * 72) * PAGE_FILL;
  const onePage = heights.reduce((a, b) => a + b, 0) <= pageHeight / ONE_PAGE_SCALE;
  const breaks = onePage ? [] : pageBreaks(heights, { headerRow: header, firstLine, lastLine, keep: 3, height: pageHeight });
  const literal = (text: string) => text.replace(/&/g, '&&');
  return {
    name: options.name,
    columnWidths: options.columnWidths,
    rowHeights: heights,
    rows,
    styles,
    merges,
    font: { name: 'Arial', size: 10 },
    page: {
      orientation: 'portrait',
      paper,
      fitToPagesWide: 1,
      fitToPagesTall: onePage ? 1 : 0,
      titleRows: [header + 1, header + 1],
      area: `A1:${cellAddress(rows.length - 1, options.columnWidths.length - 1)}`,
      margins,
      breaksBefore: breaks.map((r) => r + 1),
      footer: { left: literal(options.footerLeft), center: `Page &P of ${breaks.length + 1}`, right: literal(options.footerRight) },
    },
  };
}
