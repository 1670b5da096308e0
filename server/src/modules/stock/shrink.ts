// The shrink report's arithmetic (docs/maintainers.md#adjustments-and-counts): pure, exact decimals.
import { divRound, fromScaled, toScaled } from '../../common/decimal';

export interface ShrinkInput {
  receivedUnits: number;
  receivedValue: string;
  soldCost: string;
  revenue: string;
  lossUnits: number;
  lossValue: string;
}

export interface ShrinkFigures {
  /** Units lost ÷ units received x 100, one decimal (half up); null when nothing was received. */
  shrinkPercentByUnits: string | null;
  /** Value lost ÷ value received x 100, one decimal; null when nothing was received. */
  shrinkPercentByCost: string | null;
  /** revenue − cost of goods sold − value lost, 2 decimals. */
  marginAfterLosses: string;
}

/** a ÷ b as a percentage with one decimal, e.g. 170 ÷ 1000 → "17.0". */
export function percentOneDecimal(a: bigint, b: bigint): string | null {
  if (b === 0n) return null;
  const tenths = divRound(a * 1000n, b);
  const negative = tenths < 0n;
  const abs = negative ? -tenths : tenths;
  return `${negative ? '-' : ''}${abs / 10n}.${abs % 10n}`;
}

export function shrinkFigures(input: ShrinkInput): ShrinkFigures {
  const lossValue = toScaled(input.lossValue);
  return {
    shrinkPercentByUnits: percentOneDecimal(BigInt(input.lossUnits), BigInt(input.receivedUnits)),
    shrinkPercentByCost: percentOneDecimal(lossValue, toScaled(input.receivedValue)),
    marginAfterLosses: fromScaled(toScaled(input.revenue) - toScaled(input.soldCost) - lossValue, 2),
  };
}

/** Sum of decimal strings, exact, 2 decimals at least. */
export function sumDecimals(values: readonly string[]): string {
  return fromScaled(
    values.reduce((sum, value) => sum + toScaled(value), 0n),
    2,
  );
}
