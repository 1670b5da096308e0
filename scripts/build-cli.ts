// Builds the sheet tool ahead of time: cli/bin.ts and everything it imports (the workflows, exceljs
// and the other packages) bundled by esbuild into dist/stemline-sheet, a package of its own with no
// dependency to install (package.json, README.md, the bundled packages' licences, stemline-sheet.mjs
// and its chunks). exceljs stays in a chunk loaded only by the commands that use it, so --help and a
// push start without it.
//
//   npm run build:cli               build (npm install and npm pack run it too, as `prepare`)
//   ... build-cli.ts --if-stale      build only when a source changed since the last build (npm start, the tests, the bench)
//   npm run pack:sheet              a fresh build packed as dist/stemline-sheet-<version>.tgz, for `npm install -g <file>`
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { CLI_OUT_DIR, CLI_STAMP, sha256, staleCliSources } from '../bin/cli-build-stamp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Besides the bundle's own sources: what decides the bundled packages' versions and how the package is made. */
const BUILD_INPUTS = ['package.json', 'package-lock.json', 'scripts/build-cli.ts', 'cli/package-readme.md'];
/** A chunk a newer build no longer has is removed only when this old: a tool started before the build may still load it. */
const OBSOLETE_AFTER_MS = 10 * 60_000;
// The bundled CommonJS packages (exceljs and its dependencies) call require() for Node's own modules.
const BANNER = "import { createRequire as __stemlineCreateRequire } from 'node:module';\nconst require = __stemlineCreateRequire(import.meta.url);";

interface RootPackage {
  version: string;
  engines?: Record<string, string>;
}

/** The buyer's package.json: one command, no dependencies, never published by mistake. */
function packageJson(root: string): string {
  const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as RootPackage;
  const layout = {
    name: 'stemline-sheet',
    version: own.version,
    description: "Stemline's sheet tool: push and pull prebooks, purchase orders, shipments, staging and invoices as .xlsx files",
    private: true,
    license: 'UNLICENSED',
    type: 'module',
    bin: { 'stemline-sheet': 'stemline-sheet.mjs' },
    engines: own.engines ?? { node: '>=20' },
    files: ['*.mjs', 'README.md', 'THIRD-PARTY-LICENSES.txt'],
  };
  return `${JSON.stringify(layout, null, 2)}\n`;
}

/** The packages bundled (from esbuild's inputs), each with its licence text: the MIT and similar licences ask for it in every copy. */
function thirdPartyNotices(root: string, inputs: string[]): string {
  const packages = new Map<string, string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
    if (match) packages.set(match[1], match[2]);
  }
  const sections = [...packages]
    .sort(([, a], [, b]) => a.localeCompare(b))
    .map(([dir, name]) => {
      const full = path.join(root, dir);
      const manifest = JSON.parse(fs.readFileSync(path.join(full, 'package.json'), 'utf8')) as { version: string; license?: string };
      const file = fs.readdirSync(full).find((f) => /^(licen[cs]e|copying)(\..*)?$/i.test(f));
      const text = file ? fs.readFileSync(path.join(full, file), 'utf8').trim() : `License: ${manifest.license ?? 'see the package'}`;
      return `${name} ${manifest.version} (${manifest.license ?? 'no license field'})\n\n${text}`;
    });
  const unique = [...new Set(sections)];
  return `The stemline-sheet bundle contains the following packages.\n\n${unique.join(`\n\n${'-'.repeat(72)}\n\n`)}\n`;
}

function writeAtomically(file: string, contents: string | Uint8Array): void {
  const aside = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(aside, contents);
  fs.renameSync(aside, file);
}

