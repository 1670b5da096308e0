// The Inventory sheet (pull coloured by age band, push of adjustments) and the Count sheet (scans pushed
// into a physical count, its report written back, closing it), over any TableIO.
import { ADJUST_INVENTORY, AGE_BANDS, CLOSE_COUNT, COUNT_REPORT, COUNT_SCAN, INVENTORY, START_COUNT } from '../api/documents';
import type {
  AdjustInventoryMutation,
  AgeBandsQuery,
  CloseCountMutation,
  CountReportQuery,
  CountScanMutation,
  StartCountMutation,
} from '../api/generated/operations';
import { idempotencyKey } from '../sheets/documents';
import { countOfSheet, reportRows, reportText, scannedAt, scansToSend, scanUpdates, writtenOffRows, type CountReportAnswer } from '../sheets/count.sheet';
import { adjustmentsOf, adjustmentUpdates, ageFill, inventoryRow, type InventoryBox } from '../sheets/inventory.sheet';
import { pullPages, type Page } from '../sheets/pull';
import type { RowUpdate } from '../sheets/tables';
import { intentOf, problemsOf, pushOutcome } from './outcome';
import type { Outcome, WorkflowContext } from './table-io';

/** What adjustInventory takes in one call. */
const MAX_ADJUSTMENTS = 1000;

const clean = (value?: string | null) => (value?.trim() ? value.trim() : undefined);

export interface InventoryFilter {
  location?: string;
  product?: string;
  customer?: string;
}

/** Every box in inventory matching the filter, one row each, filled by age band; the table's rows are replaced. */
export async function pullInventory(ctx: WorkflowContext, filter: InventoryFilter): Promise<Outcome> {
  await ctx.tables.read('Inventory');
  const { settings } = await ctx.api.request<AgeBandsQuery>(AGE_BANDS);
  const pulled = await pullPages<InventoryBox>(
    async (after) =>
      (
        await ctx.api.request<{ inventory: Page<InventoryBox> }>(INVENTORY, {
          filter: { location: clean(filter.location), product: clean(filter.product), customer: clean(filter.customer) },
          first: 500,
          after,
        })
      ).inventory,
    ctx.onProgress,
    ctx.signal,
  );
  if (pulled.cancelled)
    return {
      intent: 'warning',
      text: `Pull cancelled: nothing was written, the Inventory table is as it was (${pulled.nodes.length} of ${pulled.totalCount} fetched when it stopped).`,
      table: 'Inventory',
      problems: [],
    };
  const boxes = pulled.nodes;
  await ctx.tables.replace('Inventory', boxes.map(inventoryRow), { onProgress: ctx.onProgress, fills: boxes.map((box) => ageFill(box, settings.ageBands)) });
  const bands = new Map<string, number>();
  for (const box of boxes) {
    const band = box.ageBand ?? (box.ageDays < 0 ? 'in transit' : '?');
    bands.set(band, (bands.get(band) ?? 0) + 1);
  }
  const byBand = [...settings.ageBands.map((b) => b.name), 'in transit']
    .filter((b) => bands.has(b))
    .map((b) => (b === 'in transit' ? `${bands.get(b)} in transit` : `${bands.get(b)} aged ${b} days`));
  const aged = boxes.filter((box) => box.aged).length;
  return {
    intent: 'success',
    text: `${boxes.length} box(es) in inventory${byBand.length ? `: ${byBand.join(', ')}` : ''}.${aged ? ` ${aged} past their category's maximum age: proposed for dump.` : ''}`,
    table: 'Inventory',
    problems: [],
  };
}

