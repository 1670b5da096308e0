// The repository's hand-written source files, for the guards that read them all (file sizes, casts):
// generated code, migrations and build output are written by tools and are left out.
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The folders the repository's own code lives in. */
export const SOURCE_FOLDERS = ['server', 'addin', 'cli', 'test', 'scripts', 'bench', 'soak', 'bin', 'docs', 'examples'];

/** Written by tools, not by hand: codegen's output, MikroORM's migrations, builds, coverage, the embedded database. */
const SKIPPED = /(^|\/)(node_modules|dist|generated|migrations|coverage|\.data)(\/|$)/;

/** JavaScript and TypeScript, declaration files included. */
export const CODE_FILE = /\.(ts|tsx|js|mjs|cjs|jsx)$/;

/**
 * Every file below `folders` of `root` whose name matches `names`, as paths relative to `root` with forward
 * slashes, sorted. A folder that does not exist is passed over.
 */
export function sourceFiles(root: string, options: { folders?: readonly string[]; names?: RegExp } = {}): string[] {
  const { folders = SOURCE_FOLDERS, names = CODE_FILE } = options;
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const file = relative(root, path).split(sep).join('/');
      if (SKIPPED.test(file)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && names.test(entry.name)) found.push(file);
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return found.sort();
}
