import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../../server/src/common/dates';
import { propertyOptions } from '../../support/property';

describe('ISO date arithmetic', () => {
  it('counts calendar days across month ends and leap days, negative backwards', () => {
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-02-28', '2027-03-01')).toBe(1);
    expect(daysBetween('2026-12-31', '2026-12-30')).toBe(-1);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('addDays and daysBetween undo each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: -5_000, max: 5_000 }), (start, offset) => {
        const from = addDays('1990-01-01', start);
        expect(daysBetween(from, addDays(from, offset))).toBe(offset);
      }),
      propertyOptions(200),
    );
  });
});
