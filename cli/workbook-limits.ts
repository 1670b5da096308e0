// What the sheet tool reads of a workbook is bounded before either reader (the push's own zip reader,
// exceljs) looks at it: a workbook is a zip archive whose parts may claim anything, so each part is
// inflated here with the bytes still allowed as its ceiling (the sizes the archive declares are only a
// first check), and refused when it would expand past the limit, carries a DTD (entities that expand,
// or that the readers do not know), names a part outside the workbook's folders, or holds a sheet with
// more rows than a push is allowed. Every refusal is a WorkbookFileError: the file named, exit code 2.
import { readFile, stat } from 'node:fs/promises';
import zlib from 'node:zlib';
import { HEADER_SEARCH_ROWS } from '../addin/sheets/tables';
import { notZip, workbookFileError, type WorkbookFileError } from './workbook-file';

export const MAX_UNCOMPRESSED_ENV = 'STEMLINE_SHEET_MAX_MB';
export const MAX_ROWS_ENV = 'STEMLINE_SHEET_MAX_ROWS';
const DEFAULT_MAX_MB = 200;
const DEFAULT_MAX_ROWS = 100_000;

export interface WorkbookLimits {
  /** Bytes all the parts of a workbook may expand to, together. */
  maxBytes: number;
  /** Data rows a table may have (a sheet: that many plus the rows above its header). */
  maxRows: number;
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${value}"`);
  return n;
}

/** The limits, from STEMLINE_SHEET_MAX_MB and STEMLINE_SHEET_MAX_ROWS when set. */
export function workbookLimits(env: NodeJS.ProcessEnv = process.env): WorkbookLimits {
  const mb = positive(env[MAX_UNCOMPRESSED_ENV], MAX_UNCOMPRESSED_ENV) ?? DEFAULT_MAX_MB;
  const rows = positive(env[MAX_ROWS_ENV], MAX_ROWS_ENV) ?? DEFAULT_MAX_ROWS;
  return { maxBytes: Math.floor(mb * 1024 * 1024), maxRows: Math.floor(rows) };
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
const count = (n: number) => n.toLocaleString('en-US');

/** Why a part name is no name of a workbook's part (leading out of the archive's folder, or absolute), or undefined. */
function badName(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\\]/.test(name)) return 'control characters or backslashes';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'an absolute path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return "a path leading out of the workbook's folders";
  return undefined;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  local: number;
}

/** The central directory's entries, or a problem with it. */
function directory(buffer: Buffer): Entry[] | string {
  let end = -1;
  for (let at = buffer.length - 22; at >= Math.max(0, buffer.length - 22 - 0xffff); at--)
    if (buffer.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  const damaged =
    'a damaged or incomplete zip archive (cut short by a download or a copy?), not a workbook this tool can read: open it in Excel and save it again as "Excel Workbook (.xlsx)"';
  if (end < 0) return damaged;
  const total = buffer.readUInt16LE(end + 10);
  const offset = buffer.readUInt32LE(end + 16);
  const zip64 = 'a ZIP64 archive, which this tool does not read: open it in Excel and save it again as "Excel Workbook (.xlsx)"';
  if (total === 0xffff || offset === 0xffffffff) return zip64;
  const entries: Entry[] = [];
  let at = offset;
  for (let i = 0; i < total; i++) {
    if (at + 46 > buffer.length || buffer.readUInt32LE(at) !== 0x02014b50) return damaged;
    const flags = buffer.readUInt16LE(at + 8);
    const nameLength = buffer.readUInt16LE(at + 28);
    if (at + 46 + nameLength > buffer.length) return damaged;
    const entry: Entry = {
      name: buffer.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength),
      method: buffer.readUInt16LE(at + 10),
      flags,
      compressedSize: buffer.readUInt32LE(at + 20),
      size: buffer.readUInt32LE(at + 24),
      local: buffer.readUInt32LE(at + 42),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.local === 0xffffffff) return zip64;
    entries.push(entry);
    at += 46 + nameLength + buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
  }
  return entries;
}

/** A part inflated with `ceiling` bytes as the most it may give; null past that. */
async function inflate(data: Buffer, method: number, ceiling: number): Promise<Buffer | null> {
  if (method === 0) return data.length > ceiling ? null : data;
  if (ceiling <= 0) return null;
  return new Promise((resolve, reject) =>
    zlib.inflateRaw(data, { maxOutputLength: ceiling, chunkSize: 64 * 1024 }, (error, result) => {
      if (!error) resolve(result);
      else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') resolve(null);
      else reject(error);
    }),
  );
}

// As XML spells it (UTF-8 or UTF-16), and in lower case, which no parser should take either.
const DOCTYPES = [Buffer.from('<!DOCTYPE'), Buffer.from('<!doctype'), Buffer.from('<!DOCTYPE', 'utf16le'), Buffer.from('<!DOCTYPE', 'utf16le').swap16()];

const ROW = Buffer.from('<row');

/** The rows (<row> elements) of a worksheet's XML; a namespace prefix (<x:row>) counted too. */
function rowCount(xml: Buffer): number {
  let n = 0;
  for (let at = xml.indexOf(ROW); at >= 0; at = xml.indexOf(ROW, at + 4)) {
    const next = xml[at + 4];
    if (next === 0x20 || next === 0x3e || next === 0x2f || next === 0x09 || next === 0x0a || next === 0x0d) n++;
  }
  if (n === 0 && xml.includes(':row')) {
    const row = /<[A-Za-z_][\w.-]*:row[\s/>]/g;
    const text = xml.toString('latin1');
    while (row.exec(text)) n++;
  }
  return n;
}

