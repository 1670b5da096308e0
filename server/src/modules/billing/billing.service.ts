// Automatic billing, as a scan or a confirmation of staging runs it: each box of a prebook or standing order
// billed to its customer (a BillingRun, billing-run.ts) or given a billing issue that says why not; boxes whose
// lines need nothing more follow releaseFulfilled.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../common/request-context';
import { today } from '../../common/today';
import type { BillableBox, BillingLine } from '../box/billable-box';
import type { Settings } from '../settings/settings.entity';
import type { BillingIssueCode } from './billing-issue.entity';
import { isFulfilled } from './billing-rules';
import { BillingRun, type BillingItem } from './billing-run';

export interface BoxBilling {
  label: string;
  /** Invoices the box went on (several only when its lines differ in ship-to or customer PO). */
  invoiceNumbers: string[];
  issue: { code: BillingIssueCode; message: string } | null;
  /** Units that no line still needed, released under releaseFulfilled. */
  released: number;
}

/**
 * Automatic billing of boxes that entered inventory (or were scanned): each
 * box of a prebook or standing order is billed to its customer, consolidated
 * into a pending invoice when the rules allow, or gets a billing issue that
 * says why not. Open-market boxes are never billed automatically.
 */
export async function autoBill(
  em: EntityManager,
  ctx: RequestContext,
  settings: Settings,
  boxes: BillableBox[],
  options: { dryRun: boolean; today?: string },
): Promise<Map<string, BoxBilling>> {
  const run = new BillingRun(em, ctx, settings, { source: 'AUTO_BILLING', dryRun: options.dryRun, today: options.today ?? today(settings) });
  const billable = boxes.filter((box) => box.status === 'IN_INVENTORY' && (box.inventoryType === 'P' || box.inventoryType === 'S') && box.unitsRemaining > 0);
  const lines = billable.flatMap((box) => box.demands.map((d) => d.prebookLine));
  // The keys the boxes' items can go under, locked with the first read after the prebook lines' locks.
  const keysOf = billable.flatMap((box) => {
    const { open, truckDate } = BillingRun.openDemands(box);
    return open.map((d) => ({ prebookLine: d.prebookLine, truckDate }));
  });
  await run.prepare(
    lines,
    lines.map((l) => l.prebook.customer),
    keysOf,
  );

  const outcomes = new Map<string, BoxBilling>();
  const planned: Array<{ box: BillableBox; items: BillingItem[] }> = [];
  const issues: Array<{ box: BillableBox; issue: { code: BillingIssueCode; message: string; line: BillingLine } }> = [];
  for (const box of billable) {
    const { items, issue } = run.planBox(box);
    if (issue) {
      issues.push({ box, issue });
      outcomes.set(box.label, { label: box.label, invoiceNumbers: [], issue: { code: issue.code, message: issue.message }, released: 0 });
      continue;
    }
    run.reserve(items);
    planned.push({ box, items });
  }
  await run.recordIssues(issues);
  // Written with the invoices: the keys' locks are held to the commit (hot keys serialize concurrent
  // scans on them), so nothing adds a round trip of its own under them.
  run.resolveIssuesOnFinish(planned.filter((p) => p.items.length).map((p) => p.box));
  const placed = await run.place(planned.flatMap((p) => p.items));
  for (const { box, items } of planned) {
    const released = box.unitsRemaining;
    run.release(box);
    outcomes.set(box.label, { label: box.label, invoiceNumbers: [...new Set(items.map((item) => placed.get(item)!.number))], issue: null, released });
  }
  await run.finish();
  return outcomes;
}

/**
 * Confirmed boxes whose prebook lines are all fully billed follow releaseFulfilled, whatever the
 * autoBilling mode (automatic billing does this itself when it runs): with OPEN_MARKET they become
 * type M with no customer.
 */
export async function releaseFulfilledBoxes(
  em: EntityManager,
  ctx: RequestContext,
  settings: Settings,
  boxes: BillableBox[],
): Promise<Map<string, BoxBilling>> {
  const candidates = boxes.filter(
    (box) => box.status === 'IN_INVENTORY' && (box.inventoryType === 'P' || box.inventoryType === 'S') && box.unitsRemaining > 0 && box.demands.length > 0,
  );
  const outcomes = new Map<string, BoxBilling>();
  if (candidates.length === 0) return outcomes;
  const run = new BillingRun(em, ctx, settings, { source: 'AUTO_BILLING', dryRun: true, today: today(settings) });
  await run.prepare(
    candidates.flatMap((box) => box.demands.map((d) => d.prebookLine)),
    [],
  );
  for (const box of candidates) {
    if (!isFulfilled(box.demands.map((d) => run.stillNeeded(d.prebookLine)))) continue;
    const released = box.unitsRemaining;
    run.release(box);
    outcomes.set(box.label, { label: box.label, invoiceNumbers: [], issue: null, released });
  }
  return outcomes;
}
