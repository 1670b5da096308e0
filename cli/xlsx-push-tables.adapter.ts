// The push's TableIO over an .xlsx file, without exceljs: a push reads one table and writes back
// Status, Message, # and the pink of failed rows, so it reads the cell values of that table straight
// from the sheet's XML and, on save, patches only the cells it changed into that XML (and a style
// or shared string it adds), copying every other part of the file as it is. Loading the whole
// workbook into exceljs and rendering it again took most of a 5,000-row push.
//
// Values are read as exceljs reads them (XlsxTables.read gives the same snapshot: see its test):
// shared and inline strings, numbers, booleans, errors, cached formula results, numbers as dates
// when their cell's number format is a date format. A workbook this reader does not cover exactly
// (merged cells, hyperlinks, a table missing columns, ISO date cells, ZIP64 ...) opens as null and
// goes through exceljs instead, before anything is sent.
import fs from 'node:fs/promises';
import path from 'node:path/posix';
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
import { decode, grownBottom, letter, PINK, toCellValue } from './xlsx-cells';
import { ZipArchive } from './zip-archive';

/**
 * The built-in number formats (id -> format code) as exceljs 4.4 knows them
 * (lib/xlsx/defaultnumformats.js; a test keeps the two the same), so that dates are recognized as
 * it recognizes them. Copied rather than required: resolving a file inside exceljs cost a push some
 * milliseconds of package lookups.
 */
export const BUILT_IN_FORMATS: Record<number, string> = {
  0: 'General',
  1: '0',
  2: '0.00',
  3: '#,##0',
  4: '#,##0.00',
  9: '0%',
  10: '0.00%',
  11: '0.00E+00',
  12: '# ?/?',
  13: '# ??/??',
  14: 'mm-dd-yy',
  15: 'd-mmm-yy',
  16: 'd-mmm',
  17: 'mmm-yy',
  18: 'h:mm AM/PM',
  19: 'h:mm:ss AM/PM',
  20: 'h:mm',
  21: 'h:mm:ss',
  22: 'm/d/yy "h":mm',
  37: '#,##0 ;(#,##0)',
  38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)',
  40: '#,##0.00 ;[Red](#,##0.00)',
  45: 'mm:ss',
  46: '[h]:mm:ss',
  47: 'mmss.0',
  48: '##0.0E+0',
  49: '@',
};

class Unsupported extends Error {}

