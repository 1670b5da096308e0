// stemline-sheet on files that are not the .xlsx workbooks it makes: other formats refused with what
// they are and what to do (exit 2), CSV files pushed with their results in a workbook beside them,
// hand-made sheets (header lower down, only the columns a buyer types in) and formulas that were never computed.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { allColumns, TABLE_COLUMNS, WRITTEN_COLUMNS } from '../../addin/sheets/tables';
import { resultsPathFor } from '../../cli/results-workbook';
import { main } from '../../cli/stemline-sheet';
import { XlsxPushTables } from '../../cli/xlsx-push-tables.adapter';
import { countRows, type TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { readSheet } from '../support/xlsx';

const INPUT_COLUMNS = TABLE_COLUMNS.Prebooks.filter((c) => !WRITTEN_COLUMNS.Prebooks.includes(c));
const ROW = {
  Ref: '1',
  Customer: 'FRESHMART',
  'Ship To': 'DC-ATL',
  Carrier: 'ARMELLINI',
  'Truck Date': '2027-02-10',
  Product: 'ROSE-FREEDOM-50',
  Boxes: '4',
  'Units/Box': '100',
  Price: '2',
  Cost: '1',
};

const sha = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

describe('stemline-sheet on other files than its own workbooks', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  let errors: string[];
  let lines: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-files-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));
  const capture = () => {
    errors = [];
    lines = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  };
  afterEach(() => vi.restoreAllMocks());

  async function zipOf(parts: Record<string, string>): Promise<Buffer> {
    const zip = new JSZip();
    for (const [name, text] of Object.entries(parts)) zip.file(name, text);
    return zip.generateAsync({ type: 'nodebuffer' });
  }

  /** An .xlsx whose [Content_Types].xml says it is macro-enabled, with a vbaProject.bin as Excel has it. */
  async function xlsm(): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Prebooks').addRow([...TABLE_COLUMNS.Prebooks]);
    const zip = await JSZip.loadAsync(Buffer.from(await workbook.xlsx.writeBuffer()));
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file(
      '[Content_Types].xml',
      types.replace('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml'),
    );
    zip.file('xl/vbaProject.bin', 'macros');
    return zip.generateAsync({ type: 'nodebuffer' });
  }

  const cfb = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
  const files: Array<[string, string, () => Promise<Buffer> | Buffer, RegExp]> = [
    ['an .xls workbook', 'orders.xls', () => cfb, /an Excel 97-2003 workbook \(\.xls\).*save it as "Excel Workbook \(\.xlsx\)"/],
    ['a password-protected .xlsx', 'locked.xlsx', () => Buffer.concat([cfb, Buffer.from('EncryptedPackage', 'utf16le')]), /password-protected workbook/],
    [
      'an .ods spreadsheet',
      'orders.ods',
      () => zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<office:document-content/>' }),
      /an OpenDocument spreadsheet \(\.ods\).*"Excel Workbook \(\.xlsx\)"/,
    ],
    ['a file that is no zip archive', 'orders.xlsx', () => Buffer.from([0, 1, 2, 3, 255, 254, 7, 8, 9]), /not an Excel workbook.*"Excel Workbook \(\.xlsx\)"/],
    ['a text file named .xlsx', 'text.xlsx', () => Buffer.from('Ref,Customer\n1,FRESHMART\n'), /a text file \(CSV or tab-separated\?\).*name it \.csv/],
    ['a zip that is no workbook', 'archive.xlsx', () => zipOf({ 'readme.txt': 'hello' }), /a zip archive that holds no Excel workbook/],
    ['a Word document', 'letter.xlsx', () => zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' }), /a Word document/],
    ['an .xlsb workbook', 'orders.xlsb', () => zipOf({ '[Content_Types].xml': '<Types/>', 'xl/workbook.bin': 'binary' }), /Excel Binary Workbook \(\.xlsb\)/],
    ['an .xlsm workbook', 'orders.xlsm', xlsm, /macro-enabled workbook \(\.xlsm\).*"Excel Workbook \(\.xlsx\)"/],
    ['a damaged zip', 'broken.xlsx', () => Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(64, 1)]), /damaged or incomplete zip archive/],
  ];
  for (const [what, name, make, message] of files)
    it(`refuses ${what} naming what it is and what to do, exit code 2, the file untouched and nothing sent`, async () => {
      const file = path.join(dir, name);
      await fs.writeFile(file, await make());
      const before = [await sha(file), await countRows(t.orm, 'prebook')];
      capture();
      expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
      expect(errors.join('\n')).toMatch(message);
      expect(errors.join('\n')).toContain(file);
      expect(errors.join('\n')).not.toMatch(/central directory|jszip|stuk\.github|\n\s+at /i);
      expect([await sha(file), await countRows(t.orm, 'prebook')]).toEqual(before);
    });

  it('tells what a file is before looking for the server: an .xls with no server running still gets exit code 2 and what to do', async () => {
    const file = path.join(dir, 'offline.xls');
    await fs.writeFile(file, cfb);
    capture();
    expect(await main(['push', 'prebooks', file, '--server', 'http://127.0.0.1:9', '--token', 'x'])).toBe(2);
    expect(errors.join('\n')).toMatch(/an Excel 97-2003 workbook \(\.xls\)/);
    expect(await main(['confirm', file, '--server', 'http://127.0.0.1:9', '--token', 'x'])).toBe(2);
  });

  for (const format of ['xls', 'ods'])
    it(`refuses the .${format} LibreOffice Calc saves (the fixture workbook saved as .${format}) with what to do`, async () => {
      const file = path.join(dir, `prebooks.${format}`);
      await fs.copyFile(`test/fixtures/xlsx/prebooks-libreoffice.${format}`, file);
      capture();
      expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
      expect(errors.join('\n')).toMatch(format === 'xls' ? /Excel 97-2003 workbook \(\.xls\)/ : /OpenDocument spreadsheet \(\.ods\)/);
      expect(errors.join('\n')).toContain('"Excel Workbook (.xlsx)"');
    });

  it('refuses a .csv for the commands that write a workbook in place (pull, refresh, new), exit code 2', async () => {
    const file = path.join(dir, 'pulled.csv');
    capture();
    expect(await main(['pull', 'prebooks', '--out', file, ...args])).toBe(2);
    expect(errors.join('\n')).toMatch(/only push and confirm read CSV files.*--out a name ending in \.xlsx/);
    await fs.copyFile('test/fixtures/xlsx/prebooks-libreoffice.xlsx', file);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
    expect(errors.join('\n')).toContain('pulled.csv: a zip archive (an .xlsx or .ods workbook?) with a .csv name, not a CSV file');
    await fs.writeFile(file, 'Prebook #\n');
    expect(await main(['refresh', 'prebooks', file, ...args])).toBe(2);
    expect(errors.join('\n')).toContain(resultsPathFor(file));
    await expect(fs.readFile(file, 'utf8')).resolves.toBe('Prebook #\n');
  });

  it('gives the results path beside the file: "<name> (results).xlsx"', () => {
    expect(resultsPathFor('/tmp/a/orders.csv')).toBe('/tmp/a/orders (results).xlsx');
    expect(resultsPathFor('/tmp/a/my.orders.xlsx')).toBe('/tmp/a/my.orders (results).xlsx');
    expect(resultsPathFor('orders.CSV')).toBe('orders (results).xlsx');
  });
});

