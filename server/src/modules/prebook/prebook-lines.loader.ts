import DataLoader from 'dataloader';
import type { EntityName } from '@mikro-orm/core';
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import type { PurchasedQuantity } from '../../common/loaders';
import type { RequestContext } from '../../common/request-context';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { ProductSchema, type Product } from '../product/product.entity';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { PrebookSchema, type Prebook } from './prebook.entity';
import { billedByPrebookLine, purchasedByPrebookLine, selectLinesOfPrebooks, selectPrebookLinesByIds, type PrebookLineRow } from './prebook.repository';
import { loadedLinesOf, type NewPrebookLineView, type PrebookLineModel, type PrebookModel } from './prebook.view';

/** A prebook's line rows, with the products, box types and vendors of the whole batch (by id) they name. */
interface LoadedLines {
  rows: PrebookLineRow[];
  references: References;
}
const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, LoadedLines>>();

/** Which quantities a request's clients ask of the lines a list reads: read with the lines, for the whole page at once. */
export interface QuantitiesAsked {
  purchased: boolean;
  billed: boolean;
}
type Quantities = Record<keyof QuantitiesAsked, Map<number, PurchasedQuantity>>;
const asked = new WeakMap<RequestContext['loaders'], QuantitiesAsked>();
const known = new WeakMap<RequestContext['loaders'], Quantities>();

/**
 * A quantity of a line read with its page, at once; undefined when it was not (the caller asks the
 * request's loader): 1,000 lines asking purchased, needed and lockedByPo no longer wait on 3,000 promises.
 */
export function knownQuantity(ctx: RequestContext, kind: keyof QuantitiesAsked, lineId: number): PurchasedQuantity | undefined {
  return known.get(ctx.loaders)?.[kind].get(lineId);
}

/** The quantities the selection of a prebook's lines asks for (fields of the lines, through fragments too). */
export function quantitiesAsked(info: GraphQLResolveInfo): QuantitiesAsked {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === 'Field') names.add(selection.name.value);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet);
      else visit(info.fragments[selection.name.value]?.selectionSet);
    }
  };
  for (const node of info.fieldNodes) visit(node.selectionSet);
  return { purchased: names.has('purchased') || names.has('needed') || names.has('lockedByPo'), billed: names.has('billed') };
}
/** Each stored prebook's lines once per request (an entity belongs to its request's EntityManager): lines and lineIds share them. */
const read = new WeakMap<Prebook, Promise<PrebookLineModel[]>>();

/**
 * A prebook's lines by line number: from the prebook when they were loaded with it (a push's view, a
 * mutation's entity), else read for every prebook of the request at once as plain values. Lists do not
 * populate lines into the ORM: hydrating the 1,000 lines of a page of 100 prebooks took most of the read.
 * The products, box types and vendors they name are loaded with them, and the quantities purchased and
 * billed when the client asks for them: a line's fields are then answered at once.
 */
export async function linesOfPrebook(ctx: RequestContext, prebook: PrebookModel, quantities?: QuantitiesAsked): Promise<PrebookLineModel[]> {
  const loaded = loadedLinesOf(prebook);
  if (loaded) return loaded;
  if (quantities) {
    const before = asked.get(ctx.loaders);
    asked.set(ctx.loaders, { purchased: !!before?.purchased || quantities.purchased, billed: !!before?.billed || quantities.billed });
  }
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
    loader = new DataLoader<number, LoadedLines>(async (prebookIds) => {
      const byPrebook = new Map<number, PrebookLineRow[]>(prebookIds.map((id) => [id, []]));
      const rows = await selectLinesOfPrebooks(ctx.em, prebookIds);
      for (const row of rows) byPrebook.get(Number(row.prebook_id))?.push(row);
      const [references] = await Promise.all([loadReferences(ctx, rows), loadQuantities(ctx, rows)]);
      return prebookIds.map((id) => ({ rows: byPrebook.get(id)!, references }));
    });
    loaders.set(ctx.loaders, loader);
  }
  const { rows, references } = await loader.load(prebook.id);
  return rows.map((row) => lineView(ctx, prebook, row, references));
}

/** The products, box types and vendors lines name, by id, as loaded entities. */
interface References {
  products: Map<number, Product>;
  boxTypes: Map<number, BoxType>;
  vendors: Map<number, Vendor>;
}

/**
 * The products, box types and vendors the lines name, loaded now by the request's reference loaders (one
 * statement per type, the ones a client asking for them would send anyway): a line's product { code } is
 * then answered at once rather than by a promise per line, most of the time of a page of 1,000 lines. A
 * line's view holds the loaded entity itself: looking 3,000 references up in the ORM's identity map (what
 * em.getReference does) took some 4% of a page's read.
 */
