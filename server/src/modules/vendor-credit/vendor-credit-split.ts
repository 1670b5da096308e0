// How a box's landed cost splits into what a farm claim asks back: the flower (the vendor's unit cost),
// duty, freight and handling. Pure and exact (scaled decimals, 1/10000).
import { divRound, fromScaled, roundToCents, toScaled } from '../../common/decimal';

/** What a box's landed unit cost is made of, as read from its purchase order line, shipment and settings. */
export interface CostBasis {
  /** The box's landed unit cost (its true-up included). */
  landedUnitCost: string;
  /** The vendor's unit cost on the purchase order line. */
  vendorUnitCost: string;
  /** Duty in percent of the vendor's cost at the box's port of origin. */
  dutyPercent: string;
  /** The box's share of its shipment's freight (by FBE), scaled; the estimate (Settings.freightPerFbe x FBE) while the real freight is unknown. */
  boxFreight: bigint;
  /** Units in the box. */
  boxUnits: number;
}

/** One unit's landed cost split, scaled; product + duty + freight + handling = the landed unit cost. */
export interface UnitSplit {
  product: bigint;
  duty: bigint;
  freight: bigint;
  handling: bigint;
}

/**
 * Splits a landed unit cost: the vendor's unit cost, then duty on it, then the box's freight per unit, each
 * at most what the landed cost has left; handling is the rest (what the landed cost holds beyond product,
 * duty and freight: the handling and other charges of its true-up).
 */
export function splitUnitCost(basis: CostBasis): UnitSplit {
  const landed = toScaled(basis.landedUnitCost);
  let left = landed < 0n ? 0n : landed;
  const take = (wanted: bigint): bigint => {
    const part = wanted < 0n ? 0n : wanted > left ? left : wanted;
    left -= part;
    return part;
  };
  const vendor = toScaled(basis.vendorUnitCost);
  const product = take(vendor);
  const duty = take(divRound(vendor * toScaled(basis.dutyPercent), 100n * 10_000n));
  const freight = take(basis.boxUnits > 0 ? divRound(basis.boxFreight, BigInt(basis.boxUnits)) : 0n);
  return { product, duty, freight, handling: left };
}

/** What a claim for `units` asks back, each part rounded to cents, and their total. */
export interface ClaimAmounts {
  productAmount: string;
  freightAmount: string;
  dutyAmount: string;
  handlingAmount: string;
  amount: string;
}

export function claimAmounts(split: UnitSplit, units: number): ClaimAmounts {
  const cents = (perUnit: bigint) => roundToCents(perUnit * BigInt(units));
  const parts = [cents(split.product), cents(split.freight), cents(split.duty), cents(split.handling)];
  const [productAmount, freightAmount, dutyAmount, handlingAmount] = parts.map((part) => fromScaled(part, 2));
  return {
    productAmount,
    freightAmount,
    dutyAmount,
    handlingAmount,
    amount: fromScaled(
      parts.reduce((a, b) => a + b, 0n),
      2,
    ),
  };
}

/** The sum of typed amounts, to cents. */
export function sumAmounts(amounts: readonly string[]): string {
  return fromScaled(
    amounts.reduce((sum, amount) => sum + toScaled(amount), 0n),
    2,
  );
}
