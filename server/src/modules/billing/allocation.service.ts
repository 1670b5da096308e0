import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransactionOrDryRun } from '../../common/dry-run';
import { dateRange } from '../../common/list-filters';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { today } from '../../common/today';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type ErrorCode, type UserError } from '../../common/user-error';
import type { MassAllocateFilter } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema } from '../customer/customer.entity';
import { ProductSchema } from '../product/product.entity';
import { PrebookLineSchema, type PrebookLine } from '../prebook/prebook.entity';
import { BoxDemandSchema, BoxSchema } from '../box/box.entity';
import { orderedQuantity } from '../prebook/prebook.service';
import { getSettings } from '../settings/settings.service';
import { loadBillableBoxes, lockBillableBoxes, saveBillableBoxes, type BillableBox, type BillingLine } from '../box/billable-box';
import { lockStockBoxIds, selectBilledAndExposure, selectStagedUnitsByLine, selectStockLabelsOfLine, selectUnfilledLineIds } from './billing.repository';
import type { ReleaseFulfilledMode } from '../settings/settings.entity';
import { BillingRun, type BillingItem } from './billing-run';
import { releasedState } from './billing-rules';
import { leftoverNoLineNeeds, stockRotation, unitsToAllocate } from './allocation-rules';
import { openMarketPrices } from './open-market-prices';

export interface LineAllocation {
  prebookLine: PrebookLine;
  /** Boxes or units (the line's measure) billed by this call. */
  allocated: number;
  /** Still to bill after this call. */
  stillNeeded: number;
  invoiceNumbers: string[];
  /** In-transit open-market boxes linked to the line (fillFromOpenMarket): they bill when confirmed. */
  linkedLabels: string[];
  /** Why the line is not (fully) filled. */
  reason: ErrorCode | null;
  message: string | null;
}

export interface AllocationResult {
  lines: LineAllocation[];
  errors: UserError[];
}

const POPULATE_LINE = ['prebook', 'prebook.customer', 'prebook.shipTo', 'prebook.carrier', 'product', 'boxType'] as const;

/** Whether a box can serve a line: same product; for a line sold by the box, the same box type and a whole box of the same size. */
function fits(box: BillableBox, line: PrebookLine): boolean {
  if (box.productId !== line.product.id || box.unitsRemaining === 0) return false;
  if (line.sellBy === 'BOX') return box.boxTypeId === line.boxType.id && box.units === line.unitsPerBox && box.unitsRemaining === box.units;
  return true;
}

/** Who may take a box for a customer: its own stock, or open market not reserved for someone else. */
function ownedBy(box: BillableBox, line: PrebookLine): 'own' | 'open' | 'other' {
  const customer = line.prebook.customer;
  if (box.customer?.id === customer.id) return 'own';
  if (!box.customer) return 'open';
  return 'other';
}

/** What a prebook line still needs, in its own measure. */
type NeedOf = (line: BillingLine) => number;

/**
 * What the lines the boxes were bought for still need: as the run counts it for the lines it bills
 * (`billing`), read once for the others. Those are read without their locks: a billing of them that
 * commits meanwhile only makes them look needier, so the boxes give away less and release nothing early.
 */
export async function demandNeeds(em: EntityManager, run: BillingRun | null, boxes: Iterable<BillableBox>, billing: ReadonlySet<number>): Promise<NeedOf> {
  const others = [...new Set([...boxes].flatMap((box) => box.demands.map((d) => d.prebookLine.id)))].filter((id) => !billing.has(id));
  const billed = others.length ? (await selectBilledAndExposure(em, others, [])).billed : new Map<number, { boxes: number; units: number }>();
  return (line) => {
    if (run && billing.has(line.id)) return run.stillNeeded(line);
    const done = billed.get(line.id) ?? { boxes: 0, units: 0 };
    return Math.max(0, orderedQuantity(line) - (line.sellBy === 'BOX' ? done.boxes : done.units));
  };
}

/** Whether a box was bought for a line (a demand of it). */
const boughtFor = (box: BillableBox, line: BillingLine) => box.demands.some((d) => d.prebookLine.id === line.id);

/**
 * The truck date of the invoice an item of a box goes on: for a box bought for the line, the most future
 * truck date of the open prebooks it serves, as automatic billing dates it (a pooled box bills on one
 * invoice); for other stock, the line's own.
 */
function itemTruckDate(box: BillableBox, line: BillingLine): string {
  return boughtFor(box, line) ? BillingRun.openDemands(box).truckDate : line.prebook.truckDate;
}

