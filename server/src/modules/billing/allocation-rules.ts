// Allocation decisions as pure functions over plain data (docs/maintainers.md#allocations), beside billing-rules.ts:
// which units of a box a line takes when it is allocated by hand or by massAllocate.
import { isFulfilled, type BoxToSplit, type DemandToBill } from './billing-rules';
import { arrivalDateOf } from '../box/box-age';

/**
 * Units of a box one unit line takes when allocated: what it still needs, as far as the box goes. Where
 * the box's location bills units as boxes and the box was bought for the line (`line` indexes the box's
 * open demands; -1 for a box not bought for it), the line also takes the box's rounding remainder when it
 * is the line splitBox gives it to: of the box's lines that still need units (this one included), the
 * unit line with the most future truck date, the first of them in demand order on a tie. Allocating a
 * pooled box again after an unallocation so bills what its first billing did. The remainder never takes
 * units the box's other lines still need, and never more than the box's units beyond all its demands.
 * Units asked for explicitly (`exact`) are billed as asked: no remainder.
 */
export function unitsToAllocate(box: BoxToSplit, demands: readonly DemandToBill[], line: number, needed: number, exact: boolean): number {
  const base = Math.max(0, Math.min(needed, box.unitsRemaining));
  if (!box.billUnitsAsBoxes || exact || line < 0 || base === 0 || demands[line].sellBy !== 'UNIT') return base;
  const wanting = demands.map((demand, index) => ({ demand, index })).filter(({ demand, index }) => index === line || demand.stillNeeded > 0);
  if (wanting.some(({ demand }) => demand.sellBy !== 'UNIT')) return base;
  const target = wanting.reduce((best, next) => (next.demand.truckDate > best.demand.truckDate ? next : best));
  if (target.index !== line) return base;
  const othersNeed = demands.reduce((sum, demand, index) => (index === line ? sum : sum + Math.max(0, Math.min(demand.demandUnits, demand.stillNeeded))), 0);
  const rounding = Math.max(0, box.units - demands.reduce((sum, demand) => sum + demand.demandUnits, 0));
  return base + Math.max(0, Math.min(rounding, box.unitsRemaining - base - othersNeed));
}

/**
 * Whether what is left of a box in inventory no line it was bought for needs any more: it follows
 * releaseFulfilled. `stillNeeded` holds what each of the lines it was bought for still needs (in its own
 * measure), whatever their prebooks' status, as confirmation judges it.
 */
export function leftoverNoLineNeeds(box: { status: string; inventoryType: string | null; unitsRemaining: number }, stillNeeded: readonly number[]): boolean {
  return box.status === 'IN_INVENTORY' && (box.inventoryType === 'P' || box.inventoryType === 'S') && box.unitsRemaining > 0 && isFulfilled(stillNeeded);
}

/** What rotation reads of a box. */
export interface BoxToRotate {
  id: number;
  received: boolean;
  receivedAt: Date | null;
  /** Its shipment's expected arrival. */
  arrivalDate: string;
  unitsRemaining: number;
}

/**
 * Stock in rotation order (docs/warehouse.md#age-and-rotation): the oldest arrival first (the company's date
 * of its inbound scan, else its shipment's expected arrival), then the box with most units left, then by id.
 */
export function stockRotation<T extends BoxToRotate>(boxes: readonly T[], timeZone: string): T[] {
  const arrival = new Map(
    boxes.map((box) => [box.id, arrivalDateOf({ received: box.received, receivedAt: box.receivedAt, expectedArrival: box.arrivalDate }, timeZone)]),
  );
  const dateOf = (box: T) => arrival.get(box.id)!;
  return [...boxes].sort((a, b) => dateOf(a).localeCompare(dateOf(b)) || b.unitsRemaining - a.unitsRemaining || a.id - b.id);
}