async function loadReferences(ctx: RequestContext, rows: PrebookLineRow[]): Promise<References> {
  const distinct = (ids: Array<number | null>) => [...new Set(ids.filter((id): id is number => id != null).map(Number))];
  const load = async <T extends { id: number }>(schema: EntityName<T>, referenceTo: (id: number) => T, ids: number[]): Promise<Map<number, T>> => {
    const reference = ctx.loaders.reference(schema);
    const found: Array<T | null> = await Promise.all(ids.map((id) => reference(referenceTo(id))));
    return new Map(found.filter((entity): entity is T => entity !== null).map((entity) => [entity.id, entity]));
  };
  const [products, boxTypes, vendors] = await Promise.all([
    load<Product>(ProductSchema, (id) => ctx.em.getReference(ProductSchema, id), distinct(rows.map((row) => row.product_id))),
    load<BoxType>(BoxTypeSchema, (id) => ctx.em.getReference(BoxTypeSchema, id), distinct(rows.map((row) => row.box_type_id))),
    load<Vendor>(VendorSchema, (id) => ctx.em.getReference(VendorSchema, id), distinct(rows.map((row) => row.vendor_id))),
  ]);
  return { products, boxTypes, vendors };
}

const byIdLoaders = new WeakMap<RequestContext['loaders'], DataLoader<number, PrebookLineModel | null>>();

/**
 * A prebook line by id (the one an invoice line bills), read for every such line of the request at once
 * as plain values with its prebook, product, box type and vendor: not hydrated into the ORM, which took
 * most of a page of invoices asking for the prebook lines they bill.
 */
export function prebookLineById(ctx: RequestContext, id: number): Promise<PrebookLineModel | null> {
  let loader = byIdLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, PrebookLineModel | null>(async (ids) => {
      const rows = await selectPrebookLinesByIds(ctx.em, ids);
      const prebookIds = [...new Set(rows.map((row) => Number(row.prebook_id)))];
      const [prebooks, references] = await Promise.all([
        Promise.all(prebookIds.map((prebookId) => ctx.loaders.reference(PrebookSchema)(ctx.em.getReference(PrebookSchema, prebookId)))),
        loadReferences(ctx, rows),
      ]);
      const prebookById = new Map(prebooks.filter((p): p is Prebook => p !== null).map((p) => [p.id, p]));
      const views = new Map<number, PrebookLineModel>();
      for (const row of rows) {
        const prebook = prebookById.get(Number(row.prebook_id));
        if (prebook) views.set(Number(row.id), lineView(ctx, prebook, row, references));
      }
      return ids.map((id) => views.get(id) ?? null);
    });
    byIdLoaders.set(ctx.loaders, loader);
  }
  return loader.load(id);
}

/** The quantities the request's clients ask of these lines, read now for all of them (the loaders' own statements). */
async function loadQuantities(ctx: RequestContext, rows: PrebookLineRow[]): Promise<void> {
  const wanted = asked.get(ctx.loaders);
  if (!wanted || rows.length === 0) return;
  let quantities = known.get(ctx.loaders);
  if (!quantities) {
    quantities = { purchased: new Map(), billed: new Map() };
    known.set(ctx.loaders, quantities);
  }
  const ids = rows.map((row) => Number(row.id));
  const read = async (kind: keyof QuantitiesAsked, query: typeof purchasedByPrebookLine) => {
    if (!wanted[kind]) return;
    const found = await query(ctx.em, ids);
    for (const id of ids) {
      const quantity = found.get(id) ?? { boxes: 0, units: 0 };
      quantities[kind].set(id, quantity);
      ctx.loaders[kind].prime(id, quantity);
    }
  };
  await Promise.all([read('purchased', purchasedByPrebookLine), read('billed', billedByPrebookLine)]);
}

/** A line's view: the entities it names from the batch's references (a reference of the ORM only for one that is gone). */
function lineView(ctx: RequestContext, prebook: Prebook, row: PrebookLineRow, references: References): NewPrebookLineView {
  const em = ctx.em;
  const productId = Number(row.product_id);
  const boxTypeId = Number(row.box_type_id);
  const vendorId = row.vendor_id == null ? null : Number(row.vendor_id);
  return {
    id: Number(row.id),
    lineNo: row.line_no,
    prebook,
    product: references.products.get(productId) ?? em.getReference(ProductSchema, productId),
    sellBy: row.sell_by,
    boxType: references.boxTypes.get(boxTypeId) ?? em.getReference(BoxTypeSchema, boxTypeId),
    boxes: row.boxes,
    unitsPerBox: row.units_per_box,
    units: row.units,
    price: row.price,
    cost: row.cost,
    vendor: vendorId === null ? null : (references.vendors.get(vendorId) ?? em.getReference(VendorSchema, vendorId)),
    vendorCost: row.vendor_cost,
    priceSource: row.price_source ?? null,
    unableToSource: row.unable_to_source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  } as NewPrebookLineView;
}