/**
 * Items billing `line` from `boxes` in order, never beyond what it still needs, but for the rounding
 * remainder of a box bought for it where units bill as boxes (unitsToAllocate): as its first billing had it,
 * on the invoice its first billing dated.
 */
function takeFrom(run: BillingRun, line: PrebookLine, boxes: BillableBox[], needOf: NeedOf, unitsWanted?: number | null): BillingItem[] {
  const items: BillingItem[] = [];
  let needed = run.stillNeeded(line);
  const exact = line.sellBy === 'UNIT' && unitsWanted != null;
  if (exact) needed = Math.min(needed, unitsWanted);
  for (const box of boxes) {
    if (needed <= 0) break;
    if (line.sellBy === 'BOX') {
      items.push({ box, prebookLine: line, units: box.unitsRemaining, truckDate: itemTruckDate(box, line) });
      needed -= 1;
    } else {
      const open = box.demands.filter((d) => d.prebookLine.prebook.status === 'OPEN');
      const demands = open.map((d) => ({
        sellBy: d.prebookLine.sellBy,
        truckDate: d.prebookLine.prebook.truckDate,
        demandUnits: d.units,
        stillNeeded: d.prebookLine.id === line.id ? needed : needOf(d.prebookLine),
      }));
      const units = unitsToAllocate(
        box,
        demands,
        open.findIndex((d) => d.prebookLine.id === line.id),
        needed,
        exact,
      );
      items.push({ box, prebookLine: line, units, truckDate: itemTruckDate(box, line) });
      needed -= units;
    }
  }
  return items;
}

/** Boxes in inventory whose lines need nothing more follow releaseFulfilled; returns those it changed. */
export function releaseLeftovers(mode: ReleaseFulfilledMode, boxes: Iterable<BillableBox>, needOf: NeedOf): BillableBox[] {
  const state = releasedState(mode);
  const released: BillableBox[] = [];
  if (!state) return released;
  for (const box of boxes) {
    if (
      !leftoverNoLineNeeds(
        box,
        box.demands.map((d) => needOf(d.prebookLine)),
      )
    )
      continue;
    Object.assign(box, state);
    released.push(box);
  }
  return released;
}

/** Bills items; the boxes' open billing issues are resolved by the caller, once for the whole call (a query per line would flush the session each time). */
async function bill(run: BillingRun, items: BillingItem[]): Promise<string[]> {
  run.reserve(items);
  const placed = await run.place(items);
  return [...new Set([...placed.values()].map((invoice) => invoice.number))];
}

function lineRefusal(line: PrebookLine): { reason: ErrorCode; message: string } | null {
  const prebook = line.prebook;
  if (prebook.status !== 'OPEN') return { reason: 'INVALID_STATUS', message: `${prebook.number} is ${prebook.status}` };
  if (prebook.customer.creditHold) return { reason: 'CREDIT_HOLD', message: `customer ${prebook.customer.code} is on credit hold` };
  return null;
}

function describe(line: PrebookLine): string {
  return `${line.prebook.number} line ${line.lineNo} (${line.product.code})`;
}