describe('stemline-sheet push of a CSV file and of hand-made sheets', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-csv-'));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterAll(() => closeCliWorkspace(t, dir));

  const customerPos = async () =>
    (await t.orm.em.getConnection().execute<{ customer_po: string | null }[]>('select customer_po from prebook order by id')).map((r) => r.customer_po);
  const customerPoOf = async (number: unknown) =>
    (await t.orm.em.getConnection().execute<{ customer_po: string | null }[]>('select customer_po from prebook where number = ?', [number]))[0]?.customer_po;
  const csvLine = (cells: string[], delimiter: string) => cells.map((c) => (/[",;\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(delimiter);

  it('pushes a semicolon CSV with a byte order mark and CRLF (quoted fields holding ; " and line breaks): results in "<name> (results).xlsx", the .csv untouched', async () => {
    const file = path.join(dir, 'orders.csv');
    const header = [...TABLE_COLUMNS.Prebooks];
    const po = 'PO; "7"\nsecond line';
    const rows = [
      { ...ROW, 'Customer PO': po },
      { ...ROW, Ref: '2', Customer: 'NOBODY' },
    ].map((r) => header.map((c) => (r as Record<string, string>)[c] ?? ''));
    await fs.writeFile(file, '\ufeff' + [header, ...rows].map((r) => csvLine(r, ';')).join('\r\n') + '\r\n');
    const before = await sha(file);
    const prebooks = await countRows(t.orm, 'prebook');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    vi.mocked(console.log).mockRestore();
    expect(await sha(file)).toBe(before);
    expect(await countRows(t.orm, 'prebook')).toBe(prebooks + 1);
    expect((await customerPos()).at(-1)).toBe(po);
    const results = await readSheet(resultsPathFor(file), 'Prebooks');
    expect(results.map((r) => [r.Ref, r.Customer, r['Prebook #'], r.Status, r.Message])).toEqual([
      ['1', 'FRESHMART', expect.stringMatching(/^PB-\d{6}$/), 'OK', 'saved'],
      ['2', 'NOBODY', null, 'ERROR', 'Customer: unknown customer "NOBODY"'],
    ]);
    expect(results[0]['Truck Date']).toEqual(new Date('2027-02-10T00:00:00Z'));
    // Rows are named as Excel numbers the .csv's lines (a record's line breaks inside quotes aside).
    expect(lines.join('\n')).toContain('Prebooks row 3: ERROR Customer: unknown customer "NOBODY"');
    expect(lines.join('\n')).toContain(`Results written to ${resultsPathFor(file)}`);

    // The same .csv again would send its rows again: refused, the results workbook named; that workbook is what to push.
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
    expect(errors.join('\n')).toContain(`"${resultsPathFor(file)}" holds what an earlier push of this file saved`);
    vi.mocked(console.error).mockRestore();
    expect(await countRows(t.orm, 'prebook')).toBe(prebooks + 1);
    expect(await main(['push', 'prebooks', resultsPathFor(file), ...args])).toBe(1);
    expect(await countRows(t.orm, 'prebook')).toBe(prebooks + 1);
  });

  it('pushes a comma CSV in Windows-1252 (Excel\'s plain "CSV") with a title line and only the columns a buyer types in: Status, Message and Prebook # added at the right', async () => {
    const file = path.join(dir, 'hand made.csv');
    const text = [
      'Spring orders,,,',
      csvLine(INPUT_COLUMNS, ','),
      csvLine(
        INPUT_COLUMNS.map((c) => (c === 'Customer PO' ? 'Pedido sí, 1' : ((ROW as Record<string, string>)[c] ?? ''))),
        ',',
      ),
    ].join('\n');
    await fs.writeFile(file, Buffer.from(text, 'latin1'));
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    expect((await customerPos()).at(-1)).toBe('Pedido sí, 1');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(resultsPathFor(file));
    const sheet = workbook.getWorksheet('Prebooks')!;
    expect(sheet.getCell('A1').value).toBe('Spring orders');
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header.slice(0, INPUT_COLUMNS.length)).toEqual(INPUT_COLUMNS);
    expect(header.slice(INPUT_COLUMNS.length, INPUT_COLUMNS.length + 4)).toEqual(['Prebook #', 'Price Source', 'Status', 'Message']);
    const cell = (name: string) => sheet.getRow(3).getCell(header.indexOf(name) + 1).value;
    expect([cell('Prebook #'), cell('Status'), cell('Message')]).toEqual([expect.stringMatching(/^PB-/), 'OK', 'saved']);
  });

  it('pushes a CSV again when its results workbook saved nothing (every row in error), overwriting that workbook', async () => {
    const file = path.join(dir, 'all wrong.csv');
    const header = [...TABLE_COLUMNS.Prebooks];
    const write = (customer: string) =>
      fs.writeFile(
        file,
        [
          csvLine(header, ','),
          csvLine(
            header.map((c) => (c === 'Customer' ? customer : ((ROW as Record<string, string>)[c] ?? ''))),
            ',',
          ),
        ].join('\n'),
      );
    await write('NOBODY');
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    expect((await readSheet(resultsPathFor(file), 'Prebooks'))[0].Status).toBe('ERROR');
    await write('FRESHMART');
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    expect((await readSheet(resultsPathFor(file), 'Prebooks'))[0].Status).toBe('OK');
  });

  it('reads a CSV whose first line is Excel\'s "sep=;" (tab-separated and no header row told as such)', async () => {
    const file = path.join(dir, 'sep line.csv');
    const header = [...TABLE_COLUMNS.Prebooks];
    const row = header.map((c) => (c === 'Price' ? '2' : ((ROW as Record<string, string>)[c] ?? '')));
    await fs.writeFile(file, `sep=;\n${csvLine(header, ';')}\n${csvLine(row, ';')}\n`);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    expect((await readSheet(resultsPathFor(file), 'Prebooks'))[0].Status).toBe('OK');

    const headless = path.join(dir, 'no header.csv');
    await fs.writeFile(headless, 'a\tb\n1\t2\n');
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    expect(await main(['push', 'prebooks', headless, ...args])).toBe(1);
    vi.mocked(console.error).mockRestore();
    expect(errors.join('\n')).toMatch(
      /no header\.csv: the Prebooks table lacks the column\(s\) Ref, Customer.*\(no row among its first 20 names its columns\)/,
    );
  });

  it('pushes the CSV LibreOffice Calc saves of a sheet with a title, a blank row and the table from column B (buyer columns kept)', async () => {
    const file = path.join(dir, 'prebooks-libreoffice.csv');
    await fs.copyFile('test/fixtures/xlsx/prebooks-libreoffice.csv', file);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    vi.mocked(console.log).mockRestore();
    expect(lines.join('\n')).toContain('Prebooks row 6: ERROR Customer: unknown customer "NOBODY"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(resultsPathFor(file));
    const sheet = workbook.getWorksheet('Prebooks')!;
    expect(sheet.getCell('A1').value).toBe('Spring orders (buyer: Ana)');
    const header = (sheet.getRow(3).values as unknown[]).map(String);
    const at = (row: number, name: string) => sheet.getRow(row).getCell(header.indexOf(name)).value;
    expect([4, 5, 6].map((r) => [at(r, 'Prebook #'), at(r, 'Status'), at(r, 'Buyer note')])).toEqual([
      [expect.stringMatching(/^PB-/), 'OK', 'call Ana'],
      [expect.stringMatching(/^PB-/), 'OK', null],
      [null, 'ERROR', 'new client'],
    ]);
    await expect(fs.readFile(file, 'utf8')).resolves.toBe(await fs.readFile('test/fixtures/xlsx/prebooks-libreoffice.csv', 'utf8'));
  });

  it('confirms from a Staging CSV with only the columns a buyer has (Label, Confirm…): Result, Invoice # and Message in its results workbook', async () => {
    const file = path.join(dir, 'staging.csv');
    const header = TABLE_COLUMNS.Staging.filter((c) => !WRITTEN_COLUMNS.Staging.includes(c));
    await fs.writeFile(
      file,
      [
        csvLine(header, ','),
        csvLine(
          header.map((c) => (c === 'Label' ? 'NO-SUCH-BOX' : c === 'Confirm' ? 'x' : '')),
          ',',
        ),
      ].join('\r\n'),
    );
    expect(await main(['confirm', file, '--preview', ...args])).toBe(1);
    const [row] = await readSheet(resultsPathFor(file), 'Staging');
    expect([row.Label, row.Result, typeof row.Message]).toEqual(['NO-SUCH-BOX', 'ERROR', 'string']);
    expect(Object.keys(row).slice(-3)).toEqual(['Result', 'Invoice #', 'Message']);
  });

  it('reads a Prebooks sheet whose header is in row 3 with only the columns a buyer types in, and adds Prebook #, Status and Message at the right', async () => {
    const file = path.join(dir, 'title rows.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Prebooks');
    sheet.getCell('A1').value = 'Orders for week 6';
    sheet.getRow(3).values = [...INPUT_COLUMNS];
    sheet.getRow(4).values = INPUT_COLUMNS.map((c) =>
      c === 'Truck Date' ? new Date('2027-02-10T00:00:00Z') : c === 'Boxes' ? 4 : ((ROW as Record<string, string>)[c] ?? null),
    );
    sheet.getRow(5).values = INPUT_COLUMNS.map((c) => (c === 'Truck Date' ? 'soon' : c === 'Ref' ? '2' : ((ROW as Record<string, string>)[c] ?? null)));
    await workbook.xlsx.writeFile(file);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    const header = (read.getWorksheet('Prebooks')!.getRow(3).values as unknown[]).slice(1);
    expect(header.slice(INPUT_COLUMNS.length, INPUT_COLUMNS.length + 4)).toEqual(['Prebook #', 'Price Source', 'Status', 'Message']);
    const row = (r: number) =>
      ['Prebook #', 'Status', 'Message'].map(
        (c) =>
          read
            .getWorksheet('Prebooks')!
            .getRow(r)
            .getCell(header.indexOf(c) + 1).value,
      );
    expect(row(4)).toEqual([expect.stringMatching(/^PB-/), 'OK', 'saved']);
    expect(row(5)).toEqual([null, 'ERROR', expect.stringContaining('Truck Date "soon" is not a date')]);
  });

  it('still refuses a sheet that lacks a column the buyer types in, naming it and where the header was found', async () => {
    const file = path.join(dir, 'no product.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Prebooks');
    sheet.getRow(2).values = INPUT_COLUMNS.filter((c) => c !== 'Product');
    sheet.getRow(3).values = ['1', 'FRESHMART'];
    await workbook.xlsx.writeFile(file);
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    vi.mocked(console.error).mockRestore();
    expect(errors.join('\n')).toContain('the Prebooks table lacks the column(s) Product (header found in row 2 of sheet Prebooks)');
  });

  /**
   * A Prebooks sheet with every column (the hidden ones too: the fast push reader takes it) and formulas
   * in the given columns: a result undefined is written as openpyxl does (<f> and no <v>), '' as Excel
   * writes a formula whose result is empty text (t="str", <v></v>).
   */
  async function formulaWorkbook(file: string, formulas: Record<string, number | string | undefined>): Promise<string[]> {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Prebooks');
    sheet.addRow(allColumns('Prebooks'));
    sheet.addRow(allColumns('Prebooks').map((c) => (c in formulas ? null : ((ROW as Record<string, string>)[c] ?? null))));
    const addresses = Object.entries(formulas).map(([column, result]) => {
      const cell = sheet.getRow(2).getCell(allColumns('Prebooks').indexOf(column) + 1);
      cell.value = { formula: typeof result === 'string' ? 'IF(1,"","x")' : '2*2', result } as ExcelJS.CellFormulaValue;
      return cell.address;
    });
    await workbook.xlsx.writeFile(file);
    return addresses;
  }

  it('refuses a formula without its computed value naming the cell (never read as a blank Boxes), and reads computed ones (an empty text result as blank)', async () => {
    const file = path.join(dir, 'openpyxl formula.xlsx');
    const [address] = await formulaWorkbook(file, { Boxes: undefined });
    const xml = await (await JSZip.loadAsync(await fs.readFile(file))).file('xl/worksheets/sheet1.xml')!.async('string');
    expect(xml).toMatch(new RegExp(`<c r="${address}"[^>]*><f>2\\*2</f></c>`));
    expect(await XlsxPushTables.open(file, 'Prebooks')).toBeNull();
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    const before = [await sha(file), await countRows(t.orm, 'prebook')];
    expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
    vi.mocked(console.error).mockRestore();
    expect(errors.join('\n')).toContain(`formula in ${address} has no computed value: open and save the file in Excel`);
    expect(errors.join('\n')).not.toContain('required');
    expect([await sha(file), await countRows(t.orm, 'prebook')]).toEqual(before);

    // As openpyxl writes a formula (<f> and an empty <v>): its own workbook, with one in Boxes (its Line total column has them too).
    const openpyxl = path.join(dir, 'openpyxl boxes.xlsx');
    const zip = await JSZip.loadAsync(await fs.readFile('test/fixtures/xlsx/prebooks-openpyxl.xlsx'));
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file('xl/worksheets/sheet1.xml', sheetXml.replace(/<c r="M4"[^>]*?(\/>|>[\s\S]*?<\/c>)/, '<c r="M4"><f>2*2</f><v></v></c>'));
    await fs.writeFile(openpyxl, await zip.generateAsync({ type: 'nodebuffer' }));
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));
    expect(await main(['push', 'prebooks', openpyxl, ...args])).toBe(2);
    vi.mocked(console.error).mockRestore();
    expect(errors.at(-1)).toContain('openpyxl boxes.xlsx: formula in M4 has no computed value');

    const computed = path.join(dir, 'excel formula.xlsx');
    await formulaWorkbook(computed, { Boxes: 4, 'Customer PO': '' });
    expect(await XlsxPushTables.open(computed, 'Prebooks')).not.toBeNull();
    expect(await main(['push', 'prebooks', computed, ...args])).toBe(0);
    const [row] = await readSheet(computed, 'Prebooks');
    expect(row.Status).toBe('OK');
    expect(await customerPoOf(row['Prebook #'])).toBeNull();
  });
});
