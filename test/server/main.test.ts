// `npm start` as a user runs it: a real process on the embedded PostgreSQL.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import https from 'node:https';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../server/src/db/free-port';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { childPids, cpuMs, runsServer } from '../support/proc-stat';
import { createTestDatabase } from '../support/test-server';

const children = new Set<ChildProcess>();

async function startMain(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  children.add(server.child);
  return server;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (exitCode) => resolve(exitCode));
    child.kill(signal);
  });
  children.delete(child);
  return code;
}

async function query(url: string, token: string | null, document = '{ settings { autoBilling } }') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query: document }) });
  return { status: response.status, body: (await response.json()) as any };
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

/** The server processes of a cluster's primary (postgres runs under it too). */
const serverWorkers = (primary: number) => childPids(primary).filter(runsServer);

describe('npm start (server/src/main.ts)', () => {
  const dataDir = path.join(os.tmpdir(), `stemline-main-${process.pid}-${Date.now()}`);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  let adminToken = '';

  it('starts on an embedded PostgreSQL, prints the URL and a first ADMIN token, answers only authenticated requests', async () => {
    const port = await findFreePort();
    // A token file left from an earlier cluster, readable by all: replaced, owner only.
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'admin-token'), 'stl_stale\n', { mode: 0o644 });
    const started = await startMain({ STEMLINE_DATA_DIR: dataDir, PORT: String(port), STEMLINE_DEMO_DATA: 'on' });
    expect(started.url).toBe(`http://localhost:${port}/graphql`);
    adminToken = /^\s+(stl_\S+)$/m.exec(started.output())![1];
    // The empty database gets the demo catalogue, and the token is kept for npm run demo (owner only).
    expect(started.output()).toMatch(/Demo data seeded on the empty database \(2 locations, 3 carriers, 5 vendors, 20 products, 5 customers\)/);
    const tokenFile = path.join(dataDir, 'admin-token');
    expect((await fs.readFile(tokenFile, 'utf8')).trim()).toBe(adminToken);
    expect((await fs.stat(tokenFile)).mode & 0o777).toBe(0o600);
    const demo = await query(started.url, adminToken, `{ vendors { nodes { kind defaultPortOfOrigin } } customers { totalCount } }`);
    expect(new Set(demo.body.data.vendors.nodes.map((v: any) => `${v.kind} ${v.defaultPortOfOrigin}`))).toEqual(
      new Set(['FARM BOG', 'FARM MDE', 'FARM UIO', 'HARD_GOODS MIA', 'PRODUCTION MIA']),
    );

    const ok = await query(started.url, adminToken);
    expect(ok).toEqual({ status: 200, body: { data: { settings: { autoBilling: 'ON_MANUAL_CONFIRMATION' } } } });
    const refused = await query(started.url, null);
    expect(refused.status).toBe(401);
    expect(refused.body.data).toBeUndefined();

    const config = await fs.readFile(path.join(dataDir, 'pg', 'postgresql.auto.conf'), 'utf8').catch(() => '');
    const pid = await postmasterPid(dataDir);
    const pidFile = await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8');
    expect(pidFile).toContain('127.0.0.1');
    expect(config).not.toContain("listen_addresses = '*'");

    expect(await stop(started.child, 'SIGTERM')).toBe(0);
    expect(await waitUntilDead(pid)).toBe(true);
  });

  it('keeps its data across a restart and creates no second token', async () => {
    const started = await startMain({ STEMLINE_DATA_DIR: dataDir, PORT: String(await findFreePort()), STEMLINE_DEMO_DATA: 'on' });
    expect(started.output()).not.toContain('first ADMIN API token');
    expect(started.output()).not.toContain('Demo data seeded');
    expect((await query(started.url, adminToken)).status).toBe(200);
    const pid = await postmasterPid(dataDir);
    expect(await stop(started.child, 'SIGINT')).toBe(0);
    expect(await waitUntilDead(pid)).toBe(true);
  });

  it('recovers after an unclean stop (SIGKILL) that left postgres running', async () => {
    const first = await startMain({ STEMLINE_DATA_DIR: dataDir, PORT: String(await findFreePort()) });
    const orphan = await postmasterPid(dataDir);
    await stop(first.child, 'SIGKILL');
    expect(alive(orphan)).toBe(true);

    const second = await startMain({ STEMLINE_DATA_DIR: dataDir, PORT: String(await findFreePort()) });
    expect((await query(second.url, adminToken)).status).toBe(200);
    expect(alive(orphan)).toBe(false);
    const pid = await postmasterPid(dataDir);
    expect(await stop(second.child, 'SIGTERM')).toBe(0);
    expect(await waitUntilDead(pid)).toBe(true);
  });

  it('uses DATABASE_URL instead of an embedded database, and accepts STEMLINE_ADMIN_TOKEN', async () => {
    const otherDir = path.join(dataDir, 'unused');
    const started = await startMain({
      DATABASE_URL: await createTestDatabase(),
      STEMLINE_DATA_DIR: otherDir,
      STEMLINE_ADMIN_TOKEN: 'ci-admin-token-0123456789abcdef0123456789',
      PORT: String(await findFreePort()),
    });
    expect(started.output()).toContain('Using the PostgreSQL of DATABASE_URL');
    expect(started.output()).not.toContain('first ADMIN API token');
    await expect(fs.access(otherDir)).rejects.toThrow();
    const me = await query(started.url, 'ci-admin-token-0123456789abcdef0123456789', '{ me { role } }');
    expect(me.body).toEqual({ data: { me: { role: 'ADMIN' } } });
    expect(await stop(started.child, 'SIGTERM')).toBe(0);
  });

  it('refuses to start with an STEMLINE_ADMIN_TOKEN shorter than 32 characters, saying why and what to do', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, STEMLINE_ADMIN_TOKEN: 'a', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', PORT: String(await findFreePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('STEMLINE_ADMIN_TOKEN is 1 characters long; it must have at least 32');
    expect(output).toContain('openssl rand -base64 32');
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('serves HTTPS when given a certificate, as Excel requires for a sideloaded task pane', async () => {
    const certDir = path.join(dataDir, 'tls');
    await fs.mkdir(certDir, { recursive: true });
    const [cert, key] = [path.join(certDir, 'localhost.crt'), path.join(certDir, 'localhost.key')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-days',
        '1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const started = await startMain({
      DATABASE_URL: await createTestDatabase(),
      STEMLINE_ADMIN_TOKEN: 'tls-admin-token-0123456789abcdef0123456789',
      STEMLINE_TLS: '',
      STEMLINE_TLS_CERT: cert,
      STEMLINE_TLS_KEY: key,
      PORT: String(await findFreePort()),
    });
    expect(started.url).toMatch(/^https:\/\/localhost:\d+\/graphql$/);
    const ca = await fs.readFile(cert);
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        started.url,
        { method: 'POST', ca, headers: { 'content-type': 'application/json', authorization: 'Bearer tls-admin-token-0123456789abcdef0123456789' } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ query: '{ me { role } }' }));
    });
    expect(JSON.parse(body)).toEqual({ data: { me: { role: 'ADMIN' } } });
    expect(await stop(started.child, 'SIGTERM')).toBe(0);
  });
  it('with STEMLINE_WORKERS=2 serves one port from two processes, replaces one that dies, and stops them all with postgres', async () => {
    const workersDir = `${dataDir}-workers`;
    const ADMIN = 'workers-admin-token-0123456789abcdef0123456789';
    try {
      const started = await startMain({ STEMLINE_DATA_DIR: workersDir, STEMLINE_WORKERS: '2', STEMLINE_ADMIN_TOKEN: ADMIN });
      expect(started.output()).toContain('2 server processes share the port (STEMLINE_WORKERS)');
      const primary = started.child.pid!;
      const nodeWorkers = serverWorkers(primary);
      expect(nodeWorkers).toHaveLength(2);
      const before = nodeWorkers.map((pid) => cpuMs(pid));
      // Many connections: the primary hands them out in turn, so both workers do work.
      const answers = await Promise.all(Array.from({ length: 40 }, () => query(started.url, ADMIN, '{ me { role } }')));
      expect(answers.every((a) => a.status === 200 && a.body.data.me.role === 'ADMIN')).toBe(true);
      nodeWorkers.forEach((pid, i) => expect(cpuMs(pid)).toBeGreaterThan(before[i]));

      process.kill(nodeWorkers[0], 'SIGKILL');
      expect(await waitUntilDead(nodeWorkers[0])).toBe(true);
      let replaced: number[] = [];
      for (let i = 0; i < 100 && replaced.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        replaced = serverWorkers(primary).filter((pid) => !nodeWorkers.includes(pid));
      }
      expect(replaced).toHaveLength(1);
      const again = await Promise.all(Array.from({ length: 10 }, () => query(started.url, ADMIN, '{ me { role } }')));
      expect(again.every((a) => a.status === 200)).toBe(true);

      const postgres = await postmasterPid(workersDir);
      expect(await stop(started.child, 'SIGTERM')).toBe(0);
      for (const pid of [nodeWorkers[1], replaced[0], postgres]) expect(await waitUntilDead(pid)).toBe(true);
    } finally {
      await fs.rm(workersDir, { recursive: true, force: true });
    }
  }, 180_000);
});
