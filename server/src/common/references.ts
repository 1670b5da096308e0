import { raw, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { normalizeCode, type RowValidator } from './row-validator';
import type { ErrorCode } from './user-error';

export type ReferenceMatch<T> = { found: T } | { missing: true } | { ambiguous: T[] };

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
): Promise<(value: string) => ReferenceMatch<T>> {
  const given = [...new Set([...values].filter((v): v is string => !!v && !!v.trim()))];
  const codes = given.map(normalizeCode);
  const names = given.map((v) => v.trim().toLowerCase());
  const candidates = given.length
    ? await em.find(entity, { $or: [{ code: { $in: codes } }, { [raw('lower(name)')]: { $in: names } }] } as never)
    : [];
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  const byName = new Map<string, T[]>();
  for (const candidate of candidates) {
    const key = candidate.name.toLowerCase();
    const named = byName.get(key) ?? [];
    named.push(candidate);
    byName.set(key, named);
  }
  return (value: string) => {
    const code = byCode.get(normalizeCode(value));
    if (code) return { found: code };
    const named = byName.get(value.trim().toLowerCase()) ?? [];
    if (named.length === 1) return { found: named[0] };
    if (named.length > 1) return { ambiguous: named };
    return { missing: true };
  };
}

/**
 * Checks a reference of one input item against a lookup from loadReferences:
 * unknown and ambiguous values become errors on that row and field.
 */
export function checkReference<T extends Coded>(
  v: RowValidator,
  field: string,
  value: string | null | undefined,
  lookup: (value: string) => ReferenceMatch<T>,
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
  return v.fail(options.unknown, field, `unknown ${options.label} "${value}"`);
}

/** The id of the record a list filter names (code, or unique name); -1, which matches nothing, when it names none. */
export async function referenceId<T extends Coded & { id: number }>(em: EntityManager, entity: EntityName<T>, value: string): Promise<number> {
  const match = (await loadReferences(em, entity, [value]))(value);
  return 'found' in match ? match.found.id : -1;
}
