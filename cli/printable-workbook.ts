// Writes a printable sheet (addin/sheets/printable-sheet.ts) into an exceljs workbook.
import type ExcelJS from 'exceljs';
import { cellStyles, type BorderStyle, type CellStyle, type PrintableSheet } from '../addin/sheets/printable-sheet';

const argb = (hex: string) => `FF${hex.replace('#', '').toUpperCase()}`;
const border = (style: BorderStyle | undefined): Partial<ExcelJS.Border> | undefined => (style ? { style, color: { argb: 'FF9AA0A6' } } : undefined);

function applyStyle(cell: ExcelJS.Cell, style: CellStyle, font: PrintableSheet['font']): void {
  cell.font = {
    name: font.name,
    size: style.size ?? font.size,
    bold: style.bold,
    italic: style.italic,
    color: style.color ? { argb: argb(style.color) } : undefined,
  };
  if (style.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(style.fill) } };
  if (style.align || style.wrap) cell.alignment = { horizontal: style.align, wrapText: style.wrap };
  if (style.numberFormat) cell.numFmt = style.numberFormat;
  const top = border(style.borderTop);
  const bottom = border(style.borderBottom);
  if (top || bottom) cell.border = { ...(top ? { top } : {}), ...(bottom ? { bottom } : {}) };
}

/** Adds the sheet to the workbook: values, styles, merges, column widths and page setup. */
export function addPrintableSheet(workbook: ExcelJS.Workbook, sheet: PrintableSheet): ExcelJS.Worksheet {
  const { page } = sheet;
  const footer = `${page.footer.left ? `&L${page.footer.left}` : ''}${page.footer.center ? `&C${page.footer.center}` : ''}${page.footer.right ? `&R${page.footer.right}` : ''}`;
  const worksheet = workbook.addWorksheet(sheet.name, {
    views: [{ showGridLines: false }],
    pageSetup: {
      orientation: page.orientation,
      // OOXML paper sizes: 1 Letter (not in exceljs's enum), 9 A4.
      paperSize: (page.paper === 'letter' ? 1 : 9) as unknown as ExcelJS.PaperSize,
      fitToPage: true,
      fitToWidth: page.fitToPagesWide,
      fitToHeight: page.fitToPagesTall,
      horizontalCentered: true,
      // Each sheet numbers its own pages (Page 1 of 2 on the second invoice of a day, not Page 2 of 3);
      // the page count is the document's own, a number in the footer.
      firstPageNumber: 1,
      margins: page.margins,
      printArea: page.area,
      printTitlesRow: page.titleRows ? `${page.titleRows[0]}:${page.titleRows[1]}` : undefined,
    },
    headerFooter: { oddFooter: footer, evenFooter: footer },
  });
  sheet.columnWidths.forEach((width, i) => (worksheet.getColumn(i + 1).width = width));
  sheet.rows.forEach((values, r) => {
    const row = worksheet.getRow(r + 1);
    row.height = sheet.rowHeights[r];
    values.forEach((value, c) => {
      const cell = row.getCell(c + 1);
      cell.value = value;
      cell.font = { name: sheet.font.name, size: sheet.font.size };
    });
  });
  for (const [key, style] of cellStyles(sheet)) {
    const [r, c] = key.split(',').map(Number);
    applyStyle(worksheet.getRow(r + 1).getCell(c + 1), style, sheet.font);
  }
  for (const range of sheet.merges) worksheet.mergeCells(range);
  // A row break (OOXML <brk id="N">) falls under row N: the row before the one that starts a page.
  for (const row of page.breaksBefore) worksheet.getRow(row - 1).addPageBreak();
  return worksheet;
}
