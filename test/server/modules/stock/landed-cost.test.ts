// The landed cost true-up as a pure function: freight and handling by FBE, duty by share of product cost,
// each split exact (the parts add up to the amount), landed at 4 decimals.
import { describe, expect, it } from 'vitest';
import { costDifference, trueUpLandedCosts } from '../../../../server/src/modules/stock/landed-cost';

const hb = (id: number, unitCost = '0.30', units = 250) => ({ id, units, unitCost, fbe: '0.5' });

describe('trueUpLandedCosts', () => {
  it.each([
    { name: 'an HB of 250 stems at 0.30, freight 30.00 per FBE: 0.36', boxes: [hb(1)], amounts: { freight: '15', handling: '0', duty: '0' }, landed: ['0.36'] },
    { name: 'freight 25.00 per FBE: 0.35', boxes: [hb(1), hb(2)], amounts: { freight: '25', handling: '0', duty: '0' }, landed: ['0.35', '0.35'] },
    {
      name: 'handling by FBE too: an FB takes twice an HB',
      boxes: [hb(1), { id: 2, units: 250, unitCost: '0.30', fbe: '1' }],
      amounts: { freight: '0', handling: '30', duty: '0' },
      landed: ['0.34', '0.38'],
    },
    {
      name: 'duty by share of product cost: 75.00 and 100.00 of product share 35.00',
      boxes: [hb(1), hb(2, '0.40')],
      amounts: { freight: '0', handling: '0', duty: '35' },
      landed: ['0.36', '0.48'],
    },
    {
      name: 'an amount that does not split evenly: 10.00 over three boxes of 3 units, 0.30 + 3.3333 / 3',
      boxes: [hb(1, '0.30', 3), hb(2, '0.30', 3), hb(3, '0.30', 3)],
      amounts: { freight: '10', handling: '0', duty: '0' },
      landed: ['1.4111', '1.4111', '1.4111'],
    },
    { name: 'nothing recorded: the unit cost alone', boxes: [hb(1)], amounts: { freight: '0', handling: '0', duty: '0' }, landed: ['0.30'] },
  ])('$name', ({ boxes, amounts, landed }) => {
    expect([...trueUpLandedCosts(boxes, amounts)!.values()]).toEqual(landed);
  });

  it('refuses to split an amount over nothing: no FBE, or no product cost', () => {
    expect(trueUpLandedCosts([{ id: 1, units: 10, unitCost: '1', fbe: '0' }], { freight: '5', handling: '0', duty: '0' })).toBeNull();
    expect(trueUpLandedCosts([{ id: 1, units: 10, unitCost: '0', fbe: '1' }], { freight: '0', handling: '0', duty: '5' })).toBeNull();
  });

  it('differences are exact and null until recorded', () => {
    expect(costDifference('0.35', '0.36')).toBe('0.01');
    expect(costDifference('0.3972', '0.35')).toBe('-0.0472');
    expect(costDifference('0.35', null)).toBeNull();
  });
});
