import { describe, expect, it } from 'vitest';
import { orderedQuantity, stillToBuy } from '../../../../server/src/modules/prebook/prebook.service';

describe('what a prebook line still has to buy', () => {
  it('counts boxes for a line sold by the box and units for one sold by the unit', () => {
    const purchased = { boxes: 2, units: 250 };
    expect(stillToBuy({ sellBy: 'BOX', boxes: 5, units: 500 }, purchased)).toBe(3);
    expect(stillToBuy({ sellBy: 'UNIT', boxes: null, units: 400 }, purchased)).toBe(150);
  });

  it('is what was ordered when nothing is bought, and negative when purchase orders hold more', () => {
    const line = { sellBy: 'BOX' as const, boxes: 4, units: 400 };
    expect(stillToBuy(line, { boxes: 0, units: 0 })).toBe(orderedQuantity(line));
    expect(stillToBuy(line, { boxes: 6, units: 0 })).toBe(-2);
  });
});
