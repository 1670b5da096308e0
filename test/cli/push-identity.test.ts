// A push never loses nor duplicates a document: new documents are known by the hidden Document Id
// written into the workbook before anything is sent, a workbook that cannot be written is refused
// before anything is sent, and results that cannot be saved after the server took them go beside it.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { resultsPathFor as resultsPath } from '../../cli/results-workbook';
import { EXIT_RESULTS_ELSEWHERE } from '../../cli/workbook-access';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { countRows, type TestServer } from '../support/test-server';
import { readSheet, writeSheet } from '../support/xlsx';

/**
 * A proxy in front of the test server that lets a test act when a save (not a dry run) of
 * `operation` has been answered by the server: before the answer goes on to the tool, or instead
 * of it (the answer is lost: the connection is cut).
 */
async function startProxy(target: string, operation: string, onSaved: () => Promise<'forward' | 'drop'>) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const answer = await fetch(new URL(req.url ?? '/', target), {
        method: req.method,
        headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization ?? '') },
        body: req.method === 'POST' ? body : undefined,
      });
      const text = await answer.text();
      const saving = body.includes(operation) && !/"dryRun":true/.test(body.toString());
      if (saving && (await onSaved()) === 'drop') return req.socket.destroy();
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const ORDER = { Ref: '1', Customer: 'FRESHMART', Carrier: 'ARMELLINI', 'Truck Date': new Date('2027-03-10T00:00:00Z'), Product: 'ROSE-FREEDOM-50' };

async function setCell(file: string, row: number, column: string, value: ExcelJS.CellValue): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet('Prebooks')!;
  sheet.getRow(row).getCell((sheet.getRow(1).values as unknown[]).indexOf(column)).value = value;
  await workbook.xlsx.writeFile(file);
}

async function boxesOf(t: TestServer): Promise<number[]> {
  const rows = await t.orm.em.getConnection().execute<Array<{ boxes: number }>>(`select boxes from prebook_line order by id`);
  return rows.map((r) => Number(r.boxes));
}

