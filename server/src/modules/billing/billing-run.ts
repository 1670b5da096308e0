// A billing run: what one pass (a scan's, a confirmation's, an allocation's) has billed so far and what the
// customers owe, what each box bills or why it bills none, then (invoice-placement.ts) which invoices the
// items go on and (billing-write.ts) what is written. The decisions themselves are billing-rules.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromScaled, toScaled } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import { isReadUnderLock, type BillableBox, type BillingCustomer, type BillingLine } from '../box/billable-box';
import { lockPrebookLines } from '../prebook/prebook.repository';
import { orderedQuantity } from '../prebook/prebook.service';
import type { Settings } from '../settings/settings.entity';
import type { BillingIssueCode } from './billing-issue.entity';
import { recordBillingIssues } from './billing-issues';
import { boxIssue, creditLimitIssue, invoiceTruckDate, releasedState, splitBox } from './billing-rules';
import { resolveOpenIssues, selectBilledAndExposure } from './billing.repository';
import { InvoicePlacement } from './invoice-placement';
import { placementKeys, type BillingItem, type InvoiceSource, type RunInvoice } from './run-invoices';

export type { BillingItem, InvoiceSource, RunInvoice } from './run-invoices';

/** What one billing pass has seen and done: quantities billed so far and customers' credit exposure. */
export class BillingRun {
  private readonly billedExtra = new Map<number, number>();
  private readonly exposureExtra = new Map<number, bigint>();
  private billedStored = new Map<number, { boxes: number; units: number }>();
  private exposureStored = new Map<number, bigint>();
  /** Boxes whose open issues the next finish() marks resolved. */
  private toResolve: number[] = [];
  /** The invoices the run's items go on. */
  private readonly placement: InvoicePlacement;

  constructor(
    readonly em: EntityManager,
    readonly ctx: RequestContext,
    readonly settings: Settings,
    readonly options: { source: InvoiceSource; dryRun: boolean; today: string },
  ) {
    this.placement = new InvoicePlacement(em, settings, options);
  }

  /**
   * Locks the prebook lines (those not read under their locks) and loads, in one more query, what they
   * have billed and what the customers owe. With lockKeysOf, that query first takes the advisory locks of
   * the consolidation keys those items will be placed under (a scan knows them before it plans).
   */
  async prepare(lines: BillingLine[], customers: BillingCustomer[], lockKeysOf: Array<{ prebookLine: BillingLine; truckDate: string }> = []): Promise<void> {
    const ids = [...new Set(lines.map((l) => l.id))];
    // Billing of one prebook line is serialized across processes, so no line ever bills beyond its quantity.
    await lockPrebookLines(this.em, [...new Set(lines.filter((l) => !isReadUnderLock(l)).map((l) => l.id))]);
    // Exposure is only compared with a credit limit: summing the pending invoices of a customer without one is work for nothing.
    const limited = customers.filter((c) => c.creditLimit != null);
    const lockKeys = this.placement.keysToLock(lockKeysOf.map((t) => placementKeys(t.prebookLine.prebook, t.truckDate).lockKey));
    const { billed, exposure } = await selectBilledAndExposure(this.em, ids, [...new Set(limited.map((c) => c.id))], lockKeys);
    this.placement.markLocked(lockKeys);
    this.billedStored = billed;
    this.exposureStored = new Map(exposure.map((r) => [Number(r.id), toScaled(String(r.exposure))]));
  }

  /** Prices open-market items of lines without a price by the OPEN_MARKET lists (allocation, fill: openMarketPrices). */
  priceOpenMarketBy(price: InvoicePlacement['openMarketPrice']): void {
    this.placement.openMarketPrice = price;
  }

  /** The demands of a box billing may bill (their prebooks open) and the truck date of the invoice they go on. */
  static openDemands(box: BillableBox): { open: BillableBox['demands']; truckDate: string } {
    const open = box.demands.filter((d) => d.prebookLine.prebook.status === 'OPEN');
    return { open, truckDate: invoiceTruckDate(open.map((d) => d.prebookLine.prebook.truckDate)) };
  }

  /** What a prebook line still needs to bill, in its own measure (boxes or units). */
  stillNeeded(line: BillingLine): number {
    const stored = this.billedStored.get(line.id) ?? { boxes: 0, units: 0 };
    const billed = (line.sellBy === 'BOX' ? stored.boxes : stored.units) + (this.billedExtra.get(line.id) ?? 0);
    return Math.max(0, orderedQuantity(line) - billed);
  }

  recordBilled(line: BillingLine, quantity: number): void {
    this.billedExtra.set(line.id, (this.billedExtra.get(line.id) ?? 0) + quantity);
  }

  /** The customer's balance (openBalance + open invoices, a pending price counted at cost, - unapplied payments and credits) + what this run added. */
  exposure(customer: BillingCustomer): bigint {
    return toScaled(customer.openBalance) + (this.exposureStored.get(customer.id) ?? 0n) + (this.exposureExtra.get(customer.id) ?? 0n);
  }