/** allocate(prebookLine, labels, units?): the given boxes (or units of them) to one line, never beyond what it still needs. */
export async function allocate(
  ctx: RequestContext,
  args: { prebookLine: string; labels: string[]; units?: number | null; dryRun?: boolean | null },
): Promise<AllocationResult> {
  return inTransactionOrDryRun(ctx, args.dryRun ?? false, async (em) => {
    const line = await em.findOne(PrebookLineSchema, Number(args.prebookLine) || -1, { populate: POPULATE_LINE });
    if (!line) return { lines: [], errors: [userError('NOT_FOUND', `no prebook line ${args.prebookLine}`, undefined, 'prebookLine')] };
    if (args.labels.length === 0) {
      if (args.units != null && (!Number.isInteger(args.units) || args.units <= 0))
        return { lines: [], errors: [userError('INVALID_VALUE', 'units must be a whole number above 0', undefined, 'units')] };
      // No labels: the line takes stock in rotation order (oldest arrival first, then most units), as massAllocate fills it.
      const [result] = await fillLines(ctx, em, [line], { dryRun: args.dryRun ?? false, fill: false, unitsWanted: args.units });
      if (result.reason && result.reason !== 'NO_MATCHING_STOCK')
        return { lines: [], errors: [userError(result.reason, result.message ?? result.reason, undefined, 'prebookLine')] };
      if (result.allocated === 0 && result.stillNeeded === 0)
        return { lines: [], errors: [userError('NOTHING_TO_PURCHASE', `${describe(line)} needs nothing more`, undefined, 'prebookLine')] };
      recordAudit(em, ctx.actor, 'allocate', 'PrebookLine', line.id, { labels: [], units: args.units ?? null });
      await em.flush();
      return { lines: [result], errors: [] };
    }
    const settings = await getSettings(em);
    const run = new BillingRun(em, ctx, settings, { source: 'ALLOCATION', dryRun: args.dryRun ?? false, today: today(settings) });
    const labels = args.labels.slice(0, MAX_UPSERT_ITEMS).map((l) => l.trim());
    // Boxes first, then the line, then invoices: the order every path locks them in (a scan locks its boxes,
    // then their lines), so two never wait on each other. The line's own boxes in inventory are locked with the
    // given ones (one statement, in id order): what is left of them once the line needs nothing more follows
    // releaseFulfilled.
    const own = await selectStockLabelsOfLine(em, line.id);
    const boxes = await lockBillableBoxes(em, [...new Set([...labels, ...own])]);
    await run.prepare([line], [line.prebook.customer]);
    run.priceOpenMarketBy(await openMarketPrices(em, [line]));
    const refusal = lineRefusal(line);
    if (refusal) return { lines: [], errors: [userError(refusal.reason, refusal.message, undefined, 'prebookLine')] };
    if (args.units != null && (!Number.isInteger(args.units) || args.units <= 0))
      return { lines: [], errors: [userError('INVALID_VALUE', 'units must be a whole number above 0', undefined, 'units')] };
    if (run.stillNeeded(line) === 0)
      return { lines: [], errors: [userError('NOTHING_TO_PURCHASE', `${describe(line)} needs nothing more`, undefined, 'prebookLine')] };

    const needOf = await demandNeeds(em, run, boxes.values(), new Set([line.id]));
    const errors: UserError[] = [];
    const usable: BillableBox[] = [];
    labels.forEach((label, i) => {
      const box = boxes.get(label);
      const fail = (code: ErrorCode, message: string) => errors.push(userError(code, `Row ${i + 1}: ${message}`, i + 1, 'labels'));
      if (!box) fail('NOT_FOUND', `no box ${label}`);
      else if (box.status !== 'IN_INVENTORY') fail('INVALID_STATUS', `${label} is ${box.status}, not in inventory`);
      else if (ownedBy(box, line) === 'other') fail('RESERVED_FOR_OTHER_CUSTOMER', `${label} is for ${box.customer!.code}`);
      else if (!fits(box, line))
        fail('INVALID_VALUE', `${label} (${box.productCode}, ${box.boxTypeCode} of ${box.units}, ${box.unitsRemaining} left) does not fit ${describe(line)}`);
      else usable.push(box);
    });
    if (errors.length) return { lines: [], errors };
    const items = takeFrom(run, line, usable, needOf, args.units);
    const unused = usable.filter((box) => !items.some((item) => item.box === box));
    if (unused.length) {
      return {
        lines: [],
        errors: [
          userError(
            'INVALID_VALUE',
            `${describe(line)} needs only ${run.stillNeeded(line)} more; ${unused.map((b) => b.label).join(', ')} would go beyond it`,
            undefined,
            'labels',
          ),
        ],
      };
    }
    const invoiceNumbers = await bill(run, items);
    await run.resolveIssues([...new Set(items.map((item) => item.box))]);
    await run.finish();
    const released = releaseLeftovers(
      settings.releaseFulfilled,
      [...boxes.values()].filter((box) => boughtFor(box, line)),
      needOf,
    );
    await saveBillableBoxes(em, new Set([...usable, ...released]));
    recordAudit(em, ctx.actor, 'allocate', 'PrebookLine', line.id, { labels, units: args.units ?? null });
    await em.flush();
    const allocated = line.sellBy === 'BOX' ? items.length : items.reduce((sum, item) => sum + item.units, 0);
    return {
      lines: [{ prebookLine: line, allocated, stillNeeded: run.stillNeeded(line), invoiceNumbers, linkedLabels: [], reason: null, message: null }],
      errors: [],
    };
  });
}

/**
 * Candidate stock for lines, locked: in inventory (or, for fills, staged open market), of the lines'
 * products, none past its category's maximum age unless reserved for a customer. In rotation order
 * (stockRotation): oldest arrival first, then the box with most units.
 */
async function loadStock(
  em: EntityManager,
  productIds: number[],
  options: { maxAgeDays?: number | null; staged: boolean; today: string; timeZone: string },
): Promise<BillableBox[]> {
  if (productIds.length === 0) return [];
  const rows = await lockStockBoxIds(em, productIds, options);
  const boxes = await loadBillableBoxes(
    em,
    rows.map((r) => Number(r.id)),
  );
  return stockRotation(boxes, options.timeZone);
}

