// The OPEN_MARKET price lists for open-market sales by allocation and fill: what an open-market box bills
// at on a line that has no price of its own.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { BillingLine } from '../box/billable-box';
import { loadPriceBook } from '../price-list/price-list.repository';
import { resolvePrice, type ResolvedPrice } from '../price-list/price-precedence';
import type { BillingItem } from './run-invoices';

/**
 * Loads, in one statement (none when every line has a price), the OPEN_MARKET lists of these lines'
 * customers and products, and returns how an item of them is priced: the customer's list (its season for
 * the invoice's truck date first), else the master list, else pending.
 */
export async function openMarketPrices(
  em: EntityManager,
  lines: ReadonlyArray<BillingLine & { product: { id: number } }>,
): Promise<(item: BillingItem) => ResolvedPrice> {
  const unpriced = lines.filter((line) => line.price == null);
  const book = await loadPriceBook(
    em,
    ['OPEN_MARKET'],
    unpriced.map((line) => line.prebook.customer.id),
    unpriced.map((line) => line.product.id),
  );
  return (item) =>
    resolvePrice(book, {
      kind: 'OPEN_MARKET',
      customerId: item.prebookLine.prebook.customer.id,
      productId: item.box.productId,
      boxTypeId: item.box.boxTypeId,
      date: item.truckDate,
      linePrice: null,
    });
}
