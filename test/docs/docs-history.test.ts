// README.md and docs/ speak to users about the product as it is: no development history (issue numbers,
// work sessions), no files outside the repository, no test files; every relative link leads somewhere; and
// every citation of a docs page in the code (docs/maintainers.md#consolidation) names a page and heading that exist.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The product's pages: README.md and every Markdown file under docs/. */
function pages(): string[] {
  const under = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      return entry.isDirectory() ? under(file) : entry.name.endsWith('.md') ? [file] : [];
    });
  return ['README.md', ...under('docs')];
}

/** What a page must not say, each with why. */
const FORBIDDEN: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /\bissues?\s+#?\d+/i, why: 'an issue number' },
  { pattern: /(^|[\s([])#\d+\b/, why: 'an issue reference (#n)' },
  { pattern: /\bDESIGN(\.md)?\b/, why: 'a design file outside the repository' },
  { pattern: /\bsessions?\b/i, why: 'the development history (sessions)' },
  { pattern: /[\w./-]*\.(test|spec)\.[jt]sx?\b/, why: 'a test file' },
  { pattern: /(^|[\s(`'"])\/(work|home|tmp)\/[\w.-]/, why: 'a path outside the repository' },
];

/** Each line of text that says something forbidden, as "file:line: why: the line". */
function historyMentions(file: string, text: string): string[] {
  return text
    .split('\n')
    .flatMap((line, i) => FORBIDDEN.filter(({ pattern }) => pattern.test(line)).map(({ why }) => `${file}:${i + 1}: ${why}: ${line.trim().slice(0, 120)}`));
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of withoutCode.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id);
  return anchors;
}

/** The relative links of a page that lead nowhere: a missing file, or a heading its page does not have. */
function brokenLinks(file: string, text: string, read: (file: string) => string | undefined): string[] {
  const withoutCode = text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  const anchorsOf = new Map<string, Set<string>>();
  for (const [, target] of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
    const [pathPart, anchor] = target.split('#');
    const linked = pathPart ? path.normalize(path.join(path.dirname(file), decodeURIComponent(pathPart))) : file;
    const content = read(linked);
    if (content === undefined) broken.push(`${file}: ${target} (no such file)`);
    else if (anchor && linked.endsWith('.md') && !(anchorsOf.get(linked) ?? anchorsOf.set(linked, headingAnchors(content)).get(linked)!).has(anchor))
      broken.push(`${file}: ${target} (no such heading)`);
  }
  return broken;
}

const readIfThere = (file: string) => {
  if (!fs.existsSync(file)) return undefined;
  return fs.statSync(file).isDirectory() ? '' : fs.readFileSync(file, 'utf8');
};

/** The source files whose comments may cite a docs page. */
function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'generated', 'dist'].includes(entry.name) ? [] : sources(file);
    return /\.(ts|tsx|graphql|js)$/.test(entry.name) ? [file] : [];
  });
}

describe('the product pages (README.md and docs/)', () => {
  it('are found', () => {
    expect(pages()).toContain('README.md');
    expect(pages()).toContain(path.join('docs', 'maintainers.md'));
  });

  for (const file of pages())
    it(`${file} speaks of no issue, session, design file outside the repository or test file`, () => {
      expect(historyMentions(file, fs.readFileSync(file, 'utf8'))).toEqual([]);
    });

  for (const file of pages())
    it(`${file} links only to files and headings that exist`, () => {
      expect(brokenLinks(file, fs.readFileSync(file, 'utf8'), readIfThere)).toEqual([]);
    });
});

/** This file, whose own checks name pages that need not exist. */
const SELF = path.join('test', 'docs', 'docs-history.test.ts');

describe('code comments citing docs/', () => {
  const citing = ['server', 'addin', 'cli', 'bench', 'soak', 'scripts', 'test', 'examples'].flatMap(sources).filter((file) => file !== SELF);
  const citations = citing.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w/.-]+\.md)(?:#([\w-]+))?/g)].map(([cited, page, anchor]) => ({ file, cited, page, anchor })),
  );

  it('cite the maintainers guide instead of a design file', () => {
    expect(citations.filter((c) => c.page === 'maintainers.md').length).toBeGreaterThan(10);
    expect(citing.filter((file) => /\bDESIGN(\.md| ?§| section)/.test(fs.readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('name pages and headings that exist', () => {
    const broken = citations.filter(({ page, anchor }) => {
      const content = readIfThere(path.join('docs', page));
      return content === undefined || (anchor !== undefined && !headingAnchors(content).has(anchor));
    });
    expect(broken.map((c) => `${c.file}: ${c.cited}`)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('find issue numbers, sessions, design files, test files and outside paths', () => {
    const text = [
      'Latest run (issue 18, fifth session)',
      'Fixed in #42.',
      'See DESIGN.md section 3.',
      'checked by test/server/modules/billing/billing-golden.test.ts',
      'copied from /work/shared/notes',
      'A prebook PB-000123, row 3, `# comment`, [Queries](#queries), and C# are fine.',
    ].join('\n');
    expect(historyMentions('x.md', text).map((m) => m.split(': ')[1])).toEqual([
      'an issue number',
      'the development history (sessions)',
      'an issue reference (#n)',
      'a design file outside the repository',
      'a test file',
      'a path outside the repository',
    ]);
  });

  it('give headings the anchors GitHub gives them', () => {
    const anchors = headingAnchors(
      '# Maintaining Stemline\n## Shared boxes, and lines sold in units\n### `Prebook` object\n## Notes\n## Notes\n```\n# not a heading\n```',
    );
    expect([...anchors]).toEqual(['maintaining-stemline', 'shared-boxes-and-lines-sold-in-units', 'prebook-object', 'notes', 'notes-1']);
  });

  it('find links to missing files and headings, and leave web links and code alone', () => {
    const files: Record<string, string> = { 'docs/api.md': '# API\n## Errors\n', 'docs/maintainers.md': '# M\n', 'docs/invoice.png': '' };
    const text = [
      '[API](api.md#errors) [picture](invoice.png) [up](../README.md) [web](https://example.com/x.md) [self](#m)',
      '[gone](operators.md) [no heading](api.md#paging) `[code](nowhere.md)`',
    ].join('\n');
    const read = (file: string) => (file === 'README.md' ? '# R\n' : files[file.split(path.sep).join('/')]);
    expect(brokenLinks('docs/maintainers.md', text, read)).toEqual([
      'docs/maintainers.md: operators.md (no such file)',
      'docs/maintainers.md: api.md#paging (no such heading)',
    ]);
  });
});
