import { describe, expect, it } from 'vitest';
import {
  componentRows,
  recipeUnitCost,
  runCosts,
  scaledToDecimal,
  weightedAverage,
  type RunLineData,
} from '../../../../server/src/modules/production/production-costing';
import { toScaled } from '../../../../server/src/common/decimal';

const bouquet = (units: number, cost: string | null, price: string | null, finishedProductId = 1): RunLineData => ({
  finishedProductId,
  units,
  cost,
  price,
  recipe: [
    { product: 10, units: '12' },
    { product: 11, units: '0.5' },
  ],
});

describe('production costing (pure)', () => {
  it('rows: required from recipe x units; short and over against what was transferred; cost of the transfers', () => {
    const rows = componentRows(
      [bouquet(50, '9', '20')],
      new Map([
        [10, { units: 590, cost: toScaled('247.80') }],
        [11, { units: 30, cost: toScaled('3') }],
      ]),
    );
    expect(
      rows.map((r) => [
        r.componentId,
        scaledToDecimal(r.required),
        r.transferred,
        scaledToDecimal(r.short),
        scaledToDecimal(r.over),
        scaledToDecimal(r.transferredCost),
      ]),
    ).toEqual([
      [10, '600', 590, '10', '0', '247.8'],
      [11, '25', 30, '0', '5', '3'],
    ]);
  });

  it('a component shared by two finished products fills them in order, the rest to the last, and its cost adds up exactly', () => {
    const rows = componentRows([bouquet(10, '9', '20', 1), bouquet(10, '9', '20', 2)], new Map([[10, { units: 250, cost: toScaled('100.01') }]]));
    const roses = rows.filter((r) => r.componentId === 10);
    expect(roses.map((r) => [r.finishedProductId, r.transferred, scaledToDecimal(r.short), scaledToDecimal(r.over)])).toEqual([
      [1, 120, '0', '0'],
      [2, 130, '0', '10'],
    ]);
    expect(roses.reduce((sum, r) => sum + r.transferredCost, 0n)).toBe(toScaled('100.01'));
  });

  it('estimated against actual unit cost and GPM, exact; no actual cost before anything is received', () => {
    expect(runCosts([bouquet(50, '9.00', '20.00')], toScaled('372'), 48, '1.50')).toEqual({
      estimatedUnitCost: '9.00',
      actualUnitCost: '9.25',
      unitPrice: '20.00',
      estimatedGpmPercent: '55.00',
      actualGpmPercent: '53.75',
    });
    // 100 / 3 = 33.3333 (4 decimals, half up) + 0 labour
    expect(runCosts([bouquet(3, null, '50')], toScaled('100'), 3, null)).toMatchObject({
      estimatedUnitCost: null,
      actualUnitCost: '33.3333',
      estimatedGpmPercent: null,
      actualGpmPercent: '33.33',
    });
    expect(runCosts([bouquet(3, '1', null)], 0n, 0, '1')).toMatchObject({ actualUnitCost: null, unitPrice: null, actualGpmPercent: null });
    // A line sold price pending leaves the price to the priced lines, not the cost.
    expect(runCosts([bouquet(1, '8', '20'), bouquet(3, '8', null)], toScaled('40'), 4, '0')).toMatchObject({
      unitPrice: '20.00',
      estimatedUnitCost: '8.00',
      actualUnitCost: '10.00',
      actualGpmPercent: '50.00',
    });
  });

  it('weighted averages by units; null when a line lacks the value', () => {
    expect(
      weightedAverage([
        { units: 1, value: '10' },
        { units: 3, value: '20' },
      ]),
    ).toBe('17.50');
    expect(
      weightedAverage([
        { units: 1, value: '10' },
        { units: 3, value: null },
      ]),
    ).toBeNull();
    expect(weightedAverage([])).toBeNull();
  });

  it('recipe unit cost: components x units + labour; null when any cost or the labour is unknown', () => {
    const recipe = [
      { product: 10, units: '12' },
      { product: 11, units: '0.5' },
    ];
    expect(
      recipeUnitCost(
        recipe,
        new Map([
          [10, '0.42'],
          [11, '1.25'],
        ]),
        '1.50',
      ),
    ).toBe('7.165');
    expect(recipeUnitCost(recipe, new Map([[10, '0.42']]), '1.50')).toBeNull();
    expect(
      recipeUnitCost(
        recipe,
        new Map([
          [10, '0.42'],
          [11, '1.25'],
        ]),
        null,
      ),
    ).toBeNull();
  });
});
