import { WEEKDAYS, type Weekday } from './standing-order.entity';

const DAY_MS = 86_400_000;

function toDay(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function toDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[weekdayIndex(toDay(date))];
}

export function addDays(date: string, days: number): string {
  return toDate(toDay(date) + days);
}

export function daysBetween(from: string, to: string): number {
  return toDay(to) - toDay(from);
}

export interface Schedule {
  weekdays: readonly string[];
  everyWeeks: number;
  startDate: string;
  endDate?: string | null;
}

/**
 * The truck dates of a weekly schedule within [from, to]: its weekdays, in
 * every `everyWeeks`-th week counted from the week (Monday) of startDate,
 * never before startDate nor after endDate.
 */
export function scheduledDates(schedule: Schedule, from: string, to: string): string[] {
  const first = Math.max(toDay(from), toDay(schedule.startDate));
  const last = Math.min(toDay(to), schedule.endDate ? toDay(schedule.endDate) : Infinity);
  const startWeek = toDay(schedule.startDate) - weekdayIndex(toDay(schedule.startDate));
  const days = new Set(schedule.weekdays);
  const dates: string[] = [];
  for (let day = first; day <= last; day++) {
    const week = Math.floor((day - startWeek) / 7);
    if (week % schedule.everyWeeks === 0 && days.has(WEEKDAYS[weekdayIndex(day)])) dates.push(toDate(day));
  }
  return dates;
}
