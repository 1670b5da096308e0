// Reads the import graph of server/src for the architecture test: which file imports which, which
// unit (a module folder under modules/, or a top-level folder such as common/ or documents/) depends
// on which, the cycles between units, and raw SQL outside repository files.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export interface FileImport {
  /** The importing file, relative to the source root, with forward slashes. */
  from: string;
  /** The imported file, relative to the source root (imports of packages are left out). */
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const posix = (path: string) => path.split(sep).join('/');

/** Every relative import, `import type` and `export ... from` (and dynamic `import()`) of every file under root. */
export function readImports(root: string): { files: string[]; imports: FileImport[] } {
  const files = sourceFiles(root);
  const imports: FileImport[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    for (const imported of importedFiles) {
      if (!imported.fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), imported.fileName).replace(/\.js$/, '');
      const line = text.slice(0, imported.pos).split('\n').length;
      imports.push({ from: posix(relative(root, file)), to: posix(relative(root, target)).replace(/\.tsx?$/, ''), line });
    }
  }
  return { files: files.map((file) => posix(relative(root, file))), imports };
}

/** The unit a source file belongs to: `modules/billing`, `common`, `documents`, or a top-level file such as `app`. */
export function unitOf(path: string): string {
  const parts = path.replace(/\.tsx?$/, '').split('/');
  if (parts[0] === 'modules' && parts.length > 2) return `modules/${parts[1]}`;
  return parts[0];
}

export type Graph = Map<string, Map<string, FileImport[]>>;

/** Unit → unit edges, each with the imports that make it (imports inside a unit are left out). */
export function unitGraph(imports: FileImport[]): Graph {
  const graph: Graph = new Map();
  for (const edge of imports) {
    const from = unitOf(edge.from);
    const to = unitOf(edge.to);
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.has(to)) graph.set(to, new Map());
    // Generated code (GraphQL types, with mappers to entities) is read as a leaf: its imports are types of what it describes.
    if (from === to || from === 'generated') continue;
    const targets = graph.get(from)!;
    targets.set(to, [...(targets.get(to) ?? []), edge]);
  }
  return graph;
}

type Edges = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

/**
 * The cycles of a graph: one per strongly connected component of more than one node, as the path
 * a → b → … → a through that component, with the component's members.
 */
export function findCycles(graph: Edges): Array<{ path: string[]; members: string[] }> {
  const next = (node: string) => [...(graph.get(node)?.keys() ?? [])].sort();
  return stronglyConnected(graph).map((members) => ({ path: cycleThrough(members, next), members }));
}

/** The strongly connected components of more than one node (or with a self-loop), by Tarjan's algorithm. */
export function stronglyConnected(graph: Edges): string[][] {
  const nodes = [...graph.keys()].sort();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const next = (node: string) => [...(graph.get(node)?.keys() ?? [])].sort();
  const connect = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const target of next(node)) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || next(node).includes(node)) components.push(component.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  return components;
}

/** A shortest path from the component's first node back to itself, staying inside the component. */
function cycleThrough(component: string[], next: (node: string) => string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const target of next(node)) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!cameFrom.has(target)) {
        cameFrom.set(target, node);
        queue.push(target);
      }
    }
  }
  return [...component, start];
}

// SQL is written in lower case here (house style), messages start with a capital: the match is case-sensitive.
const SQL_START = /^\s*(select\s|insert\s+into\s|update\s+\w+(\s+\w+)?\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\(|lock\s+table\s|truncate\s)/;
const SQL_ANYWHERE = /\b(for\s+update|for\s+share|pg_advisory\w*|pg_try_advisory\w*|nextval\s*\()/;
const QUERY_CALLS = new Set(['execute', 'getKnex', 'createQueryBuilder', 'qb', 'nativeUpdate', 'nativeDelete', 'nativeInsert', 'nativeInsertMany']);

export interface SqlFinding {
  file: string;
  line: number;
  what: string;
}

/**
 * Raw SQL in a file: string or template literals that read as SQL statements (or lock, or use a
 * sequence), and method calls that run SQL or build queries (em.execute, getKnex, createQueryBuilder,
 * qb, and native* that bypass the unit of work).
 */
export function findSql(file: string, text: string): SqlFinding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: SqlFinding[] = [];
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    let literal: string | null = null;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) literal = node.text;
    else if (ts.isTemplateExpression(node)) literal = [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
    if (literal != null && (SQL_START.test(literal) || SQL_ANYWHERE.test(literal)))
      findings.push({ file, line: at(node), what: `SQL text "${literal.trim().slice(0, 60)}"` });
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
      if (name && QUERY_CALLS.has(name) && ts.isPropertyAccessExpression(callee)) findings.push({ file, line: at(node), what: `call of ${name}()` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}
