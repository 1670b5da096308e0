import DataLoader from 'dataloader';
import { raw, wrap, type EntityName, type RawQueryFragment } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { genericPopulate, genericWhere } from './entity-query';

export interface PurchasedQuantity {
  boxes: number;
  units: number;
}

/** A Postgres array literal for `= any(?::int[])`: knex would expand a JS array into a list. */
export function pgIntArray(ids: readonly number[]): string {
  // Ids beyond PostgreSQL's integer match no row: leave them out rather than fail the statement.
  const valid = ids.map((id) => Math.trunc(Number(id))).filter((id) => Number.isSafeInteger(id) && id >= -2147483648 && id <= 2147483647);
  return `{${valid.join(',')}}`;
}

/** A Postgres array literal of any scalars (text with commas, quotes or braces; nulls) for `unnest(?::type[])` or `= any(?::text[])`. */
export function pgArray(values: ReadonlyArray<string | number | boolean | null>): string {
  // One pass, escaping only the texts that need it: a push of 5,000 lines sends 60,000 values.
  let literal = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) literal += ',';
    if (v === null) literal += 'NULL';
    else if (typeof v !== 'string' || !NEEDS_ARRAY_ESCAPE.test(v)) literal += `"${v}"`;
    else literal += `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
  return `${literal}}`;
}

const NEEDS_ARRAY_ESCAPE = /["\\]/;

/**
 * A text parameter of `em.execute` as a finished SQL literal, for the large ones (a push's array
 * literals, its audit payloads). The ORM quotes a text parameter with pg's escapeLiteral, which builds
 * the result one character at a time: 50 ms for the 600 KB of audit payloads of a 5,000-line push.
 */
export function sqlText(text: string): RawQueryFragment {
  const quoted = text.replaceAll("'", "''");
  // As escapeLiteral writes it: with backslashes, an E'' string, right whatever standard_conforming_strings says.
  return raw(text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`);
}

/** Reads a quantity per prebook line for a batch of lines (modules/prebook's prebook.repository.ts). */
export type QuantityQuery = (em: EntityManager, lineIds: readonly number[]) => Promise<Map<number, PurchasedQuantity>>;

function quantityLoader(em: EntityManager, load: QuantityQuery) {
  return new DataLoader<number, PurchasedQuantity>(async (ids) => {
    const found = await load(em, ids);
    return ids.map((id) => found.get(id) ?? { boxes: 0, units: 0 });
  });
}

/** Request-scoped batch loaders: one query per field per request, not per row. */
/**
 * Loads many-to-one references a list did not populate, in one query per entity type for the whole
 * request: `(ctx.loaders.reference(BoxTypeSchema))(product.defaultBoxType)`.
 */
function referenceLoaders(em: EntityManager) {
  type Load = (reference: { id: number } | null | undefined) => unknown;
  // One function per entity type for the request: a page of 1,000 lines asks it 3,000 times.
  const loads = new Map<unknown, Load>();
  return <T extends object>(schema: EntityName<T>) => {
    let load = loads.get(schema);
    if (!load) {
      const loader = new DataLoader<number, unknown>(async (ids) => {
        const rows = (await em.find(schema, genericWhere<T>({ id: { $in: [...ids] } }))) as Array<T & { id: number }>;
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      load = (reference) => (!reference ? null : wrap(reference).isInitialized() ? reference : loader.load(reference.id));
      loads.set(schema, load);
    }
    return load as (reference: (T & { id: number }) | null | undefined) => T | null | Promise<T | null>;
  };
}

/**
 * Loads entities by id with relations populated, in one query per entity type and populate list for
 * the whole request: `ctx.loaders.entity(BoxSchema, POPULATE_BOX)(id)`.
 */
function entityLoaders(em: EntityManager) {
  const loaders = new Map<string, DataLoader<number, unknown>>();
  const names = new Map<unknown, string>();
  return <T extends object>(schema: EntityName<T>, populate: readonly string[]) => {
    if (!names.has(schema)) names.set(schema, String(names.size));
    const key = `${names.get(schema)}:${populate.join(',')}`;
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader<number, unknown>(async (ids) => {
        const rows = (await em.find(schema, genericWhere<T>({ id: { $in: [...ids] } }), { populate: genericPopulate<T>(populate) })) as Array<
          T & { id: number }
        >;
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      loaders.set(key, loader);
    }
    const load = loader as DataLoader<number, T | null>;
    return (id: number | null | undefined): Promise<T | null> | null => (id == null ? null : load.load(id));
  };
}

/**
 * The loaders of one request. The quantities of prebook lines are read by queries of the prebook module,
 * given here (prebookLineQuantities) because common/ depends on no module.
 */
export function createLoaders(em: EntityManager, quantities: { purchased: QuantityQuery; billed: QuantityQuery }) {
  return {
    purchased: quantityLoader(em, quantities.purchased),
    billed: quantityLoader(em, quantities.billed),
    reference: referenceLoaders(em),
    entity: entityLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
