// What both .xlsx adapters (exceljs's, and the push's own reader and patcher) agree on: cell
// addresses, the pink of a failed row, how a written value becomes a cell, and which rows a table has.
import { COLUMN_FORMATS, isBlank, type CellValue } from '../addin/sheets/tables';

/** The fill of a row whose update failed; only cells of exactly this fill lose it when the row comes back OK. */
export const PINK = 'FFFDE2E1';

export const DATE_COLUMNS = new Set(
  Object.entries(COLUMN_FORMATS)
    .filter(([, format]) => format.startsWith('yyyy'))
    .map(([name]) => name),
);

/** A cell as written: ISO dates in date columns become real dates. */
export function toCellValue(column: string, value: CellValue): CellValue {
  if (typeof value === 'string' && DATE_COLUMNS.has(column) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return value ?? null;
}

export function decode(ref: string): { top: number; left: number; bottom: number; right: number } {
  const [from, to = from] = ref.replace(/\$/g, '').split(':');
  const a = decodeCell(from);
  const b = decodeCell(to);
  return { top: a.row, left: a.col, bottom: b.row, right: b.col };
}

export function decodeCell(address: string): { col: number; row: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address.toUpperCase());
  if (!m) throw new Error(`not a cell address: ${address}`);
  let col = 0;
  for (let i = 0; i < m[1].length; i++) col = col * 26 + m[1].charCodeAt(i) - 64;
  return { col, row: Number(m[2]) };
}

export function letter(col: number): string {
  let n = col;
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/**
 * The last data row of a table without a totals row: rows typed right under it belong to it (Excel
 * grows a table as one types; other tools may not). `cells(row)` gives the row's values in the
 * table's columns, or null when the sheet has no such row.
 */
export function grownBottom(bottom: number, cells: (row: number) => CellValue[] | null): number {
  let last = bottom;
  for (;;) {
    const next = cells(last + 1);
    if (!next || !next.some((v) => !isBlank(v))) return last;
    last++;
  }
}
