import { raw, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { genericWhere } from './entity-query';
import { normalizeCode, type RowValidator } from './row-validator';
import { referenceError } from './graphql-errors';
import { findSuggestions } from './suggestions.repository';
import { markUnknown, queryFor, withSuggestions } from './suggestions';
import type { Actor } from './request-context';
import type { ErrorCode } from './user-error';

export type ReferenceMatch<T> = { found: T } | { missing: true } | { ambiguous: T[] };

/** A lookup from loadReferences: what a value names, and (for suggestions) which entity it looks in. */
/** `E` is the entity whose table holds the names (suggestions are looked up there): T itself unless the lookup wraps it. */
export type ReferenceLookup<T, E = T> = ((value: string) => ReferenceMatch<T>) & { entity?: EntityName<E>; alsoCodes?: readonly string[] };

interface Coded {
  code: string;
  name: string;
}

/**
 * Resolves references to master data the way sheets name them: by code, or
 * else by exact name (case-insensitive) when exactly one record has it.
 * Loads every candidate of the whole list in one query.
 */
export async function loadReferences<T extends Coded>(
  em: EntityManager,
  entity: EntityName<T>,
  values: Iterable<string | null | undefined>,
): Promise<ReferenceLookup<T>> {
  const given = [...new Set([...values].filter((v): v is string => !!v && !!v.trim()))];
  const codes = given.map(normalizeCode);
  const names = given.map((v) => v.trim().toLowerCase());
  const candidates = given.length ? await em.find(entity, genericWhere<T>({ $or: [{ code: { $in: codes } }, { [raw('lower(name)')]: { $in: names } }] })) : [];
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  const byName = new Map<string, T[]>();
  for (const candidate of candidates) {
    const key = candidate.name.toLowerCase();
    const named = byName.get(key) ?? [];
    named.push(candidate);
    byName.set(key, named);
  }
  const lookup: ReferenceLookup<T> = (value: string) => {
    const code = byCode.get(normalizeCode(value));
    if (code) return { found: code };
    const named = byName.get(value.trim().toLowerCase()) ?? [];
    if (named.length === 1) return { found: named[0] };
    if (named.length > 1) return { ambiguous: named };
    return { missing: true };
  };
  lookup.entity = entity;
  return lookup;
}

/**
 * Checks a reference of one input item against a lookup from loadReferences:
 * unknown and ambiguous values become errors on that row and field; an unknown
 * one gets suggestions (common/suggestions) before the response is sent.
 */
export function checkReference<T extends Coded, E = T>(
  v: RowValidator,
  field: string,
  value: string | null | undefined,
  lookup: ReferenceLookup<T, E>,
  options: { label: string; unknown: ErrorCode; ambiguous?: ErrorCode; required: boolean },
): T | undefined {
  if (value === undefined && !options.required) return undefined;
  if (!value?.trim()) return v.fail('REQUIRED', field, `${field} is required`);
  const match = lookup(value);
  if ('found' in match) return match.found;
  if ('ambiguous' in match) {
    const codes = match.ambiguous.map((c) => c.code).join(', ');
    return v.fail(options.ambiguous ?? 'AMBIGUOUS_REFERENCE', field, `${options.label} "${value}" matches several by name (${codes}); use the code`);
  }
  v.fail(options.unknown, field, `unknown ${options.label} "${value}"`);
  if (lookup.entity) markUnknown(v.errors[v.errors.length - 1], { entity: lookup.entity as EntityName<never>, value, alsoCodes: lookup.alsoCodes });
  return undefined;
}

/** UNKNOWN_CUSTOMER for Customer, UNKNOWN_PURCHASE_ORDER for PurchaseOrder, ... */
function unknownCode(em: EntityManager, entity: EntityName<never>): string {
  return `UNKNOWN_${em
    .getMetadata()
    .find(entity)!
    .className.replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

function label(em: EntityManager, entity: EntityName<never>): string {
  return em
    .getMetadata()
    .find(entity)!
    .className.replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

/**
 * The id of the master-data record a list filter argument names (code, or unique name). A name that
 * matches nothing, or several records, is a typed GraphQL error (UNKNOWN_CUSTOMER, AMBIGUOUS_REFERENCE, ...)
 * naming the argument's path, never an empty page that looks like "nothing there". With `onlyId` (a
 * CUSTOMER token's own customer), any other record answers exactly as a missing one.
 */
export async function filterReferenceId<T extends Coded & { id: number }>(
  em: EntityManager,
  entity: EntityName<T>,
  value: string,
  path: string,
  options: { onlyId?: number | null } = {},
): Promise<number> {
  const match = (await loadReferences(em, entity, [value]))(value);
  if (options.onlyId !== undefined) {
    const own = 'found' in match ? [match.found] : 'ambiguous' in match ? match.ambiguous : [];
    if (own.some((c) => c.id === options.onlyId)) return options.onlyId!;
  } else if ('found' in match) {
    return match.found.id;
  } else if ('ambiguous' in match) {
    const codes = match.ambiguous.map((c) => c.code).join(', ');
    throw referenceError(
      'AMBIGUOUS_REFERENCE',
      `${label(em, entity as EntityName<never>)} "${value}" in ${path} matches several by name (${codes}); use the code`,
      path,
    );
  }
  const message = `unknown ${label(em, entity as EntityName<never>)} "${value}" in ${path}`;
  // Staff-only filters are refused to a CUSTOMER token before this; one limited to its own customer suggests only that one.
  const query = queryFor(em, filterActor(options.onlyId), { entity: entity as EntityName<never>, value });
  const suggestions = query && value.trim() ? (await findSuggestions(em, [query]))[0] : [];
  throw referenceError(unknownCode(em, entity as EntityName<never>), withSuggestions(message, suggestions), path, suggestions);
}

/** Whom a filter's suggestions are for when the caller did not say: a CUSTOMER token when the filter is limited to one customer. */
function filterActor(onlyId: number | null | undefined): Actor {
  return onlyId === undefined
    ? { tokenId: null, name: '', role: 'ADMIN', customerId: null }
    : { tokenId: null, name: '', role: 'CUSTOMER', customerId: onlyId };
}

/**
 * The id of the document (prebook, purchase order, invoice, ...) a list filter argument names by number;
 * a typed GraphQL error (UNKNOWN_PREBOOK, UNKNOWN_PURCHASE_ORDER, ...) naming the argument's path when
 * there is none. `where` narrows what the caller may see (a CUSTOMER token's own customer): another
 * customer's document answers exactly as a missing one.
 */
export async function filterDocumentId<T extends { id: number; number: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  value: string,
  path: string,
  where: Record<string, unknown> = {},
): Promise<number> {
  const found = (await em.findOne(entity, genericWhere<T>({ ...where, number: value.trim().toUpperCase() }))) as { id: number } | null;
  if (found) return found.id;
  throw referenceError(unknownCode(em, entity as EntityName<never>), `unknown ${label(em, entity as EntityName<never>)} "${value}" in ${path}`, path);
}
