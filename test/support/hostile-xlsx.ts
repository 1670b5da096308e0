// Workbooks built at run time for the sheet tool's limits: zip archives written part by part (so a
// part's declared size can lie), parts that inflate to far more than they weigh, and a Prebooks
// sheet of any number of rows. Small on disk: nothing big is ever committed.
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { allColumns } from '../../addin/sheets/tables';

export interface Part {
  name: string;
  /** The part's bytes as stored (deflated unless `stored`). */
  data: Buffer;
  crc: number;
  /** Its size once inflated, as the archive declares it (a bomb may lie). */
  size: number;
  stored?: boolean;
}

export function deflatedPart(name: string, content: string | Buffer): Part {
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, data: zlib.deflateRawSync(raw), crc: zlib.crc32(raw), size: raw.length };
}

/**
 * A part of `bytes` bytes (a head, then `fill` repeated), deflated chunk by chunk so that the
 * whole is never in memory: a gigabyte weighs about a megabyte.
 */
export async function bombPart(name: string, bytes: number, head = '', fill = ' '): Promise<Part> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  let crc = 0;
  const write = async (chunk: Buffer) => {
    crc = zlib.crc32(chunk, crc);
    if (!deflate.write(chunk)) await new Promise((resolve) => deflate.once('drain', resolve));
  };
  const first = Buffer.from(head, 'utf8');
  await write(first);
  const block = Buffer.alloc(1024 * 1024, fill);
  let left = bytes - first.length;
  while (left > 0) {
    const chunk = left >= block.length ? block : block.subarray(0, left);
    await write(chunk);
    left -= chunk.length;
  }
  deflate.end();
  await done;
  return { name, data: Buffer.concat(out), crc, size: bytes };
}

/** A zip archive of the parts, in order, as the parts declare themselves. */
export function zipArchive(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const method = part.stored ? 0 : 8;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(part.crc >>> 0, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(part.crc >>> 0, 16);
    header.writeUInt32LE(part.data.length, 20);
    header.writeUInt32LE(part.size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    central.push(header, name);
    offset += 30 + name.length + part.data.length;
  }
  const size = central.reduce((sum, b) => sum + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

/** The parts of an empty Prebooks workbook (every column, hidden ones too) as exceljs writes it, by name. */
export async function prebooksWorkbookParts(): Promise<Map<string, string>> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Prebooks').addRow(allColumns('Prebooks'));
  const zip = await JSZip.loadAsync(Buffer.from(await workbook.xlsx.writeBuffer()));
  const parts = new Map<string, string>();
  for (const [name, file] of Object.entries(zip.files)) if (!file.dir) parts.set(name, await file.async('string'));
  return parts;
}

export const SHEET_PART = 'xl/worksheets/sheet1.xml';

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(ref: string, value: string | number | null): string {
  if (value === null) return '';
  return typeof value === 'number' ? `<c r="${ref}"><v>${value}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${escapeXml(value)}</t></is></c>`;
}

function columnLetter(n: number): string {
  let s = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * The Prebooks sheet's XML with `rows` data rows under the header, made by `row(i)` (values by column
 * name), written straight as XML: a million rows take seconds, not exceljs's minutes.
 */
export function prebooksSheetXml(template: string, rows: number, row: (i: number) => Record<string, string | number>): string {
  const columns = allColumns('Prebooks');
  const lines: string[] = [`<row r="1">${columns.map((c, j) => cell(`${columnLetter(j + 1)}1`, c)).join('')}</row>`];
  for (let i = 0; i < rows; i++) {
    const values = row(i);
    const r = i + 2;
    lines.push(`<row r="${r}">${columns.map((c, j) => cell(`${columnLetter(j + 1)}${r}`, values[c] ?? null)).join('')}</row>`);
  }
  return template
    .replace(/<dimension ref="[^"]*"\/>/, `<dimension ref="A1:${columnLetter(columns.length)}${rows + 1}"/>`)
    .replace(/<sheetData>[\s\S]*<\/sheetData>|<sheetData\/>/, `<sheetData>${lines.join('')}</sheetData>`);
}

/** A Prebooks workbook whose parts are `parts` with some replaced or added (deflated as they are). */
export function workbookOf(parts: Map<string, string>, changes: Record<string, string> = {}, extra: Part[] = []): Buffer {
  const all = new Map(parts);
  for (const [name, text] of Object.entries(changes)) all.set(name, text);
  return zipArchive([...[...all].map(([name, text]) => deflatedPart(name, text)), ...extra]);
}

/** Row i of a large Prebooks sheet: ten lines a prebook, every value valid. */
export function manyLinesRow(i: number): Record<string, string | number> {
  return {
    Ref: String(Math.floor(i / 10) + 1),
    Customer: 'FRESHMART',
    'Ship To': 'DC-ATL',
    Carrier: 'ARMELLINI',
    'Truck Date': '2027-02-10',
    'Customer PO': `PO-${Math.floor(i / 10) + 1}`,
    Product: 'ROSE-FREEDOM-50',
    Boxes: 4,
    'Units/Box': 100,
    Price: 2,
    Cost: 1,
  };
}
