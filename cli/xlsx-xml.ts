// The XML text of an .xlsx part as the push's reader and patcher handle it, without a parser:
// attributes read and set in start tags, text unescaped and escaped as exceljs does, the
// relationships between parts, and Excel's date serials.
import path from 'node:path/posix';

/** Thrown where the push's reader does not read a workbook exactly as exceljs does: it opens as null, and exceljs reads it. */
export class Unsupported extends Error {}

/** A string as one sequential run of characters: JSON's round trip copies it whole (lone surrogates included). */
export function flat(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

export function attributesOf(tag: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) result[m[1]] = unescapeXml(m[2] ?? m[3]);
  return result;
}

const attributePatterns = new Map<string, RegExp>();

export function attribute(tag: string, name: string): string | undefined {
  let re = attributePatterns.get(name);
  if (!re) attributePatterns.set(name, (re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(tag);
  return m ? unescapeXml(m[1] ?? m[2]) : undefined;
}

/** attribute() for the attributes of cells and rows, read 100,000 times a push: double quotes as every writer uses, else attribute(). */
export function quickAttribute(attributes: string, name: string): string | undefined {
  if (attributes.includes("'") || attributes.includes('&')) return attribute(attributes, name);
  const at = attributes.indexOf(` ${name}="`);
  if (at < 0) return undefined;
  const from = at + name.length + 3;
  return attributes.slice(from, attributes.indexOf('"', from));
}

/** The column number of a cell address (A1 -> 1). */
export function columnOf(address: string): number {
  return columnAt(address, 0);
}

/** The column number of the cell address at a position of a text. */
export function columnAt(text: string, at: number): number {
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
export function withAttribute(tag: string, name: string, value: string | undefined): string {
  let re = withAttributePatterns.get(name);
  if (!re) withAttributePatterns.set(name, (re = new RegExp(`\\s${name}\\s*=\\s*(?:"[^"]*"|'[^']*')`)));
  const without = tag.replace(re, '');
  if (value === undefined) return without;
  const end = without.endsWith('/>') ? without.length - 2 : without.length - 1;
  return `${without.slice(0, end)} ${name}="${escapeXml(value)}"${without.slice(end)}`;
}

/** Text as an XML parser gives it: line ends normalized, entities and character references decoded. */
export function unescapeXml(text: string): string {
  if (!text.includes('&') && !text.includes('\r')) return text;
  return text.replace(/\r\n?/g, '\n').replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity[0] === '#') return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity]!;
  });
}

/** exceljs's second decoding of str values (utils.xmlDecode). */
export function exceljsXmlDecode(text: string): string {
  return text.replace(/&([a-z]*);/g, (c) => ({ '&lt;': '<', '&gt;': '>', '&amp;': '&', '&apos;': "'", '&quot;': '"' })[c] ?? c);
}

export function escapeXml(text: string): string {
  // As exceljs writes text: characters XML 1.0 cannot hold are dropped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]/g, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The text of a <t> element, with Excel's _xHHHH_ escapes decoded as exceljs does (shared strings and rich text runs). */
export function runText(xml: string): string {
  return unescapeXml(xml).replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The string of an <si> (shared string) or <is> (inline string with runs): its text, or its rich text runs joined. */
export function stringItem(xml: string): string {
  if (xml.includes('<![CDATA[')) throw new Unsupported('CDATA');
  const body = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  const texts = (source: string) => [...source.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)].map((m) => runText(m[1] ?? ''));
  if (/<r\b/.test(body)) return [...body.matchAll(/<r\b[^>]*>([\s\S]*?)<\/r>/g)].map((m) => texts(m[1]).join('')).join('');
  const direct = texts(body);
  if (!direct.length) throw new Unsupported('a shared string with no text');
  return direct[direct.length - 1];
}

/** exceljs utils.isDateFmt. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhMsb]+/.test(format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** exceljs utils.excelToDate. */
export function excelToDate(serial: number, date1904: boolean): Date {
  return new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 24 * 3600 * 1000));
}

export function dateToExcel(date: Date, date1904: boolean): number {
  return 25569 + date.getTime() / (24 * 3600 * 1000) - (date1904 ? 1462 : 0);
}

/** The part a relationship points at, from the part whose relationships they are. */
function target(from: string, to: string): string {
  return to.startsWith('/') ? to.slice(1) : path.normalize(path.join(path.dirname(from), to));
}

export function relsOf(part: string): string {
  return `${path.dirname(part)}/_rels/${path.basename(part)}.rels`;
}

export function relationships(xml: string | undefined, from: string): Array<{ id: string; type: string; target: string; xml: string }> {
  return [...(xml ?? '').matchAll(/<Relationship\b[^>]*>/g)].map((m) => {
    const a = attributesOf(m[0]);
    return { id: a.Id, type: a.Type ?? '', target: a.TargetMode === 'External' ? '' : target(from, a.Target ?? ''), xml: m[0] };
  });
}
