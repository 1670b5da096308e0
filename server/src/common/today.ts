// "Today" is the company's date in Settings.timeZone (docs/maintainers.md#time), never the UTC date by
// accident: a Miami warehouse confirming at 20:30 local time is still on its truck date.

// Made once per time zone: building an Intl.DateTimeFormat costs more than a scan's billing arithmetic.
const dateFormats = new Map<string, Intl.DateTimeFormat | null>();

function dateFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = null;
    }
    dateFormats.set(timeZone, format);
  }
  return format;
}

/** Where "now" comes from for the company's today: the system clock unless fixed by setCompanyClock. */
let companyClock: (() => Date) | null = null;

/**
 * Fixes the instant the company's today is taken from (null: the system clock again). For tests
 * whose workbooks carry fixed truck dates: the sheets refuse a new prebook's truck date before
 * today, so such a test fixes its today rather than failing once the date has passed.
 */
export function setCompanyClock(now: (() => Date) | null): void {
  companyClock = now;
}

/** The ISO date (YYYY-MM-DD) it is at `now` in the company's time zone (UTC when the name is unknown). */
export function today(settings: { timeZone: string }, now: Date = companyClock?.() ?? new Date()): string {
  const format = dateFormat(settings.timeZone || 'UTC');
  if (!format) return now.toISOString().slice(0, 10);
  const parts = Object.fromEntries(format.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** True when `name` is an IANA time zone this runtime knows. */
export function isTimeZone(name: string): boolean {
  if (!name || name.startsWith(':')) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The time zone a fresh database starts with: the TZ environment variable when it is an IANA name, else UTC. */
export function defaultTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  const tz = env.TZ?.trim();
  return tz && isTimeZone(tz) ? tz : 'UTC';
}
