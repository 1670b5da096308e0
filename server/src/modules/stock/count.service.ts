// Physical counts: start one for a location, scan labels into it (idempotent per label, any number of
// counters at once), read its discrepancies, close it (docs/maintainers.md#adjustments-and-counts).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { multiplyDecimal } from '../../common/decimal';
import { checkReference, loadReferences } from '../../common/references';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { CloseCountInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxSchema } from '../box/box.entity';
import { LocationSchema } from '../location/location.entity';
import { ProductSchema, type Product } from '../product/product.entity';
import { requestSettings } from '../settings/settings.service';
import { today } from '../../common/today';
import { writeAdjustments, type AdjustmentToWrite } from './adjust-inventory.service';
import { missingAction, scannedFinding, type CountFinding } from './count-findings';
import { insertExpectedBoxes, insertScans, selectMissingBoxes, selectScannedLabels } from './stock.repository';
import { CountSchema, type Count, type InventoryAdjustment } from './stock.entity';

export interface CountResult {
  count: Count | null;
  adjustments: InventoryAdjustment[];
  errors: UserError[];
}

const notFound = (number: string): UserError => userError('NOT_FOUND', `no count has the number ${number.trim().slice(0, 40)}`, undefined, 'count');
const closed = (count: Count): UserError =>
  userError('COUNT_CLOSED', `${count.number} is closed: it takes no more scans and cannot be closed again`, undefined, 'count');

/** Starts a count of a location: the boxes in inventory there (arrived by today) are the boxes expected. */
export async function startCount(ctx: RequestContext, location: string): Promise<CountResult> {
  const v = new RowValidator(null);
  const lookup = await loadReferences(ctx.em, LocationSchema, [location]);
  const found = checkReference(v, 'location', location, lookup, { label: 'location', unknown: 'UNKNOWN_LOCATION', required: true });
  if (!found) return { count: null, adjustments: [], errors: v.errors };
  const settings = await requestSettings(ctx.em);
  return inTransaction(ctx, async (em) => {
    const [number] = await nextDocumentNumbers(em, 'CNT', 1);
    const count = em.create(CountSchema, { number, location: em.getReference(LocationSchema, found.id), startedBy: actorLabel(ctx.actor) });
    await em.flush();
    const expected = await insertExpectedBoxes(em, count.id, found.id, today(settings), settings.timeZone);
    recordAudit(em, ctx.actor, 'start', 'Count', count.id, { number, location: found.code, expected });
    await em.flush();
    return { count, adjustments: [], errors: [] };
  });
}

/** A count by number, locked: shared by scans (which then run side by side), exclusive by a close. */
async function lockCount(em: EntityManager, number: string, mode: LockMode): Promise<Count | null> {
  return em.findOne(CountSchema, { number: number.trim().toUpperCase() }, { lockMode: mode });
}

export interface CountScanResult {
  count: Count | null;
  results: Array<{ label: string; outcome: 'SCANNED' | 'ALREADY_SCANNED' }>;
  errors: UserError[];
}

/**
 * Records labels scanned in an open count. A label counts once, whoever scans it first: a repeated scan, in
 * the same call or by another counter at the same moment, is ALREADY_SCANNED and changes nothing.
 */
export async function countScan(ctx: RequestContext, number: string, labels: string[]): Promise<CountScanResult> {
  const blank = labels.findIndex((label) => !label.trim());
  if (blank >= 0) return { count: null, results: [], errors: [userError('REQUIRED', `Row ${blank + 1}: a scanned label is blank`, blank + 1, 'labels')] };
  const long = labels.findIndex((label) => label.trim().length > 60);
  if (long >= 0)
    return { count: null, results: [], errors: [userError('INVALID_VALUE', `Row ${long + 1}: a label has at most 60 characters`, long + 1, 'labels')] };
  const distinct = [...new Set(labels.map((label) => label.trim()))];
  return inTransaction(ctx, async (em) => {
    const count = await lockCount(em, number, LockMode.PESSIMISTIC_READ);
    if (!count) return { count: null, results: [], errors: [notFound(number)] };
    if (count.status === 'CLOSED') return { count: null, results: [], errors: [closed(count)] };
    const added = new Set(await insertScans(em, count.id, distinct, actorLabel(ctx.actor)));
    return { count, results: distinct.map((label) => ({ label, outcome: added.has(label) ? 'SCANNED' : 'ALREADY_SCANNED' })), errors: [] };
  });
}

