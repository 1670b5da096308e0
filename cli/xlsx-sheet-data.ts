// A sheet's XML as the push reads it: its rows and cells found by position in the text (kept for
// the patch), in typed arrays rather than an object per cell, its columns' styles and dimension.
import type { CellValue } from '../addin/sheets/tables';
import { attribute, attributesOf, quickAttribute, columnAt, columnOf, Unsupported } from './xlsx-xml';

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
export class CellInfo {
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
export class SheetCells {
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

export class RowInfo {
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

export interface ColumnStyle {
  min: number;
  max: number;
  style: number;
}

export interface Located {
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
  /** The table's data values, read as the workbook opens (see XlsxPushTables.open) and given by its first read. */
  values?: CellValue[][];
}

/** Whether a character ends an element's name (space, >, /, tab or line end). */
function endsName(code: number): boolean {
  return code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;
}

/** Rows and cells of a sheet's XML (positions kept for the patch); columns' styles; the dimension. */
export function parseSheet(xml: string): Pick<Located, 'rows' | 'columnStyles' | 'dimension'> {
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
export function formulaOf(inner: string | undefined): { formula: boolean; shareType?: string; ref?: string } {
  const f = inner?.includes('<f') && /<f\b([^>]*?)(?:\/>|>([\s\S]*?)<\/f>)/.exec(inner);
  if (!f) return { formula: false };
  const shareType = attribute(f[1], 't');
  return { formula: !!f[2] || !!shareType, shareType, ref: attribute(f[1], 'ref') };
}
