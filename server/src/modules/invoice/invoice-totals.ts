import { divRound, fromScaled, toScaled } from '../../common/decimal';
import type { InvoiceLine } from './invoice.entity';

export function lineAmount(line: Pick<InvoiceLine, 'unitPrice' | 'units'>): bigint | null {
  return line.unitPrice == null ? null : toScaled(line.unitPrice) * BigInt(line.units);
}

export function lineCost(line: Pick<InvoiceLine, 'unitCost' | 'units'>): bigint {
  return toScaled(line.unitCost) * BigInt(line.units);
}

/** (revenue - cost) / revenue in percent, 2 decimals; null without revenue. */
export function gpmPercent(revenue: bigint | null, cost: bigint): string | null {
  if (revenue === null || revenue === 0n) return null;
  return fromScaled(divRound((revenue - cost) * 100n * 100n, revenue) * 100n, 2);
}

export interface InvoiceTotals {
  total: bigint;
  cost: bigint;
  pricePending: boolean;
}

export function invoiceTotals(lines: ReadonlyArray<Pick<InvoiceLine, 'unitPrice' | 'unitCost' | 'units'>>): InvoiceTotals {
  return {
    total: lines.reduce((sum, line) => sum + (lineAmount(line) ?? 0n), 0n),
    cost: lines.reduce((sum, line) => sum + lineCost(line), 0n),
    pricePending: lines.some((line) => line.unitPrice == null),
  };
}

/**
 * Boxes a buyer counts on an invoice line: every box it took units from, once (a 750-unit line taken
 * from two boxes of 500 shows 2).
 */
export function boxesOnLine(boxIds: Iterable<number>): number {
  return new Set(boxIds).size;
}
