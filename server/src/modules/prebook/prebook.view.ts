import type { Prebook, PrebookLine } from './prebook.entity';

/**
 * A prebook savePrebooks has just inserted, as plain values: what the API shows of it, built from what
 * was written. Not an entity: hydrating 5,000 new lines into the ORM took a third of a push whose
 * response only serializes them. A replay returns the same fields from entities read back.
 */
export interface NewPrebookView extends Pick<
  Prebook,
  'id' | 'number' | 'customer' | 'shipTo' | 'carrier' | 'truckDate' | 'customerPo' | 'holiday' | 'source' | 'status' | 'version' | 'createdAt' | 'updatedAt'
> {
  standingOrder: null;
  lines: NewPrebookLineView[];
}

export interface NewPrebookLineView extends Pick<
  PrebookLine,
  | 'id'
  | 'lineNo'
  | 'product'
  | 'sellBy'
  | 'boxType'
  | 'boxes'
  | 'unitsPerBox'
  | 'units'
  | 'price'
  | 'cost'
  | 'vendor'
  | 'vendorCost'
  | 'priceSource'
  | 'unableToSource'
  | 'createdAt'
  | 'updatedAt'
> {
  /** The prebook it belongs to: the new prebook's view, or the stored prebook a list read (prebook-lines.loader.ts). */
  prebook: PrebookModel;
}

/** What the Prebook and PrebookLine resolvers are given (codegen.yml mappers): a stored entity, or a new prebook's view. */
export type PrebookModel = Prebook | NewPrebookView;
export type PrebookLineModel = PrebookLine | NewPrebookLineView;

/** A prebook's lines by line number, when they are at hand (a new prebook's view, or a populated entity); else null. */
export function loadedLinesOf(prebook: PrebookModel): PrebookLineModel[] | null {
  // A view's lines are built in line order; an entity's collection may hold them in any order.
  if (Array.isArray(prebook.lines)) return prebook.lines;
  return prebook.lines.isInitialized() ? [...prebook.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo) : null;
}
