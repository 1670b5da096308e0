// Reading a job's cron schedule (pure): pg-boss fires a schedule from the same library (cron-parser).
import cronParser from 'cron-parser';

/** The first time after `now` the cron expression is due in `timeZone`, or null when it cannot be read. */
export function nextRunAt(cron: string, timeZone: string | null, now: Date): Date | null {
  try {
    return cronParser
      .parseExpression(cron, { tz: timeZone ?? 'UTC', currentDate: now })
      .next()
      .toDate();
  } catch {
    return null;
  }
}
