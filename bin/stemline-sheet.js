#!/usr/bin/env node
// Runs the TypeScript sheet tool with no build step to remember: the first run, and any run after a
// change to one of its sources, bundles it with esbuild (a few hundred ms) into node_modules/.cache;
// the other runs start from that bundle. Transpiling through tsx's loader at every start cost about
// a quarter of a second, a good part of a push. Without esbuild, or when the bundle cannot be
// written, the tool runs through tsx as before.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const entry = 'cli/stemline-sheet.ts';
// One cache per checkout (worktrees may share node_modules): bare imports from the bundle still find node_modules.
const cache = path.join(root, 'node_modules/.cache/stemline-sheet', crypto.createHash('sha256').update(root).digest('hex').slice(0, 16));
const bundle = path.join(cache, 'stemline-sheet.mjs');
const inputsFile = path.join(cache, 'inputs.json');

/** Every source of the bundle has the modification time it had when the bundle was made. */
function fresh() {
  try {
    const inputs = JSON.parse(fs.readFileSync(inputsFile, 'utf8'));
    return fs.existsSync(bundle) && Object.entries(inputs).every(([file, mtime]) => fs.statSync(path.join(root, file)).mtimeMs === mtime);
  } catch {
    return false;
  }
}

async function build() {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [path.join(root, entry)],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // What the code imports lazily (exceljs, for every command but a push) stays in chunks of its own, loaded when used.
    splitting: true,
    outdir: cache,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, fs.statSync(path.join(root, file)).mtimeMs]));
  fs.mkdirSync(cache, { recursive: true });
  // Written aside and renamed, the chunks (named by their content) before the entry: a run beside this one never imports half a file.
  const suffix = `.${process.pid}.tmp`;
  const files = [...result.outputFiles].sort((a, b) => (a.path === bundle) - (b.path === bundle));
  for (const file of files) {
    fs.writeFileSync(file.path + suffix, file.contents);
    fs.renameSync(file.path + suffix, file.path);
  }
  fs.writeFileSync(inputsFile + suffix, JSON.stringify(inputs));
  fs.renameSync(inputsFile + suffix, inputsFile);
}

let main;
try {
  if (!fresh()) await build();
  ({ main } = await import(pathToFileURL(bundle).href));
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(`../${entry}`));
}
process.exit(await main(process.argv.slice(2)));
