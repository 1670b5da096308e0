// XlsxPushTables reads a table as the exceljs adapter does, on workbooks of every writer the tests
// have (Excel, openpyxl, LibreOffice, exceljs), and declines what it does not read as exceljs does.
// Its writing back: xlsx-push-tables.adapter.test.ts; the property test: xlsx-readers.property.test.ts.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_COLUMNS, type RowUpdate } from '../../addin/sheets/tables';
import { BUILT_IN_FORMATS, XlsxPushTables } from '../../cli/xlsx-push-tables.adapter';
import { loadWorkbook, XlsxTables } from '../../cli/xlsx-tables.adapter';
import { ZipArchive } from '../../cli/zip-archive';
import { copy, exceljsRead, variedWorkbook } from '../support/push-tables-workbooks';
import { writeSheet } from '../support/xlsx';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-push-tables-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('XlsxPushTables reads a table as the exceljs adapter does', () => {
  for (const tool of ['excel', 'openpyxl', 'libreoffice']) {
    it(`reads the ${tool} fixture's table: the same header, rows and values (the hidden columns aside: it lacks them)`, async () => {
      const file = await copy(dir, `test/fixtures/xlsx/prebooks-${tool}.xlsx`, `read-${tool}.xlsx`);
      const fast = await XlsxPushTables.open(file, 'Prebooks');
      expect(fast).not.toBeNull();
      // Lacking the hidden columns, the push goes through exceljs, which adds them.
      expect(fast!.complete('Prebooks')).toBe(false);
      expect(await fast!.read('Prebooks')).toEqual(await exceljsRead(file, true));
    });

    it(`reads the ${tool} fixture once pushed (hidden columns added, results written) exactly as exceljs does`, async () => {
      const file = await copy(dir, `test/fixtures/xlsx/prebooks-${tool}.xlsx`, `pushed-${tool}.xlsx`);
      const tables = await XlsxTables.open(file);
      const snapshot = await tables.read('Prebooks');
      await tables.update(
        'Prebooks',
        snapshot,
        new Map<number, RowUpdate>([
          [1, { 'Prebook #': 'PB-000001', Status: 'OK', Message: 'saved', Version: 1, 'Line Id': '11', Pushed: 'abc' }],
          [3, { Status: 'ERROR', Message: 'Customer: unknown customer "NOBODY"' }],
        ]),
      );
      await tables.save();
      const fast = await XlsxPushTables.open(file, 'Prebooks');
      expect(fast!.complete('Prebooks')).toBe(true);
      expect(await fast!.read('Prebooks')).toEqual(await exceljsRead(file));
    });
  }

  it('reads every kind of cell (escaped and rich text, booleans, formula results of every type, errors, dates) and the rows typed under the table', async () => {
    const file = await variedWorkbook(dir, 'varied.xlsx');
    const fast = await XlsxPushTables.open(file, 'Prebooks');
    const snapshot = await fast!.read('Prebooks');
    expect(snapshot).toEqual(await exceljsRead(file));
    // The values the comparison above covers, as the workflows get them.
    const at = (row: number, column: string) => snapshot.rows.find((r) => r.row === row)!.values[column];
    expect([at(1, 'Customer PO'), at(1, 'Holiday'), at(2, 'Holiday'), at(1, 'Cost'), at(2, 'Cost'), at(3, 'Cost'), at(4, 'Cost')]).toEqual([
      'PO-RICH',
      true,
      false,
      1.7,
      0,
      'x',
      null,
    ]);
    expect([at(3, 'Customer'), at(3, 'Vendor Cost'), at(4, 'Message'), at(4, 'Vendor')]).toEqual([' R&D <west> "co" ', '#N/A', 'line one\nline two', true]);
    expect(at(1, 'Truck Date')).toEqual(new Date('2027-02-10T00:00:00Z'));
    expect(at(1, 'Vendor Cost')).toEqual(new Date('2027-01-02T00:00:00Z'));
    expect(Number.isNaN((at(4, 'Price') as Date).getTime())).toBe(true);
    expect(snapshot.rows.map((r) => r.sheetRow)).toEqual([2, 3, 4, 5, 6]);
  });

  it('finds a table by its sheet when the workbook has no Excel table (a sheet named Shipments, header in row 1)', async () => {
    const file = path.join(dir, 'plain.xlsx');
    await writeSheet(file, 'Shipments', [
      { 'PO #': 'PO-000001', AWB: '123-45678901', 'Ship Date': new Date('2027-02-01T00:00:00Z'), Boxes: 3 },
      { 'PO #': 'PO-000002', AWB: '  ', Boxes: 0 },
    ]);
    const fast = await XlsxPushTables.open(file, 'Shipments');
    expect(fast!.complete('Shipments')).toBe(true);
    expect(await fast!.read('Shipments')).toEqual(await (await XlsxTables.open(file)).read('Shipments'));
  });

  it('finds the header of a sheet named like the table in its first 20 rows, under titles, as the exceljs adapter does; and an unnamed sheet by its first column there', async () => {
    for (const [sheetName, table] of [
      ['shipments', 'Shipments'],
      ['Sheet1', 'Shipments'],
    ] as const) {
      const file = path.join(dir, `titled-${sheetName}.xlsx`);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet(sheetName);
      sheet.getCell('A1').value = 'Shipments of week 6';
      sheet.getCell('B2').value = 'AWB';
      sheet.getRow(4).values = [...TABLE_COLUMNS[table]];
      sheet.getRow(5).values = ['PO-000001', null, null, 3, '123-45678901'];
      await workbook.xlsx.writeFile(file);
      const fast = await XlsxPushTables.open(file, table);
      expect(fast!.complete(table)).toBe(true);
      const snapshot = await fast!.read(table);
      expect(snapshot.headerRow).toBe(4);
      expect(snapshot.rows.map((r) => [r.sheetRow, r.values['PO #'], r.values.Boxes])).toEqual([[5, 'PO-000001', 3]]);
      expect(snapshot).toEqual(await (await XlsxTables.open(file)).read(table));
    }
  });

  it('leaves to exceljs what it does not read or write as exceljs does: merged cells, hyperlinks, shared formulas, a workbook without the table', async () => {
    for (const [name, change] of [
      ['merged.xlsx', (sheet: ExcelJS.Worksheet) => sheet.mergeCells('B2:C2')],
      ['link.xlsx', (sheet: ExcelJS.Worksheet) => (sheet.getCell('B2').value = { text: 'A', hyperlink: 'https://example.com' })],
      // A shared formula's first cell holds the formula of the cells after it: not a cell to overwrite on its own.
      [
        'shared.xlsx',
        (sheet: ExcelJS.Worksheet) => {
          sheet.getCell('S2').value = { formula: 'L2*2', shareType: 'shared', ref: 'S2:S3', result: 8 } as ExcelJS.CellValue;
          sheet.getCell('S3').value = { sharedFormula: 'S2', result: 0 } as ExcelJS.CellValue;
        },
      ],
    ] as const) {
      const file = await variedWorkbook(dir, name);
      const workbook = await loadWorkbook(file);
      change(workbook.getWorksheet('Prebooks')!);
      await workbook.xlsx.writeFile(file);
      expect(await XlsxPushTables.open(file, 'Prebooks'), name).toBeNull();
    }
    expect(await XlsxPushTables.open(await variedWorkbook(dir, 'other.xlsx'), 'Staging')).toBeNull();
  });

  it('declines a table with a cell it cannot read as exceljs does (an ISO date, as openpyxl writes with iso_dates) before the push starts, not when it reads the rows', async () => {
    const file = await variedWorkbook(dir, 'iso-date.xlsx');
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const sheet = Object.keys(zip.files).find((name) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name))!;
    const xml = await zip.file(sheet)!.async('string');
    // The Truck Date of the first row (column F) as ISO text; the table has no rows typed under it to look at.
    const iso = xml
      .replace(/<c r="F2"([^>]*?)(?: t="\w+")?>[\s\S]*?<\/c>/, '<c r="F2"$1 t="d"><v>2027-02-10T00:00:00</v></c>')
      .replace(/<c r="[A-Z]+6"[^>]*?(\/>|>[\s\S]*?<\/c>)/g, '');
    expect(iso).toContain('t="d"');
    zip.file(sheet, iso);
    await fs.writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    expect(await XlsxPushTables.open(file, 'Prebooks')).toBeNull();
    // exceljs itself reads such a cell's text as a number (2027: a day of 1905); the adapter reads the date.
    const snapshot = await (await XlsxTables.open(file)).read('Prebooks');
    expect(snapshot.rows[0].values['Truck Date']).toEqual(new Date('2027-02-10T00:00:00Z'));
  });
});

