import { describe, expect, it } from 'vitest';
import {
  adjustedPrice,
  customerListKey,
  emptyPriceBook,
  priceKey,
  resolvePrice,
  type PriceBook,
  type PriceQuery,
} from '../../../../server/src/modules/price-list/price-precedence';

const ROSE = 1;
const QB = 7;
const HB = 8;
const BLOOMS = 10;
const FRESHMART = 11;

/** Master 0.70 (0.75 for HB), its Mother's Day season 0.95; BLOOMS' list 0.65, its Valentine season 0.85. */
function book(): PriceBook {
  const b = emptyPriceBook();
  b.lists.set(1, { id: 1, code: 'MASTER', seasons: [{ id: 100, name: 'Mothers Day', from: '2028-05-01', to: '2028-05-14' }] });
  b.lists.set(2, { id: 2, code: 'BLOOMS', seasons: [{ id: 200, name: 'Valentine', from: '2028-02-01', to: '2028-02-14' }] });
  b.masters.set('STANDING_ORDER', 1);
  b.customerLists.set(customerListKey('STANDING_ORDER', BLOOMS), 2);
  b.prices.set(priceKey(1, null, ROSE, null), '0.70');
  b.prices.set(priceKey(1, null, ROSE, HB), '0.75');
  b.prices.set(priceKey(1, 100, ROSE, null), '0.95');
  b.prices.set(priceKey(2, null, ROSE, null), '0.65');
  b.prices.set(priceKey(2, 200, ROSE, null), '0.85');
  return b;
}

const query = (over: Partial<PriceQuery>): PriceQuery => ({
  kind: 'STANDING_ORDER',
  customerId: BLOOMS,
  productId: ROSE,
  boxTypeId: QB,
  date: '2028-02-20',
  linePrice: null,
  ...over,
});

describe('price precedence', () => {
  it('a price typed on the line wins over every list', () => {
    expect(resolvePrice(book(), query({ linePrice: '0.99', date: '2028-02-10' }))).toEqual({ price: '0.99', source: 'LINE', listCode: null, season: null });
  });

  it("takes the customer's season for the truck date first, then the customer's list", () => {
    expect(resolvePrice(book(), query({ date: '2028-02-10' }))).toEqual({ price: '0.85', source: 'CUSTOMER_SEASON', listCode: 'BLOOMS', season: 'Valentine' });
    expect(resolvePrice(book(), query({ date: '2028-02-14' })).price).toBe('0.85');
    expect(resolvePrice(book(), query({ date: '2028-02-20' }))).toEqual({ price: '0.65', source: 'CUSTOMER_LIST', listCode: 'BLOOMS', season: null });
  });

  it('the customer list wins over a master season; a customer with no list gets the master list, its season first', () => {
    expect(resolvePrice(book(), query({ date: '2028-05-05' })).source).toBe('CUSTOMER_LIST');
    expect(resolvePrice(book(), query({ customerId: FRESHMART }))).toEqual({ price: '0.70', source: 'MASTER_LIST', listCode: 'MASTER', season: null });
    expect(resolvePrice(book(), query({ customerId: FRESHMART, date: '2028-05-05' }))).toEqual({
      price: '0.95',
      source: 'MASTER_SEASON',
      listCode: 'MASTER',
      season: 'Mothers Day',
    });
  });

  it("a price for the line's box type wins over the price for every box type of the same list", () => {
    expect(resolvePrice(book(), query({ customerId: FRESHMART, boxTypeId: HB })).price).toBe('0.75');
    expect(resolvePrice(book(), query({ customerId: FRESHMART, boxTypeId: null })).price).toBe('0.70');
  });

  it("falls through a customer's list that does not price the product, and stays pending when no list prices it", () => {
    const b = book();
    b.prices.delete(priceKey(2, null, ROSE, null));
    b.prices.delete(priceKey(2, 200, ROSE, null));
    expect(resolvePrice(b, query({})).source).toBe('MASTER_LIST');
    expect(resolvePrice(b, query({ kind: 'PREBOOK' }))).toEqual({ price: null, source: null, listCode: null, season: null });
    expect(resolvePrice(emptyPriceBook(), query({}))).toEqual({ price: null, source: null, listCode: null, season: null });
  });

  it('copies a price by a percentage, rounded half up to 0.01 or 0.05, exactly', () => {
    expect(adjustedPrice('0.65', '30', 'FIVE_CENTS')).toBe('0.85');
    expect(adjustedPrice('0.65', '30', 'CENT')).toBe('0.85');
    expect(adjustedPrice('0.65', '10', 'CENT')).toBe('0.72');
    expect(adjustedPrice('0.70', '30', 'FIVE_CENTS')).toBe('0.90');
    expect(adjustedPrice('0.70', '-10', 'FIVE_CENTS')).toBe('0.65');
    expect(adjustedPrice('1.2345', '0', 'CENT')).toBe('1.23');
    expect(adjustedPrice('0.10', '-100', 'CENT')).toBe('0.00');
    expect(adjustedPrice('0.10', '-150', 'CENT')).toBeNull();
  });
});
