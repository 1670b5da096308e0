// The billing decisions as pure functions: no database.
import { describe, expect, it } from 'vitest';
import { isFulfilled, splitBox, splitByHolidayAndTransit, type DemandToBill } from '../../../../server/src/modules/billing/billing-rules';

const unit = (demandUnits: number, stillNeeded: number, truckDate = '2027-01-10'): DemandToBill => ({ sellBy: 'UNIT', truckDate, demandUnits, stillNeeded });
const byBox = (stillNeeded: number, truckDate = '2027-01-10'): DemandToBill => ({ sellBy: 'BOX', truckDate, demandUnits: 100, stillNeeded });

describe('splitBox: which units of a box each line bills', () => {
  it.each<[string, { units: number; unitsRemaining: number; billUnitsAsBoxes: boolean }, DemandToBill[], Array<{ index: number; units: number }>]>([
    ['a line by the box takes the box', { units: 100, unitsRemaining: 100, billUnitsAsBoxes: false }, [byBox(2)], [{ index: 0, units: 100 }]],
    ['a line by the box that needs nothing takes nothing', { units: 100, unitsRemaining: 100, billUnitsAsBoxes: false }, [byBox(0)], []],
    ['a unit line bills what it needs; the rest stays (box opened)', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: false }, [unit(150, 150)], [{ index: 0, units: 150 }]],
    ['billUnitsAsBoxes: one unit line bills the whole box (its units + the rounding remainder)', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(150, 150)], [{ index: 0, units: 500 }]],
    ['pooled, billUnitsAsBoxes: each line its own units (issue 15 point 1: 200 + 300, not 500 + 0)', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(200, 200), unit(300, 300)], [{ index: 0, units: 200 }, { index: 1, units: 300 }]],
    ['pooled, billUnitsAsBoxes: the remainder goes to the most future truck date', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(150, 150, '2027-01-11'), unit(200, 200, '2027-01-10')], [{ index: 0, units: 300 }, { index: 1, units: 200 }]],
    ['pooled, billUnitsAsBoxes: a tie on truck date gives the remainder to the first line', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(150, 150), unit(200, 200)], [{ index: 0, units: 300 }, { index: 1, units: 200 }]],
    ['billUnitsAsBoxes: a line already part billed by hand bills only what it needs + the remainder', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(300, 100)], [{ index: 0, units: 300 }]],
    ['billUnitsAsBoxes: a fully billed line gets no remainder; its units stay in the box', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: true }, [unit(200, 0), unit(250, 250, '2027-01-09')], [{ index: 1, units: 300 }]],
    ['pooled, not as boxes: each line its own units, the rest stays', { units: 500, unitsRemaining: 500, billUnitsAsBoxes: false }, [unit(120, 120), unit(180, 180)], [{ index: 0, units: 120 }, { index: 1, units: 180 }]],
    ['an opened box never bills more than it still holds', { units: 500, unitsRemaining: 100, billUnitsAsBoxes: true }, [unit(300, 300), unit(200, 200)], [{ index: 0, units: 100 }]],
  ])('%s', (_name, box, demands, expected) => {
    const items = splitBox(box, demands);
    expect(items).toEqual(expected);
    // Never more than the box holds, never a line beyond its need plus the box's rounding remainder.
    expect(items.reduce((sum, item) => sum + item.units, 0)).toBeLessThanOrEqual(box.unitsRemaining);
    const remainder = Math.max(0, box.units - demands.reduce((sum, d) => sum + d.demandUnits, 0));
    for (const item of items) if (demands[item.index].sellBy === 'UNIT') expect(item.units).toBeLessThanOrEqual(demands[item.index].stillNeeded + (box.billUnitsAsBoxes ? remainder : 0));
  });
});

describe('separations of holiday and in-transit', () => {
  it.each([
    ['BOX', true],
    ['UNIT', false],
  ] as const)('items of a line sold by %s are split: %s', (sellBy, split) => {
    expect(splitByHolidayAndTransit(sellBy)).toBe(split);
  });
});

describe('isFulfilled: releaseFulfilled applies when every line of the box needs nothing more', () => {
  it.each([
    [[0], true],
    [[0, 0], true],
    [[0, 5], false],
    [[3], false],
    [[], false],
  ])('%j -> %s', (needs, expected) => {
    expect(isFulfilled(needs)).toBe(expected);
  });
});