it("knows exceljs's built-in number formats (dates are recognized by them)", async () => {
  const { createRequire } = await import('node:module');
  const exceljs = createRequire(import.meta.url)('exceljs/lib/xlsx/defaultnumformats.js') as Record<string, { f: string }>;
  expect(BUILT_IN_FORMATS).toEqual(Object.fromEntries(Object.entries(exceljs).map(([id, { f }]) => [id, f])));
});

describe('ZipArchive', () => {
  it('rewrites an archive with one part changed: every other part as it was, readable by another zip reader', async () => {
    const buffer = await fs.readFile('test/fixtures/xlsx/prebooks-libreoffice.xlsx');
    const zip = ZipArchive.open(buffer)!;
    const before = await JSZip.loadAsync(buffer);
    expect(zip.names.sort()).toEqual(Object.keys(before.files).sort());
    zip.set('xl/workbook.xml', 'changed ✓');
    zip.remove('docProps/app.xml');
    const after = await JSZip.loadAsync(await zip.toBuffer());
    expect(await after.file('xl/workbook.xml')!.async('string')).toBe('changed ✓');
    expect(after.file('docProps/app.xml')).toBeNull();
    for (const name of zip.names.filter((n) => n !== 'xl/workbook.xml' && !before.files[n].dir))
      expect(await after.file(name)!.async('string'), name).toBe(await before.file(name)!.async('string'));
    expect(ZipArchive.open(Buffer.from('not a zip file at all, just text long enough to look for a directory'))).toBeNull();
  });
});
