// stemline-sheet on workbooks built to hurt it, run as a buyer runs it (its own process): zip bombs
// (declared, and lying about their size), sheets past the row limit, a DTD with entities, part names
// leading out of the workbook's folders. Each is refused before anything is read into memory or sent:
// exit code 2, the file named with the reason, no stack; the process's peak memory stays bounded. The
// hostile files are built here, small on disk.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToolProcess, type ToolRun } from '../support/tool-process';
import {
  manyLinesRow,
  bombPart,
  deflatedPart,
  prebooksSheetXml,
  prebooksWorkbookParts,
  SHEET_PART,
  workbookOf,
  zipArchive,
  type Part,
} from '../support/hostile-xlsx';

// Nothing answers there: a refusal must come before the server is asked anything.
const NOWHERE = ['--server', 'http://127.0.0.1:9', '--token', 'stl_unused'];

type Run = ToolRun;

const runTool = runToolProcess;

const sha = async (file: string) =>
  createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');

const ROW = manyLinesRow;

/** A refusal as the tool must give it: exit 2, the file named with the reason, nothing else on stdout, no stack. */
function expectRefused(run: Run, file: string, reason: RegExp): void {
  expect(run.code, run.stderr + run.stdout).toBe(2);
  expect(run.stderr).toContain(`stemline-sheet: ${file}: `);
  expect(run.stderr).toMatch(reason);
  expect(run.stderr).toMatch(/Nothing was read or sent\.\n$/);
  expect(run.stderr + run.stdout).not.toMatch(/\n\s+at |Error:|FATAL|ERR_/);
}

