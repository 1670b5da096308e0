// XlsxPushTables writes a push's results back as the exceljs adapter does, on workbooks of every
// writer the tests have (Excel, openpyxl, LibreOffice, exceljs). Its reading: xlsx-push-tables.read.test.ts.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allColumns, type RowUpdate } from '../../addin/sheets/tables';
import { XlsxPushTables } from '../../cli/xlsx-push-tables.adapter';
import { XlsxTables } from '../../cli/xlsx-tables.adapter';
import { cells, copy, exceljsRead, variedWorkbook } from '../support/push-tables-workbooks';

const PINK = 'FFFDE2E1';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-push-tables-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('XlsxPushTables writes a push back as the exceljs adapter does', () => {
  it('gives the same cells, values, pink rows and date formats as XlsxTables, and keeps every other part of the file as it was', async () => {
    const original = await variedWorkbook(dir, 'write.xlsx');
    const viaExceljs = await copy(dir, original, 'write-exceljs.xlsx');
    const viaPatch = await copy(dir, original, 'write-patch.xlsx');
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
    expect(tableXml).toMatch(/<table [^>]*ref="A1:Y6"/);
    expect(await (await XlsxPushTables.open(viaPatch, 'Prebooks'))!.read('Prebooks')).toEqual(await exceljsRead(viaPatch));
    // Parts the push has no business with are the bytes they were (exceljs renders every part again).
    const before = await JSZip.loadAsync(await fs.readFile(original));
    for (const part of ['xl/worksheets/sheet2.xml', 'xl/workbook.xml', 'docProps/app.xml', 'xl/theme/theme1.xml'])
      expect(await zip.file(part)!.async('string'), part).toBe(await before.file(part)!.async('string'));
  });

  it('writes updates given in parts (a chunk at a time, a row written again) as the same updates given at once', async () => {
    const original = await variedWorkbook(dir, 'parts.xlsx');
    const atOnce = await copy(dir, original, 'parts-once.xlsx');
    const inParts = await copy(dir, original, 'parts-parts.xlsx');
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
    const original = await variedWorkbook(dir, 'persist.xlsx');
    const atOnce = await copy(dir, original, 'persist-once.xlsx');
    const twice = await copy(dir, original, 'persist-twice.xlsx');
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
    const file = await variedWorkbook(dir, 'strings.xlsx');
    const fast = (await XlsxPushTables.open(file, 'Prebooks'))!;
    // Two string cells overwritten by two strings the workbook never had.
    await fast.update('Prebooks', await fast.read('Prebooks'), new Map([[1, { Ref: 'NEW-1', Carrier: 'NEW-2' }]]));
    await fast.save();
    expect((await exceljsRead(file)).rows[0].values).toMatchObject({ Ref: 'NEW-1', Carrier: 'NEW-2' });
  });

  it("widens a row's spans over the cells it writes, from one range or several, and drops a spans it cannot read", async () => {
    const file = await variedWorkbook(dir, 'spans.xlsx');
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
    const file = await variedWorkbook(dir, 'inline.xlsx');
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
    const viaExceljs = await copy(dir, file, 'inline-exceljs.xlsx');

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
    const file = await variedWorkbook(dir, 'calc.xlsx');
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
