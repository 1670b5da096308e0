// Files sized by use case: no source file a person writes (server, task pane, sheet tool, scripts, bench,
// soak, tests) runs past 450 lines. Generated code (GraphQL types and operations) and migrations are
// written by tools and are left out. A file that grows past the limit is split along what it does.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './support/source-files';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 450;

const lineCount = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1;

describe('code size', () => {
  const files = sourceFiles(ROOT);

  it('finds the sources and leaves generated code and migrations out', () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain('server/src/main.ts');
    expect(files).toContain('test/code-size.test.ts');
    expect(files).toContain('bin/stemline-sheet.js');
    expect(files.some((file) => file.includes('/generated/'))).toBe(false);
    expect(files.some((file) => /\/migrations\/Migration/.test(file))).toBe(false);
  });

  it(`no source file runs past ${MAX_LINES} lines`, () => {
    const long = files.map((file) => ({ file, lines: lineCount(file) })).filter(({ lines }) => lines > MAX_LINES);
    expect(long.map(({ file, lines }) => `${file}: ${lines} lines`)).toEqual([]);
  });
});