async function openLines(em: EntityManager, filter: MassAllocateFilter | null | undefined, ids?: number[]): Promise<PrebookLine[]> {
  // Only lines not yet billed in full, found in SQL first: a year of open prebooks billed long ago would
  // otherwise be loaded, their stock locked and their invoices' keys locked, on every run.
  const unfilled = await selectUnfilledLineIds(em, ids);
  const where: Record<string, unknown> = { prebook: { status: 'OPEN' }, unableToSource: false, id: { $in: unfilled } };
  // By code, or by name whatever its case, as everywhere else.
  if (filter?.customer)
    where.prebook = { ...(where.prebook as object), customer: await filterReferenceId(em, CustomerSchema, filter.customer, 'filter.customer') };
  if (filter?.product) where.product = await filterReferenceId(em, ProductSchema, filter.product, 'filter.product');
  if (filter?.truckDateFrom || filter?.truckDateTo)
    where.prebook = { ...(where.prebook as object), truckDate: dateRange(filter.truckDateFrom, filter.truckDateTo) };
  const lines = await em.find(PrebookLineSchema, where, { populate: POPULATE_LINE });
  return lines.sort((a, b) => a.prebook.truckDate.localeCompare(b.prebook.truckDate) || a.prebook.id - b.prebook.id || a.lineNo - b.lineNo);
}

/** Units of staged boxes already linked to each line: they will bill when confirmed. */
async function inTransitFor(em: EntityManager, lineIds: number[]): Promise<Map<number, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await selectStagedUnitsByLine(em, lineIds);
  return new Map(rows.map((r) => [Number(r.id), Number(r.units)]));
}

/**
 * Fills lines from stock, oldest truck date first: the customer's own unbilled
 * stock first, then open market, oldest received first. With `fill` (fillFromOpenMarket)
 * it may also link open-market boxes still in transit that arrive by the
 * line's truck date; those bill when confirmed.
 */
async function fillLines(
  ctx: RequestContext,
  em: EntityManager,
  lines: PrebookLine[],
  options: { dryRun: boolean; maxAgeDays?: number | null; fill: boolean; unitsWanted?: number | null },
): Promise<LineAllocation[]> {
  const settings = await getSettings(em);
  const run = new BillingRun(em, ctx, settings, { source: 'ALLOCATION', dryRun: options.dryRun, today: today(settings) });
  // Stock boxes first, then the lines, then invoices: the order every path locks them in (a scan locks its
  // boxes, then their lines), so a fill and a scan never wait on each other.
  const stock = await loadStock(em, [...new Set(lines.map((l) => l.product.id))], {
    maxAgeDays: options.maxAgeDays,
    staged: options.fill,
    today: today(settings),
    timeZone: settings.timeZone,
  });
  await run.prepare(
    lines,
    lines.map((l) => l.prebook.customer),
  );
  run.priceOpenMarketBy(await openMarketPrices(em, lines));
  const linked = options.fill
    ? await inTransitFor(
        em,
        lines.map((l) => l.id),
      )
    : new Map<number, number>();
  const stockByProduct = new Map<number, BillableBox[]>();
  for (const box of stock) {
    const list = stockByProduct.get(box.productId);
    if (list) list.push(box);
    else stockByProduct.set(box.productId, [box]);
  }
  const stockBoughtFor = new Map<number, BillableBox[]>();
  for (const box of stock)
    for (const { prebookLine } of box.demands) {
      const list = stockBoughtFor.get(prebookLine.id);
      if (list) list.push(box);
      else stockBoughtFor.set(prebookLine.id, [box]);
    }
  const needOf = await demandNeeds(em, run, stock, new Set(lines.map((l) => l.id)));
  // Every invoice these lines may go on, locked and loaded at once rather than line by line.
  // With the keys of the boxes bought for them, dated as their first billing dated them.
  const billable = lines.filter((line) => !lineRefusal(line));
  await run.lockAndLoad([
    ...billable.map((line) => ({ prebookLine: line, truckDate: line.prebook.truckDate })),
    ...billable.flatMap((line) =>
      (stockBoughtFor.get(line.id) ?? [])
        .filter((box) => box.status === 'IN_INVENTORY')
        .map((box) => ({ prebookLine: line, truckDate: itemTruckDate(box, line) })),
    ),
  ]);
  const results: LineAllocation[] = [];
  const billedBoxes = new Set<BillableBox>();
  for (const line of lines) {
    const result: LineAllocation = {
      prebookLine: line,
      allocated: 0,
      stillNeeded: run.stillNeeded(line),
      invoiceNumbers: [],
      linkedLabels: [],
      reason: null,
      message: null,
    };
    results.push(result);
    if (result.stillNeeded === 0) continue;
    const refusal = lineRefusal(line);
    if (refusal) {
      Object.assign(result, refusal);
      continue;
    }
    const productStock = stockByProduct.get(line.product.id) ?? [];
    const candidates = productStock.filter((box) => box.status === 'IN_INVENTORY' && fits(box, line) && ownedBy(box, line) !== 'other');
    const ordered = [...candidates.filter((b) => ownedBy(b, line) === 'own'), ...candidates.filter((b) => ownedBy(b, line) === 'open')];
    const items = takeFrom(run, line, ordered, needOf, options.unitsWanted);
    if (items.length) {
      result.invoiceNumbers = await bill(run, items);
      for (const item of items) billedBoxes.add(item.box);
      result.allocated = line.sellBy === 'BOX' ? items.length : items.reduce((sum, item) => sum + item.units, 0);
    }
    result.stillNeeded = run.stillNeeded(line);
    const unitsOf = (quantity: number) => (line.sellBy === 'BOX' ? quantity * line.unitsPerBox : quantity);
    let uncovered = unitsOf(result.stillNeeded) - (linked.get(line.id) ?? 0);
    if (options.fill) {
      for (const box of productStock) {
        if (uncovered <= 0) break;
        if (box.status !== 'STAGED' || box.demands.length > 0 || !fits(box, line) || box.arrivalDate > line.prebook.truckDate) continue;
        const units = line.sellBy === 'BOX' ? box.units : Math.min(uncovered, box.units);
        em.create(BoxDemandSchema, { box: em.getReference(BoxSchema, box.id), prebookLine: line, units });
        box.demands.push({ units, prebookLine: line });
        result.linkedLabels.push(box.label);
        uncovered -= units;
      }
    }
    if (result.stillNeeded > 0 && (!options.fill || uncovered > 0)) {
      result.reason = 'NO_MATCHING_STOCK';
      result.message = `${describe(line)}: no ${result.allocated || result.linkedLabels.length ? 'more ' : ''}matching stock for the ${result.stillNeeded} still needed`;
    }
  }
  await run.resolveIssues([...billedBoxes]);
  await run.finish();
  const billedLines = new Set(results.filter((r) => r.allocated > 0).map((r) => r.prebookLine.id));
  const released = releaseLeftovers(settings.releaseFulfilled, new Set([...billedLines].flatMap((id) => stockBoughtFor.get(id) ?? [])), needOf);
  await saveBillableBoxes(em, new Set([...billedBoxes, ...released]));
  return results;
}

