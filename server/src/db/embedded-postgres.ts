import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from './free-port';
import {
  clusterLocation,
  DEFAULT_RUNTIME_DIR,
  EmbeddedPostgresError,
  exists,
  postgresInstallation,
  postgresUser,
  USER,
  WHAT_ELSE,
  type RunAs,
} from './postgres-runtime';

export { DEFAULT_RUNTIME_DIR, EmbeddedPostgresError } from './postgres-runtime';

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
  if (isAlive(pid)) throw new EmbeddedPostgresError(`postgres pid ${pid} still holds ${clusterDir}; stop it (kill ${pid}) and start again.`);
}

async function readOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'pg-password');
  if (await exists(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = crypto.randomBytes(18).toString('base64url');
  await fs.writeFile(file, password + '\n', { mode: 0o600 });
  return password;
}

/** What to do for the usual ways a start fails, from what PostgreSQL printed. */
function adviceFor(output: string, port: number): string {
  if (/could not bind|Address already in use/i.test(output)) {
    return `Port ${port} is taken by another program: set STEMLINE_PG_PORT to a free port, or leave it unset to pick one.`;
  }
  if (/Permission denied|EACCES/i.test(output)) {
    return `Make the data directory reachable by the user PostgreSQL runs as (${process.getuid?.() === 0 ? USER : 'you'}), or set STEMLINE_DATA_DIR elsewhere.`;
  }
  if (/No space left/i.test(output)) return 'Free some disk space and start again.';
  if (/shared memory|could not create semaphores/i.test(output))
    return 'The system refuses PostgreSQL the shared memory or semaphores it needs (a container limit?): raise the limit, or use DATABASE_URL.';
  return "Read PostgreSQL's messages above; LOG_LEVEL=debug prints all of them.";
}

function lastLines(text: string, count = 8): string {
  return text.trim().split('\n').slice(-count).join('\n    ');
}

interface Spawned {
  child: ChildProcess;
  output(): string;
}

/** Runs a PostgreSQL program as `user` (or as the invoking user), its stderr and stdout going to `log`. */
function run(program: string, args: string[], user: RunAs | undefined, workDir: string, log: (m: string) => void): Spawned {
  let output = '';
  const child = spawn(program, args, {
    cwd: workDir,
    ...(user ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    // Only the tail matters for an error message; PostgreSQL keeps writing its log here for as long as it runs.
    output = (output + text).slice(-8_000);
    for (const line of text.split('\n')) if (line.trim()) log(line.trim());
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  return { child, output: () => output };
}

function failure(what: string, error: unknown, spawned: Spawned | undefined, port: number, context: string): EmbeddedPostgresError {
  const said = spawned?.output() ?? '';
  const reason = error instanceof Error ? error.message : String(error ?? '');
  const details = [reason, said && `PostgreSQL said:\n    ${lastLines(said)}`].filter(Boolean).join('\n  ');
  return new EmbeddedPostgresError(
    `The embedded PostgreSQL ${what} (${context}).\n  ${details}\n  What to do: ${adviceFor(`${reason}\n${said}`, port)} ${WHAT_ELSE}`,
  );
}

async function initialiseCluster(
  initdb: string,
  clusterDir: string,
  password: string,
  user: RunAs | undefined,
  workDir: string,
  log: (m: string) => void,
): Promise<void> {
  await fs.rm(clusterDir, { recursive: true, force: true });
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(workDir, `.pg-initial-password-${crypto.randomBytes(6).toString('hex')}`);
  await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  if (user) {
    await fs.chown(clusterDir, user.uid, user.gid);
    await fs.chown(passwordFile, user.uid, user.gid);
  }
  let spawned: Spawned | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      spawned = run(
        initdb,
        [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--lc-messages=C', '--encoding=UTF8'],
        user,
        workDir,
        log,
      );
      spawned.child.on('error', reject);
      spawned.child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`initdb exited with ${code ?? signal}`))));
    });
  } catch (error) {
    throw failure('could not create its cluster', error, spawned, 0, `initdb ${clusterDir}${user ? ` as user ${USER}` : ''}`);
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

const READY = 'database system is ready to accept connections';

async function startPostmaster(
  postgres: string,
  clusterDir: string,
  port: number,
  user: RunAs | undefined,
  workDir: string,
  log: (m: string) => void,
): Promise<ChildProcess> {
  const spawned = run(
    postgres,
    // Loopback only, and no unix socket, so clusters of several checkouts never collide.
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    user,
    workDir,
    log,
  );
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not ready after 60 s')), 60_000);
      const watch = () => {
        if (spawned.output().includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      };
      spawned.child.stderr!.on('data', watch);
      spawned.child.stdout!.on('data', watch);
      spawned.child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      spawned.child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited with ${code ?? signal} while starting`));
      });
    });
  } catch (error) {
    if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGKILL');
    throw failure(`did not start on 127.0.0.1:${port}`, error, spawned, port, `data in ${clusterDir}${user ? `, as user ${USER}` : ''}`);
  }
  return spawned.child;
}

async function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    // Fast shutdown; after 30 s an immediate one.
    child.kill('SIGINT');
    setTimeout(() => child.kill('SIGQUIT'), 30_000).unref();
  });
}

export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const log = options.onLog ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const runtimeDir = path.resolve(process.env.STEMLINE_PG_RUNTIME_DIR || DEFAULT_RUNTIME_DIR);
  await fs.mkdir(dataDir, { recursive: true });
  const user = await postgresUser();
  const installation = await postgresInstallation(user, runtimeDir);
  const cluster = await clusterLocation(dataDir, user, runtimeDir);
  const password = await readOrCreatePassword(dataDir);
  const port = options.port ?? (await findFreePort());

  if (!(await exists(path.join(cluster.real, 'PG_VERSION')))) {
    await initialiseCluster(path.join(installation, 'bin', 'initdb'), cluster.real, password, user, cluster.workDir, log);
  } else {
    await stopLeftoverPostmaster(cluster.real, log);
  }
  const postmaster = await startPostmaster(path.join(installation, 'bin', 'postgres'), cluster.real, port, user, cluster.workDir, log);

  const stop = async () => {
    await stopPostmaster(postmaster);
    if (options.persistent === false) {
      await fs.rm(cluster.real, { recursive: true, force: true });
      if (cluster.link !== cluster.real) await fs.rm(cluster.link, { force: true });
    }
  };
  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  const database = options.database ?? 'stemline';
  try {
    await createDatabaseIfMissing(adminUrl, database);
  } catch (error) {
    await stop();
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL started but refused a connection to 127.0.0.1:${port} (${String(error)}). What to do: if ${path.join(dataDir, 'pg-password')} was replaced, restore it or move ${cluster.link} aside to make a new cluster. ${WHAT_ELSE}`,
    );
  }

  return { url: `${base}/${database}`, adminUrl, port, stop };
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
