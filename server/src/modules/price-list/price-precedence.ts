// The one price precedence (pure: no database, no clock), and the arithmetic of copied prices.
import { divRound, fromScaled, toScaled } from '../../common/decimal';
import type { PriceListKind } from './price-list.entity';

/** Where a line's price came from. */
export const PRICE_SOURCES = ['LINE', 'CUSTOMER_SEASON', 'CUSTOMER_LIST', 'MASTER_SEASON', 'MASTER_LIST'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/** A season of a loaded list: its id and dates (YYYY-MM-DD, inclusive). */
export interface BookSeason {
  id: number;
  name: string;
  from: string;
  to: string;
}

/** A loaded list: its code and seasons. */
export interface BookList {
  id: number;
  code: string;
  seasons: BookSeason[];
}

/**
 * The lists that may price a set of lines, as plain data (loadPriceBook reads it in one statement): the
 * master list of each kind, each customer's list of each kind, and their prices by list, season (null:
 * the regular prices), product and box type (null: every box type).
 */
export interface PriceBook {
  lists: Map<number, BookList>;
  masters: Map<PriceListKind, number>;
  /** `${kind}|${customerId}` to a list id. */
  customerLists: Map<string, number>;
  /** priceKey(...) to a price. */
  prices: Map<string, string>;
}

export function emptyPriceBook(): PriceBook {
  return { lists: new Map(), masters: new Map(), customerLists: new Map(), prices: new Map() };
}

export function priceKey(listId: number, seasonId: number | null, productId: number, boxTypeId: number | null): string {
  return `${listId}|${seasonId ?? ''}|${productId}|${boxTypeId ?? ''}`;
}

export function customerListKey(kind: PriceListKind, customerId: number): string {
  return `${kind}|${customerId}`;
}

/** What a line asks of the lists. */
export interface PriceQuery {
  kind: PriceListKind;
  customerId: number;
  productId: number;
  /** The line's box type: a price for it wins over the price for every box type. */
  boxTypeId: number | null;
  /** The truck date: which season applies. */
  date: string;
  /** The price typed on the line (null: pending). */
  linePrice: string | null;
}

export interface ResolvedPrice {
  /** null: no list prices it; the line stays pending (suggestedUnitPrice still suggests). */
  price: string | null;
  source: PriceSource | null;
  listCode: string | null;
  season: string | null;
}

export const PENDING: ResolvedPrice = { price: null, source: null, listCode: null, season: null };

function listPrice(book: PriceBook, list: BookList, seasonId: number | null, query: PriceQuery): string | undefined {
  if (query.boxTypeId != null) {
    const exact = book.prices.get(priceKey(list.id, seasonId, query.productId, query.boxTypeId));
    if (exact !== undefined) return exact;
  }
  return book.prices.get(priceKey(list.id, seasonId, query.productId, null));
}

/**
 * The price of a line, by the one precedence: a price typed on the line wins; else the customer's list of
 * the line's kind, its season for the truck date first, then its regular prices; else the master list of
 * the kind, its season first; else pending. In each list, a price for the line's box type wins over the
 * price for every box type. Seasons of one list never overlap (savePriceLists refuses it).
 */
export function resolvePrice(book: PriceBook, query: PriceQuery): ResolvedPrice {
  if (query.linePrice != null) return { price: query.linePrice, source: 'LINE', listCode: null, season: null };
  const candidates: Array<[number | undefined, PriceSource, PriceSource]> = [
    [book.customerLists.get(customerListKey(query.kind, query.customerId)), 'CUSTOMER_SEASON', 'CUSTOMER_LIST'],
    [book.masters.get(query.kind), 'MASTER_SEASON', 'MASTER_LIST'],
  ];
  for (const [listId, seasonSource, listSource] of candidates) {
    const list = listId === undefined ? undefined : book.lists.get(listId);
    if (!list) continue;
    const season = list.seasons.find((s) => s.from <= query.date && query.date <= s.to);
    if (season) {
      const price = listPrice(book, list, season.id, query);
      if (price !== undefined) return { price, source: seasonSource, listCode: list.code, season: season.name };
    }
    const price = listPrice(book, list, null, query);
    if (price !== undefined) return { price, source: listSource, listCode: list.code, season: null };
  }
  return PENDING;
}

export const PRICE_ROUNDINGS = { CENT: 100n, FIVE_CENTS: 500n } as const;
export type PriceRounding = keyof typeof PRICE_ROUNDINGS;

/** 100 % in 1/10000 of a percent point (toScaled of "100"). */
const HUNDRED_PERCENT = 1_000_000n;

/**
 * A price changed by a percentage (30 for +30 %) and rounded to the nearest step (0.01 or 0.05; a half
 * rounds up), exactly: 0.65 at +30 % is 0.845, which is 0.85 to the nickel. null when it would be negative.
 */
export function adjustedPrice(price: string, percent: string, rounding: PriceRounding): string | null {
  const step = PRICE_ROUNDINGS[rounding];
  const factor = HUNDRED_PERCENT + toScaled(percent);
  const steps = divRound(toScaled(price) * factor, HUNDRED_PERCENT * step);
  if (steps < 0n) return null;
  return fromScaled(steps * step, 2);
}
