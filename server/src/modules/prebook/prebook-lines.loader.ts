import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import type { RequestContext } from '../../common/request-context';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';
import type { Prebook } from './prebook.entity';
import { selectLinesOfPrebooks, type PrebookLineRow } from './prebook.repository';
import { loadedLinesOf, type NewPrebookLineView, type PrebookLineModel, type PrebookModel } from './prebook.view';

const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, PrebookLineRow[]>>();
/** Each stored prebook's lines once per request (an entity belongs to its request's EntityManager): lines and lineIds share them. */
const read = new WeakMap<Prebook, Promise<PrebookLineModel[]>>();

/**
 * A prebook's lines by line number: from the prebook when they were loaded with it (a push's view, a
 * mutation's entity), else read for every prebook of the request at once as plain values. Lists do not
 * populate lines into the ORM: hydrating the 1,000 lines of a page of 100 prebooks took most of the read.
 * Products, box types and vendors stay references, loaded in one query per type when a client asks.
 */
export async function linesOfPrebook(ctx: RequestContext, prebook: PrebookModel): Promise<PrebookLineModel[]> {
  const loaded = loadedLinesOf(prebook);
  if (loaded) return loaded;
  const stored = prebook as Prebook;
  let lines = read.get(stored);
  if (!lines) {
    lines = readLines(ctx, stored);
    read.set(stored, lines);
  }
  return lines;
}

async function readLines(ctx: RequestContext, prebook: Prebook): Promise<PrebookLineModel[]> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, PrebookLineRow[]>(async (prebookIds) => {
      const byPrebook = new Map<number, PrebookLineRow[]>(prebookIds.map((id) => [id, []]));
      const rows = await selectLinesOfPrebooks(ctx.em, prebookIds);
      for (const row of rows) byPrebook.get(Number(row.prebook_id))?.push(row);
      await loadReferences(ctx, rows);
      return prebookIds.map((id) => byPrebook.get(id)!);
    });
    loaders.set(ctx.loaders, loader);
  }
  const rows = await loader.load(prebook.id);
  return rows.map((row) => lineView(ctx, prebook, row));
}

/**
 * The products, box types and vendors the lines name, loaded now by the request's reference loaders (one
 * statement per type, the ones a client asking for them would send anyway): a line's product { code } is
 * then answered at once rather than by a promise per line, most of the time of a page of 1,000 lines.
 */
async function loadReferences(ctx: RequestContext, rows: PrebookLineRow[]): Promise<void> {
  const distinct = (ids: Array<number | null>) => [...new Set(ids.filter((id): id is number => id != null).map(Number))];
  const load = <T extends object>(schema: EntityName<T>, ids: number[]) =>
    ids.map((id) => ctx.loaders.reference(schema)(ctx.em.getReference(schema as never, id) as T & { id: number }));
  await Promise.all([
    ...load(ProductSchema, distinct(rows.map((row) => row.product_id))),
    ...load(BoxTypeSchema, distinct(rows.map((row) => row.box_type_id))),
    ...load(VendorSchema, distinct(rows.map((row) => row.vendor_id))),
  ]);
}

function lineView(ctx: RequestContext, prebook: Prebook, row: PrebookLineRow): NewPrebookLineView {
  const em = ctx.em;
  return {
    id: Number(row.id),
    lineNo: row.line_no,
    prebook,
    product: em.getReference(ProductSchema, Number(row.product_id)),
    sellBy: row.sell_by,
    boxType: em.getReference(BoxTypeSchema, Number(row.box_type_id)),
    boxes: row.boxes,
    unitsPerBox: row.units_per_box,
    units: row.units,
    price: row.price,
    cost: row.cost,
    vendor: row.vendor_id == null ? null : em.getReference(VendorSchema, Number(row.vendor_id)),
    vendorCost: row.vendor_cost,
    unableToSource: row.unable_to_source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as NewPrebookLineView;
}
