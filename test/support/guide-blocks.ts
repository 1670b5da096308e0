// The examples of the guides (README.md and docs/*.md): their fenced blocks, the notes written as
// HTML comments just above each (`<!-- role: WAREHOUSE -->`, `<!-- not-run: starts a server -->`),
// and the commands of a shell block. Pure: the test that runs them is test/docs-examples.test.ts.
import fs from 'node:fs';
import path from 'node:path';

export interface GuideBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** First word of the fence's info string (graphql, json, sh ...). */
  lang: string;
  /** The rest of the info string (`variables` in ```json variables). */
  info: string;
  text: string;
  /** From the HTML comments right above the fence: `<!-- key: value -->` (value '' when there is none). */
  notes: Record<string, string>;
}

/** The README first, then the guides in reading order, then any other guide; docs/reference/ is generated and left out. */
export const GUIDE_ORDER = ['README.md', 'docs/buyers.md', 'docs/warehouse.md', 'docs/sales-and-accounting.md', 'docs/api.md', 'docs/operators.md'];

export function guideFiles(root = '.'): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`);
  const others = docs.filter((file) => !GUIDE_ORDER.includes(file)).sort();
  return [...GUIDE_ORDER.filter((file) => fs.existsSync(path.join(root, file))), ...others];
}

export function parseBlocks(file: string, markdown: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    const text = lines
      .slice(i + 1, end)
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n');
    blocks.push({ file, line: i + 1, lang: open[2], info: open[3].trim(), text, notes: notesAbove(lines, i) });
    i = end;
  }
  return blocks;
}

/** The `<!-- key: value -->` comments on the lines right above line `index` (blank lines between them allowed). */
function notesAbove(lines: string[], index: number): Record<string, string> {
  const notes: Record<string, string> = {};
  for (let j = index - 1; j >= 0; j--) {
    const line = lines[j].trim();
    if (line === '') continue;
    const note = /^<!--\s*([a-z-]+)\s*(?::\s*([\s\S]*?))?\s*-->$/.exec(line);
    if (!note) break;
    notes[note[1]] = note[2] ?? '';
  }
  return notes;
}

/** A shell block's commands: `\` continuations joined, here-documents kept with their command, comments and blank lines dropped. */
export function shellCommands(text: string): string[] {
  const lines = text.split('\n');
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let command = lines[i];
    if (/^\s*(#|$)/.test(command)) continue;
    while (/\\\s*$/.test(command) && i + 1 < lines.length) command = `${command.replace(/\\\s*$/, '')} ${lines[++i].trim()}`;
    const heredoc = /<<-?\s*'?(\w+)'?/.exec(command);
    if (heredoc) {
      while (i + 1 < lines.length && lines[i + 1].trim() !== heredoc[1]) command += `\n${lines[++i]}`;
      if (i + 1 < lines.length) command += `\n${lines[++i]}`;
    }
    commands.push(command.trim());
  }
  return commands;
}

/** Commands a test can run against a test server; anything else in a guide must be marked `<!-- not-run: why -->`. */
export function isRunnable(command: string): boolean {
  return /^(npx stemline-sheet|stemline-sheet|curl|export|cat|ls|rm|cp|mv|grep|STEMLINE_[A-Z_]+=\S+ stemline-sheet)\b/.test(command);
}
