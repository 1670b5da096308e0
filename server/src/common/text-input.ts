import { visit, type ASTNode, type DocumentNode } from 'graphql';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Why a client's text cannot be stored, or null. PostgreSQL refuses U+0000 in text and jsonb, and a lone
 * UTF-16 surrogate is not Unicode (jsonb refuses its escape; text would get U+FFFD in its place). Both
 * may arrive through JSON or as a GraphQL string escape ("\u0000", "\ud800").
 */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'Text may not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'Text must be valid Unicode: it contains a lone UTF-16 surrogate';
  return null;
}

export interface InvalidText {
  /** Where: `variables.input.0.customerPo`, or the argument path in the document (`invoices.filter.number`). */
  path: string;
  problem: string;
}

/** A `\u` escape of U+0000 or of a surrogate, or a surrogate as it is (paired ones too: they are rare). */
const MAYBE_INVALID_IN_JSON = /\\u(?:0000|d[89a-f])|[\ud800-\udfff]/i;

/**
 * Whether the value JSON.parse makes of this text may hold text findInvalidText refuses. JSON.parse refuses
 * U+0000 as it is, so it and lone surrogates come only as `\u` escapes or, for surrogates, as they are: text
 * without either needs no walk over its values (a 5,000-line push has 50,000).
 */
export function jsonMayHoldInvalidText(json: string): boolean {
  return MAYBE_INVALID_IN_JSON.test(json);
}

/** The first string (or object key) of a JSON value that cannot be stored, with its path. */
export function findInvalidText(value: unknown, path: string): InvalidText | null {
  const found = findInvalid(value);
  return found ? { path: found.at(path), problem: found.problem } : null;
}

/**
 * The first text that cannot be stored, and how to name where it is below a path. The path is built
 * only once something is found: a push of 5,000 valid lines then builds none of its 40,000 paths.
 */
function findInvalid(value: unknown): { at: (path: string) => string; problem: string } | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { at: (path) => path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalid(value[i]);
      if (found) return { at: (path) => found.at(`${path}.${i}`), problem: found.problem };
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const keyProblem = textProblem(key);
      if (keyProblem) return { at: (path) => `${path}.${key}`, problem: keyProblem };
      const found = findInvalid((value as Record<string, unknown>)[key]);
      if (found) return { at: (path) => found.at(path ? `${path}.${key}` : key), problem: found.problem };
    }
  }
  return null;
}

/** The first string literal of a document that cannot be stored, named by its field, argument and input fields. */
export function findInvalidTextInDocument(document: DocumentNode): InvalidText | null {
  let found: InvalidText | null = null;
  visit(document, {
    StringValue(node, _key, parent, _path, ancestors) {
      if (found) return;
      const problem = textProblem(node.value);
      if (!problem) return;
      // `ancestors` stops before the parent (the argument or input field holding the string).
      const names = [...(ancestors as ReadonlyArray<ASTNode | ReadonlyArray<ASTNode>>), parent as ASTNode]
        .filter((ancestor): ancestor is ASTNode => !Array.isArray(ancestor) && 'kind' in ancestor)
        .filter((ancestor) => ancestor.kind === 'Field' || ancestor.kind === 'Argument' || ancestor.kind === 'ObjectField')
        .map((ancestor) => (ancestor as { name: { value: string } }).name.value);
      found = { path: names.join('.') || 'document', problem };
    },
  });
  return found;
}