/** A string as one sequential run of characters: JSON's round trip copies it whole (lone surrogates included). */
function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** Whether a cell (its start tag's > at tagEnd, its end at end) holds <v>...</v> and nothing else: no formula, no inline string. */
function isPlainCell(xml: string, tagEnd: number, end: number): boolean {
  if (end === tagEnd + 1) return false;
  const from = tagEnd + 4;
  const to = end - 8;
  return to >= from && xml.startsWith('<v>', tagEnd + 1) && xml.indexOf('<', from) === to && xml.startsWith('</v></c>', to);
}

/**
 * A cell of the sheet's XML, by position: its attributes and content are cut from the text only
 * when asked for (a push reads 100,000 cells; their strings made the garbage collector's work).
 */
class CellInfo {
  constructor(
    private readonly xml: string,
    readonly col: number,
    readonly start: number,
    readonly end: number,
    /** Where its start tag's > is. */
    private readonly tagEnd: number,
    readonly s: number,
    readonly t: string | undefined,
  ) {}

  private get selfClosing(): boolean {
    return this.end === this.tagEnd + 1;
  }

  get attributes(): string {
    return this.xml.slice(this.start + 2, this.selfClosing ? this.tagEnd - 1 : this.tagEnd);
  }

  get inner(): string | undefined {
    return this.selfClosing ? undefined : this.xml.slice(this.tagEnd + 1, this.end - 4);
  }

  /** Whether its content is <v>...</v> and nothing else (no formula, no inline string). */
  get isPlain(): boolean {
    return isPlainCell(this.xml, this.tagEnd, this.end);
  }

  /** The text of its value when its content is <v>...</v> alone with no character reference in it, else undefined. */
  get plainValue(): string | undefined {
    if (!this.isPlain) return undefined;
    const text = this.xml.slice(this.tagEnd + 4, this.end - 8);
    return text.includes('&') ? undefined : text;
  }
}

/** Where the values of a cell's r, s and t attributes start (-1: none), as cellAttributesAt last found them. */
const found = { r: -1, s: -1, t: -1 };

/**
 * Finds where a cell's r, s and t attribute values start in its start tag (between from and to),
 * in one pass, into `found`; false when the tag is not written as every writer writes it (double
 * quotes, single spaces): the caller reads its attributes the slow way then.
 */
function cellAttributesAt(xml: string, from: number, to: number): boolean {
  found.r = found.s = found.t = -1;
  for (let i = from; i < to; i++) {
    const c = xml.charCodeAt(i);
    if (c === 39 || c === 9 || c === 10 || c === 13) return false; // ' tab or line end
    if (c !== 32 || xml.charCodeAt(i + 2) !== 61 || xml.charCodeAt(i + 3) !== 34) continue; // ' x="'
    const name = xml.charCodeAt(i + 1);
    if (name === 114) found.r = i + 4;
    else if (name === 115) found.s = i + 4;
    else if (name === 116) found.t = i + 4;
  }
  return true;
}

/**
 * cellAttributesAt() for a start tag written as Excel, exceljs and LibreOffice write it: r, then s
 * and t when there, nothing else (most cells of a sheet). False for any other tag, which then goes
 * through cellAttributesAt(): a look at three places instead of at every character.
 */
function orderedCellAttributesAt(xml: string, from: number, to: number): boolean {
  found.r = found.s = found.t = -1;
  if (!xml.startsWith(' r="', from)) return false;
  found.r = from + 4;
  let at = xml.indexOf('"', found.r) + 1;
  if (xml.startsWith(' s="', at)) {
    found.s = at + 4;
    at = xml.indexOf('"', found.s) + 1;
  }
  if (xml.startsWith(' t="', at)) {
    found.t = at + 4;
    at = xml.indexOf('"', found.t) + 1;
  }
  return at === to;
}

function digitsAt(xml: string, at: number): number {
  let n = 0;
  for (let i = at; ; i++) {
    const c = xml.charCodeAt(i);
    if (c < 48 || c > 57) return n;
    n = n * 10 + c - 48;
  }
}

/** A t attribute's value as its index in TYPES, without cutting it from the text; -1 for any other value. */
function typeCodeAt(xml: string, at: number): number {
  if (xml.charCodeAt(at + 1) === 34) {
    const code = xml.charCodeAt(at);
    return code === 115 ? 1 : code === 98 ? 4 : code === 101 ? 5 : code === 110 ? 6 : code === 100 ? 7 : -1;
  }
  return xml.startsWith('str"', at) ? 2 : xml.startsWith('inlineStr"', at) ? 3 : -1;
}

const TYPES = [undefined, 's', 'str', 'inlineStr', 'b', 'e', 'n', 'd'];

/**
 * The cells of a sheet as numbers in one typed array (column, start, end, start tag's end, style,
 * type), not an object each: 100,000 objects kept through a push were most of its garbage
 * collection. CellInfo views are made when a cell is looked at, and dropped at once.
 */
class SheetCells {
  private data = new Int32Array(6 * 4096);
  private readonly otherTypes: string[] = [];
  count = 0;

  constructor(readonly xml: string) {}

  /** t: the cell's type as its index in TYPES, or as text. */
  add(col: number, start: number, end: number, tagEnd: number, s: number, t: number | string | undefined): void {
    if ((this.count + 1) * 6 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    let type = typeof t === 'number' ? t : TYPES.indexOf(t);
    if (type < 0) type = TYPES.length + this.otherTypes.push(t as string) - 1;
    const d = this.data;
    const at = this.count * 6;
    d[at] = col;
    d[at + 1] = start;
    d[at + 2] = end;
    d[at + 3] = tagEnd;
    d[at + 4] = s;
    d[at + 5] = type;
    this.count++;
  }

  col(i: number): number {
    return this.data[i * 6];
  }

  start(i: number): number {
    return this.data[i * 6 + 1];
  }

  end(i: number): number {
    return this.data[i * 6 + 2];
  }

  style(i: number): number {
    return this.data[i * 6 + 4];
  }

  /** Its type as an index in TYPES (0: none; at TYPES.length and beyond: another type). */
  type(i: number): number {
    return this.data[i * 6 + 5];
  }

  /** Where its <v>'s text starts when its content is <v>...</v> alone (see isPlain; the text ends 8 before the cell), else -1. */
  plainText(i: number): number {
    return this.isPlain(i) ? this.data[i * 6 + 3] + 4 : -1;
  }

  /** Whether the cell is a shared string (t="s"). */
  isShared(i: number): boolean {
    return this.data[i * 6 + 5] === 1;
  }

  /** Whether the cell is written <c .../>, with no content. */
  isEmpty(i: number): boolean {
    return this.data[i * 6 + 2] === this.data[i * 6 + 3] + 1;
  }

  /** CellInfo.isPlain without making a view. */
  isPlain(i: number): boolean {
    return isPlainCell(this.xml, this.data[i * 6 + 3], this.data[i * 6 + 2]);
  }

  view(i: number): CellInfo {
    const d = this.data;
    const at = i * 6;
    const type = d[at + 5];
    return new CellInfo(this.xml, d[at], d[at + 1], d[at + 2], d[at + 3], d[at + 4], type < TYPES.length ? TYPES[type] : this.otherTypes[type - TYPES.length]);
  }
}

class RowInfo {
  /** Its cells: first .. first + count - 1 in the sheet's cells. */
  count = 0;
  /** Where its cells end (the end tag); where they start for <row/>. */
  close: number;

  constructor(
    readonly store: SheetCells,
    readonly number: number,
    readonly start: number,
    /** Where its cells start (after the start tag). */
    readonly open: number,
    readonly selfClosing: boolean,
    readonly tag: string,
    readonly s: number,
    /** Its first cell's index among the sheet's cells. */
    readonly first: number,
  ) {
    this.close = open;
  }

  get cells(): CellInfo[] {
    return Array.from({ length: this.count }, (_, i) => this.store.view(this.first + i));
  }

  /** Its cells in columns left..right, by index among the sheet's cells. */
  forEachCell(left: number, right: number, each: (cell: CellInfo) => void): void {
    for (let i = this.first; i < this.first + this.count; i++) {
      const col = this.store.col(i);
      if (col >= left && col <= right) each(this.store.view(i));
    }
  }

  /** Column -> index among the sheet's cells (-1: none), made at the first look-up: a push looks up some 60,000 cells. */
  private byColumn: Int32Array | undefined;

  /** The cell of a column by its index among the sheet's cells; -1 when the row has none. */
  indexAt(col: number): number {
    if (!this.byColumn) {
      const last = this.count ? this.store.col(this.first + this.count - 1) : 0;
      this.byColumn = new Int32Array(last + 2).fill(-1);
      for (let i = this.first; i < this.first + this.count; i++) this.byColumn[this.store.col(i)] = i;
    }
    return col < this.byColumn.length ? this.byColumn[col] : -1;
  }

  cellAt(col: number): CellInfo | undefined {
    const i = this.indexAt(col);
    return i < 0 ? undefined : this.store.view(i);
  }

  /** Its first cell right of a column, by its index among the sheet's cells; -1 when there is none. */
  indexAfter(col: number): number {
    if (!this.count || this.store.col(this.first + this.count - 1) <= col) return -1;
    this.indexAt(col);
    for (let c = col + 1; c < this.byColumn!.length; c++) if (this.byColumn![c] >= 0) return this.byColumn![c];
    return -1;
  }
}

interface ColumnStyle {
  min: number;
  max: number;
  style: number;
}

/** A row's changed cells as text to put into the sheet's XML, and what they change in the shared strings' count. */
interface RowSplices {
  splices: Array<{ start: number; end: number; text: string }>;
  /** References to shared strings added (less those replaced). */
  stringsAdded: number;
  /** Whether a formula cell is overwritten (Excel's calculation chain must go). */
  formulasOverwritten: boolean;
}

/** A cell as the push leaves it: a new value (or the one it had), and its style. */
interface Written {
  value: CellValue | typeof KEEP;
  s: number;
}

const KEEP = Symbol('keep');

function attributesOf(tag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) result[m[1]] = unescapeXml(m[2] ?? m[3]);
  return result;
}

const attributePatterns = new Map<string, RegExp>();

function attribute(tag: string, name: string): string | undefined {
  let re = attributePatterns.get(name);
  if (!re) attributePatterns.set(name, (re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(tag);
  return m ? unescapeXml(m[1] ?? m[2]) : undefined;
}

/** attribute() for the attributes of cells and rows, read 100,000 times a push: double quotes as every writer uses, else attribute(). */
function quickAttribute(attributes: string, name: string): string | undefined {
  if (attributes.includes("'") || attributes.includes('&')) return attribute(attributes, name);
  const at = attributes.indexOf(` ${name}="`);
  if (at < 0) return undefined;
  const from = at + name.length + 3;
  return attributes.slice(from, attributes.indexOf('"', from));
}

/** The column number of a cell address (A1 -> 1). */
function columnOf(address: string): number {
  return columnAt(address, 0);
}

/** The column number of the cell address at a position of a text. */
function columnAt(text: string, at: number): number {
  let col = 0;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + c - 64;
    else if (c >= 97 && c <= 122) col = col * 26 + c - 96;
    else break;
  }
  return col;
}

const withAttributePatterns = new Map<string, RegExp>();

/** Sets (or, with undefined, removes) an attribute of a start tag given as its text. */
function withAttribute(tag: string, name: string, value: string | undefined): string {
  let re = withAttributePatterns.get(name);
  if (!re) withAttributePatterns.set(name, (re = new RegExp(`\\s${name}\\s*=\\s*(?:"[^"]*"|'[^']*')`)));
  const without = tag.replace(re, '');
  if (value === undefined) return without;
  const end = without.endsWith('/>') ? without.length - 2 : without.length - 1;
  return `${without.slice(0, end)} ${name}="${escapeXml(value)}"${without.slice(end)}`;
}

/** Text as an XML parser gives it: line ends normalized, entities and character references decoded. */
function unescapeXml(text: string): string {
  if (!text.includes('&') && !text.includes('\r')) return text;
  return text.replace(/\r\n?/g, '\n').replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity]!;
  });
}

