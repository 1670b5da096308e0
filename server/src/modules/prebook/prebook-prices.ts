// Prebook lines priced from the lists when saved without a price (the PREBOOK list; STANDING_ORDER for a
// prebook a standing order generated), and where each line's price came from.
import { sameDecimal } from '../../common/decimal';
import type { ReferenceLookup } from '../../common/references';
import type { PriceListKind } from '../price-list/price-list.entity';
import { resolvePrice, type PriceBook } from '../price-list/price-precedence';
import type { Prebook } from './prebook.entity';
import type { PrebookValues } from './prebook.service';

/** The price list kind of a prebook's lines: STANDING_ORDER for one a standing order generated, else PREBOOK. */
export function priceListKind(prebook: Pick<Prebook, 'source'> | undefined): PriceListKind {
  return prebook?.source === 'STANDING_ORDER' ? 'STANDING_ORDER' : 'PREBOOK';
}

/**
 * Prices the lines saved without one from the lists (the customer's list of the prebook's kind, its season
 * for the truck date first, else the master list), and records where each price came from: a price sent
 * is the line's (LINE), unless it is the stored price sent back, which keeps its source.
 */
export function priceFromLists(values: PrebookValues | undefined, existing: Prebook | undefined, book: PriceBook): PrebookValues | undefined {
  if (!values) return values;
  for (const line of values.lines) {
    if (line.price != null) {
      const stored = line.existing;
      line.priceSource = stored?.priceSource && sameDecimal(stored.price, line.price) ? stored.priceSource : 'LINE';
      continue;
    }
    const resolved = resolvePrice(book, {
      kind: priceListKind(existing),
      customerId: values.customer.id,
      productId: line.product.id,
      boxTypeId: line.boxType.id,
      date: values.truckDate,
      linePrice: null,
    });
    line.price = resolved.price;
    line.priceSource = resolved.source;
  }
  return values;
}

/** The ids a lookup finds for these values (unknown and ambiguous ones left out). */
export function foundIds<T extends { id: number }>(lookup: ReferenceLookup<T>, values: Iterable<string | null | undefined>): number[] {
  return [...values].flatMap((value) => {
    const match = value ? lookup(value) : null;
    return match && 'found' in match ? [match.found.id] : [];
  });
}
