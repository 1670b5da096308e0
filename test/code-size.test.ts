// Files sized by use case: no source file a person writes (server, task pane, sheet tool, scripts, bench,
// soak, tests) runs past 450 lines. Generated code (GraphQL types and operations) and migrations are
// written by tools and are left out. A file that grows past the limit is split along what it does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 450;
const FOLDERS = ['server', 'addin', 'cli', 'scripts', 'bench', 'soak', 'test', 'bin', 'docs', 'examples'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs|jsx)$/;
/** Written by tools, not by hand: codegen's output, MikroORM's migrations and the built add-in. */
const GENERATED = [/(^|\/)generated\//, /\/migrations\/Migration\w+\.ts$/, /\/migrations\/index\.ts$/, /(^|\/)(dist|node_modules)\//];

/** Every source file below the folders, as paths relative to the repository. */
function sourceFiles(root: string, folders: string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(root, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && !entry.name.startsWith('.')) walk(full);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !GENERATED.some((pattern) => pattern.test(relative))) found.push(relative);
    }
  };
  for (const folder of folders) if (fs.existsSync(path.join(root, folder))) walk(path.join(root, folder));
  return found.sort();
}

const lineCount = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1;

describe('code size', () => {
  const files = sourceFiles(ROOT, FOLDERS);

  it('finds the sources and leaves generated code and migrations out', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain('server/src/main.ts');
    expect(files).toContain('test/code-size.test.ts');
    expect(files.some((file) => file.includes('/generated/'))).toBe(false);
    expect(files.some((file) => /\/migrations\/Migration/.test(file))).toBe(false);
  });

  it(`no source file runs past ${MAX_LINES} lines`, () => {
    const long = files.map((file) => ({ file, lines: lineCount(file) })).filter(({ lines }) => lines > MAX_LINES);
    expect(long.map(({ file, lines }) => `${file}: ${lines} lines`)).toEqual([]);
  });
});
