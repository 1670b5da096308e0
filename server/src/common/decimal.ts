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