describe('stemline-sheet push: documents known by their id, workbooks written safely', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  const token = () => args[args.indexOf('--token') + 1];
  let log: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-identity-'));
  });
  afterAll(() => closeCliWorkspace(t, dir));
  const capture = () => {
    log = [];
    const keep = (...parts: unknown[]) => void log.push(parts.map(String).join(' '));
    vi.spyOn(console, 'log').mockImplementation(keep);
    vi.spyOn(console, 'error').mockImplementation(keep);
  };
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.orm.em.getConnection().execute(`truncate prebook_line, prebook restart identity cascade`);
    await t.orm.em.getConnection().execute(`alter sequence prebook_number_seq restart`);
  });

  it('makes two prebooks of two files with the same new row (the morning and the afternoon order), one when a file is pushed again', async () => {
    const morning = path.join(dir, 'morning.xlsx');
    const afternoon = path.join(dir, 'afternoon.xlsx');
    await writeSheet(morning, 'Prebooks', [{ ...ORDER, Boxes: 7, 'Units/Box': 100 }]);
    await writeSheet(afternoon, 'Prebooks', [{ ...ORDER, Boxes: 7, 'Units/Box': 100 }]);
    expect(await main(['push', 'prebooks', morning, ...args])).toBe(0);
    expect(await main(['push', 'prebooks', afternoon, ...args])).toBe(0);
    expect(await countRows(t.orm, 'prebook')).toBe(2);
    const [first] = await readSheet(morning, 'Prebooks');
    const [second] = await readSheet(afternoon, 'Prebooks');
    expect([first['Prebook #'], first.Message, second['Prebook #'], second.Message]).toEqual(['PB-000001', 'saved', 'PB-000002', 'saved']);
    // Once numbered, a document is known by its number: the id is left behind, so a copy of the rows is a new document.
    expect(first['Document Id']).toBeNull();
    expect(await main(['push', 'prebooks', morning, ...args])).toBe(0);
    expect(await countRows(t.orm, 'prebook')).toBe(2);
  });

  it('replays a push whose answer was lost, even with a document added before it since (the chunks moved): one prebook per document', async () => {
    const file = path.join(dir, 'lost-answer.xlsx');
    await writeSheet(file, 'Prebooks', [
      { ...ORDER, Boxes: 7, 'Units/Box': 100 },
      { ...ORDER, Ref: '2', Boxes: 3, 'Units/Box': 100 },
    ]);
    const proxy = await startProxy(t.url, 'savePrebooks', async () => 'drop');
    capture();
    expect(await main(['push', 'prebooks', file, '--server', proxy.url, '--token', token()])).toBe(1);
    await proxy.close();
    expect(await countRows(t.orm, 'prebook')).toBe(2);
    const ids = (await readSheet(file, 'Prebooks')).map((r) => r['Document Id']);
    expect(ids.every((id) => typeof id === 'string' && id.length >= 16)).toBe(true);
    expect(new Set(ids).size).toBe(2);

    // A new first document: the push sent now is not the one sent before, but its documents are.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('Prebooks')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const added: Record<string, unknown> = { ...ORDER, Ref: '0', Boxes: 1, 'Units/Box': 100 };
    sheet.spliceRows(
      2,
      0,
      header.map((column) => (added[column] ?? null) as ExcelJS.CellValue),
    );
    await workbook.xlsx.writeFile(file);
    vi.restoreAllMocks();
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    expect(await countRows(t.orm, 'prebook')).toBe(3);
    const rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r.Ref, r['Prebook #'], r.Message])).toEqual([
      ['0', 'PB-000003', 'saved'],
      ['1', 'PB-000001', 'already saved by an earlier push'],
      ['2', 'PB-000002', 'already saved by an earlier push'],
    ]);
  });

  it('refuses a workbook Excel or LibreOffice has open (its lock file beside it) before anything is sent', async () => {
    const file = path.join(dir, 'open in excel.xlsx');
    await writeSheet(file, 'Prebooks', [{ ...ORDER, Boxes: 7, 'Units/Box': 100 }]);
    const before = await fs.readFile(file);
    for (const lock of [path.join(dir, '~$open in excel.xlsx'), path.join(dir, '.~lock.open in excel.xlsx#')]) {
      await fs.writeFile(lock, 'someone');
      capture();
      expect(await main(['push', 'prebooks', file, ...args])).toBe(2);
      expect(log.join('\n')).toContain('close open in excel.xlsx in Excel first');
      expect(log.join('\n')).toContain('nothing was sent');
      vi.restoreAllMocks();
      await fs.rm(lock);
    }
    expect(await countRows(t.orm, 'prebook')).toBe(0);
    expect((await fs.readFile(file)).equals(before)).toBe(true);

    // Every command that writes into the workbook it is given.
    const staging = path.join(dir, 'staging.xlsx');
    await writeSheet(staging, 'Staging', []);
    for (const [target, command] of [
      [staging, ['confirm', staging]],
      [file, ['refresh', 'prebooks', file]],
      [file, ['pull', 'prebooks', '--out', file]],
    ] as const) {
      const lock = path.join(dir, `~$${path.basename(target)}`);
      await fs.writeFile(lock, 'someone');
      capture();
      expect(await main([...command, ...args]), command.join(' ')).toBe(2);
      expect(log.join('\n')).toContain(`close ${path.basename(target)} in Excel first`);
      vi.restoreAllMocks();
      await fs.rm(lock);
    }
    expect((await fs.readFile(file)).equals(before)).toBe(true);
  });

  it('writes the results beside a workbook that could not be saved after the server took the push, lists the saved documents, and a second push of the edited workbook updates them (Boxes 7 -> 8): never two', async () => {
    const file = path.join(dir, 'buyer.xlsx');
    await writeSheet(file, 'Prebooks', [
      { ...ORDER, Boxes: 7, 'Units/Box': 100 },
      { ...ORDER, Ref: '2', Boxes: 2, 'Units/Box': 100 },
    ]);
    // Once the server has saved, the workbook cannot be written (as when Excel holds it): its path is taken by a folder.
    let held: Buffer | undefined;
    const proxy = await startProxy(t.url, 'savePrebooks', async () => {
      held = await fs.readFile(file);
      await fs.rm(file);
      await fs.mkdir(file);
      return 'forward';
    });
    capture();
    expect(await main(['push', 'prebooks', file, '--server', proxy.url, '--token', token()])).toBe(EXIT_RESULTS_ELSEWHERE);
    await proxy.close();
    const said = log.join('\n');
    expect(said).toContain(`${file} could not be saved after the server took the push`);
    expect(said).toContain(resultsPath(file));
    expect(said).toMatch(/PB-000001: row 2\b/);
    expect(said).toMatch(/PB-000002: row 3\b/);
    expect(path.basename(resultsPath(file))).toBe('buyer (results).xlsx');
    const results = await readSheet(resultsPath(file), 'Prebooks');
    expect(results.map((r) => [r['Prebook #'], r.Status, r.Message])).toEqual([
      ['PB-000001', 'OK', 'saved'],
      ['PB-000002', 'OK', 'saved'],
    ]);
    expect(await countRows(t.orm, 'prebook')).toBe(2);

    // Excel lets go of the workbook, as it was when the push was sent; the buyer edits Boxes 7 -> 8 and pushes it again.
    await fs.rm(file, { recursive: true });
    await fs.writeFile(file, held!);
    await setCell(file, 2, 'Boxes', 8);
    vi.restoreAllMocks();
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    const rows = await readSheet(file, 'Prebooks');
    expect(rows.map((r) => [r['Prebook #'], r.Version, r.Message])).toEqual([
      ['PB-000001', 2, 'saved'],
      ['PB-000002', 1, 'already saved by an earlier push'],
    ]);
    expect(await countRows(t.orm, 'prebook')).toBe(2);
    expect(await boxesOf(t)).toEqual([8, 2]);

    // The results workbook pushed again is the same documents too.
    expect(await main(['push', 'prebooks', resultsPath(file), ...args])).toBe(0);
    expect(await countRows(t.orm, 'prebook')).toBe(2);

    // The file as it was sent, edited otherwise (Boxes 2 -> 3) and pushed once more after someone changed PB-000002 on the server:
    // refused, naming the prebook to pull (and PB-000001, changed by the push of 8 boxes since).
    await fs.writeFile(file, held!);
    await setCell(file, 3, 'Boxes', 3);
    await t.ok(`mutation { closePrebook(number: "PB-000002") { errors { code } } }`);
    capture();
    expect(await main(['push', 'prebooks', file, ...args])).toBe(1);
    expect((await readSheet(file, 'Prebooks')).map((r) => [r.Status, r.Message])).toEqual(
      [1, 2].map((n) => [
        'STALE',
        `Prebook #: already saved as PB-00000${n} by an earlier push, and changed since (version 2): pull PB-00000${n} and make your edits there`,
      ]),
    );
    expect(await countRows(t.orm, 'prebook')).toBe(2);
  });

  it('checks the server and the token when nothing needed sending, and says so when they fail', async () => {
    const file = path.join(dir, 'unchanged.xlsx');
    await writeSheet(file, 'Prebooks', [{ ...ORDER, Boxes: 7, 'Units/Box': 100 }]);
    expect(await main(['push', 'prebooks', file, ...args])).toBe(0);
    capture();
    expect(await main(['push', 'prebooks', file, '--server', t.url, '--token', 'not-the-token'])).toBe(1);
    // A push first reads the company's settings (its decimal separator and today), so the token is refused there.
    expect(log.join('\n')).toContain('refused the token');
    log.length = 0;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const down = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await main(['push', 'prebooks', file, '--server', down, '--token', token()])).toBe(1);
    expect(log.join('\n')).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql: .*is the server running\?/);
    expect(log.join('\n')).not.toContain('row(s) OK, 0 with errors, 0 stale.\n');
  });
});
