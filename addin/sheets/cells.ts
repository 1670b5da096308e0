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
  // A NUL character would make the server refuse the whole request, not just this row.
  const s = String(value).replaceAll('\u0000', '').trim();
  return s === '' ? null : s;
}

function isoFromDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** Whether year, month (1-12) and day name a real calendar date. */
function realDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** 4 March 2026: a reading a buyer recognizes whatever their locale. */
function spelled(year: number, month: number, day: number): string {
  const name = MONTHS[month - 1];
  return `${day} ${name[0].toUpperCase()}${name.slice(1)} ${year}`;
}

function whyNotADate(year: number, month: number, _day: number): string {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (year < 1900 || year > 9999) return `the year ${year} is out of range`;
  return `${iso(year, month, 1).slice(0, 7)} has ${new Date(Date.UTC(year, month, 0)).getUTCDate()} days`;
}

function monthNumber(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower.length < 3) return 0;
  return MONTHS.findIndex((m) => m.startsWith(lower)) + 1;
}

/**
 * An ISO date from an Excel date (a serial number from Office.js, a Date from
 * exceljs) or from text: ISO (2027-02-10, 2027/2/10), a month by name
 * (10 Feb 2027, Feb 10, 2027), or day/month/year and month/day/year
 * (14/2/2027, 2/14/2027) when only one of the two readings is a real date.
 * Text such as 03/04/2026, a real date both ways, is refused with both
 * readings spelled out rather than guessed.
 */
export function date(value: CellValue, column: string, errors: CellError[]): string | null {
  if (value === null || value === undefined || value === '') return null;
  const bad = (why: string) => {
    errors.push({ column, message: `${column} "${value instanceof Date ? 'invalid date' : String(value).trim()}" is not a date${why ? `: ${why}` : ''}` });
    return null;
  };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? bad('') : isoFromDate(value);
  if (typeof value === 'number') {
    // Excel's serial day numbers, 1 = 1900-01-01, up to 9999-12-31.
    if (!Number.isFinite(value) || value < 1 || value > 2_958_465) return bad('not an Excel date number');
    return isoFromDate(new Date(EXCEL_EPOCH + Math.round(value) * 86_400_000));
  }
  if (typeof value === 'boolean') return bad('');
  const s = String(value).trim();
  if (s === '') return null;
  let match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(s);
  if (match) {
    const [year, month, day] = match.slice(1, 4).map(Number);
    return realDate(year, month, day) ? iso(year, month, day) : bad(whyNotADate(year, month, day));
  }
  match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (match) {
    const [a, b, year] = match.slice(1, 4).map(Number);
    const monthFirst = realDate(year, a, b) ? iso(year, a, b) : null;
    const dayFirst = realDate(year, b, a) ? iso(year, b, a) : null;
    if (monthFirst && dayFirst && monthFirst !== dayFirst) {
      errors.push({
        column,
        message: `${column} "${s}" could be ${spelled(year, a, b)} (month/day) or ${spelled(year, b, a)} (day/month): type it as ${monthFirst} or ${dayFirst}`,
      });
      return null;
    }
    return monthFirst ?? dayFirst ?? bad('neither month/day nor day/month is a real date');
  }
  const dayName = /^(\d{1,2})[-\s]+([A-Za-z]+\.?)[-\s,]+(\d{4})$/.exec(s);
  const nameDay = /^([A-Za-z]+\.?)[-\s]+(\d{1,2}),?[-\s]+(\d{4})$/.exec(s);
  const named = dayName
    ? { day: Number(dayName[1]), month: monthNumber(dayName[2]), year: Number(dayName[3]) }
    : nameDay
      ? { day: Number(nameDay[2]), month: monthNumber(nameDay[1]), year: Number(nameDay[3]) }
      : null;
  if (named && named.month) {
    const { year, month, day } = named;
    return realDate(year, month, day) ? iso(year, month, day) : bad(whyNotADate(year, month, day));
  }
  return bad('type it as YYYY-MM-DD, or use an Excel date');
}

/** GraphQL's Int is 32-bit: a larger number would fail the whole request instead of its row. */
const MAX_INT = 2_147_483_647;

export function integer(value: CellValue, column: string, errors: CellError[]): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim().replace(/,/g, ''));
  if (!Number.isInteger(n)) {
    errors.push({ column, message: `${column} "${String(value)}" is not a whole number` });
    return null;
  }
  if (Math.abs(n) > MAX_INT) {
    errors.push({ column, message: `${column} ${String(value)} is too large` });
    return null;
  }
  return n;
}

/** What the server's Decimal scalar takes: anything else would fail the whole request instead of its row. */
const DECIMAL_SCALAR = /^-?\d{1,18}(\.\d{1,10})?$/;

/** Money as an exact decimal string; a float from Excel is rounded to 4 decimals. */
export function decimal(value: CellValue, column: string, errors: CellError[]): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      errors.push({ column, message: `${column} is not a number` });
      return null;
    }
    const rounded = String(Number(value.toFixed(4)));
    if (!DECIMAL_SCALAR.test(rounded)) {
      errors.push({ column, message: `${column} ${String(value)} is too large` });
      return null;
    }
    return rounded;
  }
  const s = String(value).trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) {
    errors.push({ column, message: `${column} "${String(value)}" is not a number` });
    return null;
  }
  if (!DECIMAL_SCALAR.test(s)) {
    errors.push({ column, message: `${column} "${String(value)}" has too many digits` });
    return null;
  }
  return s;
}

export function bool(value: CellValue): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return ['y', 'yes', 'true', 'x', '1', 'si', 'sí'].includes(
    String(value ?? '')
      .trim()
      .toLowerCase(),
  );
}

/** Text a column must have: an error names the column when it is blank. */
export function required(value: CellValue, column: string, errors: CellError[]): string {
  const found = text(value);
  if (!found) errors.push({ column, message: `${column} is required` });
  return found ?? '';
}
