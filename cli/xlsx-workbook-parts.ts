// The workbook-wide parts the push reads values through and adds to: the styles (number formats,
// so that dates read as exceljs reads them, and the pink fill of failed rows) and the shared strings.
import { PINK } from './xlsx-cells';
import { attribute, attributesOf, escapeXml, isDateFormat, stringItem, Unsupported, withAttribute } from './xlsx-xml';

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

/** The styles part: number formats and fills of its cell formats, and the formats the push adds. */
export class Styles {
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
export class SharedStrings {
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
