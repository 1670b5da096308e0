// PostgreSQL stopped and started again under a running server: requests fail clearly meanwhile,
// and succeed afterwards without restarting the server.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../../../server/src/db/orm';
import { startServerProcess, type ServerProcess } from '../../support/server-process';

const TOKEN = 'restart-test-admin-token-0123456789abcdef';

async function post(url: string, query: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> } };
}

describe('database restart under a running server', () => {
  let dataDir: string;
  let database: EmbeddedDatabase;
  let server: ServerProcess;
  let port: number;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-restart-'));
    database = await startEmbeddedPostgres({ dataDir, database: 'stemline' });
    port = database.port;
    const orm = await initOrm(database.url, { debug: false });
    await migrate(orm);
    await orm.close();
    server = await startServerProcess({ DATABASE_URL: database.url, STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_DEMO_DATA: 'off', NODE_ENV: 'production' });
  });
  afterAll(async () => {
    await server?.stop();
    await database?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('answers with a clear error while the database is down, and recovers by itself', async () => {
    const health = server.url.replace(/\/graphql$/, '/health');
    const save = `mutation { upsertCarriers(input: [{ code: "ARMELLINI", name: "Armellini" }]) { errors { code } } }`;
    expect((await post(server.url, save)).body.data.upsertCarriers.errors).toEqual([]);

    await database.stop();
    const down = await post(server.url, `{ carriers { totalCount } }`);
    expect(down.body.data).toBeFalsy();
    expect(down.body.errors![0].extensions!.code).toBe('DATABASE_UNAVAILABLE');
    expect(down.body.errors![0].message).toMatch(/database is not reachable/i);
    expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|select|stack/i);
    expect((await fetch(health)).status).toBe(503);

    database = await startEmbeddedPostgres({ dataDir, database: 'stemline', port });
    // The pool drops dead connections and opens new ones: no restart of the server.
    let up = await post(server.url, `{ carriers { totalCount } }`);
    for (let attempt = 0; attempt < 20 && !up.body.data; attempt++) up = await post(server.url, `{ carriers { totalCount } }`);
    expect(up.body.data).toEqual({ carriers: { totalCount: 1 } });
    expect((await fetch(health)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);
});
