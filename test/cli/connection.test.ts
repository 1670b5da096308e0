// stemline-sheet finds the server and token as npm run demo does, and says how to pass them when it cannot.
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionError, findConnection, localFetch } from '../../cli/connection';
import { main } from '../../cli/stemline-sheet';
import { startTestServer, type TestServer } from '../support/test-server';

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('stemline-sheet: finding the server and the token', () => {
  let t: TestServer;
  let dataDir: string;
  let port: string;
  beforeAll(async () => {
    t = await startTestServer();
    port = new URL(t.url).port;
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-data-'));
    await fs.writeFile(path.join(dataDir, 'admin-token'), `${t.adminToken}\n`, { mode: 0o600 });
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it('uses the server npm start runs on localhost:$PORT and the admin token it keeps in <data dir>/admin-token', async () => {
    const found = await findConnection({}, { PORT: port, STEMLINE_DATA_DIR: dataDir });
    expect(found).toMatchObject({ serverUrl: `http://localhost:${port}`, token: t.adminToken, tokenFrom: path.join(dataDir, 'admin-token') });
    // --server, --token and the environment come first.
    expect(await findConnection({ server: `${t.url}/graphql`, token: 'given' }, { STEMLINE_TOKEN: 'env' })).toMatchObject({
      serverUrl: t.url,
      token: 'given',
      tokenFrom: '--token',
    });
    expect(await findConnection({}, { STEMLINE_SERVER: t.url, STEMLINE_TOKEN: 'env', STEMLINE_DATA_DIR: dataDir })).toMatchObject({
      serverUrl: t.url,
      token: 'env',
    });
  });

  it('runs a command with nothing passed but PORT and STEMLINE_DATA_DIR, as after npm start', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { PORT: port, STEMLINE_DATA_DIR: dataDir });
    delete process.env.STEMLINE_SERVER;
    delete process.env.STEMLINE_TOKEN;
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const out = path.join(dataDir, 'staging.xlsx');
    try {
      expect(await main(['pull', 'staging', '--out', out])).toBe(0);
      expect(log.mock.calls.flat().join(' ')).toContain('0 staged box(es)');
    } finally {
      log.mockRestore();
      process.env = saved;
    }
  });

  it('says how to pass the server when none answers, and the token when there is none', async () => {
    const nobody = String(await freePort());
    const noServer = await findConnection({}, { PORT: nobody, STEMLINE_DATA_DIR: dataDir }).catch((e) => e);
    expect(noServer).toBeInstanceOf(ConnectionError);
    expect(noServer.message).toBe(
      `no Stemline server answers at https://localhost:${nobody} or http://localhost:${nobody}. Start one with npm start (PORT=${nobody}), or pass --server URL and --token TOKEN (or set STEMLINE_SERVER and STEMLINE_TOKEN).`,
    );
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-empty-'));
    const noToken = await findConnection({}, { PORT: port, STEMLINE_DATA_DIR: empty }).catch((e) => e);
    expect(noToken.message).toContain('no API token: pass --server URL and --token TOKEN (or set STEMLINE_SERVER and STEMLINE_TOKEN)');
    expect(noToken.message).toContain(path.join(empty, 'admin-token'));

    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const saved = { ...process.env };
    Object.assign(process.env, { PORT: nobody, STEMLINE_DATA_DIR: dataDir });
    delete process.env.STEMLINE_SERVER;
    try {
      expect(await main(['pull', 'staging', '--out', path.join(empty, 'x.xlsx')])).toBe(1);
      expect(error.mock.calls.flat().join(' ')).toContain('no Stemline server answers');
    } finally {
      error.mockRestore();
      process.env = saved;
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('names where a refused token came from', async () => {
    const bad = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-bad-'));
    await fs.writeFile(path.join(bad, 'admin-token'), 'stl_revoked');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const saved = { ...process.env };
    Object.assign(process.env, { PORT: port, STEMLINE_DATA_DIR: bad });
    delete process.env.STEMLINE_SERVER;
    delete process.env.STEMLINE_TOKEN;
    try {
      expect(await main(['pull', 'staging', '--out', path.join(bad, 'x.xlsx')])).toBe(1);
      const said = error.mock.calls.flat().join(' ');
      expect(said).toContain('UNAUTHENTICATED');
      expect(said).toContain(`the server refused the token from ${path.join(bad, 'admin-token')}; pass a valid --token or STEMLINE_TOKEN`);
    } finally {
      error.mockRestore();
      process.env = saved;
      await fs.rm(bad, { recursive: true, force: true });
    }
  });

  it("sends requests through node:http(s) (npm start's local certificate is accepted on localhost only)", async () => {
    const response = await localFetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
      body: '{"query":"{ me { role } }"}',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ data: { me: { role: 'ADMIN' } } });
    const refused = await localFetch(`${t.url}/graphql`, { method: 'POST', headers: new Headers({ 'content-type': 'application/json' }), body: '{' });
    expect([refused.status, refused.ok]).toEqual([401, false]);
    expect(new TextDecoder().decode(await refused.arrayBuffer())).toBe(await (await localFetch(`${t.url}/graphql`, { method: 'POST', body: '{' })).text());
  });
});
