import { GraphQLError, type DocumentNode, type SelectionSetNode } from 'graphql';

/**
 * Field selections an operation asks for, fragments expanded and repeated fields counted each time
 * (`{ me { role role } }` is 3). graphql's own validation compares same-named fields pairwise, so a
 * document of thousands of repeated fields holds the event loop for seconds before any other limit
 * (depth, aliases, cost) is even looked at: this count runs first, in linear time. The largest of the
 * document's operations; a fragment cycle counts nothing here (validation reports it).
 */
export function countSelections(document: DocumentNode): number {
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition.selectionSet);
  }
  const fragmentCounts = new Map<string, number | null>();
  const countSet = (set: SelectionSetNode): number => {
    let count = 0;
    for (const selection of set.selections) {
      if (selection.kind === 'Field') {
        count += 1 + (selection.selectionSet ? countSet(selection.selectionSet) : 0);
      } else if (selection.kind === 'InlineFragment') {
        count += countSet(selection.selectionSet);
      } else {
        count += countFragment(selection.name.value);
      }
    }
    return count;
  };
  const countFragment = (name: string): number => {
    const known = fragmentCounts.get(name);
    if (known !== undefined) return known ?? 0;
    const set = fragments.get(name);
    if (!set) return 0;
    fragmentCounts.set(name, null);
    const count = countSet(set);
    fragmentCounts.set(name, count);
    return count;
  };
  let largest = 0;
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') largest = Math.max(largest, countSet(definition.selectionSet));
  }
  return largest;
}

/** The refusal of a document of more than `maxSelections` field selections, or null. */
export function refuseTooManySelections(document: DocumentNode, maxSelections: number): GraphQLError | null {
  const count = countSelections(document);
  if (count <= maxSelections) return null;
  return new GraphQLError(
    `Query refused: it asks for ${count} field selections (fragments expanded, repeated fields counted); the limit is ${maxSelections} (maxSelections).`,
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'maxSelections' } },
  );
}