/** Bundles the tool into outDir (a package layout) and returns the files it was made from, relative to root. */
export async function buildCli(root = ROOT, outDir = path.join(root, CLI_OUT_DIR)): Promise<string[]> {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as RootPackage;
  const result = await esbuild.build({
    entryPoints: { 'stemline-sheet': path.join(root, 'cli/bin.ts') },
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    banner: { js: BANNER },
    define: { STEMLINE_SHEET_VERSION: JSON.stringify(version) },
    minifyWhitespace: true,
    minifySyntax: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  // Everything but Node itself is inside the bundle: an installed package has nothing else to find.
  const builtins = new Set(builtinModules);
  const outside = Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((i) => i.external && !i.path.startsWith('node:') && !builtins.has(i.path));
  if (outside.length) throw new Error(`the sheet tool's bundle imports ${[...new Set(outside.map((i) => i.path))].join(', ')} from outside it`);
  // Nor does it find a module by name at run time, which esbuild cannot follow (a require() it warns of,
  // createRequire or require.resolve): in a checkout that would load node_modules' copy, installed nothing.
  const unbundled = [
    ...result.warnings.map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`),
    ...result.outputFiles
      .filter((file) => /\bcreateRequire\b|\brequire\.resolve\(/.test(file.text.replace(BANNER, '')))
      .map((file) => `${path.basename(file.path)} calls createRequire or require.resolve: import the module instead`),
  ];
  if (unbundled.length) throw new Error(`the sheet tool's bundle would load code from outside it:\n${unbundled.join('\n')}`);

  fs.mkdirSync(outDir, { recursive: true });
  const entry = path.join(outDir, 'stemline-sheet.mjs');
  // Chunks (named by their content) first and the entry last, each written aside and renamed: a run
  // beside this build never imports half a file.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
  writeAtomically(path.join(outDir, 'package.json'), packageJson(root));
  fs.copyFileSync(path.join(root, 'cli/package-readme.md'), path.join(outDir, 'README.md'));
  writeAtomically(path.join(outDir, 'THIRD-PARTY-LICENSES.txt'), thirdPartyNotices(root, Object.keys(result.metafile.inputs)));
  for (const file of files) writeAtomically(file.path, file.contents);
  fs.chmodSync(entry, 0o755);
  const made = new Set(files.map((file) => path.basename(file.path)));
  for (const name of fs.readdirSync(outDir)) {
    const full = path.join(outDir, name);
    if (name.endsWith('.mjs') && !made.has(name) && Date.now() - fs.statSync(full).mtimeMs > OBSOLETE_AFTER_MS) fs.rmSync(full, { force: true });
  }
  return [...Object.keys(result.metafile.inputs).filter((file) => !file.split('/').includes('node_modules')), ...BUILD_INPUTS];
}

/** Builds dist/stemline-sheet and records what it was made from (bin/cli-build-stamp.js reads it). */
export async function buildCliInCheckout(root = ROOT): Promise<{ seconds: number }> {
  const start = process.hrtime.bigint();
  const stamp = path.join(root, CLI_STAMP);
  // A build that fails half-way must not leave a stamp that would pass for it.
  fs.rmSync(stamp, { force: true });
  const sources = await buildCli(root);
  const inputs = Object.fromEntries(
    sources.map((file) => {
      const full = path.join(root, file);
      return [file, { mtimeMs: fs.statSync(full).mtimeMs, sha256: sha256(full) }];
    }),
  );
  writeAtomically(stamp, `${JSON.stringify({ inputs }, null, 1)}\n`);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Builds unless dist/stemline-sheet is a build of the current sources; says which it did. */
export async function buildCliIfStale(root = ROOT): Promise<{ built: boolean; seconds: number }> {
  if (!staleCliSources(root)) return { built: false, seconds: 0 };
  return { built: true, ...(await buildCliInCheckout(root)) };
}

/** A fresh build (no chunk of an older one) packed by npm into destination; the tarball's path. */
export async function packSheetTool(destination: string, root = ROOT): Promise<string> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-sheet-pack-'));
  try {
    const layout = path.join(scratch, 'stemline-sheet');
    await buildCli(root, layout);
    fs.mkdirSync(destination, { recursive: true });
    const { stdout } = await promisify(execFile)('npm', ['pack', layout, '--pack-destination', destination, '--json'], {
      cwd: scratch,
      shell: process.platform === 'win32',
    });
    const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
    return path.join(destination, filename);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  if (argv.includes('--pack')) {
    const tarball = await packSheetTool(path.join(ROOT, 'dist'));
    console.log(`${shown(tarball)}: the sheet tool for a buyer's computer (Node.js 20 or later): npm install -g ./${path.basename(tarball)} where the file is`);
    return 0;
  }
  const out = shown(path.join(ROOT, CLI_OUT_DIR));
  if (argv.includes('--if-stale')) {
    const { built, seconds } = await buildCliIfStale();
    console.log(built ? `Sheet tool built into ${out} in ${seconds.toFixed(1)} s` : `Sheet tool up to date in ${out} (no source changed since its build)`);
    return 0;
  }
  const { seconds } = await buildCliInCheckout();
  console.log(`Sheet tool built into ${out} in ${seconds.toFixed(1)} s`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(await main(process.argv.slice(2)));
