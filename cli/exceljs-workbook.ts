// Reading an .xlsx file into exceljs for the workflows' adapter (xlsx-tables.adapter.ts): the file
// checked first (its limits, that it is a workbook), exceljs's data-validation parser patched to keep
// ranges, the formulas written without a computed value found, and a cell's value as the sheet layer
// sees it.
import ExcelJS from 'exceljs';
// The class exceljs itself uses (a static import, so a bundle of the tool patches its own copy).
import DataValidationsXformClass from 'exceljs/lib/xlsx/xform/sheet/data-validations-xform.js';
import JSZip from 'jszip';
import type { CellValue } from '../addin/sheets/tables';
import { notAWorkbook, workbookFileError } from './workbook-file';
import { readWorkbookFile } from './workbook-limits';
import { decode, letter } from './xlsx-cells';

interface DataValidationsXform {
  prototype: {
    parseClose(this: { _address: string; _dataValidation: object; model: Record<string, object> }, name: string): boolean;
  };
}

/**
 * exceljs reads a drop-down over a range (C2:C10000, as templates have them) into one entry per
 * cell, and merges them back into ranges on save: some 80,000 entries per template sheet, a second
 * on a push. Kept as the ranges they are instead: exceljs writes a range entry back as it is.
 */
function keepValidationRanges(): void {
  const xform = DataValidationsXformClass as DataValidationsXform;
  const parseClose = xform.prototype.parseClose;
  xform.prototype.parseClose = function (name) {
    const addresses = this._address.split(/\s+/).filter(Boolean);
    // Anything but plain cells and ranges (never seen) is left to exceljs.
    if (name !== 'dataValidation' || !addresses.every((a) => /^\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?$/i.test(a))) return parseClose.call(this, name);
    const validation = this._dataValidation as { formulae?: unknown[]; operator?: unknown };
    if (!validation.formulae?.length) {
      delete validation.formulae;
      delete validation.operator;
    }
    for (const address of addresses) {
      // As exceljs names a range when it writes it (C2:C10000: upper case, no $, top left first).
      const { top, left, bottom, right } = decode(address);
      const key = address.includes(':')
        ? `${letter(Math.min(left, right))}${Math.min(top, bottom)}:${letter(Math.max(left, right))}${Math.max(top, bottom)}`
        : `${letter(left)}${top}`;
      this.model[key] = validation;
    }
    return true;
  };
}
keepValidationRanges();

/**
 * The cells of each sheet (by sheet name) holding a formula without its computed value, as openpyxl
 * and other libraries write them (`<f>` and no `<v>`). exceljs reads them as blank; Excel computes
 * them when it opens the file. A formula whose text result is empty (`t="str"`, Excel's `=IF(…,"",…)`)
 * has been computed.
 */
async function uncomputedFormulas(zip: JSZip): Promise<Map<string, Set<string>>> {
  const found = new Map<string, Set<string>>();
  const [workbookXml, relsXml] = await Promise.all([zip.file('xl/workbook.xml')?.async('string'), zip.file('xl/_rels/workbook.xml.rels')?.async('string')]);
  if (!workbookXml || !relsXml) return found;
  const targets = new Map<string, string>();
  for (const [tag] of relsXml.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]*)"/.exec(tag)?.[1];
    const target = /\bTarget="([^"]*)"/.exec(tag)?.[1];
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  for (const [tag] of workbookXml.matchAll(/<sheet\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(tag)?.[1];
    const part = targets.get(/\s(?:\w+:)?id="([^"]*)"/.exec(tag)?.[1] ?? '');
    const xml = part ? await zip.file(part)?.async('string') : undefined;
    if (!name || !xml || !/<f[\s/>]/.test(xml)) continue;
    const cells = new Set<string>();
    for (const [, attributes, inner] of xml.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      if (!inner || !/<f[\s/>]/.test(inner) || /<v\b[^>]*>[^<]/.test(inner) || /\bt="(str|inlineStr)"/.test(attributes)) continue;
      const address = /\br="([A-Z]+\d+)"/.exec(attributes)?.[1];
      if (address) cells.add(address);
    }
    if (cells.size) found.set(unescapeXml(name), cells);
  }
  return found;
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

