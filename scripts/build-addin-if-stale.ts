// npm start's first step: builds the task pane with Vite only when its sources changed since the last
// build. A hash of what the bundle is made from (addin/ with its Vite config, the lockfile, tsconfig)
// is kept in a stamp file inside the build output; a missing output or stamp, or another hash, rebuilds.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the bundle is built from, relative to the repository: directories are read whole. */
export const ADDIN_INPUTS = ['addin', 'package-lock.json', 'tsconfig.json'];
/** Written into the output directory after a build; `vite build` empties the directory first. */
export const STAMP_FILE = '.source-hash';
/** The file a finished build always has. */
const ENTRY = 'taskpane.html';

function filesUnder(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [relative];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => filesUnder(root, path.join(relative, name)));
}

/** sha256 over the inputs' paths and contents, in a fixed order. */
export function sourceHash(root: string, inputs: string[] = ADDIN_INPUTS): string {
  const hash = crypto.createHash('sha256');
  for (const file of inputs.flatMap((input) => filesUnder(root, input))) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export interface BuildOptions {
  root: string;
  outDir: string;
  inputs?: string[];
  /** Builds the bundle into outDir (Vite; injectable for the test). */
  build: (outDir: string) => Promise<void>;
}

/** Builds unless outDir holds a build of exactly these sources; says which it did. */
export async function buildAddinIfStale(options: BuildOptions): Promise<{ built: boolean; seconds: number }> {
  const hash = sourceHash(options.root, options.inputs);
  const stamp = path.join(options.outDir, STAMP_FILE);
  const current = fs.existsSync(path.join(options.outDir, ENTRY)) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === hash;
  if (current) return { built: false, seconds: 0 };
  const start = process.hrtime.bigint();
  // A build that fails half-way must not leave an old stamp that would pass for this one.
  fs.rmSync(stamp, { force: true });
  await options.build(options.outDir);
  fs.writeFileSync(stamp, `${hash}\n`);
  return { built: true, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function viteBuild(root: string, outDir: string): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'addin/vite.config.ts'), build: { outDir, emptyOutDir: true } });
}

async function main(): Promise<number> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.join(root, 'dist/addin');
  const shown = path.relative(process.cwd(), outDir) || outDir;
  const { built, seconds } = await buildAddinIfStale({ root, outDir, build: (dir) => viteBuild(root, dir) });
  console.log(built ? `Add-in built into ${shown} in ${seconds.toFixed(1)} s` : `Add-in up to date in ${shown} (no source changed since its build)`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(await main());
