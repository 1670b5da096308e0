// XlsxPushTables reads a table as the exceljs adapter does and writes a push's results back as it
// does, on workbooks of every writer the tests have (Excel, openpyxl, LibreOffice, exceljs).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns, HIDDEN_COLUMNS, TABLE_COLUMNS, type CellValue, type RowUpdate } from '../../addin/sheets/tables';
import { BUILT_IN_FORMATS, XlsxPushTables } from '../../cli/xlsx-push-tables.adapter';
import { loadWorkbook, XlsxTables } from '../../cli/xlsx-tables.adapter';
import { ZipArchive } from '../../cli/zip-archive';
import { writeSheet } from '../support/xlsx';

const PINK = 'FFFDE2E1';
const HIDDEN: readonly string[] = HIDDEN_COLUMNS.Prebooks;

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-push-tables-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

async function copy(from: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.copyFile(from, file);
  return file;
}

/** What the exceljs adapter reads, without the hidden columns it adds to a table that lacks them (and writes nothing). */
async function exceljsRead(file: string, lacksHidden = false) {
  const snapshot = await (await XlsxTables.open(file)).read('Prebooks');
  if (!lacksHidden) return snapshot;
  const width = snapshot.header.length - HIDDEN.length;
  return {
    ...snapshot,
    header: snapshot.header.slice(0, width),
    values: snapshot.values.map((cells) => cells.slice(0, width)),
    rows: snapshot.rows.map((row) => ({ ...row, values: Object.fromEntries(Object.entries(row.values).filter(([name]) => !HIDDEN.includes(name))) })),
  };
}

/**
 * A Prebooks table as `stemline-sheet new` makes it, with what buyers and other tools put in cells:
 * text needing escapes, rich text, booleans, formulas with results of every type (0 too), an error,
 * dates, a row typed under the table, the buyer's own column, a row already pink from a push.
 */
async function variedWorkbook(name: string): Promise<string> {
  const file = path.join(dir, name);
  const tables = await XlsxTables.open(file);
  await tables.create('Prebooks', { columns: { Customer: ['FRESHMART', 'BLOOMS'] }, shipTosByCustomer: {} });
  const columns = allColumns('Prebooks');
  const row = (values: Record<string, CellValue>) => columns.map((c) => values[c] ?? null);
  await tables.append('Prebooks', [
    row({ Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'ROSE-FREEDOM-50', Boxes: 4, 'Units/Box': 100, Price: 0.85 }),
    row({ Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'CARN-WHITE', 'Sell By': 'UNIT', Units: 750 }),
    row({ Ref: 'B', Customer: ' R&D <west> "co" ', Carrier: 'FEDEX', 'Truck Date': '2027-02-11', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 }),
    row({
      Ref: 'C',
      Customer: 'BLOOMS',
      Carrier: 'FEDEX',
      'Truck Date': '2027-02-12',
      Product: 'VASE-20',
      Boxes: 2,
      'Units/Box': 12,
      Message: 'line one\nline two',
    }),
  ]);
  // The third row comes back pink from an earlier push.
  const snapshot = await tables.read('Prebooks');
  await tables.update('Prebooks', snapshot, new Map([[3, { Status: 'ERROR', Message: 'Customer: unknown customer' }]]));
  await tables.save();

  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet('Prebooks')!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const set = (r: number, column: string, value: ExcelJS.CellValue) => (sheet.getRow(r).getCell(header.indexOf(column)).value = value);
  set(2, 'Customer PO', { richText: [{ text: 'PO-' }, { font: { bold: true }, text: 'RICH' }] });
  set(2, 'Holiday', true);
  set(3, 'Holiday', false);
  set(2, 'Cost', { formula: 'O2*2', result: 1.7 });
  set(3, 'Cost', { formula: 'O3*2', result: 0 });
  set(4, 'Cost', { formula: 'IF(1,"x","y")', result: 'x' });
  set(5, 'Cost', { formula: '1/0', result: { error: '#DIV/0!' } });
  set(4, 'Vendor Cost', { error: '#N/A' });
  set(5, 'Vendor', { formula: 'TRUE()', result: true });
  set(2, 'Vendor Cost', { formula: 'DATE(2027,1,2)', result: new Date('2027-01-02T00:00:00Z') });
  // A style of its own (loaded cells share theirs): a date format the column does not have.
  const vendorCost = sheet.getRow(2).getCell(header.indexOf('Vendor Cost'));
  vendorCost.style = { ...vendorCost.style, numFmt: 'dd/mm/yyyy' };
  // A formula's result in a date format is a date to exceljs whatever its type (an invalid one for an error).
  const price = sheet.getRow(5).getCell(header.indexOf('Price'));
  price.value = { formula: 'NA()', result: { error: '#N/A' } };
  price.style = { ...price.style, numFmt: 'yyyy-mm-dd' };
  // The buyer's own column right of the table, and a row typed under it (not yet in its range).
  sheet.getRow(2).getCell(header.length + 1).value = 'buyer note';
  set(6, 'Ref', 'D');
  set(6, 'Customer', 'BLOOMS');
  set(6, 'Carrier', 'FEDEX');
  set(6, 'Truck Date', new Date('2027-02-13T00:00:00Z'));
  set(6, 'Product', 'VASE-20');
  set(6, 'Boxes', 3);
  set(6, 'Units/Box', 12);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** Every cell of the table region as exceljs sees it after a save: value, fill and number format. */
async function cells(file: string) {
  const workbook = await loadWorkbook(file);
  const sheet = workbook.getWorksheet('Prebooks')!;
  const result: unknown[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, r) => {
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const fill = (cell.style?.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb ?? null;
      const value = cell.value;
      if (value === null && fill === null) return;
      result.push({ r, c, value: value instanceof Date ? value.toISOString() : value, fill, date: typeof cell.numFmt === 'string' && /y/.test(cell.numFmt) });
    });
  });
  return result;
}

