// How the guides' examples are read: fenced blocks with the notes above them, and shell commands.
import { describe, expect, it } from 'vitest';
import { isRunnable, parseBlocks, shellCommands } from './support/guide-blocks';

const markdown = [
  'Text.',
  '',
  '<!-- role: WAREHOUSE -->',
  '<!-- expect-exit: 1 -->',
  '',
  '```sh',
  'stemline-sheet push prebooks a.xlsx',
  '```',
  '',
  '<!-- not-run: starts a server -->',
  'A paragraph between the note and the block.',
  '',
  '```graphql',
  '{ me { role } }',
  '```',
  '',
  '```json variables',
  '{ "after": null }',
  '```',
  '',
  '- a list item:',
  '  ```graphql',
  '  { settings { today } }',
  '  ```',
].join('\n');

describe('guide blocks', () => {
  it('read each fenced block with its language, info, line and the notes right above it', () => {
    const blocks = parseBlocks('guide.md', markdown);
    expect(blocks.map((b) => [b.lang, b.info, b.line, b.notes])).toEqual([
      ['sh', '', 6, { role: 'WAREHOUSE', 'expect-exit': '1' }],
      ['graphql', '', 13, {}],
      ['json', 'variables', 17, {}],
      ['graphql', '', 22, {}],
    ]);
    expect(blocks[3].text).toBe('{ settings { today } }');
  });

  it('split a shell block into commands: continuations joined, here-documents kept whole, comments dropped', () => {
    const text = [
      '# a comment',
      'export TOKEN=stl_...   # trailing comment',
      'curl -s http://localhost:4000/graphql \\',
      "  -d '{}'",
      '',
      "cat > a.csv <<'EOF'",
      'Ref,Customer',
      'EOF',
      'npm run bench',
    ].join('\n');
    expect(shellCommands(text)).toEqual([
      'export TOKEN=stl_...   # trailing comment',
      "curl -s http://localhost:4000/graphql  -d '{}'",
      "cat > a.csv <<'EOF'\nRef,Customer\nEOF",
      'npm run bench',
    ]);
  });

  it('run the sheet tool, curl and file commands, and nothing that starts a server or installs', () => {
    for (const command of ['stemline-sheet push prebooks a.csv', 'npx stemline-sheet new prebooks --out a.xlsx', 'curl -s x', 'export A=1', "cat > a <<'EOF'"])
      expect(isRunnable(command), command).toBe(true);
    for (const command of ['npm start', 'npm run backup', 'npm install -g ./x.tgz', 'nc printer 9100 < a.zpl', 'node --import tsx examples/sync-invoices.ts'])
      expect(isRunnable(command), command).toBe(false);
  });
});
