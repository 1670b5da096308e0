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

/** The first string (or object key) of a JSON value that cannot be stored, with its path. */
export function findInvalidText(value: unknown, path: string): InvalidText | null {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findInvalidText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      if (keyProblem) return { path: `${path}.${key}`, problem: keyProblem };
      const found = findInvalidText(inner, path ? `${path}.${key}` : key);
      if (found) return found;
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
