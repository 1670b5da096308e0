/**
 * A many-to-one the schema declares non-null (a prebook's customer, a line's product), as answered by
 * `ctx.loaders.reference`: the loader answers null only for a row that is gone, which the foreign key
 * rules out. Such a null is a broken invariant, reported naming the relation rather than answered as a
 * null the GraphQL type does not allow. An initialized reference stays a plain value (no promise per row).
 */
export function requiredRelation<T>(name: string, value: T | null | Promise<T | null>): T | Promise<T> {
  return value instanceof Promise ? value.then((loaded) => present(name, loaded)) : present(name, value);
}

function present<T>(name: string, value: T | null): T {
  if (value === null) throw new Error(`${name} refers to a row that does not exist`);
  return value;
}
