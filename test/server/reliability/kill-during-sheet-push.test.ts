// A server process killed (SIGKILL) in the middle of a sheet push of 8,000 lines (four chunks, two at a
// time), some chunks saved and some not, their answers lost: the buyer edits two rows and pushes the
// same workbook again to another process. Each document is saved once, the edited ones updated: the
// workbook's new documents carry their ids from before the first request, whatever chunks they go in.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isoDate, prebookInput, seedMasters } from '../../../bench/dataset';
import { writePrebooksWorkbook } from '../../../bench/sheet-push-bench';
import { main } from '../../../cli/stemline-sheet';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { createTestDatabase } from '../../support/test-server';

const TOKEN = 'kill-push-admin-token-0123456789abcdef';
const LINES = 8_000;

describe('SIGKILL in the middle of a sheet push', () => {
  let databaseUrl: string;
  let db: pg.Client;
  let dir: string;
  let documents: number;
  const file = () => path.join(dir, 'spring.xlsx');
  const servers: ServerProcess[] = [];
  const start = async () => {
    const server = await startServerProcess({ DATABASE_URL: databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_DEMO_DATA: 'off' });
    servers.push(server);
    return server;
  };
  const saved = async () =>
    (await db.query(`select count(*)::int as n, count(distinct document_id)::int as ids from prebook`)).rows[0] as { n: number; ids: number };

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-kill-push-'));
    const server = await start();
    await seedMasters(server.url, TOKEN);
    const prebooks = prebookInput(LINES, 2, isoDate(30), 'K');
    documents = prebooks.length;
    await writePrebooksWorkbook(file(), ['--server', server.url, '--token', TOKEN], prebooks);
    await server.stop();
  }, 300_000);
  afterAll(async () => {
    for (const server of servers) await server.stop('SIGKILL');
    await db?.end();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('saves each document once when the same workbook, edited, is pushed again after the kill', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const said: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void said.push(line));
    const doomed = await start();
    const push = main(['push', 'prebooks', file(), '--server', doomed.url, '--token', TOKEN]);
    // Killed once a first chunk is saved (the others in flight or not sent yet).
    let during = await saved();
    for (let i = 0; i < 3000 && during.n === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      during = await saved();
    }
    expect(during.n).toBeGreaterThan(0);
    expect(await doomed.stop('SIGKILL')).toBeNull();
    expect(await push).toBe(1);
    expect(said.join('\n')).toContain(`Push ${file()} again once the server answers: the documents it already saved are recognised, not saved twice`);
    const afterKill = await saved();
    expect(afterKill.n).toBeLessThan(documents);

    // The buyer raises the boxes of a line in the first chunk and of one in the second, then pushes again.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file());
    const sheet = workbook.getWorksheet('Prebooks')!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    expect(header).toContain('Document Id');
    const boxes = header.indexOf('Boxes');
    for (const row of [2, 2 + 2600]) sheet.getRow(row).getCell(boxes).value = 5;
    await workbook.xlsx.writeFile(file());

    const survivor = await start();
    expect(await main(['push', 'prebooks', file(), '--server', survivor.url, '--token', TOKEN])).toBe(0);
    expect(await saved()).toEqual({ n: documents, ids: documents });
    const { rows } = await db.query(`select count(*)::int as n from prebook_line where boxes = 5`);
    expect(rows[0].n).toBe(2);
    vi.restoreAllMocks();
  }, 300_000);
});
