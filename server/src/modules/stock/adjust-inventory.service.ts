// Taking units out of boxes by hand (dumps, shrink, donations, samples), and the write every adjustment
// shares with a count's close (docs/maintainers.md#adjustments-and-counts).
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { multiplyDecimal } from '../../common/decimal';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { AdjustInventoryInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { BoxSchema, type Box } from '../box/box.entity';
import { ADJUSTMENT_REASONS, InventoryAdjustmentSchema, type AdjustmentReason, type Count, type InventoryAdjustment } from './stock.entity';

export const MAX_ADJUSTMENTS = 1000;

/** One adjustment to write: a locked box in inventory and units it has. */
export interface AdjustmentToWrite {
  box: Box;
  units: number;
  reason: AdjustmentReason;
  note: string | null;
  count?: Count;
}

/**
 * Locks the boxes with these labels, in id order (docs/maintainers.md#lock-order: boxes first), and
 * returns them by label.
 */
export async function lockBoxesByLabel(em: EntityManager, labels: readonly string[]): Promise<Map<string, Box>> {
  if (labels.length === 0) return new Map();
  const boxes = await em.find(BoxSchema, { label: { $in: [...labels] } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
  return new Map(boxes.map((box) => [box.label, box]));
}

/**
 * Writes adjustments of locked boxes: units out of each box at its landed unit cost, a box left with no unit
 * VOID, one audit event per box; the box rows' update puts each box in the change feed.
 */
export function writeAdjustments(em: EntityManager, ctx: RequestContext, items: readonly AdjustmentToWrite[]): InventoryAdjustment[] {
  const actor = actorLabel(ctx.actor);
  return items.map(({ box, units, reason, note, count }) => {
    box.unitsRemaining -= units;
    if (box.unitsRemaining === 0) box.status = 'VOID';
    const adjustment = em.create(InventoryAdjustmentSchema, {
      box,
      units,
      unitCost: box.landedUnitCost,
      value: multiplyDecimal(box.landedUnitCost, units),
      reason,
      note,
      count: count ?? null,
      actor,
    });
    recordAudit(em, ctx.actor, 'adjust', 'Box', box.id, {
      label: box.label,
      units,
      reason,
      note,
      count: count?.number ?? null,
      unitsRemaining: box.unitsRemaining,
    });
    return adjustment;
  });
}

/** Why a box cannot be adjusted, or null when it is in inventory. */
export function notAdjustable(box: Pick<Box, 'label' | 'status'>): string | null {
  switch (box.status) {
    case 'IN_INVENTORY':
      return null;
    case 'STAGED':
      return `${box.label} is still staged: confirm it into inventory before adjusting it`;
    case 'INVOICED':
      return `${box.label} is invoiced: its units are on an invoice; void or credit the invoice instead`;
    case 'VOID':
      return `${box.label} is void: it has no units left to adjust`;
  }
  return `${box.label} is ${String(box.status)}: only a box in inventory can be adjusted`;
}

interface CheckedItem {
  label: string;
  unitsRemoved?: number;
  countedUnits?: number;
  reason: AdjustmentReason;
  note: string | null;
}

function checkItem(v: RowValidator, item: AdjustInventoryInput): CheckedItem | undefined {
  const label = item.label?.trim();
  if (!label) v.fail('REQUIRED', 'label', 'label is required');
  const reason = v.oneOf('reason', item.reason, ADJUSTMENT_REASONS, { required: true });
  const note = v.optionalText('note', item.note, { max: 500, nullable: true }) ?? null;
  const given = [item.unitsRemoved, item.countedUnits].filter((value) => value != null).length;
  if (given !== 1) v.fail('INVALID_VALUE', 'unitsRemoved', 'give either unitsRemoved or countedUnits, not both and not neither');
  const unitsRemoved = item.unitsRemoved == null ? undefined : (v.integer('unitsRemoved', item.unitsRemoved, { required: true, min: 1 }) ?? undefined);
  const countedUnits = item.countedUnits == null ? undefined : (v.integer('countedUnits', item.countedUnits, { required: true, min: 0 }) ?? undefined);
  if (!v.ok || !label || !reason) return undefined;
  return { label, unitsRemoved, countedUnits, reason, note };
}

/** The units an item takes out of its box, or undefined (with the error) when the box cannot give them. */
function unitsToRemove(v: RowValidator, item: CheckedItem, box: Box): number | undefined {
  const problem = notAdjustable(box);
  if (problem) return v.fail('BOX_NOT_ADJUSTABLE', 'label', problem);
  const has = box.unitsRemaining;
  if (item.unitsRemoved !== undefined) {
    if (item.unitsRemoved > has) return v.fail('EXCEEDS_UNITS', 'unitsRemoved', `${box.label} has ${has} units; ${item.unitsRemoved} cannot be removed`);
    return item.unitsRemoved;
  }
  const counted = item.countedUnits!;
  if (counted > has) return v.fail('EXCEEDS_UNITS', 'countedUnits', `${box.label} has ${has} units in inventory, fewer than the ${counted} counted`);
  if (counted === has) return v.fail('INVALID_VALUE', 'countedUnits', `${box.label} already has ${has} units: nothing to adjust`);
  return has - counted;
}

/**
 * Takes units out of boxes in inventory, each with a reason: the whole list or nothing. Boxes are locked
 * before they are checked, so the units checked are the units written.
 */
export interface AdjustResult {
  adjustments: InventoryAdjustment[];
  errors: UserError[];
  replayed: boolean;
}

/** What a retry with the same idempotency key answers: the adjustments the first call made, or its errors. */
interface StoredAdjustResult {
  adjustmentIds: number[];
  errors: UserError[];
}

export async function adjustInventory(ctx: RequestContext, input: AdjustInventoryInput[], idempotencyKey?: string | null): Promise<AdjustResult> {
  if (input.length > MAX_ADJUSTMENTS) {
    const tooMany = userError('TOO_MANY_ITEMS', `adjustInventory takes at most ${MAX_ADJUSTMENTS} boxes; this call has ${input.length}. Split it.`);
    return { adjustments: [], errors: [tooMany], replayed: false };
  }
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<StoredAdjustResult>(ctx, em, 'adjustInventory', idempotencyKey, input);
    if ('conflict' in claim) return { adjustments: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const { adjustmentIds, errors } = claim.response;
      const found = await em.find(InventoryAdjustmentSchema, { id: { $in: adjustmentIds } }, { populate: ['box'] });
      const byId = new Map(found.map((adjustment) => [adjustment.id, adjustment]));
      return { adjustments: adjustmentIds.flatMap((id) => byId.get(id) ?? []), errors, replayed: true };
    }
    const result = await adjust(em, ctx, input);
    if (claim.claimed) {
      const stored: StoredAdjustResult = { adjustmentIds: result.adjustments.map((adjustment) => adjustment.id), errors: result.errors };
      await storeIdempotentResponse(em, ctx, idempotencyKey!, stored);
    }
    return { ...result, replayed: false };
  });
}

async function adjust(em: EntityManager, ctx: RequestContext, input: AdjustInventoryInput[]): Promise<Omit<AdjustResult, 'replayed'>> {
  const validators = input.map((_, index) => new RowValidator(index + 1));
  const checked = input.map((item, index) => checkItem(validators[index], item));
  const firstRow = new Map<string, number>();
  checked.forEach((item, index) => {
    if (!item) return;
    const first = firstRow.get(item.label);
    if (first !== undefined) validators[index].fail('DUPLICATE_LABEL', 'label', `${item.label} is already adjusted by row ${first} of this list`);
    else firstRow.set(item.label, index + 1);
  });
  const errorsOf = () => validators.flatMap((v) => v.errors);
  if (errorsOf().length) return { adjustments: [], errors: errorsOf() };

  const boxes = await lockBoxesByLabel(em, [...firstRow.keys()]);
  const items: AdjustmentToWrite[] = [];
  checked.forEach((item, index) => {
    const v = validators[index];
    const box = boxes.get(item!.label);
    if (!box) return v.fail('UNKNOWN_BOX', 'label', `no box has the label ${item!.label}`);
    const units = unitsToRemove(v, item!, box);
    if (units !== undefined) items.push({ box, units, reason: item!.reason, note: item!.note });
  });
  if (errorsOf().length) return { adjustments: [], errors: errorsOf() };
  const adjustments = writeAdjustments(em, ctx, items);
  await em.flush();
  return { adjustments, errors: [] };
}
