import type { FilterQuery, OrderDefinition, Populate } from '@mikro-orm/core';

/*
 * Query parts for an entity known only as a type parameter. The shared helpers of common/ (the request's
 * loaders, upsert-by-code, references, pagination) serve any entity with an `id`, a `code` or a `number`.
 * MikroORM types a filter, an ordering and a populate hint by mapping the entity's properties; while the
 * entity is a type parameter the compiler cannot expand that mapping and accepts no literal at all, not
 * even `{ id: ... }` under `T extends { id: number }`. These functions take the part in a plain shape and
 * hand it over in this one place; the modules query their concrete entities and get MikroORM's full
 * checking of filters, populate hints and `em.create` data.
 */

/** A filter for the entity type parameter `T`: `{ id: { $in: ids } }`, `{ code: ... }`, `{ $or: [...] }`. */
export function genericWhere<T>(where: object): FilterQuery<T> {
  return unchecked(where);
}

/** An ordering on one or more of `T`'s columns. */
export function genericOrderBy<T>(orderBy: Record<string, 'asc' | 'desc'>): OrderDefinition<T> {
  return unchecked(orderBy);
}

/** A populate hint naming relations of `T` (dotted for nested ones). */
export function genericPopulate<T>(paths: readonly string[]): Populate<T, string> {
  return unchecked(paths);
}

function unchecked<Part>(part: object): Part {
  // The one hand-over described above: `Part` is MikroORM's type of a query part of an entity type parameter, which no value type-checks against.
  return part as never;
}