  static itemAmount(item: BillingItem): bigint {
    const unitValue = item.prebookLine.price ?? item.prebookLine.cost ?? item.box.landedUnitCost;
    return toScaled(unitValue) * BigInt(item.units);
  }

  /** The items a box bills, or why it bills none (the decisions are billing-rules.ts). */
  planBox(box: BillableBox): { items: BillingItem[]; issue: { code: BillingIssueCode; message: string; line: BillingLine } | null } {
    const demands = box.demands;
    const first = demands[0].prebookLine;
    const customer = first.prebook.customer;
    const issue = boxIssue({
      label: box.label,
      source: this.options.source,
      today: this.options.today,
      delayDaysAllowed: this.settings.delayDaysAllowed,
      lines: demands.map(({ prebookLine: { prebook } }) => ({
        customerId: prebook.customer.id,
        carrierId: prebook.carrier.id,
        prebookNumber: prebook.number,
        prebookStatus: prebook.status,
        truckDate: prebook.truckDate,
      })),
      customer,
    });
    if (issue) return { items: [], issue: { ...issue, line: first } };
    const { open, truckDate } = BillingRun.openDemands(box);
    const split = splitBox(
      box,
      open.map((d) => ({
        sellBy: d.prebookLine.sellBy,
        truckDate: d.prebookLine.prebook.truckDate,
        demandUnits: d.units,
        stillNeeded: this.stillNeeded(d.prebookLine),
      })),
    );
    const items: BillingItem[] = split.map(({ index, units }) => ({ box, prebookLine: open[index].prebookLine, units, truckDate }));
    const amount = items.reduce((sum, item) => sum + BillingRun.itemAmount(item), 0n);
    const overLimit = items.length
      ? creditLimitIssue({
          label: box.label,
          customerCode: customer.code,
          creditLimit: customer.creditLimit == null ? null : toScaled(customer.creditLimit),
          creditLimitText: customer.creditLimit == null ? '' : fromScaled(toScaled(customer.creditLimit), 2),
          exposure: this.exposure(customer),
          amount,
        })
      : null;
    if (overLimit) return { items: [], issue: { ...overLimit, line: first } };
    return { items, issue: null };
  }

  /** Counts items as billed for this run's later checks (what lines still need, customers' exposure). */
  reserve(items: BillingItem[]): void {
    for (const item of items) {
      this.recordBilled(item.prebookLine, item.prebookLine.sellBy === 'BOX' ? 1 : item.units);
      const customer = item.prebookLine.prebook.customer;
      this.exposureExtra.set(customer.id, (this.exposureExtra.get(customer.id) ?? 0n) + BillingRun.itemAmount(item));
    }
  }

  /**
   * Takes the advisory locks of these consolidation keys (in key order, so two runs never deadlock),
   * then loads, in one query, the pending and confirmed invoices they may extend. Holding the lock
   * until the transaction ends means no other process adds an invoice for the key meanwhile.
   */
  lockAndLoad(targets: Array<{ prebookLine: BillingLine; truckDate: string }>): Promise<void> {
    return this.placement.lockAndLoad(targets);
  }

  /** Puts reserved items on invoices under the consolidation rules, all at once (invoice-placement.ts). */
  place(items: BillingItem[]): Promise<Map<BillingItem, RunInvoice>> {
    return this.placement.place(items);
  }

  /** Writes what place() did, with the open issues of the boxes resolveIssuesOnFinish() named (billing-write.ts). */
  async finish(): Promise<void> {
    const resolve = this.toResolve;
    this.toResolve = [];
    await this.placement.finish(resolve);
  }

  /** What is left of a box no line needs any more follows releaseFulfilled. */
  release(box: BillableBox): void {
    const released = releasedState(this.settings.releaseFulfilled);
    if (box.unitsRemaining > 0 && released) Object.assign(box, released);
  }

  /** Records why boxes were not billed, refreshing a box's open issue of the same code instead of adding another. */
  recordIssues(issues: Array<{ box: BillableBox; issue: { code: BillingIssueCode; message: string; line: BillingLine } }>): Promise<void> {
    return recordBillingIssues(this.em, issues);
  }

  /**
   * Marks the boxes' open issues resolved with the next finish(), in the statement that writes what it
   * billed: no round trip of its own while the keys' locks are held.
   */
  resolveIssuesOnFinish(boxes: BillableBox[]): void {
    this.toResolve.push(...boxes.map((b) => b.id));
  }

  /** Marks the boxes' open issues resolved, in one statement (billed boxes rarely have any; reading them would cost more). */
  async resolveIssues(boxes: BillableBox[]): Promise<void> {
    if (boxes.length === 0) return;
    await resolveOpenIssues(
      this.em,
      boxes.map((b) => b.id),
    );
  }
}