/** exceljs's second decoding of str values (utils.xmlDecode). */
function exceljsXmlDecode(text: string): string {
  return text.replace(/&([a-z]*);/g, (c) => ({ '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' })[c] ?? c);
}

function escapeXml(text: string): string {
  // As exceljs writes text: characters XML 1.0 cannot hold are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The text of a <t> element, with Excel's _xHHHH_ escapes decoded as exceljs does (shared strings and rich text runs). */
function runText(xml: string): string {
  return unescapeXml(xml).replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The string of an <si> (shared string) or <is> (inline string with runs): its text, or its rich text runs joined. */
function stringItem(xml: string): string {
  if (xml.includes('<![CDATA[')) throw new Unsupported('CDATA');
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  const texts = (source: string) => [...source.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)].map((m) => runText(m[1] ?? ''));
  if (/<r\b/.test(body)) return [...body.matchAll(/<r\b[^>]*>([\s\S]*?)<\/r>/g)].map((m) => texts(m[1]).join('')).join('');
  const direct = texts(body);
  if (!direct.length) throw new Unsupported('a shared string with no text');
  return direct[direct.length - 1];
}

/** exceljs utils.isDateFmt. */
function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs utils.excelToDate. */
function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

function dateToExcel(date: Date, date1904: boolean): number {
  return 25569 + date.getTime() / (24 * 3600 * 1000) - (date1904 ? 1462 : 0);
}

/** The part a relationship points at, from the part whose relationships they are. */
function target(from: string, to: string): string {
  return to.startsWith('/') ? to.slice(1) : path.normalize(path.join(path.dirname(from), to));
}

function relsOf(part: string): string {
  return `${path.dirname(part)}/_rels/${path.basename(part)}.rels`;
}

function relationships(xml: string | undefined, from: string): Array<{ id: string; type: string; target: string; xml: string }> {
  return [...(xml ?? '').matchAll(/<Relationship\b[^>]*>/g)].map((m) => {
    const a = attributesOf(m[0]);
    return { id: a.Id, type: a.Type ?? '', target: a.TargetMode === 'External' ? '' : target(from, a.Target ?? ''), xml: m[0] };
  });
}

/** The styles part: number formats and fills of its cell formats, and the formats the push adds. */
class Styles {
  private readonly xfs: string[];
  private readonly fills: string[];
  private readonly formats = new Map<number, string>();
  private readonly added: string[] = [];
  private readonly addedFills: string[] = [];
  private readonly clones = new Map<string, number>();
  private readonly dates = new Map<number, boolean>();
  private readonly pinks = new Map<number, boolean>();
  private pinkFill: number | undefined;

  constructor(private readonly xml: string) {
    const cellXfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml);
    const fills = /<fills\b[^>]*>([\s\S]*?)<\/fills>/.exec(xml);
    if (!cellXfs || !fills) throw new Unsupported('no cell formats or fills');
    this.xfs = [...cellXfs[1].matchAll(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    this.fills = [...fills[1].matchAll(/<fill\b[^>]*?(?:\/>|>[\s\S]*?<\/fill>)/g)].map((m) => m[0]);
    for (const m of xml.matchAll(/<numFmt\b[^>]*>/g)) {
      const a = attributesOf(m[0]);
      this.formats.set(Number(a.numFmtId), a.formatCode ?? '');
    }
    this.pinkFill = this.fills.findIndex((fill) => this.fillIsPink(fill));
    if (this.pinkFill < 0) this.pinkFill = undefined;
  }

  private xf(id: number): string {
    return this.xfs[id] ?? this.added[id - this.xfs.length] ?? this.xfs[0] ?? '<xf/>';
  }

  private fillIsPink(fill: string | undefined): boolean {
    const fg = fill && /<fgColor\b[^>]*>/.exec(fill);
    return !!fg && attribute(fg[0], 'rgb') === PINK;
  }

  /** The number format exceljs gives a cell of this style (none for style 0 or an unknown one, as in exceljs). */
  numberFormat(id: number): string | undefined {
    if (!id || id >= this.xfs.length + this.added.length) return undefined;
    const numFmtId = Number(attribute(this.startTag(this.xf(id)), 'numFmtId') ?? 0);
    return numFmtId ? (this.formats.get(numFmtId) ?? BUILT_IN_FORMATS[numFmtId]) : undefined;
  }

  isDate(id: number): boolean {
    let date = this.dates.get(id);
    if (date === undefined) this.dates.set(id, (date = isDateFormat(this.numberFormat(id))));
    return date;
  }

  isPink(id: number): boolean {
    let pink = this.pinks.get(id);
    if (pink === undefined) {
      const fillId = Number(attribute(this.startTag(this.xf(id)), 'fillId') ?? 0);
      this.pinks.set(id, (pink = this.fillIsPink(this.fills[fillId] ?? this.addedFills[fillId - this.fills.length])));
    }
    return pink;
  }

  private startTag(xf: string): string {
    return /^<xf\b[^>]*>/.exec(xf)![0];
  }

  /** A new cell format: the given one with some attributes of its start tag changed. */
  private clone(id: number, changes: Record<string, string | undefined>): number {
    const key = `${id}:${JSON.stringify(changes)}`;
    const known = this.clones.get(key);
    if (known !== undefined) return known;
    const xf = this.xf(id);
    let tag = this.startTag(xf);
    for (const [name, value] of Object.entries(changes)) tag = withAttribute(tag, name, value);
    this.added.push(tag + xf.slice(this.startTag(xf).length));
    const result = this.xfs.length + this.added.length - 1;
    this.clones.set(key, result);
    return result;
  }

  withPink(id: number): number {
    if (this.isPink(id)) return id;
    if (this.pinkFill === undefined) {
      this.addedFills.push(`<fill><patternFill patternType="solid"><fgColor rgb="${PINK}"/><bgColor indexed="64"/></patternFill></fill>`);
      this.pinkFill = this.fills.length + this.addedFills.length - 1;
    }
    return this.clone(id, { fillId: String(this.pinkFill), applyFill: '1' });
  }

  withoutFill(id: number): number {
    return this.clone(id, { fillId: '0', applyFill: undefined });
  }

  /** A cell format showing a date: this one when it does, else this one with Excel's built-in date format (as exceljs gives a date cell). */
  forDate(id: number): number {
    return this.isDate(id) ? id : this.clone(id, { numFmtId: '14', applyNumberFormat: '1' });
  }

  /**
   * A new cell's format, as exceljs makes one: each of number format, font, alignment, border, fill
   * and protection from the row's format, else the column's. A row format always has a font, border
   * and fill (exceljs reads id 0 too), so only the number format, alignment and protection can come
   * from the column's.
   */
  merged(rowStyle: number, colStyle: number): number {
    if (!rowStyle) return colStyle;
    if (!colStyle || rowStyle === colStyle) return rowStyle;
    const key = `merged:${rowStyle}:${colStyle}`;
    const known = this.clones.get(key);
    if (known !== undefined) return known;
    const rowXf = this.xf(rowStyle);
    const colXf = this.xf(colStyle);
    let tag = this.startTag(rowXf);
    if (!this.numberFormat(rowStyle) && this.numberFormat(colStyle))
      tag = withAttribute(withAttribute(tag, 'numFmtId', attribute(this.startTag(colXf), 'numFmtId')), 'applyNumberFormat', '1');
    let children = rowXf.slice(this.startTag(rowXf).length).replace(/<\/xf>$/, '');
    for (const name of ['alignment', 'protection'])
      if (!new RegExp(`<${name}\\b`).test(rowXf)) children += new RegExp(`<${name}\\b[^>]*?(?:/>|>[\\s\\S]*?</${name}>)`).exec(colXf)?.[0] ?? '';
    const xf = children ? `${tag.replace(/\s*\/>$/, '>')}${children}</xf>` : tag;
    if (xf === rowXf) return rowStyle;
    this.added.push(xf);
    const id = this.xfs.length + this.added.length - 1;
    this.clones.set(key, id);
    return id;
  }

  /** Whether any fill is our pink (the workbook's own, or one added by this push). */
  get hasPink(): boolean {
    return this.pinkFill !== undefined;
  }

  get changed(): boolean {
    return this.added.length > 0 || this.addedFills.length > 0;
  }

  toXml(): string {
    let xml = this.xml;
    if (this.addedFills.length)
      xml = xml.replace(/(<fills\b[^>]*>)([\s\S]*?)<\/fills>/, (_, open: string, body: string) => {
        return `${withAttribute(open, 'count', String(this.fills.length + this.addedFills.length))}${body}${this.addedFills.join('')}</fills>`;
      });
    if (this.added.length)
      xml = xml.replace(/(<cellXfs\b[^>]*>)([\s\S]*?)<\/cellXfs>/, (_, open: string, body: string) => {
        return `${withAttribute(open, 'count', String(this.xfs.length + this.added.length))}${body}${this.added.join('')}</cellXfs>`;
      });
    return xml;
  }
}

/** The shared strings part: read by index, and strings the push writes added at its end. */
class SharedStrings {
  readonly strings: string[];
  /** The strings in rich text runs (exceljs gives them as objects). */
  readonly rich = new Set<number>();
  private readonly index = new Map<string, number>();
  private readonly added: string[] = [];

  constructor(private readonly xml: string) {
    this.strings = [...xml.matchAll(/<si\b[^>]*?(?:\/>|>([\s\S]*?)<\/si>)/g)].map((m, i) => {
      if (m[1] && /<r\b/.test(m[1])) this.rich.add(i);
      return stringItem(m[1] ?? '');
    });
    this.strings.forEach((s, i) => {
      if (!this.index.has(s)) this.index.set(s, i);
    });
  }

  indexOf(text: string): number {
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.strings.length + this.added.length;
      this.added.push(text);
      this.index.set(text, i);
    }
    return i;
  }

  get changed(): boolean {
    return this.added.length > 0;
  }

  toXml(referencesAdded: number): string {
    const items = this.added.map((s) => `<si><t${/^\s|\n|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${escapeXml(s)}</t></si>`).join('');
    return this.xml.replace(/(<sst\b[^>]*?)(\/>|>([\s\S]*?)<\/sst>)/, (_, open: string, _close: string, body: string | undefined) => {
      let tag = `${open}>`;
      const count = Number(attribute(tag, 'count') ?? this.strings.length);
      tag = withAttribute(
        withAttribute(tag, 'uniqueCount', String(this.strings.length + this.added.length)),
        'count',
        String(Math.max(0, count + referencesAdded)),
      );
      return `${tag}${body ?? ''}${items}</sst>`;
    });
  }
}

interface Located {
  sheetPart: string;
  sheetXml: string;
  rows: Map<number, RowInfo>;
  columnStyles: ColumnStyle[];
  columnStyleAt: number[];
  dimension: { start: number; end: number; ref: string } | undefined;
  headerRow: number;
  firstCol: number;
  lastCol: number;
  lastRow: number;
  columns: Map<string, number>;
  tablePart?: string;
  tableXml?: string;
}

/** Whether a character ends an element's name (space, >, /, tab or line end). */
function endsName(code: number): boolean {
  return code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;
}

/** Rows and cells of a sheet's XML (positions kept for the patch); columns' styles; the dimension. */
function parseSheet(xml: string): Pick<Located, 'rows' | 'columnStyles' | 'dimension'> {
  if (/<mergeCell\b/.test(xml)) throw new Unsupported('merged cells');
  if (/<hyperlink\b/.test(xml)) throw new Unsupported('hyperlinks');
  const data = /<sheetData\b[^>]*?(\/>|>)/.exec(xml);
  if (!data) throw new Unsupported('no sheetData');
  const columnStyles: ColumnStyle[] = [...(/<cols>([\s\S]*?)<\/cols>/.exec(xml)?.[1] ?? '').matchAll(/<col\b[^>]*>/g)].map((m) => {
    const a = attributesOf(m[0]);
    return { min: Number(a.min), max: Number(a.max), style: Number(a.style ?? 0) };
  });
  const dim = /<dimension\b[^>]*\bref="([^"]*)"[^>]*>/.exec(xml);
  const dimension = dim ? { start: dim.index, end: dim.index + dim[0].length, ref: dim[1] } : undefined;
  const rows = new Map<number, RowInfo>();
  if (data[1] === '/>') return { rows, columnStyles, dimension };
  const end = xml.indexOf('</sheetData>', data.index);
  // A scan by indexOf rather than one regular expression: 100,000 cells a push, and no match arrays to collect.
  let row: RowInfo | undefined;
  const cells = new SheetCells(xml);
  let at = data.index + data[0].length;
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0 || lt >= end) break;
    const gt = xml.indexOf('>', lt);
    if (gt < 0) throw new Unsupported('a tag that does not end');
    const selfClosing = xml.charCodeAt(gt - 1) === 47; // '/'
    const name = xml.charCodeAt(lt + 1);
    const after = xml.charCodeAt(lt + 2);
    if (name === 99 && endsName(after)) {
      // <c ...> ... </c> or <c .../>
      if (!row) throw new Unsupported('a cell outside a row');
      let cellEnd = gt + 1;
      if (!selfClosing) {
        const close = xml.indexOf('</c>', gt);
        if (close < 0) throw new Unsupported('a cell that does not end');
        cellEnd = close + 4;
      }
      const attrsEnd = selfClosing ? gt - 1 : gt;
      const plain = orderedCellAttributesAt(xml, lt + 2, attrsEnd) || cellAttributesAt(xml, lt + 2, attrsEnd);
      const r = found.r;
      const sAt = found.s;
      const tAt = found.t;
      if (!plain) {
        const attrs = xml.slice(lt + 2, attrsEnd);
        const address = attribute(attrs, 'r');
        if (!address) throw new Unsupported('a cell without its address');
        cells.add(columnOf(address), lt, cellEnd, gt, Number(attribute(attrs, 's') ?? 0), attribute(attrs, 't'));
      } else {
        if (r < 0) throw new Unsupported('a cell without its address');
        const type = tAt < 0 ? 0 : typeCodeAt(xml, tAt);
        cells.add(columnAt(xml, r), lt, cellEnd, gt, sAt < 0 ? 0 : digitsAt(xml, sAt), type >= 0 ? type : xml.slice(tAt, xml.indexOf('"', tAt)));
      }
      // Cells of a row come in column order (as Excel requires); a sheet where they do not is left to exceljs.
      if (row.count && cells.col(cells.count - 2) >= cells.col(cells.count - 1)) throw new Unsupported('cells out of order');
      row.count++;
      at = cellEnd;
    } else if (xml.startsWith('<row', lt) && endsName(xml.charCodeAt(lt + 4))) {
      const attrs = xml.slice(lt + 4, selfClosing ? gt - 1 : gt);
      const r = quickAttribute(attrs, 'r');
      if (!r) throw new Unsupported('a row without its number');
      row = new RowInfo(cells, Number(r), lt, gt + 1, selfClosing, xml.slice(lt, gt + 1), Number(quickAttribute(attrs, 's') ?? 0), cells.count);
      rows.set(row.number, row);
      at = gt + 1;
    } else if (xml.startsWith('</row>', lt)) {
      if (row) row.close = lt;
      at = gt + 1;
    } else throw new Unsupported(`an unexpected element in the sheet's data: ${xml.slice(lt, Math.min(gt + 1, lt + 40))}`);
  }
  return { rows, columnStyles, dimension };
}

