// Billing decisions as pure functions over plain data (docs/maintainers.md#billing-rules): no database, no entities.
// The billing run (billing-run.ts, invoice-placement.ts) gathers the data, asks these, and writes what they decide.
import type { AutoBillingMode, ReleaseFulfilledMode } from '../settings/settings.entity';
import { daysBetween } from '../../common/dates';
import type { BillingIssueCode } from './billing-issue.entity';

export type BillingEvent = 'confirmation' | 'inbound-scan' | 'outbound-scan';

/** Whether automatic billing runs at this event (setting autoBilling). */
export function billsOn(autoBilling: AutoBillingMode, event: BillingEvent): boolean {
  switch (autoBilling) {
    case 'ON_MANUAL_CONFIRMATION':
      return event === 'confirmation';
    case 'ON_INCOMING_SCAN_OR_CONFIRMATION':
      return event === 'confirmation' || event === 'inbound-scan';
    case 'ON_OUTBOUND_SCAN':
      return event === 'outbound-scan';
    default:
      return false;
  }
}

export interface Issue {
  code: BillingIssueCode;
  message: string;
}

/** What decides whether a box bills at all: the prebook lines it serves and their customer. */
export interface BoxFacts {
  label: string;
  source: 'AUTO_BILLING' | 'ALLOCATION';
  /** The company's date (Settings.timeZone). */
  today: string;
  delayDaysAllowed: number;
  lines: ReadonlyArray<{ customerId: number; carrierId: number; prebookNumber: string; prebookStatus: string; truckDate: string }>;
  customer: { code: string; excludedFromAutoBilling: boolean; creditHold: boolean };
}

/** The invoice's truck date for a box: the most future truck date of the open prebooks it serves. */
export function invoiceTruckDate(openTruckDates: readonly string[]): string {
  return [...openTruckDates].sort().at(-1)!;
}

/**
 * Why a box is not billed, in the order docs/maintainers.md#why-a-box-is-not-billed lists them (MIXED_BOX, PREBOOK_CANCELLED /
 * PREBOOK_CLOSED when none of its prebooks is open, CUSTOMER_EXCLUDED for automatic billing only,
 * CREDIT_HOLD, TRUCK_DATE_PASSED for automatic billing only), or null. CREDIT_LIMIT needs the amount
 * the box would bill: creditLimitIssue.
 */
export function boxIssue(f: BoxFacts): Issue | null {
  const fail = (code: BillingIssueCode, message: string): Issue => ({ code, message: `${f.label}: ${message}` });
  const customers = new Set(f.lines.map((l) => l.customerId));
  const carriers = new Set(f.lines.map((l) => l.carrierId));
  if (customers.size > 1 || carriers.size > 1) {
    return fail(
      'MIXED_BOX',
      `serves prebooks of ${customers.size > 1 ? 'different customers' : 'different carriers'} (${[...new Set(f.lines.map((l) => l.prebookNumber))].join(', ')}); allocate it by hand`,
    );
  }
  const open = f.lines.filter((l) => l.prebookStatus === 'OPEN');
  if (open.length === 0) {
    const first = f.lines[0];
    return first.prebookStatus === 'CANCELLED'
      ? fail('PREBOOK_CANCELLED', `prebook ${first.prebookNumber} is cancelled`)
      : fail('PREBOOK_CLOSED', `prebook ${first.prebookNumber} is closed`);
  }
  if (f.customer.excludedFromAutoBilling && f.source === 'AUTO_BILLING')
    return fail('CUSTOMER_EXCLUDED', `customer ${f.customer.code} is excluded from automatic billing`);
  if (f.customer.creditHold) return fail('CREDIT_HOLD', `customer ${f.customer.code} is on credit hold`);
  const truckDate = invoiceTruckDate(open.map((l) => l.truckDate));
  const late = daysBetween(truckDate, f.today);
  if (f.source === 'AUTO_BILLING' && late > f.delayDaysAllowed) {
    return fail('TRUCK_DATE_PASSED', `confirmed ${late} day(s) after truck date ${truckDate}; ${f.delayDaysAllowed} allowed`);
  }
  return null;
}

