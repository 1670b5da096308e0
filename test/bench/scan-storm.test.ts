import { describe, expect, it } from 'vitest';
import { CUSTOMERS } from '../../bench/dataset';
import { HOT_CUSTOMERS, stormBoxesPerCustomer, stormPrebooks } from '../../bench/scan-storm';

describe('the scan storm data set', () => {
  it('spreads the boxes over every customer, half of them for the five hot ones', () => {
    const perCustomer = stormBoxesPerCustomer(5001);
    expect(perCustomer).toHaveLength(CUSTOMERS);
    expect(perCustomer.reduce((a, b) => a + b, 0)).toBe(5001);
    expect(perCustomer.slice(0, HOT_CUSTOMERS).reduce((a, b) => a + b, 0)).toBe(2500);
    expect(Math.min(...perCustomer.slice(HOT_CUSTOMERS))).toBeGreaterThan(0);
  });

  it('makes one prebook per customer with distinct products, holding every box', () => {
    const prebooks = stormPrebooks(5000, '2026-12-01');
    expect(prebooks).toHaveLength(CUSTOMERS);
    expect(prebooks.flatMap((p) => p.lines).reduce((sum, line) => sum + line.boxes, 0)).toBe(5000);
    for (const prebook of prebooks) {
      expect(new Set(prebook.lines.map((l) => l.product)).size).toBe(prebook.lines.length);
      expect(prebook.lines.every((l) => l.boxes > 0)).toBe(true);
    }
    expect(prebooks[0].lines.reduce((sum, line) => sum + line.boxes, 0)).toBe(500);
  });
});