export interface CountReportLineView {
  label: string;
  finding: CountFinding;
  product: Product | null;
  units: number | null;
  value: string | null;
  invoiceNumber: string | null;
  action: string;
}

export interface CountReportView {
  count: Count;
  matched: number;
  missing: CountReportLineView[];
  unexpected: CountReportLineView[];
}

async function discrepancies(em: EntityManager, count: Count): Promise<Omit<CountReportView, 'count'>> {
  const locationId = count.location.id;
  const [missingRows, scanned] = await Promise.all([selectMissingBoxes(em, count.id, locationId), selectScannedLabels(em, count.id)]);
  const product = (id: number | null) => (id === null ? null : em.getReference(ProductSchema, id));
  const missing = missingRows.map((row) => ({
    label: row.label,
    finding: 'MISSING' as const,
    product: product(row.product_id),
    units: row.units_remaining,
    value: multiplyDecimal(row.landed_unit_cost, row.units_remaining),
    invoiceNumber: null,
    action: missingAction(),
  }));
  let matched = 0;
  const unexpected: CountReportLineView[] = [];
  for (const row of scanned) {
    const finding = scannedFinding(
      {
        status: row.status,
        locationId: row.location_id,
        locationCode: row.location_code,
        shippedOut: row.shipped_out_at !== null,
        invoiceNumber: row.invoice_number,
      },
      locationId,
    );
    if (!finding) {
      matched++;
      continue;
    }
    const known = row.box_id !== null;
    unexpected.push({
      label: row.label,
      ...finding,
      product: product(row.product_id),
      units: known ? row.units_remaining : null,
      value: known && row.landed_unit_cost !== null ? multiplyDecimal(row.landed_unit_cost, row.units_remaining ?? 0) : null,
      invoiceNumber: row.invoice_number,
    });
  }
  return { matched, missing, unexpected };
}

/** A count's discrepancies now: boxes expected and not scanned, labels scanned that are not in inventory here. */
export async function countReport(ctx: RequestContext, number: string): Promise<CountReportView | null> {
  const count = await ctx.em.findOne(CountSchema, { number: number.trim().toUpperCase() });
  if (!count) return null;
  return { count, ...(await discrepancies(ctx.em, count)) };
}

/**
 * Closes a count. With applyMissingAs, every box still missing (expected, in inventory here, not scanned)
 * is adjusted out of inventory with that reason, in the same transaction, under the locks of the count and
 * then the boxes.
 */
export async function closeCount(ctx: RequestContext, number: string, options: CloseCountInput | null | undefined): Promise<CountResult> {
  const v = new RowValidator(null);
  const note = v.optionalText('note', options?.note, { max: 500, nullable: true }) ?? null;
  if (!v.ok) return { count: null, adjustments: [], errors: v.errors };
  return inTransaction(ctx, async (em) => {
    const count = await lockCount(em, number, LockMode.PESSIMISTIC_WRITE);
    if (!count) return { count: null, adjustments: [], errors: [notFound(number)] };
    if (count.status === 'CLOSED') return { count: null, adjustments: [], errors: [closed(count)] };
    let adjustments: InventoryAdjustment[] = [];
    const reason = options?.applyMissingAs;
    if (reason) {
      const missing = await selectMissingBoxes(em, count.id, count.location.id);
      const boxes = missing.length
        ? await em.find(BoxSchema, { id: { $in: missing.map((row) => row.box_id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } })
        : [];
      // Read again under the lock: a box sold or moved since the report is not missing any more.
      const items: AdjustmentToWrite[] = boxes
        .filter((box) => box.status === 'IN_INVENTORY' && box.location.id === count.location.id && box.unitsRemaining > 0)
        .map((box) => ({ box, units: box.unitsRemaining, reason, note, count }));
      adjustments = writeAdjustments(em, ctx, items);
    }
    Object.assign(count, { status: 'CLOSED', closedBy: actorLabel(ctx.actor), closedAt: new Date() });
    recordAudit(em, ctx.actor, 'close', 'Count', count.id, { number: count.number, applyMissingAs: reason ?? null, adjusted: adjustments.length });
    await em.flush();
    return { count, adjustments, errors: [] };
  });
}
