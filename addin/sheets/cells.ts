import type { CellValue } from './tables';

/** A problem with one cell, before anything is sent. */
export interface CellError {
  column: string;
  message: string;
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function text(value: CellValue): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return isoFromDate(value);
  const s = String(value).trim();
  return s === '' ? null : s;
}

function isoFromDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** An ISO date from an Excel serial number, a Date, or text (2027-02-10, 2/10/2027). */
export function date(value: CellValue, column: string, errors: CellError[]): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return isoFromDate(value);
  if (typeof value === 'number') return isoFromDate(new Date(EXCEL_EPOCH + Math.round(value) * 86_400_000));
  const s = String(value).trim();
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (match) return `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`;
  match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (match) return `${match[3]}-${pad(Number(match[1]))}-${pad(Number(match[2]))}`;
  errors.push({ column, message: `${column} "${s}" is not a date` });
  return null;
}

export function integer(value: CellValue, column: string, errors: CellError[]): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(/,/g, ''));
  if (!Number.isInteger(n)) {
    errors.push({ column, message: `${column} "${String(value)}" is not a whole number` });
    return null;
  }
  return n;
}

/** Money as an exact decimal string; a float from Excel is rounded to 4 decimals. */
export function decimal(value: CellValue, column: string, errors: CellError[]): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      errors.push({ column, message: `${column} is not a number` });
      return null;
    }
    return String(Number(value.toFixed(4)));
  }
  const s = String(value).trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) {
    errors.push({ column, message: `${column} "${String(value)}" is not a number` });
    return null;
  }
  return s;
}

export function bool(value: CellValue): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return ['y', 'yes', 'true', 'x', '1', 'si', 'sí'].includes(String(value ?? '').trim().toLowerCase());
}

/** Text a column must have: an error names the column when it is blank. */
export function required(value: CellValue, column: string, errors: CellError[]): string {
  const found = text(value);
  if (!found) errors.push({ column, message: `${column} is required` });
  return found ?? '';
}
