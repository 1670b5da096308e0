// A CSV file of a table's columns, as Excel and other programs save one: UTF-8 with or without a
// byte order mark (or Windows-1252, Excel's plain "CSV"), comma, semicolon (where the decimal
// separator is a comma) or tab between fields, quoted fields holding delimiters, quotes and line
// breaks, CRLF or LF line ends. Parsed by csv-parse; values stay text, as typed.
import { CsvError, parse } from 'csv-parse/sync';
import { WorkbookFileError } from './workbook-file';

/** The text of a CSV file: UTF-8 when it is valid UTF-8 (a byte order mark dropped), else Windows-1252. */
export function csvText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buffer);
  } catch {
    return new TextDecoder('windows-1252').decode(buffer);
  }
}

/** The delimiter of the header line: whichever of , ; and tab it has most of outside quotes (a comma when none). */
export function csvDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** The records of a CSV file, each a row of text fields; a malformed file is refused naming its line. */
export function readCsv(buffer: Buffer, file: string): string[][] {
  // A workbook saved under a .csv name (an .xlsx renamed, an .xls) is not read as text.
  if (buffer.length >= 4 && (buffer.readUInt32LE(0) === 0x04034b50 || buffer.readUInt32BE(0) === 0xd0cf11e0))
    throw new WorkbookFileError(
      `${file}: a ${buffer[0] === 0x50 ? 'zip archive (an .xlsx or .ods workbook?)' : 'workbook in the Excel 97-2003 format (.xls)'} with a .csv name, not a CSV file: give it its real extension (.xlsx), or open it in Excel and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8". Nothing was sent.`,
    );
  let text = csvText(buffer).replace(/^\ufeff/, '');
  // Excel's "sep=;" first line names the delimiter (and Excel shows the file without it).
  const sep = /^sep=(.)\r?\n/i.exec(text);
  if (sep) text = text.slice(sep[0].length);
  try {
    const records = parse(text, { delimiter: sep?.[1] ?? csvDelimiter(text), relax_column_count: true, skip_empty_lines: false }) as string[][];
    // A line break inside a quoted field is one in the cell, as Excel has it.
    return records.map((fields) => fields.map((field) => field.replace(/\r\n?/g, '\n')));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new WorkbookFileError(
      `${file}: not a CSV file this tool can read (line ${(error as CsvError & { lines?: number }).lines ?? '?'}: ${error.message.replace(/^Invalid [^:]*: /, '').replace(/ at line \d+/, '')}): open it in Excel and save it as "Excel Workbook (.xlsx)" or "CSV UTF-8". Nothing was sent.`,
    );
  }
}