/** Rows with Adjust Units and a Reason take the units out of their boxes, in one call: all or none. */
export async function pushAdjustments(ctx: WorkflowContext): Promise<Outcome> {
  const { settings } = await ctx.api.request<AgeBandsQuery>(AGE_BANDS);
  const snapshot = await ctx.tables.read('Inventory');
  const { items, invalid } = adjustmentsOf(snapshot.rows, { decimalSeparator: settings.decimalSeparator === ',' ? ',' : '.' });
  if (!items.length && !invalid.size)
    return { intent: 'warning', text: 'No row has Adjust Units and a Reason: nothing to adjust.', table: 'Inventory', problems: [] };
  if (items.length > MAX_ADJUSTMENTS)
    return {
      intent: 'error',
      text: `${items.length} rows have Adjust Units: at most ${MAX_ADJUSTMENTS} go in one push (they are adjusted all or none). Push them in parts.`,
      table: 'Inventory',
      problems: [],
    };
  let updates = new Map<number, RowUpdate>(invalid);
  if (invalid.size) {
    for (const item of items) updates.set(item.row, { Status: 'ERROR', Message: 'not adjusted: another row of this push has an error' });
  } else {
    // The box's units as the row shows them are in the key: the same adjustment typed again after the first went through is a new one.
    const units = new Map(snapshot.rows.map((row) => [row.row, row.values.Units]));
    const key = await idempotencyKey(
      'adjustInventory',
      items.map((item) => [item.input, units.get(item.row) ?? null]),
    );
    const data = await ctx.api.request<AdjustInventoryMutation>(ADJUST_INVENTORY, { input: items.map((item) => item.input), key });
    updates = adjustmentUpdates(items, snapshot.rows, data.adjustInventory);
  }
  // A row that went through keeps the colour of its age band (as its Age Band cell names it).
  const rowFills = new Map<number, string>();
  for (const row of snapshot.rows) {
    const band = String(row.values['Age Band'] ?? '').trim();
    const fill = ageFill({ ageBand: band === 'in transit' ? null : band || null, ageDays: band === 'in transit' ? -1 : 0 }, settings.ageBands);
    if (fill) rowFills.set(row.row, fill);
  }
  await ctx.tables.update('Inventory', snapshot, updates, { onProgress: ctx.onProgress, rowFills });
  return pushOutcome('Inventory', snapshot, updates);
}

export interface CountChoice {
  /** The count to scan into (CNT-000001). */
  count?: string;
  /** Start a count of this location, unless the sheet's count is an open one of it. */
  location?: string;
}

class CountError extends Error {}

async function reportOf(ctx: WorkflowContext, number: string): Promise<CountReportAnswer | null> {
  return (await ctx.api.request<CountReportQuery>(COUNT_REPORT, { count: number })).countReport as CountReportAnswer | null;
}

/** The count a push goes into: the one named, the sheet's own if open (and at the location named), or a new one of the location. */
async function countFor(ctx: WorkflowContext, choice: CountChoice, sheetCount: string | null): Promise<{ number: string; started: boolean }> {
  const named = clean(choice.count)?.toUpperCase();
  if (named) return { number: named, started: false };
  const location = clean(choice.location);
  let why = 'Say which count: a location to start one (the boxes in inventory there now are the ones expected), or the number of an open count.';
  if (sheetCount) {
    const report = await reportOf(ctx, sheetCount);
    const same = !location || report?.count.location.code.toUpperCase() === location.toUpperCase();
    if (report?.count.status === 'OPEN' && same) return { number: sheetCount, started: false };
    why = `${sheetCount}, the Count # of this sheet, ${report ? 'is closed' : 'is no count'}: give a location to start a new count (or an open count's number).`;
  }
  if (!location) throw new CountError(why);
  const data = await ctx.api.request<StartCountMutation>(START_COUNT, { location });
  const error = data.startCount.errors[0];
  if (!data.startCount.count) throw new CountError(`Location "${location}": ${error?.message ?? 'no count started'}`);
  return { number: data.startCount.count.number, started: true };
}

/** Writes a count's report into the sheet (its findings per scanned row, a row per box missing). */
async function writeReport(ctx: WorkflowContext, number: string, scanned: Map<number, RowUpdate>, lead: string): Promise<Outcome> {
  const report = await reportOf(ctx, number);
  const snapshot = await ctx.tables.read('Count');
  if (!report) throw new CountError(`No count has the number ${number}.`);
  const { updates, remove, append } = reportRows(snapshot.rows, report, scanned);
  await ctx.tables.update('Count', snapshot, updates, { onProgress: ctx.onProgress });
  if (remove.length) await ctx.tables.remove('Count', remove);
  if (append.length) await ctx.tables.append('Count', append);
  const errors = [...updates.values()].filter((u) => u.Result === 'ERROR').length;
  return {
    intent: intentOf(updates.size - errors, errors),
    text: `${lead}${reportText(report)}${errors ? ` ${errors} row(s) with errors.` : ''}`,
    table: 'Count',
    problems: problemsOf(snapshot, updates),
  };
}

