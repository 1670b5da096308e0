// Which units of a box a line takes when it is allocated: pure, no database.
import { describe, expect, it } from 'vitest';
import { leftoverNoLineNeeds, unitsToAllocate } from '../../../../server/src/modules/billing/allocation-rules';
import { splitBox, type DemandToBill } from '../../../../server/src/modules/billing/billing-rules';

const unit = (demandUnits: number, stillNeeded: number, truckDate = '2027-01-10'): DemandToBill => ({ sellBy: 'UNIT', truckDate, demandUnits, stillNeeded });
const box400 = (unitsRemaining: number, billUnitsAsBoxes = true) => ({ units: 400, unitsRemaining, billUnitsAsBoxes });

describe('unitsToAllocate: what a unit line takes of a box when allocated', () => {
  it.each<[string, ReturnType<typeof box400>, DemandToBill[], number, number, boolean, number]>([
    // Lines a (120) and b (180, later truck date) pooled in a box of 400: b takes the remainder 100.
    ['b again after its unallocation: its 180 and the remainder', box400(280), [unit(120, 0, '2027-01-10'), unit(180, 180, '2027-01-11')], 1, 180, false, 280],
    ['a again after its unallocation: its 120 only', box400(120), [unit(120, 120, '2027-01-10'), unit(180, 0, '2027-01-11')], 0, 120, false, 120],
    ['b first of both: the remainder, not what a needs', box400(400), [unit(120, 120, '2027-01-10'), unit(180, 180, '2027-01-11')], 1, 180, false, 280],
    ['a first of both: the remainder is b’s', box400(400), [unit(120, 120, '2027-01-10'), unit(180, 180, '2027-01-11')], 0, 120, false, 120],
    [
      'the later line needs nothing more (billed elsewhere): the remainder goes with b, as splitBox gives it',
      box400(280),
      [unit(120, 0, '2027-01-12'), unit(180, 180, '2027-01-11')],
      1,
      180,
      false,
      280,
    ],
    ['units asked for explicitly: as asked', box400(280), [unit(120, 0), unit(180, 180, '2027-01-11')], 1, 180, true, 180],
    ['a line that still needs part of its demand: that part and the remainder', box400(280), [unit(120, 0), unit(180, 50, '2027-01-11')], 1, 50, false, 150],
    ['without billUnitsAsBoxes: only what it needs', box400(280, false), [unit(120, 0), unit(180, 180, '2027-01-11')], 1, 180, false, 180],
    ['a box not bought for the line: only what it needs', box400(280), [unit(120, 0), unit(180, 0, '2027-01-11')], -1, 90, false, 90],
    ['never more than the box has', box400(60), [unit(120, 0), unit(180, 180, '2027-01-11')], 1, 180, false, 60],
    ['same truck date: the first line in demand order has the remainder', box400(400), [unit(120, 120), unit(180, 180)], 0, 120, false, 220],
    ['never the units another line of the box still needs', box400(150), [unit(120, 120), unit(180, 30, '2027-01-11')], 1, 30, false, 30],
  ])('%s', (_name, box, demands, line, needed, exact, expected) => {
    expect(unitsToAllocate(box, demands, line, needed, exact)).toBe(expected);
  });

  it('allocating the lines of a pooled box one by one, in any order, bills what splitBox bills at once', () => {
    const demands = [unit(120, 120, '2027-01-10'), unit(90, 90, '2027-01-12'), unit(70, 70, '2027-01-11')];
    const atOnce = splitBox(box400(400), demands).map((item) => item.units);
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 0, 2],
      [2, 0, 1],
    ]) {
      const needs = demands.map((d) => d.stillNeeded);
      let left = 400;
      const took = [0, 0, 0];
      for (const i of order) {
        const units = unitsToAllocate(
          box400(left),
          demands.map((d, j) => ({ ...d, stillNeeded: needs[j] })),
          i,
          needs[i],
          false,
        );
        took[i] = units;
        needs[i] = 0;
        left -= units;
      }
      expect(took).toEqual(atOnce);
    }
  });
});

describe('leftoverNoLineNeeds', () => {
  it.each<[string, { status: string; inventoryType: string | null; unitsRemaining: number }, number[], boolean]>([
    ['a customer’s box whose lines need nothing', { status: 'IN_INVENTORY', inventoryType: 'P', unitsRemaining: 100 }, [0, 0], true],
    ['a line still needs units', { status: 'IN_INVENTORY', inventoryType: 'P', unitsRemaining: 100 }, [0, 20], false],
    ['already open market', { status: 'IN_INVENTORY', inventoryType: 'M', unitsRemaining: 100 }, [0, 0], false],
    ['nothing left', { status: 'INVOICED', inventoryType: 'P', unitsRemaining: 0 }, [0, 0], false],
    ['bought for no line', { status: 'IN_INVENTORY', inventoryType: 'P', unitsRemaining: 100 }, [], false],
  ])('%s', (_name, box, needs, expected) => {
    expect(leftoverNoLineNeeds(box, needs)).toBe(expected);
  });
});
