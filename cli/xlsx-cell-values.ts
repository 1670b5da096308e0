// A cell's value as the exceljs adapter reads it (exceljs's cell model, then its cellValue), read
// straight from the sheet's XML: shared and inline strings, numbers, booleans, errors, cached
// formula results, numbers as dates under a date format. What it cannot read so throws Unsupported.
import type { CellValue } from '../addin/sheets/tables';
import { formulaOf, type CellInfo, type RowInfo, type SheetCells } from './xlsx-sheet-data';
import type { SharedStrings, Styles } from './xlsx-workbook-parts';
import { excelToDate, exceljsXmlDecode, stringItem, unescapeXml, Unsupported } from './xlsx-xml';

export class CellValues {
  constructor(
    private readonly styles: Styles,
    private readonly sharedStrings: SharedStrings | undefined,
    private readonly date1904: boolean,
  ) {}

  /** Whether exceljs gives the cell a value (text in its <v>, or in its inline string). */
  hasValue(cell: CellInfo): boolean {
    return !!cell.inner && (/<v\b[^>]*>[^<]/.test(cell.inner) || /<is\b[\s\S]*<t\b[^>]*>[^<]/.test(cell.inner));
  }

  /** A header cell's value as exceljs's Row.values holds it, as text: only plain values can name a column there. */
  rawValueText(cell: CellInfo): string | undefined {
    const richShared = cell.t === 's' && this.sharedStrings?.rich.has(parseInt(/<v>(\d+)<\/v>/.exec(cell.inner ?? '')?.[1] ?? '-1', 10));
    if (formulaOf(cell.inner).formula || (cell.inner && /<r\b/.test(cell.inner)) || richShared) return undefined;
    const value = this.valueOf(cell);
    return value === null || value === undefined ? undefined : String(value).trim();
  }

  /** A row's values in columns left..right (null where it has no cell); null when the sheet has no such row. */
  cellsOf(row: RowInfo | undefined, left: number, right: number): CellValue[] | null {
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
  valueOf(cell: CellInfo): CellValue {
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
}
