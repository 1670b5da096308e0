// A push's results written into a sheet's XML: each changed cell as the text that replaces it (or
// goes in where the sheet had none), with the style exceljs would give it, and the sheet's new text
// made of the old one and those splices.
import type { CellValue } from '../addin/sheets/tables';
import { decode, letter } from './xlsx-cells';
import { formulaOf, type CellInfo, type Located } from './xlsx-sheet-data';
import type { SharedStrings, Styles } from './xlsx-workbook-parts';
import { dateToExcel, escapeXml, flat, quickAttribute, withAttribute } from './xlsx-xml';

/** A row's changed cells as text to put into the sheet's XML, and what they change in the shared strings' count. */
export interface RowSplices {
  splices: Array<{ start: number; end: number; text: string }>;
  /** References to shared strings added (less those replaced). */
  stringsAdded: number;
  /** Whether a formula cell is overwritten (Excel's calculation chain must go). */
  formulasOverwritten: boolean;
}

/** A cell as the push leaves it: a new value (or the one it had), and its style. */
export interface Written {
  value: CellValue | typeof KEEP;
  s: number;
}

export const KEEP = Symbol('keep');
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

export class SheetPatch {
  /** The cells written, by sheet row and column. */
  readonly written = new Map<number, Map<number, Written>>();
  /** Each written row's splices, made when the row is written (a push's chunks: while the next ones are at the server), for save to put together. */
  private readonly rowSplices = new Map<number, RowSplices>();
  /** Column letters by number, made once. */
  private readonly letters: string[] = [];

  constructor(
    private readonly styles: Styles,
    private readonly sharedStrings: SharedStrings | undefined,
    private readonly date1904: boolean,
  ) {}

  private columnStyle(located: Located, col: number): number {
    let style = located.columnStyleAt[col];
    if (style === undefined) located.columnStyleAt[col] = style = located.columnStyles.find((c) => c.min <= col && col <= c.max)?.style ?? 0;
    return style;
  }

  /** The cell as the push will leave it (made, with the style exceljs gives a new cell, when the sheet has none). */
  cell(located: Located, sheetRow: number, col: number): Written {
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
  styleAt(located: Located, sheetRow: number, col: number): number {
    const cell = this.written.get(sheetRow)?.get(col);
    if (cell) return cell.s;
    const existing = located.rows.get(sheetRow)?.cellAt(col);
    return existing ? existing.s : this.styles.merged(located.rows.get(sheetRow)?.s ?? 0, this.columnStyle(located, col));
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
  spliceRow(located: Located, number: number, cells: Map<number, Written>): RowSplices {
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

  /** Makes a written row's splices now (a push's chunks: while the next ones are at the server). */
  rowWritten(located: Located, sheetRow: number): void {
    const cells = this.written.get(sheetRow);
    if (cells) this.rowSplices.set(sheetRow, this.spliceRow(located, sheetRow, cells));
  }

  /**
   * The sheet's new text as UTF-8 (undefined when no cell changed), the references to shared
   * strings it adds, and whether it overwrote a formula.
   */
  sheetBytes(located: Located): { bytes: Buffer | undefined; stringsAdded: number; formulasOverwritten: boolean } {
    const result = { bytes: undefined as Buffer | undefined, stringsAdded: 0, formulasOverwritten: false };
    const splices: Array<{ start: number; end: number; text: string }> = [];
    const written = [...this.written].sort(([a], [b]) => a - b);
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
      result.stringsAdded += row.stringsAdded;
      if (row.formulasOverwritten) result.formulasOverwritten = true;
    }
    if (!splices.length) return result;
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
    result.bytes = Buffer.concat(out);
    return result;
  }
}
