import { dateOfDay, dayNumber } from '../../common/dates';
import { WEEKDAYS, type Weekday } from '../prebook/standing-order.entity';

/** 0 = Monday ... 6 = Sunday. */
function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[weekdayIndex(dayNumber(date))];
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
  const first = Math.max(dayNumber(from), dayNumber(schedule.startDate));
  const last = Math.min(dayNumber(to), schedule.endDate ? dayNumber(schedule.endDate) : Infinity);
  const startWeek = dayNumber(schedule.startDate) - weekdayIndex(dayNumber(schedule.startDate));
  const days = new Set(schedule.weekdays);
  const dates: string[] = [];
  for (let day = first; day <= last; day++) {
    const week = Math.floor((day - startWeek) / 7);
    if (week % schedule.everyWeeks === 0 && days.has(WEEKDAYS[weekdayIndex(day)])) dates.push(dateOfDay(day));
  }
  return dates;
}
