// Billing decisions as pure functions over plain data (DESIGN.md section 3): no database, no entities.
// The billing run (billing.service.ts) gathers the data, asks these, and writes what they decide.

/** One prebook line a box was bought for, as the split of the box needs it. */
export interface DemandToBill {
  sellBy: 'BOX' | 'UNIT';
  /** The prebook's truck date (ISO). */
  truckDate: string;
  /** Units of this box bought for the line (box_demand.units). */
  demandUnits: number;
  /** What the line still needs to bill, in its own measure (boxes or units). */
  stillNeeded: number;
}

export interface BoxToSplit {
  units: number;
  unitsRemaining: number;
  /** The box's location bills units as whole boxes. */
  billUnitsAsBoxes: boolean;
}

/**
 * Which units of a box each of its open prebook lines bills, as [index into demands, units].
 * - A line sold by the box takes what is left of the box (one box).
 * - A line in units bills its own units of the box (its demand), never more than it still needs.
 * - Where the location bills units as boxes, the box's rounding remainder (its units beyond all the
 *   demands it was bought for) goes on the billed unit line with the most future truck date (the first
 *   of them in demand order on a tie). Nothing else is added: units of a line that needs no more stay
 *   in the box and follow releaseFulfilled, and no unit is billed twice.
 */
export function splitBox(box: BoxToSplit, demands: readonly DemandToBill[]): Array<{ index: number; units: number }> {
  const items: Array<{ index: number; units: number }> = [];
  let left = box.unitsRemaining;
  demands.forEach((demand, index) => {
    if (left === 0 || demand.stillNeeded <= 0) return;
    if (demand.sellBy === 'BOX') {
      items.push({ index, units: left });
      left = 0;
      return;
    }
    const units = Math.min(demand.demandUnits, demand.stillNeeded, left);
    if (units <= 0) return;
    items.push({ index, units });
    left -= units;
  });
  if (box.billUnitsAsBoxes) {
    const unitItems = items.filter((item) => demands[item.index].sellBy === 'UNIT');
    const remainder = Math.min(left, Math.max(0, box.units - demands.reduce((sum, d) => sum + d.demandUnits, 0)));
    if (unitItems.length && remainder > 0) {
      const target = unitItems.reduce((best, item) => (demands[item.index].truckDate > demands[best.index].truckDate ? item : best));
      target.units += remainder;
    }
  }
  return items;
}

/** Whether an item of a line sold this way is split by separateHoliday and separateInTransitAndOnHand: items in boxes only. */
export function splitByHolidayAndTransit(sellBy: 'BOX' | 'UNIT'): boolean {
  return sellBy === 'BOX';
}

/** A confirmed box whose prebook lines all need nothing more follows releaseFulfilled, whatever the autoBilling mode. */
export function isFulfilled(stillNeeded: readonly number[]): boolean {
  return stillNeeded.length > 0 && stillNeeded.every((needed) => needed <= 0);
}