describe('XlsxPushTables reads a table as the exceljs adapter does', () => {
  for (const tool of ['excel', 'openpyxl', 'libreoffice']) {
    it(`reads the ${tool} fixture's table: the same header, rows and values (the hidden columns aside: it lacks them)`, async () => {
      const file = await copy(`test/fixtures/xlsx/prebooks-${tool}.xlsx`, `read-${tool}.xlsx`);
      const fast = await XlsxPushTables.open(file, 'Prebooks');
      expect(fast).not.toBeNull();
      // Lacking the hidden columns, the push goes through exceljs, which adds them.
      expect(fast!.complete('Prebooks')).toBe(false);
      expect(await fast!.read('Prebooks')).toEqual(await exceljsRead(file, true));
    });

    it(`reads the ${tool} fixture once pushed (hidden columns added, results written) exactly as exceljs does`, async () => {
      const file = await copy(`test/fixtures/xlsx/prebooks-${tool}.xlsx`, `pushed-${tool}.xlsx`);
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
    const file = await variedWorkbook('varied.xlsx');
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
      const file = await variedWorkbook(name);
      const workbook = await loadWorkbook(file);
      change(workbook.getWorksheet('Prebooks')!);
      await workbook.xlsx.writeFile(file);
      expect(await XlsxPushTables.open(file, 'Prebooks'), name).toBeNull();
    }
    expect(await XlsxPushTables.open(await variedWorkbook('other.xlsx'), 'Staging')).toBeNull();
  });
});

