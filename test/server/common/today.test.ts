import { describe, expect, it } from 'vitest';
import { defaultTimeZone, isTimeZone, today } from '../../../server/src/common/today';

describe("today(settings): the company's date in Settings.timeZone", () => {
  it.each([
    // A Miami warehouse at 20:30 local time on 29 November: UTC is already the 30th.
    ['America/New_York', '2026-11-30T01:30:00Z', '2026-11-29'],
    ['UTC', '2026-11-30T01:30:00Z', '2026-11-30'],
    ['Asia/Tokyo', '2026-11-29T15:30:00Z', '2026-11-30'],
    ['Pacific/Kiritimati', '2026-12-31T10:00:00Z', '2027-01-01'],
    ['America/Bogota', '2027-01-01T04:59:59Z', '2026-12-31'],
    // Around the switch to daylight saving (8 March 2026): 04:30 UTC is still 23:30 EST on the 7th.
    ['America/New_York', '2026-03-08T04:30:00Z', '2026-03-07'],
  ])('%s at %s is %s', (timeZone, instant, expected) => {
    expect(today({ timeZone }, new Date(instant))).toBe(expected);
  });

  it('falls back to the UTC date for a name the runtime does not know', () => {
    expect(today({ timeZone: 'Mars/Olympus' }, new Date('2026-11-30T01:30:00Z'))).toBe('2026-11-30');
  });

  it('a fresh database takes TZ when it is an IANA name, else UTC', () => {
    expect(defaultTimeZone({ TZ: 'America/New_York' })).toBe('America/New_York');
    expect(defaultTimeZone({ TZ: ':/etc/localtime' })).toBe('UTC');
    expect(defaultTimeZone({ TZ: 'Nowhere/Else' })).toBe('UTC');
    expect(defaultTimeZone({})).toBe('UTC');
    expect(isTimeZone('Europe/Amsterdam')).toBe(true);
  });
});
