import { describe, expect, it } from 'vitest';
import { invoiceTotals, lineMoney } from '../../../../server/src/modules/invoice/invoice-totals';

describe('lineMoney', () => {
  it("is a line's amount and cost, scaled to 1/10000, null amount without a price", () => {
    expect(lineMoney({ unitPrice: '1.25', unitCost: '0.5000', units: 10 })).toMatchObject({ amount: 125_000n, cost: 50_000n });
    expect(lineMoney({ unitPrice: null, unitCost: '0.40', units: 3 })).toMatchObject({ amount: null, cost: 12_000n });
  });

  it('is computed again once the price, cost or units of the line changed (a mutation answering the line it changed)', () => {
    const line = { unitPrice: '1.00' as string | null, unitCost: '0.50', units: 10 };
    expect(lineMoney(line).amount).toBe(100_000n);
    line.unitPrice = '2.00';
    expect(lineMoney(line).amount).toBe(200_000n);
    line.units = 5;
    expect(lineMoney(line)).toMatchObject({ amount: 100_000n, cost: 25_000n });
    line.unitCost = '0.10';
    expect(lineMoney(line).cost).toBe(5_000n);
    line.unitPrice = null;
    expect(lineMoney(line).amount).toBeNull();
  });

  it('adds up to the invoice totals', () => {
    const lines = [
      { unitPrice: '1.25', unitCost: '0.50', units: 10 },
      { unitPrice: null, unitCost: '0.50', units: 10 },
    ];
    expect(invoiceTotals(lines)).toEqual({ total: 125_000n, cost: 100_000n, pricePending: true });
  });
});
