import { allocateScaled, divRound, fromScaled, toScaled } from '../../common/decimal';
import { gpmPercent } from '../invoice/invoice-totals';
import type { RecipeComponentValue } from '../product/product.entity';

// Pure arithmetic of a production run, on scaled integers (1/10000): no float, no database.

const SCALE = 10_000n;

export interface RunLineData {
  finishedProductId: number;
  units: number;
  cost: string | null;
  price: string | null;
  recipe: RecipeComponentValue[];
}

export interface ComponentRow {
  finishedProductId: number;
  componentId: number;
  required: bigint;
  transferred: number;
  transferredCost: bigint;
  short: bigint;
  over: bigint;
}

/** Recipe units x finished units, scaled. */
export function requiredScaled(recipeUnits: string, finishedUnits: number): bigint {
  return toScaled(recipeUnits) * BigInt(finishedUnits);
}

/** What the recipes require of each component, over all lines (scaled units), in recipe order. */
export function requiredByComponent(lines: RunLineData[]): Map<number, bigint> {
  const required = new Map<number, bigint>();
  for (const line of lines) {
    for (const entry of line.recipe) required.set(entry.product, (required.get(entry.product) ?? 0n) + requiredScaled(entry.units, line.units));
  }
  return required;
}

/**
 * One row per finished product and component: required, transferred, short, over. A component shared by
 * several finished products fills their requirements in order; what is left over goes to the last one.
 * The landed cost of a component's transfers is spread over its rows by units, adding up exactly.
 */
export function componentRows(lines: RunLineData[], transferred: Map<number, { units: number; cost: bigint }>): ComponentRow[] {
  const rows: ComponentRow[] = [];
  const byKey = new Map<string, ComponentRow>();
  for (const line of lines) {
    for (const entry of line.recipe) {
      const key = `${line.finishedProductId}:${entry.product}`;
      let row = byKey.get(key);
      if (!row) {
        row = { finishedProductId: line.finishedProductId, componentId: entry.product, required: 0n, transferred: 0, transferredCost: 0n, short: 0n, over: 0n };
        byKey.set(key, row);
        rows.push(row);
      }
      row.required += requiredScaled(entry.units, line.units);
    }
  }
  const componentIds = [...new Set(rows.map((row) => row.componentId))];
  for (const componentId of componentIds) {
    const own = rows.filter((row) => row.componentId === componentId);
    const sent = transferred.get(componentId) ?? { units: 0, cost: 0n };
    let left = BigInt(sent.units) * SCALE;
    own.forEach((row, index) => {
      const last = index === own.length - 1;
      const take = last ? left : left < row.required ? left : row.required;
      row.transferred = Number(take / SCALE);
      left -= take;
    });
    const costs = allocateScaled(
      sent.cost,
      own.map((row) => BigInt(row.transferred)),
    );
    own.forEach((row, index) => {
      row.transferredCost = costs[index];
      const difference = BigInt(row.transferred) * SCALE - row.required;
      row.short = difference < 0n ? -difference : 0n;
      row.over = difference > 0n ? difference : 0n;
    });
  }
  return rows;
}

/** The units-weighted average of a decimal over lines; null when any line lacks it or there are no units. */
export function weightedAverage(items: Array<{ units: number; value: string | null }>, options: { skipMissing?: boolean } = {}): string | null {
  if (options.skipMissing) items = items.filter((item) => item.value != null);
  const units = items.reduce((sum, item) => sum + item.units, 0);
  if (units === 0 || items.some((item) => item.value == null)) return null;
  const total = items.reduce((sum, item) => sum + toScaled(item.value!) * BigInt(item.units), 0n);
  return fromScaled(divRound(total, BigInt(units)), 2);
}

export interface RunCosts {
  estimatedUnitCost: string | null;
  actualUnitCost: string | null;
  unitPrice: string | null;
  estimatedGpmPercent: string | null;
  actualGpmPercent: string | null;
}

/**
 * Estimated unit cost: the prebook lines' cost. Actual: the landed cost of the components transferred
 * divided by the finished units received, plus the labour unit cost (4 decimals, half up). GPM of each
 * against the average price of the lines that have one.
 */
export function runCosts(lines: RunLineData[], componentCost: bigint, finishedUnitsReceived: number, labourUnitCost: string | null): RunCosts {
  const estimatedUnitCost = weightedAverage(lines.map((line) => ({ units: line.units, value: line.cost })));
  // Lines still without a price (sold price pending) are left out of the price, not of the cost.
  const unitPrice = weightedAverage(
    lines.map((line) => ({ units: line.units, value: line.price })),
    { skipMissing: true },
  );
  const actualUnitCost =
    finishedUnitsReceived > 0
      ? fromScaled(divRound(componentCost, BigInt(finishedUnitsReceived)) + (labourUnitCost == null ? 0n : toScaled(labourUnitCost)), 2)
      : null;
  const gpm = (cost: string | null) => (unitPrice == null || cost == null ? null : gpmPercent(toScaled(unitPrice), toScaled(cost)));
  return { estimatedUnitCost, actualUnitCost, unitPrice, estimatedGpmPercent: gpm(estimatedUnitCost), actualGpmPercent: gpm(actualUnitCost) };
}

/**
 * The cost a recipe suggests for one finished unit: each component's unit cost x its units, plus labour;
 * null when a component's cost or the labour is unknown.
 */
export function recipeUnitCost(recipe: RecipeComponentValue[], componentCost: Map<number, string>, labour: string | null): string | null {
  if (recipe.length === 0 || labour == null || recipe.some((entry) => !componentCost.has(entry.product))) return null;
  const components = recipe.reduce((sum, entry) => sum + divRound(toScaled(componentCost.get(entry.product)!) * toScaled(entry.units), SCALE), 0n);
  return fromScaled(components + toScaled(labour), 2);
}

export function scaledToDecimal(value: bigint): string {
  return fromScaled(value, 0).replace(/\.$/, '');
}
