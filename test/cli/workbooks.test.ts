// stemline-sheet on workbooks as other tools write them: an Excel table placed anywhere, with the
// buyer's own columns and formulas, written by openpyxl (part /xl/tables/table1.xml, absolute), by
// LibreOffice Calc, with Excel 365's parts and markup (built by hand: no Excel here), and by the tool itself.
// Fixtures: test/fixtures/xlsx/make-fixtures.sh.
import fs from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { loadWorkbook } from '../../cli/xlsx-tables.adapter';
import { countRows, type TestServer } from '../support/test-server';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';

const PINK = 'FFFDE2E1';

describe('stemline-sheet reads and writes tables written by other tools', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-workbooks-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));

  /** The Prebooks table of a workbook: its sheet, header row, and cells by column name. */
  async function table(file: string) {
    const workbook = await loadWorkbook(file);
    const sheet = workbook.worksheets.find((ws) => Object.keys((ws as unknown as { tables: object }).tables).length)!;
    const model = (sheet as unknown as { tables: Record<string, { table: { tableRef: string; columns: Array<{ name: string }> } }> }).tables.Prebooks.table;
    const [from] = model.tableRef.split(':');
    const headerRow = Number(from.replace(/\D/g, ''));
    const columns = new Map<string, number>();
    sheet.getRow(headerRow).eachCell((cell, col) => columns.set(String(cell.value), col));
    const cell = (row: number, column: string) => sheet.getRow(headerRow + row).getCell(columns.get(column)!);
    return { workbook, sheet, model, headerRow, cell, columns };
  }

  async function tableXml(file: string): Promise<string> {
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const name = Object.keys(zip.files).find((n) => /^xl\/tables\/table\d+\.xml$/.test(n))!;
    return zip.file(name)!.async('string');
  }

  const fill = (cell: ExcelJS.Cell) => (cell.style?.fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb ?? null;

  for (const tool of ['excel', 'openpyxl', 'libreoffice']) {
    it(`pushes a Prebooks table written by ${tool}: results at the right rows, the buyer's title, columns and formulas kept, errors pink until fixed`, async () => {
      const file = path.join(dir, `prebooks-${tool}.xlsx`);
      await fs.copyFile(`test/fixtures/xlsx/prebooks-${tool}.xlsx`, file);
      const before = await countRows(t.orm, 'prebook');
      expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
      let read = await table(file);
      expect(read.headerRow).toBe(3);
      expect(read.sheet.getCell('A1').value).toBe('Spring orders (buyer: Ana)');
      const results = [1, 2, 3].map((r) => [read.cell(r, 'Prebook #').value, read.cell(r, 'Status').value, read.cell(r, 'Message').value]);
      const number = results[0][0] as string;
      expect(number).toMatch(/^PB-\d{6}$/);
      expect(results).toEqual([
        [number, 'OK', 'saved'],
        [number, 'OK', 'saved'],
        [null, 'ERROR', 'Customer: unknown customer "NOBODY"'],
      ]);
      expect(await countRows(t.orm, 'prebook')).toBe(before + 1);
      // The buyer's own columns and formulas are as they were; the bookkeeping columns joined the table, hidden.
      expect(read.cell(1, 'Buyer note').value).toBe('call Ana');
      expect(read.cell(1, 'Line total').value).toMatchObject({ formula: 'M4*P4' });
      expect(read.cell(2, 'Line total').value).toMatchObject({ formula: 'M5*P5' });
      // Price Source (what the server priced the line from) is written by the tool too, added on the right.
      expect(read.model.columns.map((c) => c.name).slice(-6)).toEqual(['Line total', 'Price Source', 'Version', 'Line Id', 'Pushed', 'Document Id']);
      expect(read.sheet.getColumn(read.columns.get('Version')!).hidden).toBe(true);
      const xml = await tableXml(file);
      expect(xml).toMatch(/ref="B3:AB6"/);
      expect(xml).toContain('tableColumns count="27"');
      // Only the row with the error is pink, every cell of it; the other rows (their dates too) never are.
      const cells = (row: number) => [...read.columns.values()].map((col) => read.sheet.getRow(read.headerRow + row).getCell(col));
      expect(cells(3).every((c) => fill(c) === PINK)).toBe(true);
      expect([...cells(1), ...cells(2)].filter((c) => fill(c) === PINK)).toEqual([]);

      // Fixed and pushed again: the row comes back OK and loses its pink.
      read.cell(3, 'Customer').value = 'BLOOMS';
      await read.workbook.xlsx.writeFile(file);
      expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
      read = await table(file);
      expect([read.cell(3, 'Status').value, read.cell(3, 'Message').value]).toEqual(['OK', 'saved']);
      expect([1, 2, 3].flatMap((r) => cells(r).map(fill)).filter((f) => f === PINK)).toEqual([]);
      expect(read.cell(1, 'Message').value).toBe('unchanged since the last push');
      expect(read.cell(1, 'Line total').value).toMatchObject({ formula: 'M4*P4' });
    });
  }

  it('makes templates as Excel tables with drop-downs from master data, Ship To per customer, and reads them back after the buyer fills them', async () => {
    const file = path.join(dir, 'template.xlsx');
    expect(await main(['new', 'prebooks', '--out', file, ...args])).toBe(0);
    const xml = await tableXml(file);
    expect(xml).toMatch(/name="Prebooks"/);
    const zip = await JSZip.loadAsync(await fs.readFile(file));
    const workbookXml = await zip.file('xl/workbook.xml')!.async('string');
    // Lists on a hidden sheet; one named range per customer with ship-tos.
    expect(workbookXml).toMatch(/<sheet [^>]*name="Lists"[^>]*state="hidden"/);
    expect(workbookXml).toMatch(/<definedName name="ShipTo_FRESHMART">Lists!\$[A-Z]+\$2:\$[A-Z]+\$3<\/definedName>/);
    const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const validations = Object.fromEntries(
      [...sheetXml.matchAll(/<dataValidation [^>]*sqref="([A-Z]+)2:\1\d+"[^>]*>\s*<formula1>([^<]+)<\/formula1>/g)].map((m) => [m[1], m[2]]),
    );
    const columns = [...((await loadWorkbook(file)).getWorksheet('Prebooks')!.getRow(1).values as unknown[])].slice(1) as string[];
    const at = (name: string) => String.fromCharCode(65 + columns.indexOf(name));
    for (const name of ['Customer', 'Carrier', 'Product', 'Box Type', 'Vendor', 'Sell By', 'Holiday'])
      expect(validations[at(name)], name).toMatch(/^Lists!\$[A-Z]+\$2:\$[A-Z]+\$\d+$/);
    expect(validations[at('Ship To')]).toBe(
      `INDIRECT(&quot;ShipTo_&quot;&amp;UPPER(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE($${at('Customer')}2,&quot;-&quot;,&quot;_&quot;),&quot; &quot;,&quot;_&quot;),&quot;.&quot;,&quot;_&quot;)))`,
    );
    const lists = (await loadWorkbook(file)).getWorksheet('Lists')!;
    const listOf = (formula: string) => {
      const [, col, last] = /^Lists!\$([A-Z]+)\$2:\$\1\$(\d+)$/.exec(formula)!;
      return Array.from({ length: Number(last) - 1 }, (_, i) => lists.getCell(`${col}${i + 2}`).value);
    };
    expect(listOf(validations[at('Customer')])).toEqual(['BLOOMS', 'BOUQUETWORKS', 'FRESHMART', 'HOLDCO']);
    expect(listOf(validations[at('Location')] ?? 'Lists!$A$2:$A$1')).toEqual([]); // no Location column on Prebooks
    const workbook = await loadWorkbook(file);
    const sheet = workbook.getWorksheet('Prebooks')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = sheet.getRow(2);
    const set = (column: string, value: ExcelJS.CellValue) => (row.getCell(header.indexOf(column) + 1).value = value);
    set('Customer', 'BLOOMS');
    set('Carrier', 'FEDEX');
    set('Truck Date', new Date('2027-04-02T00:00:00Z'));
    set('Product', 'VASE-20');
    set('Boxes', 2);
    set('Units/Box', 12);
    await workbook.xlsx.writeFile(file);
    // Where Excel's list does not reach (a pasted value, another tool), the Ship To is checked against the row's customer.
    const other = sheet.getRow(3);
    const setOther = (column: string, value: ExcelJS.CellValue) => (other.getCell(header.indexOf(column) + 1).value = value);
    for (const [column, value] of Object.entries({
      Customer: 'BLOOMS',
      'Ship To': 'DC-ATL',
      Carrier: 'FEDEX',
      'Truck Date': new Date('2027-04-02T00:00:00Z'),
      Product: 'VASE-20',
      Boxes: 1,
      'Units/Box': 12,
    }))
      setOther(column, value);
    await workbook.xlsx.writeFile(file);
    const part = async (name: string) => (await JSZip.loadAsync(await fs.readFile(file))).file(name)!.async('string');
    const listsBefore = await part('xl/worksheets/sheet2.xml');
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    // The table has all its columns: the push writes back only its cells, the Lists sheet is the text it was (exceljs renders every sheet again).
    expect(await part('xl/worksheets/sheet2.xml')).toBe(listsBefore);
    const again = await loadWorkbook(file);
    const pushed = again.getWorksheet('Prebooks')!.getRow(2);
    expect(pushed.getCell(header.indexOf('Status') + 1).value).toBe('OK');
    expect(String(pushed.getCell(header.indexOf('Prebook #') + 1).value)).toMatch(/^PB-\d{6}$/);
    const refused = again.getWorksheet('Prebooks')!.getRow(3);
    expect([refused.getCell(header.indexOf('Status') + 1).value, refused.getCell(header.indexOf('Message') + 1).value]).toEqual([
      'ERROR',
      // The server's leading field word becomes its column header (sheetMessage).
      'Ship To: Customer BLOOMS has no ship-to "DC-ATL"',
    ]);
    // The drop-downs survive the loads and saves of the push: the same ranges (C2:C10000, not one per cell) and lists.
    const pushedXml = await (await JSZip.loadAsync(await fs.readFile(file))).file('xl/worksheets/sheet1.xml')!.async('string');
    const ranges = (xml: string) =>
      [...xml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)<\/formula1>/g)].map((m) => `${m[1]} ${m[2]}`).sort();
    expect(ranges(pushedXml)).toEqual(ranges(sheetXml));
    expect(ranges(pushedXml).length).toBe(Object.keys(validations).length);
  });
});
