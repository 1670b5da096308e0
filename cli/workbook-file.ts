// What a file given as a workbook really is, when it is not an .xlsx workbook: a message naming what
// was found and what to do, instead of the zip library's "Can't find end of central directory".
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ZipArchive } from './zip-archive';

/** The file cannot be read as it is; nothing was sent. The command exits with code 2. */
export class WorkbookFileError extends Error {}

const SAVE_AS = 'open it in Excel and save it as "Excel Workbook (.xlsx)"';

export function isCsvFile(file: string): boolean {
  return path.extname(file).toLowerCase() === '.csv';
}

/** The problem with a file that is not a zip archive, or undefined when it is one. */
export function notZip(buffer: Buffer): string | undefined {
  if (buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50) return undefined;
  if (buffer.length >= 4 && buffer.readUInt32LE(0) === 0x06054b50) return 'an empty zip archive, not an Excel workbook';
  if (buffer.length === 0) return 'an empty file (0 bytes), not an Excel workbook';
  if (buffer.length >= 8 && buffer.readUInt32BE(0) === 0xd0cf11e0 && buffer.readUInt32BE(4) === 0xa1b11ae1) {
    // An OLE2 compound file: Excel 97-2003, or a password-protected .xlsx (its package encrypted inside one).
    if (buffer.includes(Buffer.from('EncryptedPackage', 'utf16le')))
      return 'a password-protected workbook: remove its password in Excel (File, Info, Protect Workbook), save it, then try again';
    return `an Excel 97-2003 workbook (.xls), a format this tool does not read: ${SAVE_AS}`;
  }
  const head = buffer.subarray(0, 512).toString('latin1');
  if (head.startsWith('%PDF')) return 'a PDF document, not an Excel workbook';
  if (/^\s*(<!doctype html|<html|<table)/i.test(head)) return `a web page (HTML) with a spreadsheet's name, not an Excel workbook: ${SAVE_AS}`;
  if (/^\s*<\?xml/.test(head) && head.includes('urn:schemas-microsoft-com:office:spreadsheet'))
    return `an Excel 2003 XML spreadsheet, a format this tool does not read: ${SAVE_AS}`;
  // Text (no control characters but tabs and line ends): a CSV or text export saved under another name.
  if (![...buffer.subarray(0, 512)].some((byte) => byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d))
    return `a text file (CSV or tab-separated?), not an Excel workbook: name it .csv to push it as CSV, or ${SAVE_AS}`;
  return `not an Excel workbook (nor any file this tool reads): ${SAVE_AS}`;
}

/** The problem with a zip archive that is not an .xlsx workbook, or undefined when it is one (or cannot be looked into here). */
async function notWorkbookZip(zip: ZipArchive): Promise<string | undefined> {
  const names = zip.names;
  if (names.includes('mimetype')) {
    const mimetype = (await zip.text('mimetype'))?.trim() ?? '';
    if (mimetype === 'application/vnd.oasis.opendocument.spreadsheet')
      return 'an OpenDocument spreadsheet (.ods), a format this tool does not read: open it in LibreOffice Calc or Excel and save it as "Excel 2007-365 (.xlsx)" / "Excel Workbook (.xlsx)"';
    if (mimetype.startsWith('application/vnd.oasis.opendocument.')) return `an OpenDocument file (${mimetype.split('.').pop()}), not a spreadsheet`;
  }
  if (names.includes('xl/workbook.bin')) return `an Excel Binary Workbook (.xlsb), a format this tool does not read: ${SAVE_AS}`;
  if (!names.includes('xl/workbook.xml')) {
    if (names.includes('word/document.xml')) return 'a Word document, not an Excel workbook';
    if (names.some((n) => n.startsWith('ppt/'))) return 'a PowerPoint presentation, not an Excel workbook';
    return 'a zip archive that holds no Excel workbook (no xl/workbook.xml in it)';
  }
  const types = (await zip.text('[Content_Types].xml')) ?? '';
  if (/macroEnabled\.main\+xml/i.test(types))
    return `a macro-enabled workbook (.xlsm): its macros would be lost when results are written back, so it is not read: ${SAVE_AS} (a copy without the macros) and use that`;
  return undefined;
}

/**
 * Why the file is not an .xlsx workbook this tool reads, or undefined when it is one. `zip` is the
 * archive already opened from `buffer`, when the caller has it.
 */
export async function notAWorkbook(buffer: Buffer, zip?: ZipArchive | null): Promise<string | undefined> {
  const problem = notZip(buffer);
  if (problem) return problem;
  const archive = zip ?? ZipArchive.open(buffer);
  // Archives this reader leaves out (ZIP64, encrypted entries) are left to the zip library.
  return archive ? notWorkbookZip(archive) : undefined;
}

export function workbookFileError(file: string, problem: string): WorkbookFileError {
  return new WorkbookFileError(`${file}: ${problem}. Nothing was read or sent.`);
}

/**
 * Refuses a file whose first bytes already show it is no .xlsx workbook (an .xls, a text or PDF
 * file…) before the server is looked for; a zip is looked into when it is opened. A .csv, and a file
 * that is not there, are left to the command.
 */
export async function checkFileStart(file: string): Promise<void> {
  if (isCsvFile(file)) return;
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let problem = notZip(head.subarray(0, bytesRead));
    // An OLE2 file says whether it is an .xls or an encrypted workbook further in.
    if (problem && head.readUInt32BE(0) === 0xd0cf11e0) problem = notZip(await readFile(file));
    if (problem) throw workbookFileError(file, problem);
  } finally {
    await handle.close();
  }
}
