import { describe, expect, it } from 'vitest';
import { foldFuelSurcharge, plainDocumentLines } from '../../../../server/src/modules/charge/fob-prices';
import type { Product } from '../../../../server/src/modules/product/product.entity';

/** Only printed through, never read: a stand-in for the line's product. */
const product = { id: 1, code: 'ROSE', name: 'Rose' } as unknown as Product;
const line = (id: number, units: number, unitPrice: string | null, boxes = 1) => ({ id, lineNo: id, product, boxes, units, unitPrice });
const cents = (amount: string) => Math.round(Number(amount) * 100);

describe('FOB prices: the fuel surcharge folded into the unit prices', () => {
  it('gives each line the share of its boxes, to 4 decimals, and the lines add up to the total to the cent', () => {
    // 3 HB x 2.00 on the carnations, 7 QB x 1.50 on the roses: 16.50 on 860.00.
    const folded = foldFuelSurcharge(
      [line(1, 1500, '0.2000', 3), line(2, 700, '0.8000', 7)],
      '16.50',
      new Map([
        [1, '6.0000'],
        [2, '10.5000'],
      ]),
    );
    expect(folded!.map((l) => [l.unitPrice, l.amount])).toEqual([
      ['0.204', '306.00'],
      ['0.815', '570.50'],
    ]);
  });

  it('puts the rounding difference on the last line', () => {
    // 10.00 over three lines of 3 units at 1.00: 6.3333 a line does not divide to the cent.
    const folded = foldFuelSurcharge([line(1, 3, '1.00'), line(2, 3, '1.00'), line(3, 3, '1.00')], '10.00', new Map());
    const amounts = folded!.map((l) => l.amount!);
    expect(amounts.reduce((sum, amount) => sum + cents(amount), 0)).toBe(1900);
    expect(folded!.map((l) => l.unitPrice)).toEqual(['2.1111', '2.1111', '2.1133']);
    expect(amounts).toEqual(['6.33', '6.33', '6.34']);
  });

  it('does not fold while a price is pending, nor with no line', () => {
    expect(foldFuelSurcharge([line(1, 10, '1.00'), line(2, 10, null)], '5.00', new Map())).toBeNull();
    expect(foldFuelSurcharge([], '5.00', new Map())).toBeNull();
  });

  it('prints the lines as they are otherwise, pending prices pending', () => {
    expect(plainDocumentLines([line(2, 10, null), line(1, 100, '0.8250')]).map((l) => [l.lineNo, l.unitPrice, l.amount])).toEqual([
      [1, '0.8250', '82.50'],
      [2, null, null],
    ]);
  });
});
