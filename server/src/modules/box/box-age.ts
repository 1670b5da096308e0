// A box's age (docs/maintainers.md#age-and-rotation): pure, no database.
import { daysBetween } from '../../common/dates';
import { today } from '../../common/today';

/** An age band as the settings hold it: boxes aged up to maxDays (null: any age) that no earlier band holds. */
export interface AgeBandValue {
  name: string;
  maxDays: number | null;
}

/**
 * The day a box arrived: the company's date of its inbound scan once received, otherwise the expected
 * arrival of its shipment (a box in transit, or confirmed without a scan).
 */
export function arrivalDateOf(box: { received: boolean; receivedAt?: Date | null; expectedArrival: string }, timeZone: string): string {
  return box.received && box.receivedAt ? today({ timeZone }, box.receivedAt) : box.expectedArrival;
}

/** The company's today − arrivalDate in days: 0 on the day it arrives, negative while it is still to come. */
export function ageDays(arrivalDate: string, companyToday: string): number {
  return daysBetween(arrivalDate, companyToday);
}

/** The first band whose maxDays holds the age; null for a box not arrived yet (negative age) or past every band. */
export function ageBandOf(age: number, bands: readonly AgeBandValue[]): string | null {
  if (age < 0) return null;
  return bands.find((band) => band.maxDays === null || age <= band.maxDays)?.name ?? null;
}

/** Past its category's maximum age: to be dumped, not sold. */
export function isAged(age: number, maxAgeDays: number | null | undefined): boolean {
  return maxAgeDays != null && age > maxAgeDays;
}
