// Writes a printable sheet (addin/sheets/printable-sheet.ts) with Office.js:
// the customer invoice the task pane opens. Part of the Excel adapter, the only
// code that calls Office.js.
import { columnLetter, type CellStyle, type PrintableSheet } from '../sheets/printable-sheet';

type Context = Excel.RequestContext;

/** Excel's column width in points for a width in characters of the default font (7 px each, plus 5 px padding). */
function widthInPoints(characters: number): number {
  return Math.round((characters * 7 + 5) * 0.75 * 100) / 100;
}

const EDGES: Record<'borderTop' | 'borderBottom', Array<'EdgeTop' | 'EdgeBottom' | 'InsideHorizontal'>> = {
  // A style is every cell's: a border under each cell of a range is its bottom edge and the lines between its rows.
  borderTop: ['EdgeTop', 'InsideHorizontal'],
  borderBottom: ['EdgeBottom', 'InsideHorizontal'],
};

function applyStyle(range: Excel.Range, style: CellStyle): void {
  const font = range.format.font;
  if (style.bold !== undefined) font.bold = style.bold;
  if (style.italic !== undefined) font.italic = style.italic;
  if (style.size !== undefined) font.size = style.size;
  if (style.color) font.color = style.color;
  if (style.fill) range.format.fill.color = style.fill;
  if (style.align) range.format.horizontalAlignment = style.align === 'left' ? 'Left' : style.align === 'center' ? 'Center' : 'Right';
  if (style.wrap !== undefined) range.format.wrapText = style.wrap;
  if (style.numberFormat) range.numberFormat = [[style.numberFormat]];
  for (const key of ['borderTop', 'borderBottom'] as const) {
    const kind = style[key];
    if (!kind) continue;
    for (const edge of EDGES[key]) {
      const border = range.format.borders.getItem(edge);
      border.style = kind === 'double' ? 'Double' : 'Continuous';
      border.weight = kind === 'medium' ? 'Medium' : 'Thin';
      border.color = '#9AA0A6';
    }
  }
}

/**
 * Opens a printable sheet on a worksheet of its own (replacing one of the same
 * name): values in one 2-D range, styles and merges by range, column widths,
 * and the page setup (orientation, fit to pages wide, print area, title rows,
 * footer). Two syncs, whatever the number of rows.
 */
export async function writePrintableSheet(context: Context, printable: PrintableSheet): Promise<void> {
  const existing = context.workbook.worksheets.getItemOrNullObject(printable.name);
  await context.sync();
  if (!existing.isNullObject) existing.delete();
  const sheet = context.workbook.worksheets.add(printable.name);
  const width = printable.columnWidths.length;
  const all = sheet.getRange(`A1:${columnLetter(width - 1)}${printable.rows.length}`);
  all.values = printable.rows.map((row) => row.map((value) => value ?? ''));
  all.format.font.name = printable.font.name;
  all.format.font.size = printable.font.size;
  all.format.verticalAlignment = 'Center';
  printable.columnWidths.forEach((characters, i) => {
    sheet.getRange(`${columnLetter(i)}1`).format.columnWidth = widthInPoints(characters);
  });
  // Row heights by runs of equal height (a few ranges, whatever the number of lines): the pages break where the document says.
  for (let from = 0; from < printable.rowHeights.length;) {
    let to = from;
    while (to + 1 < printable.rowHeights.length && printable.rowHeights[to + 1] === printable.rowHeights[from]) to++;
    sheet.getRange(`${from + 1}:${to + 1}`).format.rowHeight = printable.rowHeights[from];
    from = to + 1;
  }
  for (const { range, style } of printable.styles) applyStyle(sheet.getRange(range), style);
  for (const range of printable.merges) sheet.getRange(range).merge(false);
  sheet.showGridlines = false;

  const { page } = printable;
  const layout = sheet.pageLayout;
  layout.orientation = page.orientation === 'portrait' ? 'Portrait' : 'Landscape';
  layout.paperSize = page.paper === 'letter' ? 'Letter' : 'A4';
  layout.zoom = { horizontalFitToPages: page.fitToPagesWide, verticalFitToPages: page.fitToPagesTall };
  layout.centerHorizontally = true;
  layout.leftMargin = page.margins.left * 72;
  layout.rightMargin = page.margins.right * 72;
  layout.topMargin = page.margins.top * 72;
  layout.bottomMargin = page.margins.bottom * 72;
  layout.headerMargin = page.margins.header * 72;
  layout.footerMargin = page.margins.footer * 72;
  layout.setPrintArea(page.area);
  if (page.titleRows) layout.setPrintTitleRows(`$${page.titleRows[0]}:$${page.titleRows[1]}`);
  // A manual break above each row that starts a page (ExcelApi 1.9).
  for (const row of page.breaksBefore) sheet.horizontalPageBreaks.add(`A${row}`);
  const footer = layout.headersFooters.defaultForAllPages;
  footer.leftFooter = page.footer.left ?? '';
  footer.centerFooter = page.footer.center ?? '';
  footer.rightFooter = page.footer.right ?? '';
  sheet.activate();
  await context.sync();
}
