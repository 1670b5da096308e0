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

/**
 * How a sheet is read: the company's settings, passed in (this code does no I/O; the workflows read
 * them from the server before a push).
 */
export interface ParseOptions {
  /** The decimal mark of numbers typed as text (Settings.decimalSeparator): "." (1,250.50) or "," (1.250,50). */
  decimalSeparator: '.' | ',';
  /** The company's date today (Settings.today, YYYY-MM-DD): a new prebook's truck date before it is refused. Unknown: no check. */
  today?: string | null;
  /** Truck dates before today are taken: the buyer said so (--allow-past, or the task pane's "Allow past truck dates"). */
  allowPast?: boolean;
}

export const DEFAULT_PARSE_OPTIONS: ParseOptions = { decimalSeparator: '.' };

/** GraphQL's Int is 32-bit: a larger number would fail the whole request instead of its row. */
const MAX_INT = 2_147_483_647;

/** What a number typed as text means: one value (a plain decimal string), two readings, or why it is none. */
type TextNumber = { value: string } | { readings: [string, string] } | { invalid: string; meant?: string };

const CURRENCY = '(?:US\\$|USD|EUR|COP|[$€£¥])';
const LEADING_CURRENCY = new RegExp(`^${CURRENCY}\\s*`, 'i');
const TRAILING_CURRENCY = new RegExp(`\\s*${CURRENCY}$`, 'i');

/** A whole number's digits, from plain digits or digits grouped by threes with `mark` (1,250 or 1 250); null when neither. */
function groupedDigits(part: string, mark: string): string | null {
  if (/^\d+$/.test(part)) return part;
  const escaped = mark === '.' ? '\\.' : mark;
  return new RegExp(`^[1-9]\\d{0,2}(?:${escaped}\\d{3})+$`).test(part) ? part.replaceAll(mark, '') : null;
}

/** 0012.50 -> 12.50, with its sign. */
function plain(negative: boolean, whole: string, fraction?: string): string {
  const digits = `${whole.replace(/^0+(?=\d)/, '') || '0'}${fraction === undefined ? '' : `.${fraction}`}`;
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits;
}

/**
 * A number typed as text, read by the company's decimal mark `decimal`; the other mark (and a space,
 * non-breaking or not) may only group digits by threes. Text the other mark could make two numbers
 * of (0,85 or 1,250 with a decimal point) has two readings; `whole` (a count) takes grouping by
 * threes as grouping. Currency signs and codes around it are dropped.
 */
export function readTextNumber(raw: string, decimal: '.' | ',', whole = false, hint = true): TextNumber {
  const group = decimal === '.' ? ',' : '.';
  let s = raw.replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ').trim();
  let negative = false;
  const accounting = /^\((.*)\)$/.exec(s);
  if (accounting) {
    negative = true;
    s = accounting[1].trim();
  }
  for (let i = 0; i < 2; i++) {
    const sign = /^([-−+])\s*/.exec(s);
    if (sign) {
      if (negative && i > 0) return { invalid: 'it has two signs' };
      negative = sign[1] !== '+';
      s = s.slice(sign[0].length);
    }
    s = s.replace(LEADING_CURRENCY, '');
  }
  s = s.replace(TRAILING_CURRENCY, '');
  if (s.endsWith('%')) return { invalid: 'a percentage is not taken here; type the number itself' };
  if (/^[\d.,]+[eE][-+]?\d+$/.test(s)) return { invalid: 'type it in full, without an exponent' };
  if (!/^[\d., ]+$/.test(s) || !/\d/.test(s)) return { invalid: '' };
  const decimals = s.split(decimal).length - 1;
  const groups = s.split(group).length - 1;
  // Not a number as this company writes them: what it would be as the other way of writing numbers, to say so.
  const other = (): TextNumber => {
    const read = hint ? readTextNumber(raw, group as '.' | ',', true, false) : null;
    return read && 'value' in read ? { invalid: '', meant: read.value } : { invalid: '' };
  };
  if (decimals > 1) return other();
  if (decimals === 1) {
    const [wholePart, fraction] = s.split(decimal);
    const digits = wholePart.trim() === '' ? '0' : (groupedDigits(wholePart, group) ?? groupedDigits(wholePart, ' '));
    if (digits === null || !/^\d+$/.test(fraction)) return other();
    return { value: plain(negative, digits, fraction) };
  }
  if (groups === 0) {
    const digits = groupedDigits(s, ' ');
    return digits === null ? { invalid: 'spaces may only group digits by threes (1 250)' } : { value: plain(negative, digits) };
  }
  const grouped = groupedDigits(s, group);
  if (groups > 1) return grouped === null ? other() : { value: plain(negative, grouped) };
  if (grouped !== null && whole) return { value: plain(negative, grouped) };
  // One mark of the other kind: the decimal mark of someone who writes numbers the other way, or a thousands separator.
  const [wholePart, fraction] = s.split(group);
  const asDecimal = wholePart.trim() === '' ? '0' : groupedDigits(wholePart, ' ');
  const joined = groupedDigits(s.replace(group, ''), ' ') ?? (/^\d+$/.test(s.replace(group, '')) ? s.replace(group, '') : null);
  if (asDecimal === null || joined === null || !/^\d+$/.test(fraction)) return other();
  const readings: [string, string] = [plain(negative, asDecimal, fraction), plain(negative, joined)];
  // 0,00 is 0 either way.
  return readings[0].replace(/\.?0+$/, '') === readings[1] ? { value: readings[1] } : { readings };
}