/**
 * Sends the labels not yet pushed into the count (idempotent per label: a label scanned twice, here or by
 * another counter, counts once), then writes the count's report into the sheet.
 */
export async function pushCount(ctx: WorkflowContext, choice: CountChoice, now = new Date()): Promise<Outcome> {
  try {
    const snapshot = await ctx.tables.read('Count');
    const { scans, invalid } = scansToSend(snapshot.rows);
    const { number, started } = await countFor(ctx, choice, countOfSheet(snapshot.rows));
    const outcomes = new Map<string, 'SCANNED' | 'ALREADY_SCANNED'>();
    const labels = [...new Set(scans.map((s) => s.label))];
    for (let i = 0; i < labels.length; i += 500) {
      const data = await ctx.api.request<CountScanMutation>(COUNT_SCAN, { count: number, labels: labels.slice(i, i + 500) });
      const error = data.countScan.errors[0];
      if (error) throw new CountError(`${number}: ${error.message}${i ? ` (the first ${i} label(s) were recorded; push again to send the rest)` : ''}`);
      for (const result of data.countScan.results) outcomes.set(result.label, result.outcome);
      ctx.onProgress?.(Math.min(i + 500, labels.length), labels.length);
    }
    const updates = new Map([...scanUpdates(scans, snapshot.rows, number, outcomes, scannedAt(now)), ...invalid]);
    const sent = labels.length ? `${labels.length} label(s) sent to ${number}${started ? ' (started now)' : ''}. ` : `No new label to send. `;
    return await writeReport(ctx, number, updates, sent);
  } catch (error) {
    if (error instanceof CountError) return { intent: 'error', text: error.message, table: 'Count', problems: [] };
    throw error;
  }
}

/** The report of the sheet's count (or the one named) again, without sending anything. */
export async function refreshCountReport(ctx: WorkflowContext, choice: Pick<CountChoice, 'count'>): Promise<Outcome> {
  try {
    const number = clean(choice.count)?.toUpperCase() ?? countOfSheet((await ctx.tables.read('Count')).rows);
    if (!number) throw new CountError('No row of the Count sheet has a Count #: push the scans first, or name the count.');
    return await writeReport(ctx, number, new Map(), '');
  } catch (error) {
    if (error instanceof CountError) return { intent: 'error', text: error.message, table: 'Count', problems: [] };
    throw error;
  }
}

/** Closes the count; with applyMissingAs, every missing box is adjusted out with that reason, in one transaction. */
export async function closeCount(ctx: WorkflowContext, choice: Pick<CountChoice, 'count'> & { applyMissingAs?: string | null }): Promise<Outcome> {
  try {
    const number = clean(choice.count)?.toUpperCase() ?? countOfSheet((await ctx.tables.read('Count')).rows);
    if (!number) throw new CountError('No row of the Count sheet has a Count #: name the count to close.');
    const reason = clean(choice.applyMissingAs)?.toUpperCase() ?? null;
    const data = await ctx.api.request<CloseCountMutation>(CLOSE_COUNT, { count: number, options: { applyMissingAs: reason } });
    const error = data.closeCount.errors[0];
    if (error || !data.closeCount.count) throw new CountError(`${number}: ${error?.message ?? 'not closed'}`);
    const adjusted = data.closeCount.adjustments;
    const units = adjusted.reduce((sum, a) => sum + a.units, 0);
    const lead = reason
      ? `${number} closed: ${adjusted.length} missing box(es), ${units} unit(s), adjusted out as ${reason}. `
      : `${number} closed without adjusting the missing boxes. `;
    const snapshot = await ctx.tables.read('Count');
    const written = writtenOffRows(snapshot.rows, number, adjusted);
    if (written.updates.size) await ctx.tables.update('Count', snapshot, written.updates);
    if (written.append.length) await ctx.tables.append('Count', written.append);
    return await writeReport(ctx, number, new Map(), lead);
  } catch (error) {
    if (error instanceof CountError) return { intent: 'error', text: error.message, table: 'Count', problems: [] };
    throw error;
  }
}
