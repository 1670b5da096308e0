import { p } from '@mikro-orm/core';

/** Columns every master-data table has: surrogate id, unique code, name, timestamps. */
export function codedEntityProperties() {
  return {
    id: p.integer().primary(),
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    ...timestampProperties(),
  };
}

/**
 * Trigram (pg_trgm) indexes on a master-data table's code and name: how suggestions for an unknown code
 * find the nearest codes and names (`<->`) without comparing every row (common/suggestions.repository).
 */
export function trigramIndexes(table: string) {
  return ['code', 'name'].map((column) => ({
    name: `${table}_${column}_trgm_index`,
    expression: `create index "${table}_${column}_trgm_index" on "${table}" using gist ("${column}" gist_trgm_ops)`,
  }));
}

/** When a row was made and last changed. */
export function timestampProperties() {
  return {
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  };
}

/** Columns of a document many people edit (prebooks, orders, runs, invoices): an optimistic-lock version and its timestamps. */
export function documentProperties() {
  return {
    version: p.integer().version(),
    ...timestampProperties(),
  };
}

/** Money and percentages: exact numeric in Postgres, strings in JavaScript. */
export const money = () => p.decimal('string').precision(14).scale(4);
export const percent = () => p.decimal('string').precision(7).scale(3);
