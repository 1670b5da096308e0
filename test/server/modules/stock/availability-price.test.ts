// The price an availability line offers (pure): the OPEN_MARKET lists by the one precedence, else the suggested price.
import { describe, expect, it } from 'vitest';
import { priceBasis as sheetBasis } from '../../../../addin/sheets/availability.document';
import { priceBasis as pdfBasis } from '../../../../server/src/documents/availability.document';
import { customerListKey, emptyPriceBook, priceKey, type PriceBook } from '../../../../server/src/modules/price-list/price-precedence';
import { availabilityPrice, shownPrice } from '../../../../server/src/modules/stock/availability-price';

const ROSE = 1;
const VASE = 2;
const QB = 10;

function book(): PriceBook {
  const b = emptyPriceBook();
  b.lists.set(1, { id: 1, code: 'MASTER-OM', seasons: [] });
  b.lists.set(2, { id: 2, code: 'BLOOMS-OM', seasons: [{ id: 7, name: 'Valentine', from: '2027-02-01', to: '2027-02-14' }] });
  b.masters.set('OPEN_MARKET', 1);
  b.customerLists.set(customerListKey('OPEN_MARKET', 5), 2);
  b.prices.set(priceKey(1, null, ROSE, null), '0.7000');
  b.prices.set(priceKey(1, null, ROSE, QB), '0.7200');
  b.prices.set(priceKey(2, null, ROSE, null), '0.6500');
  b.prices.set(priceKey(2, 7, ROSE, null), '0.8500');
  return b;
}
const offer = (customerId: number, productId: number, date: string) =>
  availabilityPrice({ book: book(), customerId, productId, boxTypeId: QB, date, averageUnitCost: '5.00', targetGpm: '20' });

describe('availabilityPrice', () => {
  it("takes the customer's season, then its list, then the master's price for the box type, else the suggested price", () => {
    expect(offer(5, ROSE, '2027-02-10')).toEqual({ price: '0.85', source: 'CUSTOMER_SEASON', season: 'Valentine' });
    expect(offer(5, ROSE, '2027-02-20')).toEqual({ price: '0.65', source: 'CUSTOMER_LIST', season: null });
    expect(offer(6, ROSE, '2027-02-10')).toEqual({ price: '0.72', source: 'MASTER_LIST', season: null });
    expect(offer(5, VASE, '2027-02-10')).toEqual({ price: '6.25', source: 'SUGGESTED', season: null });
  });

  it('shows a list price with at least two decimals and no trailing zeros past them', () => {
    expect(shownPrice('0.8500')).toBe('0.85');
    expect(shownPrice('1.0000')).toBe('1.00');
    expect(shownPrice('0.8525')).toBe('0.8525');
    expect(shownPrice('12.5')).toBe('12.50');
  });

  it('the PDF and the workbook word every source alike', () => {
    for (const source of ['CUSTOMER_SEASON', 'CUSTOMER_LIST', 'MASTER_SEASON', 'MASTER_LIST', 'SUGGESTED'])
      expect(pdfBasis(source, 'Valentine')).toBe(sheetBasis(source, 'Valentine'));
    expect(pdfBasis('MASTER_SEASON', 'Valentine')).toBe('Valentine price');
    expect(pdfBasis('CUSTOMER_LIST', null)).toBe('Your price');
    expect(pdfBasis(null, null)).toBe('');
  });
});