/** CREDIT_LIMIT: billing `amount` (scaled) would take exposure past the limit; no limit, no check. */
export function creditLimitIssue(f: {
  label: string;
  customerCode: string;
  creditLimit: bigint | null;
  creditLimitText: string;
  exposure: bigint;
  amount: bigint;
}): Issue | null {
  if (f.creditLimit == null || f.exposure + f.amount <= f.creditLimit) return null;
  return { code: 'CREDIT_LIMIT', message: `${f.label}: billing it would take ${f.customerCode} past its credit limit of ${f.creditLimitText}` };
}

/** The separation settings consolidation obeys (docs/maintainers.md#consolidation). */
export interface SeparationSettings {
  separateInTransitAndOnHand: boolean;
  consolidateOpenMarket: boolean;
  separateHoliday: boolean;
  separateByPortOfOrigin: boolean;
  separateByPickTicket: boolean;
}

/** An item about to be billed, as consolidation sees it. */
export interface ItemFacts {
  sellBy: 'BOX' | 'UNIT';
  holiday: boolean;
  /** On hand (scanned in) rather than in transit. */
  received: boolean;
  portOfOrigin: string;
  openMarket: boolean;
  priced: boolean;
  /** The customer lets automatic billing add to confirmed invoices (consolidateInvoicesOnAutoBilling). */
  consolidatesConfirmed: boolean;
  /** To a production company at exactly 0.00: a transfer of components, which goes on TRANSFER invoices only. */
  transfer?: boolean;
}

export interface InvoiceFacts {
  status: string;
  pickTicketPrinted: boolean;
  /** What its items in boxes are; says nothing while it holds none (inTransit null). */
  holiday: boolean;
  /** Null: the invoice holds boxes of several ports. */
  portOfOrigin?: string | null;
  /** Null: the invoice holds no items in boxes yet. */
  inTransit?: boolean | null;
  hasOpenMarket: boolean;
  /** SALE when absent. */
  kind?: string;
}

/** The separation part of the key items of one call share an invoice by (with customer, ship-to, carrier, truck date, customer PO). */
export function separationKey(s: SeparationSettings, item: ItemFacts): unknown[] {
  const inBoxes = splitByHolidayAndTransit(item.sellBy);
  return [
    s.separateHoliday && inBoxes ? item.holiday : null,
    s.separateByPortOfOrigin ? item.portOfOrigin : null,
    s.separateInTransitAndOnHand && inBoxes ? !item.received : null,
    item.openMarket && !s.consolidateOpenMarket ? 'open-market' : null,
  ];
}

/** Whether an existing invoice (same customer, ship-to, carrier, truck date and customer PO) may take the item. */
export function mayJoin(s: SeparationSettings, invoice: InvoiceFacts, item: ItemFacts): boolean {
  // A confirmed invoice takes only priced items: an invoice with a pending price cannot be confirmed.
  if (invoice.status === 'CONFIRMED' && (!item.consolidatesConfirmed || !item.priced)) return false;
  if (invoice.status !== 'PENDING' && invoice.status !== 'CONFIRMED') return false;
  if (s.separateByPickTicket && invoice.pickTicketPrinted) return false;
  // Holiday and in-transit separate items in boxes only: unit lines are not split by them.
  // A sale and a transfer of components never share an invoice, whatever the settings.
  if ((invoice.kind === 'TRANSFER') !== (item.transfer ?? false)) return false;
  // A finance charge or a fee is an invoice of its own: no goods join it.
  if (invoice.kind === 'FINANCE_CHARGE' || invoice.kind === 'FEE') return false;
  const inBoxes = splitByHolidayAndTransit(item.sellBy);
  // The holiday flag is the invoice's box items': an invoice of unit items only takes a box of either flag.
  if (s.separateHoliday && inBoxes && invoice.inTransit !== null && invoice.holiday !== item.holiday) return false;
  if (s.separateByPortOfOrigin && invoice.portOfOrigin !== item.portOfOrigin) return false;
  if (s.separateInTransitAndOnHand && inBoxes && invoice.inTransit != null && invoice.inTransit !== !item.received) return false;
  if (!s.consolidateOpenMarket && (invoice.hasOpenMarket || item.openMarket)) return false;
  return true;
}

