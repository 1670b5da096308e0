import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../../../server/src/common/scalars';

/** The Decimal scalar's text as it was written first (split and regular expressions): the reference. */
function reference(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return `${whole}.${trimmed.length >= 2 ? trimmed : trimmed.padEnd(2, '0')}`;
}

describe('formatDecimal', () => {
  it('drops zeros past the second decimal and pads to two', () => {
    expect(formatDecimal('12.5000')).toBe('12.50');
    expect(formatDecimal('0.1250')).toBe('0.125');
    expect(formatDecimal('-3.0000')).toBe('-3.00');
    expect(formatDecimal('7')).toBe('7.00');
    expect(formatDecimal('7.')).toBe('7.00');
    expect(formatDecimal('0.0500')).toBe('0.05');
    expect(formatDecimal('1.0001')).toBe('1.0001');
  });

  it('writes every text as the reference does', () => {
    const samples = ['', '.', '..', '0', '00', '.5', '.50', '.500', '1.2.3', '1.2300.0', '1.00.00', '-0.0000', '100.1000000', 'abc.000'];
    const digits = ['0', '1', '5', '9'];
    // Every whole part of up to two digits with every fraction of up to five digits from 0, 1, 5, 9 (and none).
    const fractions = [''];
    for (let length = 1; length <= 5; length++) {
      for (const previous of fractions.filter((f) => f.length === length - 1)) for (const d of digits) fractions.push(previous + d);
    }
    for (const whole of ['0', '12', '-4']) {
      samples.push(whole);
      for (const fraction of fractions) samples.push(`${whole}.${fraction}`);
    }
    for (const value of samples) expect(formatDecimal(value), value).toBe(reference(value));
    expect(samples.length).toBeGreaterThan(4000);
  });
});
