// Landed cost trued up to an air waybill's real freight, handling and duty (docs/warehouse.md#landed-cost-the-real-air-waybill):
// pure, no database.
import { allocateScaled, divRound, fromScaled, toScaled } from '../../common/decimal';

/** A box of the air waybill as the true-up reads it. */
export interface BoxToTrueUp {
  id: number;
  /** Units the box was shipped with. */
  units: number;
  /** The vendor's unit cost (its purchase order line's). */
  unitCost: string;
  /** The box type's full-box equivalent. */
  fbe: string;
}

/** The real amounts of an air waybill's freight, handling and duty invoices. */
export interface ShipmentCostAmounts {
  freight: string;
  handling: string;
  duty: string;
}

/**
 * Each box's landed unit cost with the real amounts: freight and handling split over the boxes by FBE,
 * duty by each box's share of the product cost (units x unit cost), each split exact to 1/10000 (the parts add
 * up to the amount); landed = unit cost + the box's share / its units, at 4 decimals. Null when an amount
 * has nothing to be split over (no FBE, or no product cost, on any box).
 */
export function trueUpLandedCosts(boxes: readonly BoxToTrueUp[], amounts: ShipmentCostAmounts): Map<number, string> | null {
  const fbe = boxes.map((box) => toScaled(box.fbe));
  const productCost = boxes.map((box) => toScaled(box.unitCost) * BigInt(box.units));
  const byFbe = toScaled(amounts.freight) + toScaled(amounts.handling);
  const duty = toScaled(amounts.duty);
  const none = (weights: bigint[]) => weights.every((weight) => weight === 0n);
  if ((byFbe !== 0n && none(fbe)) || (duty !== 0n && none(productCost))) return null;
  const fbeShares = allocateScaled(byFbe, fbe);
  const dutyShares = allocateScaled(duty, productCost);
  return new Map(
    boxes.map((box, index) => {
      const perUnit = box.units > 0 ? divRound(fbeShares[index] + dutyShares[index], BigInt(box.units)) : 0n;
      return [box.id, fromScaled(toScaled(box.unitCost) + perUnit, 2)];
    }),
  );
}

/** actual − estimated, exact; null when there is no actual yet. */
export function costDifference(estimated: string, actual: string | null): string | null {
  return actual === null ? null : fromScaled(toScaled(actual) - toScaled(estimated), 2);
}

/** A unit cost x units, exact. */
export function costValue(unitCost: string, units: number): string {
  return fromScaled(toScaled(unitCost) * BigInt(units), 2);
}