/**
 * The invoice's holiday flag once the item is on it (null: a new invoice): derived from its items in
 * boxes only. The first box item sets it; unit items never do, so an invoice of unit items only is not
 * a holiday invoice, whatever the prebooks of its units.
 */
export function holidayAfter(invoice: Pick<InvoiceFacts, 'holiday' | 'inTransit'> | null, item: Pick<ItemFacts, 'sellBy' | 'holiday'>): boolean {
  const holdsBoxes = invoice != null && invoice.inTransit !== null;
  if (holdsBoxes) return invoice.holiday;
  return splitByHolidayAndTransit(item.sellBy) ? item.holiday : false;
}

/** What is left of a box no line needs any more becomes (releaseFulfilled): open market, or as it is. */
export function releasedState(mode: ReleaseFulfilledMode): { inventoryType: 'M'; customer: null } | null {
  return mode === 'OPEN_MARKET' ? { inventoryType: 'M', customer: null } : null;
}

/** One prebook line a box was bought for, as the split of the box needs it. */
export interface DemandToBill {
  sellBy: 'BOX' | 'UNIT';
  /** The prebook's truck date (ISO). */
  truckDate: string;
  /** Units of this box bought for the line (box_demand.units). */
  demandUnits: number;
  /** What the line still needs to bill, in its own measure (boxes or units). */
  stillNeeded: number;
}

export interface BoxToSplit {
  units: number;
  unitsRemaining: number;
  /** The box's location bills units as whole boxes. */
  billUnitsAsBoxes: boolean;
}

/**
 * Which units of a box each of its open prebook lines bills, as [index into demands, units].
 * - A line sold by the box takes what is left of the box (one box).
 * - A line in units bills its own units of the box (its demand), never more than it still needs.
 * - Where the location bills units as boxes, the box's rounding remainder (its units beyond all the
 *   demands it was bought for) goes on the billed unit line with the most future truck date (the first
 *   of them in demand order on a tie). Nothing else is added: units of a line that needs no more stay
 *   in the box and follow releaseFulfilled, and no unit is billed twice.
 */
export function splitBox(box: BoxToSplit, demands: readonly DemandToBill[]): Array<{ index: number; units: number }> {
  const items: Array<{ index: number; units: number }> = [];
  let left = box.unitsRemaining;
  demands.forEach((demand, index) => {
    if (left === 0 || demand.stillNeeded <= 0) return;
    if (demand.sellBy === 'BOX') {
      items.push({ index, units: left });
      left = 0;
      return;
    }
    const units = Math.min(demand.demandUnits, demand.stillNeeded, left);
    if (units <= 0) return;
    items.push({ index, units });
    left -= units;
  });
  if (box.billUnitsAsBoxes) {
    const unitItems = items.filter((item) => demands[item.index].sellBy === 'UNIT');
    const remainder = Math.min(left, Math.max(0, box.units - demands.reduce((sum, d) => sum + d.demandUnits, 0)));
    if (unitItems.length && remainder > 0) {
      const target = unitItems.reduce((best, item) => (demands[item.index].truckDate > demands[best.index].truckDate ? item : best));
      target.units += remainder;
    }
  }
  return items;
}

/** Whether an item of a line sold this way is split by separateHoliday and separateInTransitAndOnHand: items in boxes only. */
export function splitByHolidayAndTransit(sellBy: 'BOX' | 'UNIT'): boolean {
  return sellBy === 'BOX';
}

/** A confirmed box whose prebook lines all need nothing more follows releaseFulfilled, whatever the autoBilling mode. */
export function isFulfilled(stillNeeded: readonly number[]): boolean {
  return stillNeeded.length > 0 && stillNeeded.every((needed) => needed <= 0);
}
