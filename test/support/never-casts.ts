// Finds the `as never` casts of the repository's TypeScript for the cast guard (test/server/casts.test.ts):
// each cast with the comment that says why it is there, read from its own line or the comment lines right above it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { SOURCE_FOLDERS, sourceFiles } from './source-files';

export interface NeverCast {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  /** The comment on the cast's line or the comment lines right above it, or null when there is none that says anything. */
  reason: string | null;
}

/** TypeScript, declaration files aside (they hold types, not casts). */
const TYPESCRIPT_FILE = /^(?!.*\.d\.ts$).*\.tsx?$/;

/** A comment says why when it has a few words: `// why` or a bare `//` does not. */
const MIN_REASON_WORDS = 3;

function commentOn(text: string): string | null {
  const found: string[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  for (let token = scanner.scan(); token !== ts.SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if (token === ts.SyntaxKind.SingleLineCommentTrivia || token === ts.SyntaxKind.MultiLineCommentTrivia) {
      found.push(
        scanner
          .getTokenText()
          .replace(/^\/\/+|^\/\*+|\*+\/$/g, '')
          .replace(/^\s*\*/gm, '')
          .trim(),
      );
    }
  }
  const comment = found.join(' ').trim();
  return comment.split(/\s+/).filter(Boolean).length >= MIN_REASON_WORDS ? comment : null;
}

/** A line that holds only a comment (or the end of one): `// ...`, `/* ... *\/`, ` * ...`. */
function isCommentLine(line: string): boolean {
  return /^\s*(\/\/|\/\*|\*)/.test(line);
}

/** Every `x as never` and `<never>x` of one file's text. */
export function findNeverCasts(file: string, text: string): NeverCast[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = text.split('\n');
  const casts: NeverCast[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && node.type.kind === ts.SyntaxKind.NeverKeyword) {
      const index = source.getLineAndCharacterOfPosition(node.type.getStart(source)).line;
      let first = index;
      while (first > 0 && isCommentLine(lines[first - 1])) first--;
      casts.push({ file, line: index + 1, reason: commentOn(lines[index]) ?? commentOn(lines.slice(first, index).join('\n')) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return casts;
}

/** Every `as never` of the repository's own TypeScript (its source files: test/support/source-files.ts). */
export function findNeverCastsIn(root: string, folders: readonly string[] = SOURCE_FOLDERS): NeverCast[] {
  return sourceFiles(root, { folders, names: TYPESCRIPT_FILE }).flatMap((file) => findNeverCasts(file, readFileSync(join(root, file), 'utf8')));
}

/** `server/a.ts: 3 (lines 4, 9, 12)`, most casts first: what the guard prints when it fails. */
export function castsByFile(casts: readonly NeverCast[]): string[] {
  const byFile = new Map<string, number[]>();
  for (const cast of casts) byFile.set(cast.file, [...(byFile.get(cast.file) ?? []), cast.line]);
  return [...byFile]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([file, lines]) => `${file}: ${lines.length} (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})`);
}
