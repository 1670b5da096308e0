import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from './loaders';

/** How close a record must come to an unknown value to be suggested (0 to 1): typos pass, nonsense does not. */
export const SUGGESTION_THRESHOLD = 0.55;
/** At most this many suggestions per unknown value. */
export const MAX_SUGGESTIONS = 3;

/** One unknown value to find look-alikes for, among the rows of one master-data table. */
export interface SuggestionQuery {
  /** The table of the master data (customer, product, ship_to, ...), from the entity's metadata. */
  table: string;
  /** What was given, as typed. */
  value: string;
  /**
   * Only rows whose `column` is `id` may be suggested: the ship-tos of one customer (customer_id), or a
   * CUSTOMER token's own customer (id). Null: any row of the table.
   */
  scope: { column: string; id: number } | null;
  /** Codes that are not stored yet but may be suggested too (new items of the same list); unscoped queries only. */
  alsoCodes?: readonly string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** How many nearest codes, and nearest names, each value is scored against. */
const CANDIDATES = 10;
/** Values up to this long also find codes within two edits (a short code's trigrams say little: FEDX, FEDEX). */
const EDIT_DISTANCE_LENGTH = 12;

/**
 * The codes most like each value, best first, at most MAX_SUGGESTIONS each, in one statement for all the
 * values of a request whatever their tables: the closest of the code's trigram similarity (pg_trgm), the
 * name's, and the code's edit distance (fuzzystrmatch's levenshtein, as a share of the longer one), from
 * SUGGESTION_THRESHOLD up. The candidates are the nearest codes and names by trigram distance (pg_trgm's
 * `<->`, from the GiST indexes) and, for short values, codes of about the same length within two edits,
 * so a large catalogue is not scored row by row. Returns the codes of each query, by its index in `queries`.
 */
export async function findSuggestions(em: EntityManager, queries: readonly SuggestionQuery[]): Promise<string[][]> {
  const found: string[][] = queries.map(() => []);
  if (!queries.length) return found;
  const groups = new Map<string, { table: string; column: string | null; alsoCodes: readonly string[]; indexes: number[] }>();
  queries.forEach((query, index) => {
    const column = query.scope?.column ?? null;
    for (const name of [query.table, column]) if (name !== null && !IDENTIFIER.test(name)) throw new Error(`not an identifier: ${name}`);
    const alsoCodes = column ? [] : (query.alsoCodes ?? []);
    const key = JSON.stringify([query.table, column, alsoCodes]);
    const group = groups.get(key) ?? { table: query.table, column, alsoCodes, indexes: [] };
    group.indexes.push(index);
    groups.set(key, group);
  });
  const params: string[] = [];
  const branches = [...groups.values()].map(({ table, column, alsoCodes, indexes }) => {
    params.push(
      pgArray(indexes),
      pgArray(indexes.map((i) => queries[i].value.trim().toUpperCase().slice(0, 100))),
      pgArray(indexes.map((i) => queries[i].scope?.id ?? null)),
    );
    const scoped = column ? `and t."${column}" = w.scope` : '';
    let listed = '';
    if (alsoCodes.length) {
      params.push(pgArray(alsoCodes.map((code) => code.slice(0, 100))));
      listed = `union select code, '' from unnest(?::text[]) as listed(code) where not exists (select from "${table}" s where s.code = listed.code)`;
    }
    return `select w.i, m.code, m.score from unnest(?::int[], ?::text[], ?::int[]) as w(i, value, scope)
      cross join lateral (
        select s.code, s.score from (
          select c.code, greatest(
            similarity(c.code, w.value),
            similarity(c.name, w.value),
            1 - levenshtein(c.code, w.value)::float8 / greatest(length(c.code), length(w.value), 1)
          ) as score
          from (
            (select t.code, t.name from "${table}" t where true ${scoped} order by t.code <-> w.value limit ${CANDIDATES})
            union (select t.code, t.name from "${table}" t where true ${scoped} order by t.name <-> w.value limit ${CANDIDATES})
            union (select t.code, t.name from "${table}" t
              where length(w.value) <= ${EDIT_DISTANCE_LENGTH} and length(t.code) between length(w.value) - 2 and length(w.value) + 2
                and levenshtein_less_equal(t.code, w.value, 2) <= 2 ${scoped} limit ${CANDIDATES})
            ${listed}
          ) c
        ) s
        where s.score >= ${SUGGESTION_THRESHOLD}
        order by s.score desc, s.code
        limit ${MAX_SUGGESTIONS}
      ) m`;
  });
  const rows = await em.execute<Array<{ i: number; code: string; score: number }>>(
    `${branches.map((branch) => `(${branch})`).join(' union all ')} order by 1, 3 desc, 2`,
    params,
  );
  for (const row of rows) found[Number(row.i)].push(row.code);
  return found;
}
