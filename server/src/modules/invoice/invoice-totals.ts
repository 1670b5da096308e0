import { divRound, fromScaled, toScaled } from '../../common/decimal';
import type { Invoice, InvoiceLine } from './invoice.entity';

export function lineAmount(line: Pick<InvoiceLine, 'unitPrice' | 'units'>): bigint | null {
  return line.unitPrice == null ? null : toScaled(line.unitPrice) * BigInt(line.units);
}

export function lineCost(line: Pick<InvoiceLine, 'unitCost' | 'units'>): bigint {
  return toScaled(line.unitCost) * BigInt(line.units);
}

/** A line's amount and cost, scaled. */
export interface LineMoney {
  amount: bigint | null;
  cost: bigint;
}
type PricedLine = Pick<InvoiceLine, 'unitPrice' | 'unitCost' | 'units'>;
const money = new WeakMap<object, LineMoney & PricedLine>();

/**
 * A line's amount and cost, computed once per line for its amount, cost and gpmPercent and its invoice's
 * totals (a page of 1,000 lines asked them 4 times each); again when its price, cost or units changed since.
 */
export function lineMoney(line: PricedLine): LineMoney {
  const found = money.get(line);
  if (found && found.unitPrice === line.unitPrice && found.unitCost === line.unitCost && found.units === line.units) return found;
  const computed = { amount: lineAmount(line), cost: lineCost(line), unitPrice: line.unitPrice, unitCost: line.unitCost, units: line.units };
  money.set(line, computed);
  return computed;
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
  let total = 0n;
  let cost = 0n;
  for (const line of lines) {
    const { amount, cost: lineCostScaled } = lineMoney(line);
    total += amount ?? 0n;
    cost += lineCostScaled;
  }
  return { total, cost, pricePending: lines.some((line) => line.unitPrice == null) };
}

/**
 * An invoice's totals: its lines', plus a FINANCE_CHARGE or FEE invoice's feeAmount. Everything that adds to
 * what an invoice bills adds here (its SQL twin is invoice.repository invoiceTotalSql).
 */
export function invoiceTotalsOf(
  invoice: Pick<Invoice, 'feeAmount'>,
  lines: ReadonlyArray<Pick<InvoiceLine, 'unitPrice' | 'unitCost' | 'units'>>,
): InvoiceTotals {
  const totals = invoiceTotals(lines);
  return invoice.feeAmount == null ? totals : { ...totals, total: totals.total + toScaled(invoice.feeAmount) };
}

/** What is still owed on an invoice: total - approved credits - payments and credits applied to it. */
export function openAmount(total: bigint, credited: bigint, applied: bigint): bigint {
  return total - credited - applied;
}

/**
 * Boxes a buyer counts on an invoice line: every box it took units from, once (a 750-unit line taken
 * from two boxes of 500 shows 2).
 */
export function boxesOnLine(boxIds: Iterable<number>): number {
  return new Set(boxIds).size;
}

/** Weighted average landed cost of the units taken, at 2 decimals. */
export function averageCost(takes: ReadonlyArray<{ box: { landedUnitCost: string }; units: number }>): string {
  const units = takes.reduce((sum, t) => sum + t.units, 0);
  const cost = takes.reduce((sum, t) => sum + toScaled(t.box.landedUnitCost) * BigInt(t.units), 0n);
  return fromScaled(units ? divRound(cost, BigInt(units)) : 0n, 2);
}