/** A plain decimal (1250.5) as this company writes it (1250,5 with a decimal comma). */
function written(value: string, decimal: '.' | ','): string {
  return decimal === ',' ? value.replace('.', ',') : value;
}

/** The text number's value, or an error that names its two readings (and what to type), or why it is not a number. */
function textNumber(raw: string, column: string, errors: CellError[], options: ParseOptions, whole: boolean): string | null {
  const mark = options.decimalSeparator;
  const read = readTextNumber(raw, mark, whole);
  if ('value' in read) return read.value;
  const shown = raw.trim();
  const rule = mark === '.' ? 'this company writes numbers with a decimal point (1,250.50)' : 'this company writes numbers with a decimal comma (1.250,50)';
  if ('readings' in read) {
    // 1.250 read as a decimal is shown as 1.25: beside 1250, trailing zeros would read as the same number.
    const [a, b] = read.readings.map((r) => written(r.includes('.') ? r.replace(/\.?0+$/, '') : r, mark));
    errors.push({
      column,
      message: whole
        ? `${column} "${shown}" could be ${a} or ${b}: a whole number has no decimals and groups its thousands by threes (1${mark === '.' ? ',' : '.'}000); type the number you mean, such as ${b}`
        : `${column} "${shown}" could be ${a} or ${b}: ${rule}, so type ${a} or ${b}`,
    });
    return null;
  }
  const why = read.meant !== undefined ? `${rule}; if you mean ${written(read.meant, mark)}, type ${written(read.meant, mark)}` : read.invalid;
  errors.push({ column, message: `${column} "${shown}" is not ${whole ? 'a whole number' : 'a number'}${why ? `: ${why}` : ''}` });
  return null;
}

export function integer(value: CellValue, column: string, errors: CellError[], options: ParseOptions = DEFAULT_PARSE_OPTIONS): number | null {
  if (value === null || value === undefined || value === '') return null;
  let n: number;
  if (typeof value === 'number') n = value;
  else {
    if (typeof value === 'string' && value.trim() === '') return null;
    const found = textNumber(String(value), column, errors, options, true);
    if (found === null) return null;
    n = /^-?\d+(\.0*)?$/.test(found) ? Number(found.split('.')[0]) : Number.NaN;
  }
  if (!Number.isInteger(n)) {
    errors.push({ column, message: `${column} "${String(value).trim()}" is not a whole number` });
    return null;
  }
  if (Math.abs(n) > MAX_INT) {
    errors.push({ column, message: `${column} ${String(value).trim()} is too large` });
    return null;
  }
  return n;
}

/** What the server's Decimal scalar takes: anything else would fail the whole request instead of its row. */
const DECIMAL_SCALAR = /^-?\d{1,18}(\.\d{1,10})?$/;

/**
 * Money as an exact decimal string: an Excel number as it is (a float rounded to 4 decimals), text
 * by the company's decimal separator (readTextNumber).
 */
export function decimal(value: CellValue, column: string, errors: CellError[], options: ParseOptions = DEFAULT_PARSE_OPTIONS): string | null {
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
  if (typeof value === 'string' && value.trim() === '') return null;
  if (typeof value !== 'string') {
    errors.push({ column, message: `${column} "${value instanceof Date ? isoFromDate(value) : String(value)}" is not a number` });
    return null;
  }
  const found = textNumber(value, column, errors, options, false);
  if (found === null) return null;
  if (!DECIMAL_SCALAR.test(found)) {
    errors.push({ column, message: `${column} "${value.trim()}" has too many digits` });
    return null;
  }
  return found;
}

/** What a yes/no column takes as yes, and as no (besides blank), in any case. */
export const YES_WORDS = ['yes', 'y', 'x', '✓', '✔', '✔️', '☑', '☑️', '✅', 'ok', 'done', 'confirmed', 'true', '1', 'si', 'sí'];
export const NO_WORDS = ['no', 'n', 'false', '0'];
/** The yes/no columns of the sheets: each has a Yes/No drop-down in the tables the tool makes. */
export const YES_NO_COLUMNS = ['Holiday', 'Confirm', 'Restock'];

/**
 * A yes/no cell: true for yes (YES_WORDS, TRUE, 1), false for blank or no (NO_WORDS, FALSE, 0);
 * anything else is an error on the row (null), never taken as no.
 */
export function yesNo(value: CellValue, column: string, errors: CellError[]): boolean | null {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  const word = String(value instanceof Date ? isoFromDate(value) : value)
    .normalize('NFC')
    .trim()
    .toLowerCase();
  if (word === '' || NO_WORDS.includes(word)) return false;
  if (YES_WORDS.includes(word)) return true;
  errors.push({ column, message: `${column}: choose Yes or leave blank ("${String(value).trim()}" is neither yes nor no)` });
  return null;
}

/** Text a column must have: an error names the column when it is blank. */
export function required(value: CellValue, column: string, errors: CellError[]): string {
  const found = text(value);
  if (!found) errors.push({ column, message: `${column} is required` });
  return found ?? '';
}
