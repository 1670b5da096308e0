import DataLoader from 'dataloader';
import { wrap, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

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
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

/** Sums, per prebook line, what purchase orders that are not cancelled hold for it. */
export async function purchasedByPrebookLine(em: EntityManager, lineIds: readonly number[]): Promise<Map<number, PurchasedQuantity>> {
  const result = new Map<number, PurchasedQuantity>();
  if (lineIds.length === 0) return result;
  const rows = await em.execute<{ id: number; boxes: string; units: string }[]>(
    `select link.prebook_line_id as id, coalesce(sum(link.boxes), 0) as boxes, coalesce(sum(link.units), 0) as units
       from purchase_order_line_link link
       join purchase_order_line pol on pol.id = link.purchase_order_line_id
       join purchase_order po on po.id = pol.purchase_order_id
      where po.status <> 'CANCELLED' and link.prebook_line_id = any(?::int[])
      group by link.prebook_line_id`,
    [pgIntArray(lineIds)],
  );
  for (const row of rows) result.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
  return result;
}

/** Sums, per prebook line, what invoices that are not void bill for it. */
export async function billedByPrebookLine(em: EntityManager, lineIds: readonly number[]): Promise<Map<number, PurchasedQuantity>> {
  const result = new Map<number, PurchasedQuantity>();
  if (lineIds.length === 0) return result;
  const rows = await em.execute<{ id: number; boxes: string; units: string }[]>(
    `select il.prebook_line_id as id, coalesce(sum(il.boxes), 0) as boxes, coalesce(sum(il.units), 0) as units
       from invoice_line il join invoice i on i.id = il.invoice_id
      where i.status <> 'VOID' and il.prebook_line_id = any(?::int[])
      group by il.prebook_line_id`,
    [pgIntArray(lineIds)],
  );
  for (const row of rows) result.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
  return result;
}

function quantityLoader(em: EntityManager, load: (em: EntityManager, ids: readonly number[]) => Promise<Map<number, PurchasedQuantity>>) {
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
  const loaders = new Map<unknown, DataLoader<number, unknown>>();
  return <T extends object>(schema: EntityName<T>) => {
    let loader = loaders.get(schema);
    if (!loader) {
      loader = new DataLoader<number, unknown>(async (ids) => {
        const rows = (await em.find(schema, { id: { $in: [...ids] } } as never)) as Array<T & { id: number }>;
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      loaders.set(schema, loader);
    }
    const load = loader as DataLoader<number, T | null>;
    return (reference: (T & { id: number }) | null | undefined): T | null | Promise<T | null> =>
      !reference ? null : wrap(reference).isInitialized() ? reference : load.load(reference.id);
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
        const rows = (await em.find(schema, { id: { $in: [...ids] } } as never, { populate: populate as never })) as Array<T & { id: number }>;
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      });
      loaders.set(key, loader);
    }
    const load = loader as DataLoader<number, T | null>;
    return (id: number | null | undefined): Promise<T | null> | null => (id == null ? null : load.load(id));
  };
}

export function createLoaders(em: EntityManager) {
  return {
    purchased: quantityLoader(em, purchasedByPrebookLine),
    billed: quantityLoader(em, billedByPrebookLine),
    reference: referenceLoaders(em),
    entity: entityLoaders(em),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
