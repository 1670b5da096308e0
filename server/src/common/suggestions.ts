import type { EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from './request-context';
import { findSuggestions, type SuggestionQuery } from './suggestions.repository';
import type { UserError } from './user-error';

/**
 * At most this many distinct unknown values of one request get suggestions (a file of the wrong
 * catalogue has thousands; the first ones tell the buyer what is wrong).
 */
export const MAX_SUGGESTED_VALUES = 100;

/** What an unknown-code error was about: what to suggest in its place. */
export interface UnknownReference {
  entity: EntityName<never>;
  value: string;
  /** The parent a record must belong to (a ship-to's customer): its foreign key column and id. */
  within?: { column: string; id: number };
  /** Codes not stored yet that may be suggested too: the new items of the same list. */
  alsoCodes?: readonly string[];
}

const UNKNOWN = Symbol('unknownReference');
type MarkedError = UserError & { [UNKNOWN]?: UnknownReference };

/** Marks an error as an unknown code, to get suggestions from addSuggestions before the response is sent. */
export function markUnknown(error: UserError | undefined, reference: UnknownReference): void {
  if (error) (error as MarkedError)[UNKNOWN] = reference;
}

/** "A", "A or B", "A, B or C". */
export function listOfCodes(codes: readonly string[]): string {
  return codes.length <= 1 ? (codes[0] ?? '') : `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
}

/** The message of an unknown code with its suggestions: `unknown product "ROSE-MONDAL": did you mean ROSE-MONDIAL?`. */
export function withSuggestions(message: string, suggestions: readonly string[]): string {
  return suggestions.length ? `${message}: did you mean ${listOfCodes(suggestions)}?` : message;
}

/**
 * What may be suggested to `actor` for `reference`, or null when nothing may: a CUSTOMER token gets only
 * its own customer (never another customer's code) and no vendor (the purchase side is staff-only).
 */
export function queryFor(em: EntityManager, actor: Actor, reference: UnknownReference): SuggestionQuery | null {
  const meta = em.getMetadata().find(reference.entity);
  if (!meta) return null;
  let scope = reference.within ?? null;
  if (actor.role === 'CUSTOMER') {
    if (meta.className === 'Vendor') return null;
    if (meta.className === 'Customer') scope = { column: 'id', id: actor.customerId ?? -1 };
  }
  return { table: meta.tableName, value: reference.value, scope, alsoCodes: reference.alsoCodes };
}

/**
 * Adds suggestions to the unknown-code errors among `errors` (marked by markUnknown), in place: each
 * gets `suggestions` and a message that names them. One statement for all of them, none when there are
 * none; errors already done are left as they are.
 */
export async function addSuggestions(em: EntityManager, actor: Actor, errors: readonly UserError[]): Promise<void> {
  const pending = new Map<string, { query: SuggestionQuery; errors: UserError[] }>();
  for (const error of errors as MarkedError[]) {
    const reference = typeof error === 'object' && error ? error[UNKNOWN] : undefined;
    if (!reference || error.suggestions) continue;
    error.suggestions = [];
    const query = queryFor(em, actor, reference);
    if (!query || !query.value.trim()) continue;
    const key = JSON.stringify([query.table, query.value.trim().toUpperCase(), query.scope]);
    const entry = pending.get(key);
    if (entry) entry.errors.push(error);
    else if (pending.size < MAX_SUGGESTED_VALUES) pending.set(key, { query, errors: [error] });
  }
  if (!pending.size) return;
  const entries = [...pending.values()];
  const found = await findSuggestions(
    em,
    entries.map((entry) => entry.query),
  );
  entries.forEach((entry, index) => {
    for (const error of entry.errors) {
      error.suggestions = found[index];
      error.message = withSuggestions(error.message, found[index]);
    }
  });
}

/** addSuggestions for whatever a service returns that carries `errors` (a mutation payload); anything else is left alone. */
export async function addSuggestionsToResult(em: EntityManager, actor: Actor, result: unknown): Promise<void> {
  const errors = (result as { errors?: unknown } | null | undefined)?.errors;
  if (Array.isArray(errors) && errors.length) await addSuggestions(em, actor, errors as UserError[]);
}
