// The README stays a front page and the guides speak to their readers about the product. That every
// example of them runs is test/docs-examples.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../server/src/app';
import { guideFiles, parseBlocks } from './support/guide-blocks';

const readme = fs.readFileSync('README.md', 'utf8');
const files = guideFiles();
const texts = new Map(files.map((file) => [file, fs.readFileSync(file, 'utf8')]));
const GUIDES = ['docs/buyers.md', 'docs/warehouse.md', 'docs/sales-and-accounting.md', 'docs/api.md', 'docs/operators.md'];
/** Generated from the schema and the benchmark by their own scripts, on their own branch of work. */
const GENERATED = ['docs/performance.md', 'docs/maintainers.md', 'docs/reference/graphql.md'];

describe('README', () => {
  it('is a front page: at most 250 lines', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
  });

  it('links to every guide', () => {
    const missing = [...GUIDES, ...GENERATED].filter((file) => !readme.includes(`](${file})`));
    expect(missing).toEqual([]);
  });
});

describe('the guides', () => {
  it('exist, one per reader', () => {
    expect(GUIDES.filter((file) => !fs.existsSync(file))).toEqual([]);
  });

  it('link only to files that exist', () => {
    const broken: string[] = [];
    for (const [file, text] of texts)
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const resolved = path.normalize(path.join(path.dirname(file), target));
        if (!fs.existsSync(resolved) && !GENERATED.includes(resolved)) broken.push(`${file}: ${target}`);
      }
    expect(broken).toEqual([]);
  });

  it('speak of the product only: no design notes outside the repository, no test files, no work sessions', () => {
    const found: string[] = [];
    for (const [file, text] of texts)
      for (const [word] of text.matchAll(/DESIGN\.md|\btest\/[\w/.-]+\.test\.ts|\bsessions?\b|\bissue \d+/gi)) found.push(`${file}: ${word}`);
    expect(found).toEqual([]);
  });

  it('set a variable before a command uses it', () => {
    const unset: string[] = [];
    for (const [file, text] of texts) {
      const set = new Set<string>();
      for (const block of parseBlocks(file, text).filter((b) => ['sh', 'bash', 'shell'].includes(b.lang))) {
        for (const [, name] of block.text.matchAll(/(?:^|[\s;])(?:export\s+)?([A-Z][A-Z_]*)=/gm)) set.add(name);
        for (const [, name] of block.text.matchAll(/\$\{?([A-Z][A-Z_]*)/g)) if (!set.has(name)) unset.push(`${file}:${block.line}: $${name}`);
      }
    }
    expect(unset).toEqual([]);
  });

  it('name every Query and Mutation of the schema', () => {
    const schema = buildSchema(loadTypeDefs().join('\n'));
    const all = [...texts.values()].join('\n');
    const names = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
    expect(names.filter((name) => !all.includes(`\`${name}`) && !new RegExp(`\\b${name}\\(`).test(all))).toEqual([]);
  });
});
