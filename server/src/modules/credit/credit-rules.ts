// The credit limits and money rules, as pure functions over plain data: what a credit may take off an invoice line.
import { fromScaled, roundToCents, toScaled } from '../../common/decimal';
import type { CreditLineKind } from './credit.entity';

export { roundToCents };

/** An exact decimal amount of money rounded to cents, as text with two decimals ("80.00"). */
export function centsText(value: string): string {
  return fromScaled(roundToCents(toScaled(value)), 2);
}

/** What an invoice line holds, and what credits that still count (PENDING or APPROVED) already take off it. */
export interface CreditableLine {
  id: number;
  lineNo: number;
  invoiceNumber: string;
  productCode: string;
  units: number;
  /** Null: price pending. */
  unitPrice: string | null;
  /** Units on QUANTITY lines of PENDING or APPROVED credits. */
  creditedUnits: number;
  /** Amount (scaled) of every line of PENDING or APPROVED credits on this line. */
  creditedAmount: bigint;
}

/** A credit line as asked for, its numbers already checked for form. */
export interface CreditLineRequest {
  kind: CreditLineKind;
  units: number | null;
  amountPerUnit: string | null;
  amount: string | null;
}

export type CreditRefusal =
  | { code: 'CREDIT_UNITS_EXCEEDED'; field: 'units'; message: string }
  | { code: 'CREDIT_PRICE_EXCEEDED'; field: 'amountPerUnit'; message: string }
  | { code: 'CREDIT_AMOUNT_EXCEEDED'; field: 'amount'; message: string }
  | { code: 'PRICE_PENDING'; field: 'invoiceLine'; message: string }
  | { code: 'REQUIRED'; field: 'units' | 'amountPerUnit' | 'amount' | 'invoiceLine'; message: string };

export interface PricedCreditLine {
  units: number | null;
  amountPerUnit: string | null;
  /** Rounded to cents. */
  amount: string;
}

/** The line's amount (units × unit price, to cents), scaled; 0 while its price is pending. */
export function invoiceLineAmount(line: Pick<CreditableLine, 'units' | 'unitPrice'>): bigint {
  return line.unitPrice === null ? 0n : roundToCents(toScaled(line.unitPrice) * BigInt(line.units));
}

function describe(line: CreditableLine): string {
  return `${line.invoiceNumber} line ${line.lineNo} (${line.productCode})`;
}

/**
 * Prices one credit line against its invoice line and checks the limits: QUANTITY units ≤ the line's
 * units not yet credited; PRICE per unit ≤ the line's unit price (units default to the line's); every
 * credit of a line together ≤ the line's amount; no credit on a line whose price is pending. `line` is
 * updated with what this credit line takes, so several lines of one request on one invoice line add up.
 */
export function priceCreditLine(request: CreditLineRequest, line: CreditableLine | null): PricedCreditLine | CreditRefusal {
  if (!line) {
    if (request.kind !== 'AMOUNT') return { code: 'REQUIRED', field: 'invoiceLine', message: `a ${request.kind} line needs the invoice line it credits` };
    if (request.amount === null) return { code: 'REQUIRED', field: 'amount', message: 'an AMOUNT line needs its amount' };
    return { units: null, amountPerUnit: null, amount: centsText(request.amount) };
  }
  if (line.unitPrice === null) {
    return { code: 'PRICE_PENDING', field: 'invoiceLine', message: `${describe(line)} has no price yet: set it (setInvoicePrices) before crediting it` };
  }
  const lineAmount = invoiceLineAmount(line);
  const amountLeft = lineAmount - line.creditedAmount;
  let priced: PricedCreditLine;
  if (request.kind === 'QUANTITY') {
    if (request.units === null) return { code: 'REQUIRED', field: 'units', message: 'a QUANTITY line needs its units' };
    const unitsLeft = line.units - line.creditedUnits;
    if (request.units > unitsLeft) {
      return {
        code: 'CREDIT_UNITS_EXCEEDED',
        field: 'units',
        message: `${describe(line)} has ${unitsLeft} of its ${line.units} units left to credit; ${request.units} asked`,
      };
    }
    priced = { units: request.units, amountPerUnit: line.unitPrice, amount: fromScaled(roundToCents(toScaled(line.unitPrice) * BigInt(request.units)), 2) };
  } else if (request.kind === 'PRICE') {
    if (request.amountPerUnit === null) return { code: 'REQUIRED', field: 'amountPerUnit', message: 'a PRICE line needs its amount per unit' };
    if (toScaled(request.amountPerUnit) > toScaled(line.unitPrice)) {
      return {
        code: 'CREDIT_PRICE_EXCEEDED',
        field: 'amountPerUnit',
        message: `${describe(line)} is priced ${fromScaled(toScaled(line.unitPrice), 2)} a unit; ${request.amountPerUnit} a unit cannot come off it`,
      };
    }
    const units = request.units ?? line.units;
    if (units > line.units) {
      return { code: 'CREDIT_UNITS_EXCEEDED', field: 'units', message: `${describe(line)} has ${line.units} units; ${units} asked` };
    }
    priced = { units, amountPerUnit: request.amountPerUnit, amount: fromScaled(roundToCents(toScaled(request.amountPerUnit) * BigInt(units)), 2) };
  } else {
    if (request.amount === null) return { code: 'REQUIRED', field: 'amount', message: 'an AMOUNT line needs its amount' };
    priced = { units: null, amountPerUnit: null, amount: centsText(request.amount) };
  }
  const amount = toScaled(priced.amount);
  if (amount > amountLeft) {
    return {
      code: 'CREDIT_AMOUNT_EXCEEDED',
      field: request.kind === 'PRICE' ? 'amountPerUnit' : request.kind === 'QUANTITY' ? 'units' : 'amount',
      message: `${describe(line)} has ${fromScaled(amountLeft < 0n ? 0n : amountLeft, 2)} of its ${fromScaled(lineAmount, 2)} left to credit; ${priced.amount} asked`,
    } as CreditRefusal;
  }
  if (request.kind === 'QUANTITY') line.creditedUnits += priced.units ?? 0;
  line.creditedAmount += amount;
  return priced;
}

export function isRefusal(result: PricedCreditLine | CreditRefusal): result is CreditRefusal {
  return 'code' in result;
}
