// FOB prices (Customer.showFobPrice): the customer invoice document folds the fuel surcharge into the unit
// prices, each line taking the share of the boxes it took, so the document's lines add up to the invoice's
// total to the cent with no fuel surcharge line; the rounding difference goes on the last line. A pure rule.
import { allocateScaled, divRound, fromScaled, roundToCents, toScaled } from '../../common/decimal';
import type { InvoiceLineModel } from '../invoice/invoice-lines.loader';

/** An invoice line as the customer invoice document prints it. */
export interface DocumentLine {
  lineNo: number;
  product: InvoiceLineModel['product'];
  boxes: number;
  units: number;
  unitPrice: string | null;
  amount: string | null;
}

type Line = Pick<InvoiceLineModel, 'id' | 'lineNo' | 'product' | 'boxes' | 'units' | 'unitPrice'>;

/** The lines as they are: unit price and amount (unit price x units), by line number. */
export function plainDocumentLines(lines: readonly Line[]): DocumentLine[] {
  return [...lines]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((line) => ({
      lineNo: line.lineNo,
      product: line.product,
      boxes: line.boxes,
      units: line.units,
      unitPrice: line.unitPrice ?? null,
      amount: line.unitPrice == null ? null : fromScaled(toScaled(line.unitPrice) * BigInt(line.units)),
    }));
}

/**
 * The lines with `fuel` (the invoice's fuel surcharges, a decimal string) folded into their unit prices:
 * shared by `weights` (per line id, what its boxes' rates add up to; lines' amounts when no line has any),
 * each unit price to 4 decimals, each amount to the cent, and the last line's amount what makes the lines add
 * up to their amounts plus the fuel surcharge, to the cent. Null when it cannot fold: no line, a price
 * pending, or a line of no units.
 */
export function foldFuelSurcharge(lines: readonly Line[], fuel: string, weights: ReadonlyMap<number, string>): DocumentLine[] | null {
  const sorted = [...lines].sort((a, b) => a.lineNo - b.lineNo);
  if (sorted.length === 0 || sorted.some((line) => line.unitPrice == null || line.units <= 0)) return null;
  const amounts = sorted.map((line) => toScaled(line.unitPrice!) * BigInt(line.units));
  const byRates = sorted.map((line) => toScaled(weights.get(line.id) ?? '0'));
  const shareBy = byRates.some((w) => w > 0n) ? byRates : amounts.some((a) => a > 0n) ? amounts : sorted.map((line) => BigInt(line.units));
  const shares = allocateScaled(toScaled(fuel), shareBy);
  const total = roundToCents(amounts.reduce((a, b) => a + b, 0n) + toScaled(fuel));
  let printed = 0n;
  return sorted.map((line, index) => {
    const units = BigInt(line.units);
    let unitPrice = divRound(amounts[index] + shares[index], units);
    let amount = roundToCents(unitPrice * units);
    if (index === sorted.length - 1) {
      amount = total - printed;
      unitPrice = divRound(amount, units);
    }
    printed += amount;
    return { lineNo: line.lineNo, product: line.product, boxes: line.boxes, units: line.units, unitPrice: fromScaled(unitPrice), amount: fromScaled(amount) };
  });
}
