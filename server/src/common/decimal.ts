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
