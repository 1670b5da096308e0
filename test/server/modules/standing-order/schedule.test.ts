import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../../server/src/common/dates';
import { scheduledDates, weekdayOf } from '../../../../server/src/modules/standing-order/schedule';
import { propertyOptions } from '../../../support/property';

describe('standing-order schedule', () => {
  it('knows the weekday of a date', () => {
    expect(['2026-11-23', '2026-11-29', '2027-02-14', '2028-02-29'].map(weekdayOf)).toEqual(['MON', 'SUN', 'SUN', 'TUE']);
  });

  it('gives the weekdays of every N-th week from the start week, within start and end', () => {
    const schedule = { weekdays: ['MON', 'THU'], everyWeeks: 2, startDate: '2026-11-26', endDate: '2026-12-21' };
    expect(scheduledDates(schedule, '2026-11-01', '2027-01-31')).toEqual(['2026-11-26', '2026-12-07', '2026-12-10', '2026-12-21']);
  });

  it('never yields a date outside the window, before the start, after the end, or on another weekday', () => {
    const dates = fc.integer({ min: 0, max: 2000 }).map((n) => addDays('2026-01-01', n));
    fc.assert(
      fc.property(
        dates,
        dates,
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.subarray(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], { minLength: 1 }),
        fc.option(fc.integer({ min: 0, max: 200 })),
        (from, start, span, everyWeeks, weekdays, endOffset) => {
          const to = addDays(from, span);
          const endDate = endOffset === null ? null : addDays(start, endOffset);
          const result = scheduledDates({ weekdays, everyWeeks, startDate: start, endDate }, from, to);
          for (const date of result) {
            expect(date >= from && date <= to && date >= start).toBe(true);
            if (endDate) expect(date <= endDate).toBe(true);
            expect(weekdays).toContain(weekdayOf(date));
          }
          expect(new Set(result).size).toBe(result.length);
          if (everyWeeks === 1 && !endDate && from >= start) {
            // every week: exactly the matching weekdays of the window
            let expected = 0;
            for (let d = from; d <= to; d = addDays(d, 1)) if (weekdays.includes(weekdayOf(d))) expected++;
            expect(result.length).toBe(expected);
          }
        },
      ),
      propertyOptions(300),
    );
  });
});
