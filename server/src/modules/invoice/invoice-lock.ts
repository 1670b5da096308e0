// Invoices stay as billed (docs/maintainers.md#invoices): who may still change a CONFIRMED invoice's lines
// and prices. A pure rule; the invoice service applies it.
import type { Role } from '../../common/request-context';
import { today } from '../../common/today';

export interface InvoiceLockSettings {
  lockConfirmedInvoices: boolean;
  allowSameDayManagerEdits: boolean;
  timeZone: string;
}

/** The roles that may change a confirmed invoice on the day it was confirmed (with allowSameDayManagerEdits). */
export const SAME_DAY_EDITORS: readonly Role[] = ['ADMIN', 'SALES_MANAGER'];

/**
 * Null when the actor may change the invoice's lines and prices; otherwise why not. A PENDING invoice is
 * never locked; a CONFIRMED one is while Settings.lockConfirmedInvoices is on, except for a SALES_MANAGER
 * or ADMIN on the company's date it was confirmed when Settings.allowSameDayManagerEdits is on.
 */
export function confirmedInvoiceLock(
  invoice: { number: string; status: string; confirmedAt: Date | null | undefined },
  role: Role,
  settings: InvoiceLockSettings,
  now: Date = new Date(),
): string | null {
  if (invoice.status !== 'CONFIRMED' || !settings.lockConfirmedInvoices) return null;
  const confirmedOn = invoice.confirmedAt ? today(settings, invoice.confirmedAt) : null;
  const sameDay = confirmedOn !== null && confirmedOn === today(settings, now);
  if (sameDay && settings.allowSameDayManagerEdits && SAME_DAY_EDITORS.includes(role)) return null;
  const exception = settings.allowSameDayManagerEdits ? ' (a SALES_MANAGER or ADMIN may still change it on the day it was confirmed)' : '';
  return `${invoice.number} is CONFIRMED${confirmedOn ? ` (on ${confirmedOn})` : ''} and stays as billed${exception}: correct it with a credit (requestCredit)`;
}