/**
 * A sheet's cells holding an ISO 8601 date (t="d": openpyxl writes dates so with iso_dates, Excel in
 * its strict format) as the serial number Excel otherwise stores, in the workbook's calendar: exceljs
 * reads their text as a number (2027-02-10 as 2027, a day of 1905). A date without a time zone is
 * the day and time written; text that is no date is left to exceljs.
 */
export function isoDatesAsSerials(xml: string, date1904: boolean): string {
  if (!xml.includes(' t="d"')) return xml;
  return xml.replace(/<c\b([^>]*?) t="d"([^>]*?)(?<!\/)>([\s\S]*?)<\/c>/g, (cell: string, before: string, after: string, inner: string) => {
    const v = /<v>([^<]*)<\/v>/.exec(inner);
    if (!v) return `<c${before}${after}>${inner}</c>`;
    const text = v[1].trim();
    const ms = Date.parse(/T.*(Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T') ? text : `${text}Z`);
    if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(ms)) return cell;
    const serial = 25569 + ms / 86_400_000 - (date1904 ? 1462 : 0);
    return `<c${before}${after}>${inner.replace(v[0], `<v>${serial}</v>`)}</c>`;
  });
}

/**
 * A file's bytes as exceljs's load() declares them (an ArrayBuffer; it hands them to JSZip, which
 * takes either): the Buffer's own memory when it spans all of it (a file read whole), else a copy.
 */
function arrayBufferOf(bytes: Buffer): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength ? buffer : new Uint8Array(bytes).buffer;
}

/**
 * Reads an .xlsx file into exceljs. Relationship targets written as absolute
 * part names (openpyxl writes /xl/tables/table1.xml) are made relative first:
 * exceljs looks tables up by the relative form only and fails on the other.
 * A file that is not an .xlsx workbook is refused with what it is (WorkbookFileError).
 */
export async function loadWorkbook(file: string): Promise<ExcelJS.Workbook> {
  return (await readWorkbook(file)).workbook;
}

export async function readWorkbook(file: string): Promise<{ workbook: ExcelJS.Workbook; uncomputed: Map<string, Set<string>> }> {
  // Refused past the limits (a zip bomb, a DTD, a part named out of the workbook's folders) before jszip inflates anything.
  const { buffer } = await readWorkbookFile(file);
  const problem = await notAWorkbook(buffer);
  if (problem) throw workbookFileError(file, problem);
  const zip = await JSZip.loadAsync(buffer).catch(() => {
    throw workbookFileError(
      file,
      'a damaged or incomplete zip archive (cut short by a download or a copy?), not a workbook this tool can read: open it in Excel and save it again as "Excel Workbook (.xlsx)"',
    );
  });
  if (!zip.file('xl/workbook.xml')) throw workbookFileError(file, 'a zip archive that holds no Excel workbook (no xl/workbook.xml in it)');
  let changed = false;
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/_rels\/[^/]+\.rels$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const fixed = xml.replace(/Target="\/xl\/([^"]+)"/g, 'Target="../$1"');
    if (fixed !== xml) {
      zip.file(name, fixed);
      changed = true;
    }
  }
  const date1904 = /<workbookPr\b[^>]*\bdate1904="(1|true)"/.test((await zip.file('xl/workbook.xml')!.async('string')) ?? '');
  for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    const fixed = isoDatesAsSerials(xml, date1904);
    if (fixed !== xml) {
      zip.file(name, fixed);
      changed = true;
    }
  }
  const workbook = new ExcelJS.Workbook();
  // A part exceljs cannot parse (malformed XML): the file named, as every refusal names it, not the parser's line and column alone.
  await workbook.xlsx.load(arrayBufferOf(changed ? await zip.generateAsync({ type: 'nodebuffer' }) : buffer)).catch((error: unknown) => {
    throw workbookFileError(
      file,
      `a workbook whose XML this tool cannot read (${error instanceof Error ? error.message.trim().replace(/\.$/, '') : String(error)}): open it in Excel and save it again as "Excel Workbook (.xlsx)"`,
    );
  });
  return { workbook, uncomputed: await uncomputedFormulas(zip) };
}

export function cellValue(cell: ExcelJS.Cell): CellValue {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value as CellValue;
  // A formula's cached result (cell.result: exceljs's value object leaves out a result of 0, '' or false).
  if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
    const result = cell.result as unknown;
    return result === undefined || (typeof result === 'object' && result !== null && !(result instanceof Date)) ? null : (result as CellValue);
  }
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return String(value);
}
