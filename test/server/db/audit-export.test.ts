// npm run audit:export: the audit trail before a day of the company's calendar goes to a file, and with
// --prune leaves the database once the file holds it; nothing else is touched.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAuditTrail, parseExportDate } from '../../../server/src/db/audit-export';
import { startTestServer, type TestServer } from '../../support/test-server';

const run = promisify(execFile);

async function readExport(file: string): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  for await (const line of readline.createInterface({ input: createReadStream(file).pipe(zlib.createGunzip()) })) {
    if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}

describe('audit trail export and pruning', () => {
  let t: TestServer;
  let db: pg.Client;
  let dir: string;
  const marked = async (): Promise<string[]> =>
    (await db.query<{ action: string }>(`select action from audit_event where entity = 'Export test' order by id`)).rows.map((r) => r.action);

  beforeAll(async () => {
    t = await startTestServer();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-audit-'));
    // Bogotá is UTC−5 all year: 2026-01-01 starts at 05:00 UTC there.
    await db.query(`update settings set time_zone = 'America/Bogota' where id = 1`);
    await db.query(
      `insert into audit_event (at, actor, action, entity, entity_id, payload) values
         ('2025-12-30T12:00:00Z', 'ana', 'a-old', 'Export test', '1', '{"units": 100, "note": "ü"}'),
         ('2025-12-31T18:00:00Z', 'ana', 'b-old', 'Export test', '2', null),
         ('2026-01-01T04:59:59Z', 'ana', 'c-last-minute', 'Export test', '3', '{"x": [1, 2]}'),
         ('2026-01-01T05:00:00Z', 'ana', 'd-new-day', 'Export test', '4', null),
         ('2026-01-02T10:00:00Z', 'ana', 'e-new', 'Export test', '5', null)`,
    );
  });
  afterAll(async () => {
    await db.end();
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads a date strictly as YYYY-MM-DD', () => {
    expect(parseExportDate('2026-01-01')).toBe('2026-01-01');
    for (const bad of [undefined, '2026-02-30', '01/02/2026', '2026-1-2', '2026-01-01T00:00']) expect(() => parseExportDate(bad)).toThrow(/YYYY-MM-DD/);
  });

  it('exports the events before the day in the company time zone, in id order, and deletes nothing without --prune', async () => {
    const file = path.join(dir, 'no-prune.jsonl.gz');
    const result = await exportAuditTrail(t.databaseUrl, file, { before: '2026-01-01' });
    expect(result).toMatchObject({ exported: 3, pruned: 0, timeZone: 'America/Bogota', cutoff: '2026-01-01T05:00:00.000Z' });
    const [header, ...events] = await readExport(file);
    expect(header).toMatchObject({ format: 'stemline-audit-export', version: 1, before: '2026-01-01' });
    expect(events.map((e) => e.action)).toEqual(['a-old', 'b-old', 'c-last-minute']);
    expect(events[0]).toMatchObject({ actor: 'ana', entity: 'Export test', entityId: '1', payload: { units: 100, note: 'ü' } });
    expect(events[1].payload).toBeNull();
    expect(await marked()).toEqual(['a-old', 'b-old', 'c-last-minute', 'd-new-day', 'e-new']);
  });

  it('refuses to overwrite a file, and a bad date, from the command line, touching nothing', async () => {
    const env = { ...process.env, DATABASE_URL: t.databaseUrl };
    const existing = path.join(dir, 'existing.jsonl.gz');
    await fs.writeFile(existing, 'keep me');
    const refused = await run(
      process.execPath,
      ['--import', 'tsx', 'server/src/db/audit-export-cli.ts', '--before', '2026-01-01', '--out', existing, '--prune'],
      {
        env,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toMatch(/exists already/);
    expect(await fs.readFile(existing, 'utf8')).toBe('keep me');
    const badDate = await run(process.execPath, ['--import', 'tsx', 'server/src/db/audit-export-cli.ts', '--before', '31/12/2025'], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(badDate).toMatchObject({ code: 2 });
    expect((badDate as { stderr: string }).stderr).toMatch(/--before needs a date as YYYY-MM-DD \(got "31\/12\/2025"\)/);
    expect(await marked()).toHaveLength(5);
  });

  it('with --prune deletes exactly the exported events, in batches, and keeps the rest', async () => {
    const file = path.join(dir, 'pruned.jsonl.gz');
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'server/src/db/audit-export-cli.ts', '--before', '2026-01-01', '--out', file, '--prune'],
      {
        env: { ...process.env, DATABASE_URL: t.databaseUrl },
      },
    );
    expect(stdout).toContain(`3 audit events before 2026-01-01 (America/Bogota) written to ${file}.`);
    expect(stdout).toContain('3 of them deleted from the database.');
    expect((await readExport(file)).slice(1).map((e) => e.action)).toEqual(['a-old', 'b-old', 'c-last-minute']);
    expect(await marked()).toEqual(['d-new-day', 'e-new']);

    const second = await exportAuditTrail(t.databaseUrl, path.join(dir, 'batched.jsonl.gz'), { before: '2026-01-03', prune: true, pruneBatch: 1 });
    expect(second).toMatchObject({ exported: 2, pruned: 2 });
    expect(await marked()).toEqual([]);
  });
});
