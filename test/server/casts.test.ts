// `as never` turns the compiler's checks off for one expression: the tree holds at most a handful, each
// with a comment saying why (typically where MikroORM's types cannot be expanded for an entity type
// parameter). Read from the source, so a new cast fails here naming its file and line.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { castsByFile, findNeverCasts, findNeverCastsIn } from '../support/never-casts';

const MAX_NEVER_CASTS = 10;
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('as never casts in the repository', () => {
  const casts = findNeverCastsIn(root);

  it(`at most ${MAX_NEVER_CASTS} in the whole tree (generated code and migrations aside)`, () => {
    const report = `${casts.length} \`as never\` casts, at most ${MAX_NEVER_CASTS} allowed:\n  ${castsByFile(casts).join('\n  ')}`;
    expect(casts.length, report).toBeLessThanOrEqual(MAX_NEVER_CASTS);
  });

  it('each with a comment on its line or right above it saying why', () => {
    expect(casts.filter((cast) => !cast.reason).map((cast) => `${cast.file}:${cast.line}`)).toEqual([]);
  });
});

describe('findNeverCasts', () => {
  const linesOf = (text: string) => findNeverCasts('a.ts', text).map((cast) => [cast.line, cast.reason]);

  it('finds `as never` and `<never>` casts in code, not in comments or strings', () => {
    const text = [
      "const a = 'x as never';", // 1
      '// as never', // 2
      'const b = f(c as never);', // 3
      'const d = <never>e;', // 4
      'const g = h as unknown as never[];', // 5: an array type, not never
      '/* as never */ const i = 1;', // 6
    ].join('\n');
    expect(linesOf(text)).toEqual([
      [3, null],
      [4, null],
    ]);
  });

  it('reads the reason from the same line, or from the comment lines right above', () => {
    const text = [
      'const a = x as never; // MikroORM cannot expand this type', // 1
      '// The one hand-over: the type parameter',
      '// cannot be expanded.',
      'const b = y as never;', // 4
      '/**',
      ' * A block comment saying why.',
      ' */',
      'const c = z as never;', // 8
      '// too short',
      'const d = w as never;', // 10
      'const e = 1; // a comment on code, with enough words',
      'const f = v as never;', // 12
      'const g = u as never; //', // 13
    ].join('\n');
    expect(linesOf(text)).toEqual([
      [1, 'MikroORM cannot expand this type'],
      [4, 'The one hand-over: the type parameter cannot be expanded.'],
      [8, 'A block comment saying why.'],
      [10, null],
      [12, null],
      [13, null],
    ]);
  });

  it('reads .tsx and counts the line of the cast, not of the expression', () => {
    const text = ['const a = (', '  <div>{x}</div>', ') as never;'].join('\n');
    expect(findNeverCasts('a.tsx', text).map((cast) => cast.line)).toEqual([3]);
  });

  describe('over a tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stemline-casts-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('skips generated code, migrations, node_modules and declaration files, and names each file with its lines', () => {
      const write = (path: string, text: string) => {
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      write('server/src/a.ts', 'const a = x as never;\nconst b = y as never;\n');
      write('server/src/b.tsx', 'const c = z as never;\n');
      write('server/src/generated/graphql.ts', 'const d = x as never;\n');
      write('server/src/db/migrations/Migration1.ts', 'const e = x as never;\n');
      write('cli/node_modules/p/index.ts', 'const f = x as never;\n');
      write('addin/types.d.ts', 'declare const g: never;\nconst h = x as never;\n');
      const casts = findNeverCastsIn(dir, ['server', 'cli', 'addin', 'missing']);
      expect(castsByFile(casts)).toEqual(['server/src/a.ts: 2 (lines 1, 2)', 'server/src/b.tsx: 1 (line 1)']);
    });
  });
});