/** Whether a cell has a formula, as exceljs decides (its text, or a t attribute). */
function formulaOf(inner: string | undefined): { formula: boolean; shareType?: string; ref?: string } {
  const f = inner?.includes('<f') && /<f\b([^>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(inner);
  if (!f) return { formula: false };
  const shareType = attribute(f[1], 't');
  return { formula: !!f[2] || !!shareType, shareType, ref: attribute(f[1], 'ref') };
}

/** A written row's columns in order: its handful of keys sorted by insertion (a sort call per row cost more). */
function sortedColumns(cells: Map<number, unknown>): number[] {
  const columns: number[] = [];
  for (const col of cells.keys()) {
    let i = columns.length;
    while (i > 0 && columns[i - 1] > col) i--;
    columns.splice(i, 0, col);
  }
  return columns;
}

export class XlsxPushTables implements TableIO {
  /** update() only records cells (save writes them): a push gives it each chunk's rows as they come. */
  readonly updatesInParts = true;
  private readonly written = new Map<number, Map<number, Written>>();
  /** Each written row's splices, made when the row is written (a push's chunks: while the next ones are at the server), for save to put together. */
  private readonly rowSplices = new Map<number, RowSplices>();
  /** Column letters by number, made once. */
  private readonly letters: string[] = [];
  private readonly located = new Map<TableName, Located>();

  private constructor(
    readonly file: string,
    private readonly zip: ZipArchive,
    private readonly styles: Styles,
    private readonly stylesPart: string,
    private readonly sharedStrings: SharedStrings | undefined,
    private readonly sharedStringsPart: string | undefined,
    private readonly date1904: boolean,
    private readonly workbookRels: string,
  ) {}

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
        if (!totalsRow) bottom = grownBottom(bottom, (r) => this.cellsOf(parsed.rows.get(r), ref.left, ref.right));
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
        for (const cell of parsed.rows.get(i + 1)?.cells ?? []) cells[cell.col - 1] = this.rawValueText(cell) ?? null;
        return cells;
      });
      const headerRow = named ? (findHeaderRow(table, top) ?? 1) : findHeaderRow(table, top, first);
      if (!headerRow) continue;
      const header = parsed.rows.get(headerRow)?.cells ?? [];
      // As exceljs: the header reaches the last cell of its row that has a value or a formula, the table the last row of the sheet.
      const right = Math.max(0, ...header.filter((cell) => formulaOf(cell.inner).formula || this.hasValue(cell)).map((c) => c.col));
      const lastRow = Math.max(headerRow, ...parsed.rows.keys());
      return this.locate(parsed, sheet.part, sheetXml, headerRow, 1, right, lastRow);
    }
    return null;
  }

  /** Whether exceljs gives the cell a value (text in its <v>, or in its inline string). */
  private hasValue(cell: CellInfo): boolean {
    return !!cell.inner && (/<v\b[^>]*>[^<]/.test(cell.inner) || /<is\b[\s\S]*<t\b[^>]*>[^<]/.test(cell.inner));
  }

  /** A header cell's value as exceljs's Row.values holds it, as text: only plain values can name a column there. */
  private rawValueText(cell: CellInfo): string | undefined {
    const richShared = cell.t === 's' && this.sharedStrings?.rich.has(parseInt(/<v>(\d+)<\/v>/.exec(cell.inner ?? '')?.[1] ?? '-1', 10));
    if (formulaOf(cell.inner).formula || (cell.inner && /<r\b/.test(cell.inner)) || richShared) return undefined;
    const value = this.valueOf(cell);
    return value === null || value === undefined ? undefined : String(value).trim();
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
    const header = this.cellsOf(parsed.rows.get(headerRow), firstCol, lastCol) ?? [];
    header.forEach((value, i) => {
      const name = String(value ?? '').trim();
      if (name && !columns.has(name)) columns.set(name, firstCol + i);
    });
    return { ...parsed, columnStyleAt: [], sheetPart, sheetXml, headerRow, firstCol, lastCol, lastRow, columns };
  }

  /** A row's values in columns left..right (null where it has no cell); null when the sheet has no such row. */
  private cellsOf(row: RowInfo | undefined, left: number, right: number): CellValue[] | null {
    if (!row) return null;
    const values: CellValue[] = new Array(right - left + 1).fill(null);
    const store = row.store;
    for (let i = row.first; i < row.first + row.count; i++) {
      const col = store.col(i);
      if (col >= left && col <= right) values[col - left] = this.valueAt(store, i);
    }
    return values;
  }

  /**
   * valueOf() of the sheet's i-th cell. Its usual forms, a number or a shared string's index alone
   * in <v>, are read straight from the text (a push reads 65,000 cells); any other through valueOf().
   */
  private valueAt(store: SheetCells, i: number): CellValue {
    // <c .../>: a styled blank (a table's empty cells, 10,000 of a 5,000-line push's sheet).
    if (store.isEmpty(i)) return null;
    const type = store.type(i);
    // TYPES: 0 none, 1 s, 6 n.
    const from = type === 0 || type === 1 || type === 6 ? store.plainText(i) : -1;
    if (from >= 0) {
      const text = store.xml.slice(from, store.end(i) - 8);
      if (!text.includes('&')) return this.plainValue(text, type === 1, store.style(i));
    }
    return this.valueOf(store.view(i));
  }

  /** The value of a cell whose content is <v>text</v> alone (text with no character reference), of type s, n or none. */
  private plainValue(text: string, shared: boolean, style: number): CellValue {
    if (shared) {
      const string = this.sharedStrings?.strings[parseInt(text, 10)];
      if (string === undefined) throw new Unsupported('a shared string that is not there');
      return string;
    }
    if (!text) return null;
    const number = parseFloat(text);
    return this.styles.isDate(style) ? excelToDate(number, this.date1904) : number;
  }

  /** A cell's value as the exceljs adapter reads it (exceljs's cell model, then cellValue). */
  private valueOf(cell: CellInfo): CellValue {
    const t = cell.t;
    // Most cells: <v>text</v> alone.
    const plain = t === 's' || t === undefined || t === 'n' ? cell.plainValue : undefined;
    if (plain !== undefined) return this.plainValue(plain, t === 's', cell.s);
    const inner = cell.inner;
    if (!inner) return null;
    let text: string | undefined;
    const v = /<v\b[^>]*?(?:\/>|>([\s\S]*?)<\/v>)/.exec(inner);
    if (v?.[1]) text = unescapeXml(v[1]);
    let inlineRich: string | undefined;
    if (t === 'inlineStr') {
      const is = /<is\b[^>]*?(?:\/>|>([\s\S]*?)<\/is>)/.exec(inner);
      if (is?.[1]) {
        if (/<rPh\b|<!\[CDATA\[/.test(is[1])) throw new Unsupported('phonetic text in an inline string');
        if (/<r\b/.test(is[1])) inlineRich = stringItem(is[1]);
        else {
          const parts = [...is[1].matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)].map((m) => (m[1] ? unescapeXml(m[1]) : ''));
          const joined = parts.join('');
          if (joined) text = (text ?? '') + joined;
        }
      }
    }
    if (t === 'd') throw new Unsupported('an ISO date cell');
    const { formula } = formulaOf(inner);
    if (formula) {
      if (!text) return null;
      const result = t === 'str' ? exceljsXmlDecode(text) : t === 'b' ? parseInt(text, 10) !== 0 : t === 'e' ? null : parseFloat(text);
      // exceljs makes a date of any result in a date format, even text, a boolean or an error (an invalid date then).
      if (this.styles.isDate(cell.s)) return excelToDate(result === null ? NaN : Number(result), this.date1904);
      return result;
    }
    if (inlineRich !== undefined) return inlineRich;
    if (text === undefined) return null;
    switch (t) {
      case 's': {
        const s = this.sharedStrings?.strings[parseInt(text, 10)];
        if (s === undefined) throw new Unsupported('a shared string that is not there');
        return s;
      }
      case 'str':
        return exceljsXmlDecode(text);
      case 'inlineStr':
        return text;
      case 'b':
        return parseInt(text, 10) !== 0;
      case 'e':
        return text;
      default: {
        const number = parseFloat(text);
        return this.styles.isDate(cell.s) ? excelToDate(number, this.date1904) : number;
      }
    }
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

  async read(table: TableName): Promise<TableSnapshot> {
    const located = this.get(table);
    checkTableRows(this.file, table, located.lastRow - located.headerRow);
    const header: string[] = [];
    for (const [name, col] of located.columns) header[col - located.firstCol] = name;
    const fullHeader = Array.from({ length: located.lastCol - located.firstCol + 1 }, (_, i) => header[i] ?? '');
    const values: CellValue[][] = [];
    for (let r = located.headerRow + 1; r <= located.lastRow; r++)
      values.push(this.cellsOf(located.rows.get(r), located.firstCol, located.lastCol) ?? new Array(located.lastCol - located.firstCol + 1).fill(null));
    return { header: fullHeader, values, rows: rowsFromValues(table, fullHeader, values, located.headerRow), headerRow: located.headerRow };
  }

  private columnStyle(located: Located, col: number): number {
    let style = located.columnStyleAt[col];
    if (style === undefined) located.columnStyleAt[col] = style = located.columnStyles.find((c) => c.min <= col && col <= c.max)?.style ?? 0;
    return style;
  }

  /** The cell as the push will leave it (made, with the style exceljs gives a new cell, when the sheet has none). */
  private cell(located: Located, sheetRow: number, col: number): Written {
    let row = this.written.get(sheetRow);
    if (!row) this.written.set(sheetRow, (row = new Map()));
    let cell = row.get(col);
    if (!cell) {
      const info = located.rows.get(sheetRow);
      const existing = info ? info.indexAt(col) : -1;
      cell =
        existing >= 0 ? { value: KEEP, s: info!.store.style(existing) } : { value: null, s: this.styles.merged(info?.s ?? 0, this.columnStyle(located, col)) };
      row.set(col, cell);
    }
    return cell;
  }

  /** A cell's current style without making it: what the sheet has, or what exceljs would give it. */
  private styleAt(located: Located, sheetRow: number, col: number): number {
    const cell = this.written.get(sheetRow)?.get(col);
    if (cell) return cell.s;
    const existing = located.rows.get(sheetRow)?.cellAt(col);
    return existing ? existing.s : this.styles.merged(located.rows.get(sheetRow)?.s ?? 0, this.columnStyle(located, col));
  }

  async update(table: TableName, _snapshot: TableSnapshot, updates: Map<number, RowUpdate>): Promise<void> {
    const located = this.get(table);
    for (const [row, values] of updates) {
      const sheetRow = located.headerRow + row;
      // for...in rather than Object.entries: no array per cell (a push writes some 30,000).
      for (const column in values) {
        const col = located.columns.get(column);
        if (col) this.cell(located, sheetRow, col).value = toCellValue(column, values[column]);
      }
      // Every cell of a failed row turns pink; a row that went through loses only our own pink.
      const on = failed(values);
      // (A workbook with no pink fill at all, the usual case, has nothing to remove.)
      if (judges(values) && (on || this.styles.hasPink))
        for (let col = located.firstCol; col <= located.lastCol; col++) {
          if (on) {
            const cell = this.cell(located, sheetRow, col);
            cell.s = this.styles.withPink(cell.s);
          } else if (this.styles.isPink(this.styleAt(located, sheetRow, col))) {
            const cell = this.cell(located, sheetRow, col);
            cell.s = this.styles.withoutFill(cell.s);
          }
        }
      if (sheetRow > located.lastRow) {
        located.lastRow = sheetRow;
        this.resize(located);
      }
      const cells = this.written.get(sheetRow);
      if (cells) this.rowSplices.set(sheetRow, this.spliceRow(located, sheetRow, cells));
    }
  }

  /** A cell's XML as written: its value, or its original content with its new style. */
  private cellXml(col: number, number: number, cell: Written, original: CellInfo | undefined, strings: { added: number }): string {
    if (cell.value === KEEP) {
      const tag = withAttribute(`<c${original!.attributes}>`, 's', cell.s ? String(cell.s) : undefined);
      return original!.inner === undefined ? `${tag.slice(0, -1)}/>` : `${tag}${original!.inner}</c>`;
    }
    let s = cell.s;
    const value = cell.value;
    let body: string;
    let type = '';
    if (value === null || value === undefined) body = '';
    else if (typeof value === 'string') {
      if (this.sharedStrings) {
        type = 's';
        body = `<v>${this.sharedStrings.indexOf(value)}</v>`;
        strings.added++;
      } else {
        type = 'inlineStr';
        body = `<is><t${/^\s|\n|\s$/.test(value) ? ' xml:space="preserve"' : ''}>${escapeXml(value)}</t></is>`;
      }
    } else if (typeof value === 'boolean') {
      type = 'b';
      body = `<v>${value ? 1 : 0}</v>`;
    } else if (value instanceof Date) {
      s = this.styles.forDate(s);
      body = `<v>${dateToExcel(value, this.date1904)}</v>`;
    } else body = `<v>${value}</v>`;
    const attrs = `r="${(this.letters[col] ??= letter(col))}${number}"${s ? ` s="${s}"` : ''}${type ? ` t="${type}"` : ''}`;
    if (!body) return s ? `<c ${attrs}/>` : '';
    return `<c ${attrs}>${body}</c>`;
  }

  /** The last row tag withSpans() looked at, the columns it was asked for, and its answer: a sheet's rows mostly share one tag. */
  private spansSeen = { tag: '', first: 0, last: 0, result: '' };

  /** A row's start tag with its spans (when it has them) widened to reach the columns first..last. */
  private withSpans(tag: string, first: number, last: number): string {
    const seen = this.spansSeen;
    if (seen.tag === tag && seen.first === first && seen.last === last) return seen.result;
    let result = tag;
    const spans = quickAttribute(tag, 'spans');
    if (spans) {
      // One range "from:to", or several separated by spaces: they become one that also reaches the written columns.
      const bounds = spans
        .trim()
        .split(/[\s:]+/)
        .map(Number);
      const wider = bounds.every(Number.isInteger) ? `${Math.min(...bounds, first)}:${Math.max(...bounds, last)}` : undefined;
      if (wider !== spans) result = withAttribute(tag, 'spans', wider);
    }
    this.spansSeen = { tag, first, last, result };
    return result;
  }

  /** The splices that write a row's changed cells into the sheet's XML. */
  private spliceRow(located: Located, number: number, cells: Map<number, Written>): RowSplices {
    const result: RowSplices = { splices: [], stringsAdded: 0, formulasOverwritten: false };
    const counted = { added: 0 };
    const row = located.rows.get(number);
    const columns = sortedColumns(cells);
    let tag = row?.tag;
    if (row) {
      tag = this.withSpans(row.tag, columns[0], columns[columns.length - 1]);
      if (tag !== row.tag && !row.selfClosing) result.splices.push({ start: row.start, end: row.open, text: tag });
    }
    // Changed cells replaced where they are; new ones put before the row's next cell, or at its end.
    let atEnd = '';
    const store = row?.store;
    for (const col of columns) {
      const cell = cells.get(col)!;
      const index = row ? row.indexAt(col) : -1;
      if (index >= 0 && cell.value !== KEEP) {
        if (store!.isShared(index)) result.stringsAdded--;
        if (!store!.isPlain(index) && formulaOf(store!.view(index).inner).formula) result.formulasOverwritten = true;
      }
      const xml = this.cellXml(col, number, cell, index >= 0 && cell.value === KEEP ? store!.view(index) : undefined, counted);
      if (index >= 0) result.splices.push({ start: store!.start(index), end: store!.end(index), text: xml });
      else {
        const next = row && !row.selfClosing ? row.indexAfter(col) : -1;
        if (next >= 0) result.splices.push({ start: store!.start(next), end: store!.start(next), text: xml });
        else atEnd += xml;
      }
    }
    if (row?.selfClosing) {
      if (atEnd) tag = `${tag!.replace(/\s*\/>$/, '>')}${atEnd}</row>`;
      if (tag !== row.tag) result.splices.push({ start: row.start, end: row.open, text: tag! });
    } else if (row) {
      if (atEnd) result.splices.push({ start: row.close, end: row.close, text: atEnd });
    } else if (atEnd) {
      const later = [...located.rows.values()].find((r) => r.number > number);
      const at = later ? later.start : located.sheetXml.indexOf('</sheetData>');
      result.splices.push({ start: at, end: at, text: `<row r="${number}">${atEnd}</row>` });
    }
    result.stringsAdded += counted.added;
    // Kept until the save: each text as one flat string, not the tree of pieces it was put together from (half the memory of 100,000 rows).
    for (const splice of result.splices) splice.text = flat(splice.text);
    return result;
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
      const splices: Array<{ start: number; end: number; text: string }> = [];
      const written = [...this.written].sort(([a], [b]) => a - b);
      if (!written.length && !located.tableXml) continue;
      // Splices in the order of the text (the dimension comes before the rows): no sort of 30,000 of them.
      if (located.dimension && written.length) {
        const maxRow = written[written.length - 1][0];
        const maxCol = Math.max(...written.map(([, cells]) => Math.max(...cells.keys())));
        const d = decode(located.dimension.ref);
        const ref = `${letter(Math.min(d.left, located.firstCol))}${Math.min(d.top, located.headerRow)}:${letter(Math.max(d.right, maxCol))}${Math.max(d.bottom, maxRow)}`;
        if (ref !== located.dimension.ref) splices.push({ start: located.dimension.start, end: located.dimension.end, text: `<dimension ref="${ref}"/>` });
      }
      for (const [number, cells] of written) {
        const row = this.rowSplices.get(number) ?? this.spliceRow(located, number, cells);
        for (const splice of row.splices) splices.push(splice);
        strings.added += row.stringsAdded;
        if (row.formulasOverwritten) formulasOverwritten = true;
      }
      // A row the sheet did not have goes before the next row it has: in case it came out of order, the stable sort keeps each position's order.
      if (splices.some((splice, i) => i > 0 && splice.start < splices[i - 1].start)) splices.sort((x, y) => x.start - y.start);
      // The sheet's new text goes into UTF-8 a megabyte at a time: never whole as a string beside its bytes.
      const out: Buffer[] = [];
      let piece: string[] = [];
      let pieceLength = 0;
      const add = (text: string) => {
        piece.push(text);
        pieceLength += text.length;
        if (pieceLength < 1024 * 1024) return;
        out.push(Buffer.from(piece.join(''), 'utf8'));
        piece = [];
        pieceLength = 0;
      };
      let at = 0;
      for (const splice of splices) {
        add(located.sheetXml.slice(at, splice.start));
        add(splice.text);
        at = splice.end;
      }
      add(located.sheetXml.slice(at));
      out.push(Buffer.from(piece.join(''), 'utf8'));
      if (splices.length) this.zip.set(located.sheetPart, Buffer.concat(out));
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