export async function massAllocate(ctx: RequestContext, filter: MassAllocateFilter | null | undefined, dryRun: boolean): Promise<AllocationResult> {
  const maxAge = filter?.maxAgeDays;
  if (maxAge != null && (maxAge < 0 || maxAge > 3650)) {
    return { lines: [], errors: [userError('INVALID_VALUE', `maxAgeDays must be 0 to 3650, not ${maxAge}`, undefined, 'filter.maxAgeDays')] };
  }
  return inTransactionOrDryRun(ctx, dryRun, async (em) => {
    // A future-sales customer's prebooks are speculative buying, never invoiced: its lines are not filled.
    const lines = (await openLines(em, filter)).filter((line) => line.prebook.customer.kind !== 'FUTURE_SALES');
    const results = await fillLines(ctx, em, lines, { dryRun, maxAgeDays: filter?.maxAgeDays, fill: false });
    recordAudit(em, ctx.actor, 'mass-allocate', 'PrebookLine', 'many', { filter, allocated: results.filter((r) => r.allocated > 0).length });
    return { lines: results.filter((r) => r.allocated > 0 || r.reason), errors: [] };
  });
}

export async function fillFromOpenMarket(ctx: RequestContext, ids: string[], dryRun: boolean): Promise<AllocationResult> {
  return inTransactionOrDryRun(ctx, dryRun, async (em) => {
    const numeric = ids.map((id) => Number(id));
    const lines = await openLines(em, null, numeric.filter(Number.isSafeInteger));
    const found = new Set(lines.map((l) => l.id));
    const errors = numeric.flatMap((id, i) =>
      found.has(id) ? [] : [userError('NOT_FOUND', `Row ${i + 1}: no open prebook line ${ids[i]}`, i + 1, 'prebookLines')],
    );
    if (errors.length) return { lines: [], errors };
    const results = await fillLines(ctx, em, lines, { dryRun, fill: true });
    recordAudit(em, ctx.actor, 'fill-from-open-market', 'PrebookLine', 'many', { prebookLines: ids });
    return { lines: results, errors: [] };
  });
}