describe('stemline-sheet on hostile workbooks', () => {
  let dir: string;
  let parts: Map<string, string>;
  /** The Prebooks sheet inflating to a gigabyte of blanks after its start. */
  let bomb: Part;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-hostile-'));
    parts = await prebooksWorkbookParts();
    const head = parts.get(SHEET_PART)!.replace(/<sheetData>[\s\S]*$|<sheetData\/>[\s\S]*$/, '<sheetData>');
    bomb = await bombPart(SHEET_PART, 1024 * 1024 * 1024, head);
  }, 120_000);
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  const write = async (name: string, buffer: Buffer) => {
    const file = path.join(dir, name);
    await fs.writeFile(file, buffer);
    return file;
  };
  const withSheet = (sheet: Part) => zipArchive([...[...parts].filter(([name]) => name !== SHEET_PART).map(([name, text]) => deflatedPart(name, text)), sheet]);

  it('refuses a workbook whose zip directory declares parts past 200 MB, from the directory', async () => {
    const file = await write('bomb-declared.xlsx', withSheet(bomb));
    expect((await fs.stat(file)).size).toBeLessThan(2 * 1024 * 1024);
    const before = await sha(file);
    for (const args of [
      ['push', 'prebooks', file],
      ['pull', 'prebooks', '--out', file],
      ['refresh', 'prebooks', file],
    ]) {
      const run = await runTool([...args, ...NOWHERE]);
      expectRefused(
        run,
        file,
        /its parts would expand to 1024(\.\d)? MB \(as its zip directory declares\), more than the 200 MB this tool reads \(STEMLINE_SHEET_MAX_MB sets the limit\)/,
      );
      // Refused from the directory: nothing was inflated.
      expect(run.peakMb).toBeLessThan(250);
    }
    expect(await sha(file)).toBe(before);
  }, 60_000);

  it('refuses a bomb whose declared sizes lie, while inflating it, within bounded memory', async () => {
    // The directory says the sheet is a kilobyte: the 200 MB ceiling is met while inflating.
    const file = await write('bomb-lying.xlsx', withSheet({ ...bomb, size: 1000 }));
    for (const args of [
      ['push', 'prebooks', file],
      ['pull', 'prebooks', '--out', file],
    ]) {
      const run = await runTool([...args, ...NOWHERE]);
      expectRefused(
        run,
        file,
        /its parts expand to more than the 200 MB this tool reads \(STEMLINE_SHEET_MAX_MB sets the limit\), though its zip directory declares 0(\.\d)? MB/,
      );
      expect(run.peakMb).toBeLessThan(700);
    }
    // The limit is the buyer's to set.
    const small = await runTool(['push', 'prebooks', file, ...NOWHERE], { STEMLINE_SHEET_MAX_MB: '20' });
    expectRefused(small, file, /more than the 20 MB this tool reads/);
    expect(small.peakMb).toBeLessThan(250);
  }, 60_000);

  it('refuses a table past 100,000 rows, saying to split the file', async () => {
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 100_001, ROW);
    const file = await write('rows-100001.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }));
    const before = await sha(file);
    const run = await runTool(['push', 'prebooks', file, ...NOWHERE]);
    expectRefused(
      run,
      file,
      /its Prebooks table has 100,001 rows, more than the 100,000 this tool reads at once \(STEMLINE_SHEET_MAX_ROWS sets the limit\): split the file into workbooks of at most 100,000 rows each/,
    );
    expect(await sha(file)).toBe(before);
  }, 60_000);

  it('refuses a sheet far past the row limit before reading its cells, on every path', async () => {
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 5_000, ROW);
    const file = await write('rows-5000.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }));
    const limit = { STEMLINE_SHEET_MAX_ROWS: '1000' };
    for (const args of [
      ['push', 'prebooks', file],
      ['pull', 'prebooks', '--out', file],
      ['refresh', 'prebooks', file],
    ])
      expectRefused(
        await runTool([...args, ...NOWHERE], limit),
        file,
        /a sheet \(xl\/worksheets\/sheet1\.xml\) of 5,001 rows, more than the 1,000 rows a table may have .*: split the file into workbooks of at most 1,000 rows each/,
      );
    // A CSV too.
    const csv = path.join(dir, 'rows.csv');
    const columns = Object.keys(ROW(0));
    await fs.writeFile(
      csv,
      [columns.join(','), ...Array.from({ length: 1_500 }, (_, i) => columns.map((c) => ROW(i)[c as keyof ReturnType<typeof ROW>]).join(','))].join('\n'),
    );
    expectRefused(
      await runTool(['push', 'prebooks', csv, ...NOWHERE], limit),
      csv,
      /its Prebooks table has 1,50\d rows, more than the 1,000 this tool reads at once/,
    );
  }, 60_000);

  it('refuses a million-row sheet in seconds, within bounded memory', async () => {
    // Empty rows weigh 20 bytes each: 20 MB of XML, within the size limit, past the row limit.
    const rows = Array.from({ length: 1_000_000 }, (_, i) => `<row r="${i + 2}"/>`).join('');
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 0, ROW).replace('</sheetData>', `${rows}</sheetData>`);
    const file = await write('rows-1000000.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }));
    const started = Date.now();
    const run = await runTool(['push', 'prebooks', file, ...NOWHERE]);
    expectRefused(run, file, /a sheet \(xl\/worksheets\/sheet1\.xml\) of 1,000,001 rows, more than the 100,000 rows a table may have/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.peakMb).toBeLessThan(400);
  }, 60_000);

  it('names the file when a part is XML the reader cannot parse', async () => {
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 1, (i) => ({ ...ROW(i), 'Customer PO': '__LOL__' })).replace('__LOL__', '&lol9;');
    const file = await write('entity.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }));
    expectRefused(
      await runTool(['pull', 'prebooks', '--out', file, ...NOWHERE]),
      file,
      /a workbook whose XML this tool cannot read \(.*undefined entity.*\): open it in Excel and save it again/,
    );
  }, 60_000);

  it('refuses a workbook carrying a DTD, on push and on pull alike', async () => {
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 1, (i) => ({ ...ROW(i), 'Customer PO': '__LOL__' }))
      .replace(
        '<worksheet',
        '<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol9 "&lol2;&lol2;">]><worksheet',
      )
      .replace('__LOL__', '&lol9;');
    const file = await write('dtd.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }));
    for (const args of [
      ['push', 'prebooks', file],
      ['pull', 'prebooks', '--out', file],
    ])
      expectRefused(await runTool([...args, ...NOWHERE]), file, /a document type declaration \(<!DOCTYPE\) in xl\/worksheets\/sheet1\.xml/);
    // In any XML part, in any case.
    const types = parts.get('[Content_Types].xml')!.replace('<Types', '<!doctype Types><Types');
    const other = await write('dtd-types.xlsx', workbookOf(parts, { '[Content_Types].xml': types }));
    expectRefused(await runTool(['push', 'prebooks', other, ...NOWHERE]), other, /<!DOCTYPE\) in \[Content_Types\]\.xml/);
  }, 60_000);

  it('refuses part names leading out of the workbook, never copying them into the saved file', async () => {
    const sheet = prebooksSheetXml(parts.get(SHEET_PART)!, 1, ROW);
    for (const name of ['../../evil.txt', 'xl/../../evil.xml', '/etc/evil', 'xl\\..\\evil']) {
      const file = await write('names.xlsx', workbookOf(parts, { [SHEET_PART]: sheet }, [deflatedPart(name, 'evil')]));
      const before = await sha(file);
      const run = await runTool(['push', 'prebooks', file, ...NOWHERE]);
      expectRefused(
        run,
        file,
        /a part named ".*evil.*" in its zip archive \((a path leading out of the workbook's folders|an absolute path|control characters or backslashes)\), which no Excel workbook has/,
      );
      expect(await sha(file)).toBe(before);
    }
  }, 60_000);
});
