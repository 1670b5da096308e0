// The price an availability list shows a customer (docs/sales-and-accounting.md#availability-lists): pure, no database.
import { canonicalDecimal, suggestedPrice } from '../../common/decimal';
import { resolvePrice, type PriceBook, type PriceSource } from '../price-list/price-precedence';

/** A list's source (never LINE: nothing is typed on an availability line), or the suggested price. */
export type AvailabilityPriceSource = Exclude<PriceSource, 'LINE'> | 'SUGGESTED';

/** What the price of a product and box type offered to a customer is made from. */
export interface AvailabilityPriceInput {
  /** The OPEN_MARKET lists that may price the customer's lines (loadPriceBook, once for the whole list). */
  book: PriceBook;
  customerId: number;
  productId: number;
  boxTypeId: number;
  /** The date a season is chosen by: the list's as-of date (the company's today). */
  date: string;
  /** Average landed unit cost of the boxes offered. */
  averageUnitCost: string;
  /** The customer's target GPM, else the settings'. */
  targetGpm: string;
}

export interface AvailabilityPrice {
  price: string;
  source: AvailabilityPriceSource;
  /** The season whose price applies (CUSTOMER_SEASON, MASTER_SEASON); null otherwise. */
  season: string | null;
}

/**
 * THE place a list price plugs in: the unit price a customer is offered for a product and box type. The
 * OPEN_MARKET lists first, by the one precedence (resolvePrice: the customer's list, its season for the date
 * first, then the master list, its season first; a price for the box type wins over one for every box type);
 * else the suggested price (average landed cost at the customer's target GPM). Null when neither prices it.
 */
export function availabilityPrice(input: AvailabilityPriceInput): AvailabilityPrice | null {
  const listed = resolvePrice(input.book, {
    kind: 'OPEN_MARKET',
    customerId: input.customerId,
    productId: input.productId,
    boxTypeId: input.boxTypeId,
    date: input.date,
    linePrice: null,
  });
  if (listed.price !== null && listed.source !== null && listed.source !== 'LINE') {
    return { price: shownPrice(listed.price), source: listed.source, season: listed.season };
  }
  const price = suggestedPrice(input.averageUnitCost, input.targetGpm);
  return price === null ? null : { price, source: 'SUGGESTED', season: null };
}

/** A list price as the list shows it: at least 2 decimals, no trailing zeros past them ("0.8500" is 0.85, "0.8525" stays). */
export function shownPrice(price: string): string {
  const [whole, fraction = ''] = canonicalDecimal(price)!.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}