/**
 * Refuses (WorkbookFileError) a workbook, read as `buffer`, that is past the limits or carries what the
 * readers must not see; when it may be read, its XML parts as they inflated (by name). Archives that are not workbooks at all are left
 * to workbook-file.ts, which says what they are.
 */
export async function checkWorkbookArchive(file: string, buffer: Buffer, limits = workbookLimits()): Promise<Map<string, Buffer>> {
  const refuse = (problem: string): WorkbookFileError => workbookFileError(file, problem);
  if (buffer.length > limits.maxBytes)
    throw refuse(`a file of ${megabytes(buffer.length)}, more than the ${megabytes(limits.maxBytes)} this tool reads (${MAX_UNCOMPRESSED_ENV} sets the limit)`);
  const entries = directory(buffer);
  if (typeof entries === 'string') throw refuse(entries);
  for (const entry of entries) {
    const why = badName(entry.name);
    if (why) throw refuse(`a part named "${entry.name}" in its zip archive (${why}), which no Excel workbook has: open it in Excel and save it again`);
  }
  const limit = `more than the ${megabytes(limits.maxBytes)} this tool reads (${MAX_UNCOMPRESSED_ENV} sets the limit)`;
  const advice = 'a workbook built to exhaust memory, or one to split into smaller files';
  const declared = entries.reduce((sum, e) => sum + e.size, 0);
  if (declared > limits.maxBytes) throw refuse(`its parts would expand to ${megabytes(declared)} (as its zip directory declares), ${limit}: ${advice}`);
  let left = limits.maxBytes;
  const inflated = new Map<string, Buffer>();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    if (entry.flags & 1) throw refuse('a workbook with encrypted parts: remove its password in Excel, save it, then try again');
    if (entry.method !== 0 && entry.method !== 8)
      throw refuse(
        `a zip archive compressed in a way this tool does not read (method ${entry.method}): open it in Excel and save it again as "Excel Workbook (.xlsx)"`,
      );
    if (entry.local + 30 > buffer.length || buffer.readUInt32LE(entry.local) !== 0x04034b50)
      throw refuse('a damaged or incomplete zip archive (cut short by a download or a copy?): open it in Excel and save it again as "Excel Workbook (.xlsx)"');
    const start = entry.local + 30 + buffer.readUInt16LE(entry.local + 26) + buffer.readUInt16LE(entry.local + 28);
    const data = buffer.subarray(start, Math.min(buffer.length, start + entry.compressedSize));
    const part = await inflate(data, entry.method, left).catch(() => {
      throw refuse(`a damaged part (${entry.name}) in its zip archive: open it in Excel and save it again as "Excel Workbook (.xlsx)"`);
    });
    if (!part) throw refuse(`its parts expand to ${limit}, though its zip directory declares ${megabytes(declared)}: ${advice}`);
    left -= part.length;
    if (!/\.(xml|rels|vml)$/i.test(entry.name)) continue;
    // The first part of a name, as a reader that looks parts up by name finds it.
    if (!inflated.has(entry.name)) inflated.set(entry.name, part);
    if (DOCTYPES.some((doctype) => part.includes(doctype)))
      throw refuse(
        `a document type declaration (<!DOCTYPE) in ${entry.name}, which Excel never writes (its entities could expand without bound): open it in Excel and save it again`,
      );
    if (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.name)) {
      const rows = rowCount(part);
      if (rows > limits.maxRows + HEADER_SEARCH_ROWS)
        throw refuse(
          `a sheet (${entry.name}) of ${count(rows)} rows, more than the ${count(limits.maxRows)} rows a table may have (${MAX_ROWS_ENV} sets the limit): split the file into workbooks of at most ${count(limits.maxRows)} rows each`,
        );
    }
  }
  return inflated;
}

/** Refuses a table with more data rows than the limit, with what to do. */
export function checkTableRows(file: string, table: string, rows: number, limits = workbookLimits()): void {
  if (rows > limits.maxRows)
    throw workbookFileError(
      file,
      `its ${table} table has ${count(rows)} rows, more than the ${count(limits.maxRows)} this tool reads at once (${MAX_ROWS_ENV} sets the limit): split the file into workbooks of at most ${count(limits.maxRows)} rows each`,
    );
}

/** Refuses a file larger than the limit before it is read into memory. */
export async function checkFileSize(file: string, limits = workbookLimits()): Promise<void> {
  const size = await stat(file).then(
    (s) => s.size,
    () => 0,
  );
  if (size > limits.maxBytes)
    throw workbookFileError(
      file,
      `a file of ${megabytes(size)}, more than the ${megabytes(limits.maxBytes)} this tool reads (${MAX_UNCOMPRESSED_ENV} sets the limit)`,
    );
}

/**
 * A workbook file's bytes, once it is known to be within the limits (checkWorkbookArchive), and its XML
 * parts as inflated then (a reader need not inflate them again); a file that is no zip archive is refused
 * saying what it is (workbook-file.ts).
 */
export async function readWorkbookFile(file: string, limits = workbookLimits()): Promise<{ buffer: Buffer; inflated: Map<string, Buffer> }> {
  await checkFileSize(file, limits);
  const buffer = await readFile(file);
  const problem = notZip(buffer);
  if (problem) throw workbookFileError(file, problem);
  return { buffer, inflated: await checkWorkbookArchive(file, buffer, limits) };
}