describe('XlsxPushTables writes a push back as the exceljs adapter does', () => {
  it('gives the same cells, values, pink rows and date formats as XlsxTables, and keeps every other part of the file as it was', async () => {
    const original = await variedWorkbook('write.xlsx');
    const viaExceljs = await copy(original, 'write-exceljs.xlsx');
    const viaPatch = await copy(original, 'write-patch.xlsx');
    const updates = new Map<number, RowUpdate>([
      [1, { 'Prebook #': 'PB-000007', Status: 'OK', Message: 'saved', Version: 3, 'Line Id': '101', Pushed: 'f00d' }],
      [2, { Status: 'ERROR', Message: 'Units/Box: required & > 0 <here>' }],
      // The pink row comes back OK: it loses our pink, and its date column keeps its format.
      [3, { 'Prebook #': 'PB-000008', Status: 'OK', Message: '  padded  ', Version: 1, 'Line Id': null, Pushed: null }],
      [4, { Status: 'STALE', Message: 'changed by someone else since you pulled it: pull it again', 'Truck Date': '2027-03-01' }],
      // The row typed under the table: written, so the table grows over it.
      [5, { 'Prebook #': 'PB-000009', Status: 'OK', Message: 'saved', Version: 1, Holiday: true }],
    ]);
    const exceljsTables = await XlsxTables.open(viaExceljs);
    await exceljsTables.update('Prebooks', await exceljsTables.read('Prebooks'), updates);
    await exceljsTables.save();
    const fast = (await XlsxPushTables.open(viaPatch, 'Prebooks'))!;
    await fast.update('Prebooks', await fast.read('Prebooks'), updates);
    await fast.save();

    expect(await cells(viaPatch)).toEqual(await cells(viaExceljs));
    expect(await exceljsRead(viaPatch)).toEqual(await exceljsRead(viaExceljs));
    const pushed = await cells(viaPatch);
    const pinkRows = [...new Set(pushed.filter((c) => (c as { fill: string }).fill === PINK).map((c) => (c as { r: number }).r))];
    expect(pinkRows).toEqual([3, 5]);
    // The table's range grew over the typed row; the patched file reads back fast too.
    const zip = await JSZip.loadAsync(await fs.readFile(viaPatch));
    const tableXml = await zip.file('xl/tables/table1.xml')!.async('string');
    expect(tableXml).toMatch(/<table [^>]*ref="A1:X6"/);
    expect(await (await XlsxPushTables.open(viaPatch, 'Prebooks'))!.read('Prebooks')).toEqual(await exceljsRead(viaPatch));
    // Parts the push has no business with are the bytes they were (exceljs renders every part again).
    const before = await JSZip.loadAsync(await fs.readFile(original));
    for (const part of ['xl/worksheets/sheet2.xml', 'xl/workbook.xml', 'docProps/app.xml', 'xl/theme/theme1.xml'])
      expect(await zip.file(part)!.async('string'), part).toBe(await before.file(part)!.async('string'));
  });

  it('writes updates given in parts (a chunk at a time, a row written again) as the same updates given at once', async () => {
    const original = await variedWorkbook('parts.xlsx');
    const atOnce = await copy(original, 'parts-once.xlsx');
    const inParts = await copy(original, 'parts-parts.xlsx');
    const updates = new Map<number, RowUpdate>([
      [1, { 'Prebook #': 'PB-000007', Status: 'OK', Message: 'saved', Version: 3, 'Line Id': '101' }],
      [2, { Status: 'ERROR', Message: 'Units/Box: required' }],
      [3, { 'Prebook #': 'PB-000008', Status: 'OK', Message: 'saved', Version: 1 }],
      [4, { Status: 'STALE', Message: 'pull it again', 'Truck Date': '2027-03-01' }],
    ]);
    const once = (await XlsxPushTables.open(atOnce, 'Prebooks'))!;
    await once.update('Prebooks', await once.read('Prebooks'), updates);
    await once.save();
    const parts = (await XlsxPushTables.open(inParts, 'Prebooks'))!;
    const snapshot = await parts.read('Prebooks');
    // Row 3 first fails, then comes back OK (its pink goes, a string it had written is written over).
    await parts.update(
      'Prebooks',
      snapshot,
      new Map([
        [3, { Status: 'ERROR', Message: 'a first answer' }],
        [4, updates.get(4)!],
      ]),
    );
    await parts.update(
      'Prebooks',
      snapshot,
      new Map([
        [1, updates.get(1)!],
        [3, updates.get(3)!],
      ]),
    );
    await parts.update('Prebooks', snapshot, new Map([[2, updates.get(2)!]]));
    await parts.save();
    expect(await cells(inParts)).toEqual(await cells(atOnce));
    expect(await exceljsRead(inParts)).toEqual(await exceljsRead(atOnce));
  });

  it("saves a push's new document ids before it is sent, then its results, as one save of both would; the ids alone leave a row's pink as it is", async () => {
    const original = await variedWorkbook('persist.xlsx');
    const atOnce = await copy(original, 'persist-once.xlsx');
    const twice = await copy(original, 'persist-twice.xlsx');
    const ids = new Map<number, RowUpdate>([
      [1, { 'Document Id': 'doc-a' }],
      [2, { 'Document Id': 'doc-a' }],
      [3, { 'Document Id': 'doc-b' }],
      [4, { 'Document Id': 'doc-c' }],
    ]);
    const results = new Map<number, RowUpdate>([
      [1, { 'Prebook #': 'PB-000007', Status: 'OK', Message: 'saved', Version: 1, 'Document Id': null }],
      [2, { 'Prebook #': 'PB-000007', Status: 'OK', Message: 'saved', Version: 1, 'Document Id': null }],
      [3, { Status: 'ERROR', Message: 'Units/Box: required' }],
    ]);
    const once = (await XlsxPushTables.open(atOnce, 'Prebooks'))!;
    const snapshotOnce = await once.read('Prebooks');
    await once.update('Prebooks', snapshotOnce, ids);
    await once.update('Prebooks', snapshotOnce, results);
    await once.save();
    const pinkBefore = (await cells(original)).filter((c) => (c as { fill: string }).fill === PINK).map((c) => (c as { r: number }).r);
    expect(pinkBefore.length).toBeGreaterThan(0);

    const fast = (await XlsxPushTables.open(twice, 'Prebooks'))!;
    const snapshot = await fast.read('Prebooks');
    await fast.update('Prebooks', snapshot, ids);
    await fast.persist();
    const persisted = await exceljsRead(twice);
    expect(persisted.rows.slice(0, 4).map((r) => r.values['Document Id'])).toEqual(['doc-a', 'doc-a', 'doc-b', 'doc-c']);
    expect((await cells(twice)).filter((c) => (c as { fill: string }).fill === PINK).map((c) => (c as { r: number }).r)).toEqual(pinkBefore);
    await fast.update('Prebooks', snapshot, results);
    await fast.save();
    expect(await cells(twice)).toEqual(await cells(atOnce));
    expect(await exceljsRead(twice)).toEqual(await exceljsRead(atOnce));
    expect((await exceljsRead(twice)).rows.map((r) => r.values['Document Id']).slice(0, 4)).toEqual([null, null, 'doc-b', 'doc-c']);
  });

  it('adds the new strings it writes over as many strings (the count of string cells unchanged)', async () => {
    const file = await variedWorkbook('strings.xlsx');
    const fast = (await XlsxPushTables.open(file, 'Prebooks'))!;
    // Two string cells overwritten by two strings the workbook never had.
    await fast.update('Prebooks', await fast.read('Prebooks'), new Map([[1, { Ref: 'NEW-1', Carrier: 'NEW-2' }]]));
    await fast.save();
    expect((await exceljsRead(file)).rows[0].values).toMatchObject({ Ref: 'NEW-1', Carrier: 'NEW-2' });
  });

  it("widens a row's spans over the cells it writes, from one range or several, and drops a spans it cannot read", async () => {
    const file = await variedWorkbook('spans.xlsx');
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    // Rows 2 and 3 get spans as other writers put them: several ranges, and one that is no range at all.
    const withSpans = sheet
      .replace(/(<row r="2"[^>]*? spans=")[^"]*/, (_, head: string) => `${head}1:2 4:5`)
      .replace(/(<row r="3"[^>]*? spans=")[^"]*/, (_, head: string) => `${head}x`);
    expect(withSpans).not.toBe(sheet);
    zip.file('xl/worksheets/sheet1.xml', withSpans);
    await fs.writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const fast = (await XlsxPushTables.open(file, 'Prebooks'))!;
    await fast.update(
      'Prebooks',
      await fast.read('Prebooks'),
      new Map([
        [1, { Status: 'OK', Message: 'saved' }],
        [2, { Status: 'OK', Message: 'saved' }],
      ]),
    );
    await fast.save();
    const saved = await (await JSZip.loadAsync(await fs.readFile(file))).file('xl/worksheets/sheet1.xml')!.async('string');
    const statusCol = allColumns('Prebooks').indexOf('Message') + 1;
    expect(/<row r="2"[^>]*>/.exec(saved)![0]).toContain(` spans="1:${Math.max(5, statusCol)}"`);
    expect(/<row r="3"[^>]*>/.exec(saved)![0]).not.toContain('spans=');
    expect((await exceljsRead(file)).rows.slice(0, 2).map((row) => row.values.Message)).toEqual(['saved', 'saved']);
  });

  it('reads and writes inline strings when the workbook has no shared strings (as some exporters write it)', async () => {
    const file = await variedWorkbook('inline.xlsx');
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const sst = await zip.file('xl/sharedStrings.xml')!.async('string');
    const strings = [...sst.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => m[1]);
    for (const part of ['xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
      const xml = await zip.file(part)!.async('string');
      zip.file(
        part,
        xml.replace(
          /<c ([^>]*?)t="s"([^>]*)><v>(\d+)<\/v><\/c>/g,
          (_, a: string, b: string, i: string) => `<c ${a}t="inlineStr"${b}><is>${strings[Number(i)]}</is></c>`,
        ),
      );
    }
    zip.remove('xl/sharedStrings.xml');
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file('xl/_rels/workbook.xml.rels', rels.replace(/<Relationship [^>]*sharedStrings[^>]*\/>/, ''));
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file('[Content_Types].xml', types.replace(/<Override [^>]*sharedStrings[^>]*\/>/, ''));
    await fs.writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const viaExceljs = await copy(file, 'inline-exceljs.xlsx');

    const fast = (await XlsxPushTables.open(file, 'Prebooks'))!;
    const snapshot = await fast.read('Prebooks');
    expect(snapshot).toEqual(await exceljsRead(file));
    expect(snapshot.rows[0].values['Customer PO']).toBe('PO-RICH');
    const updates = new Map<number, RowUpdate>([
      [1, { 'Prebook #': 'PB-000001', Status: 'OK', Message: 'saved & <done>' }],
      [2, { Status: 'ERROR', Message: 'Boxes: required' }],
    ]);
    await fast.update('Prebooks', snapshot, updates);
    await fast.save();
    const tables = await XlsxTables.open(viaExceljs);
    await tables.update('Prebooks', await tables.read('Prebooks'), updates);
    await tables.save();
    expect(await cells(file)).toEqual(await cells(viaExceljs));
    expect((await JSZip.loadAsync(await fs.readFile(file))).file('xl/sharedStrings.xml')).toBeNull();
  });

  it('drops the calculation chain when it overwrites a formula with a value (Excel rebuilds it; a stale one makes it repair the file)', async () => {
    const file = await variedWorkbook('calc.xlsx');
    // As Excel writes it: a calcChain part naming the formula cells, with its relationship and content type.
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    zip.file(
      'xl/calcChain.xml',
      '<?xml version="1.0"?><calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="P2" i="1"/></calcChain>',
    );
    const rels = await zip.file('xl/_rels/workbook.xml.rels')!.async('string');
    zip.file(
      'xl/_rels/workbook.xml.rels',
      rels.replace(
        '</Relationships>',
        '<Relationship Id="rIdCalc" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/></Relationships>',
      ),
    );
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file(
      '[Content_Types].xml',
      types.replace(
        '</Types>',
        '<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/></Types>',
      ),
    );
    await fs.writeFile(file, await zip.generateAsync({ type: 'nodebuffer' }));
    const fast = (await XlsxPushTables.open(file, 'Prebooks'))!;
    await fast.update('Prebooks', await fast.read('Prebooks'), new Map([[1, { Status: 'OK', Cost: 2 }]]));
    await fast.save();
    const saved = await JSZip.loadAsync(await fs.readFile(file));
    expect(saved.file('xl/calcChain.xml')).toBeNull();
    expect(await saved.file('xl/_rels/workbook.xml.rels')!.async('string')).not.toContain('calcChain');
    expect(await saved.file('[Content_Types].xml')!.async('string')).not.toContain('calcChain');
    expect((await exceljsRead(file)).rows[0].values.Cost).toBe(2);
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
