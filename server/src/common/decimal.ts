/** Canonical text of a decimal for equality: "12.5000" and "12.5" are the same price. */
export function canonicalDecimal(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let [whole, fraction = ''] = value.trim().replace(/^\+/, '').split('.');
  const negative = whole.startsWith('-');
  whole = whole.replace(/^-/, '').replace(/^0+(?=\d)/, '');
  fraction = fraction.replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

export function sameDecimal(a: string | null | undefined, b: string | null | undefined): boolean {
  return canonicalDecimal(a) === canonicalDecimal(b);
}

const SCALE = 4;
const FACTOR = 10n ** BigInt(SCALE);

/** Parses a decimal string into an integer count of 1/10000 (exact, no float). */
export function toScaled(value: string): bigint {
  const [whole, fraction = ''] = value.trim().split('.');
  const negative = whole.startsWith('-');
  const digits = BigInt(whole.replace('-', '') || '0') * FACTOR + BigInt((fraction + '0000').slice(0, SCALE));
  return negative ? -digits : digits;
}

export function fromScaled(value: bigint, scale = 2): string {
  const negative = value < 0n;
  const absolute = negative ? -value : value;
  const whole = absolute / FACTOR;
  const fraction = (absolute % FACTOR).toString().padStart(SCALE, '0');
  const trimmed = fraction.replace(/0+$/, '').padEnd(scale, '0');
  return `${negative ? '-' : ''}${whole}${trimmed ? `.${trimmed}` : ''}`;
}

/** value x an integer quantity, exactly. */
export function multiplyDecimal(value: string, quantity: number): string {
  return fromScaled(toScaled(value) * BigInt(quantity));
}

/** A scaled amount (1/10000) rounded half away from zero to whole cents. */
export function roundToCents(scaled: bigint): bigint {
  return divRound(scaled, 100n) * 100n;
}

/** a / b rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  const q = (x * 2n + y) / (2n * y);
  return negative ? -q : q;
}

/**
 * Splits a scaled amount over weights so the parts add up to the amount
 * exactly (largest remainders get the leftover units).
 */
export function allocateScaled(amount: bigint, weights: bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n) return weights.map(() => 0n);
  const exact = weights.map((w) => amount * w);
  const parts = exact.map((e) => e / total);
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  const order = exact.map((e, i) => [e % total, i] as const).sort((a, b) => (b[0] > a[0] ? 1 : b[0] < a[0] ? -1 : a[1] - b[1]));
  for (const [, i] of order) {
    if (left <= 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts;
}

/** unit cost x (1 + duty %) + the box's freight / its units, at 4 decimals. */
export function landedUnitCost(unitCost: string, dutyPercent: string, boxFreightScaled: bigint, units: number): string {
  const cost = toScaled(unitCost);
  const duty = divRound(cost * toScaled(dutyPercent), 100n * FACTOR);
  const freight = divRound(boxFreightScaled, BigInt(units));
  return fromScaled(cost + duty + freight, 2);
}

/**
 * The price that makes `targetGpmPercent` of gross margin on `cost`: cost / (1 - target / 100), at 2
 * decimals (half up). Null when the target leaves no margin to price (100 % or more).
 */
export function suggestedPrice(cost: string, targetGpmPercent: string): string | null {
  const hundred = 100n * 10n ** 4n;
  const rest = hundred - toScaled(targetGpmPercent);
  if (rest <= 0n) return null;
  return fromScaled(divRound(toScaled(cost) * hundred, rest * 100n) * 100n, 2);
}
