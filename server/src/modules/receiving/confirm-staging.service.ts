import type { RequestContext } from '../../common/request-context';
import { inTransactionOrDryRun } from '../../common/dry-run';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type ErrorCode, type UserError } from '../../common/user-error';
import type { ConfirmStagingInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { autoBill, releaseFulfilledBoxes, type BoxBilling } from '../billing/billing.service';
import { rememberAutoBillingMode } from '../billing/box-billing.view';
import { lockBillableBoxes, saveBillableBoxes, type BillableBox } from '../box/billable-box';
import { BoxSchema, type Box } from '../box/box.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { PurchaseOrderSchema } from '../purchase-order/purchase-order.entity';
import { refreshPurchaseOrderStatusesAfterConfirmation, settlePurchaseOrderStatuses } from '../purchase-order/purchase-order-status.service';
import { getSettings } from '../settings/settings.service';
import { billsOn, confirmBox } from './box-confirmation';
import { selectStagedLabelsOfPurchaseOrders } from './receiving.repository';
import { POPULATE_BOX } from './staging-inventory.service';

// confirmStaging: boxes (by label, or every staged box of purchase orders) move from staging into
// inventory, and are billed when automatic billing runs on confirmation.

export interface BoxResult {
  label: string;
  outcome: 'CONFIRMED' | 'ERROR';
  code: ErrorCode | null;
  message: string | null;
  boxId: number | null;
  /** The box as the call left it; when absent, read by id once the call has committed. */
  box?: Box | null;
  /** Automatic billing of the box, when it ran. */
  billing: BoxBilling | null;
}

/** Labels a confirmation handles at once: one call's worth of labels is never split. */
const CONFIRM_CHUNK = MAX_UPSERT_ITEMS;

export async function confirmStaging(
  ctx: RequestContext,
  input: ConfirmStagingInput,
  idempotencyKey?: string | null,
  /** Labels handled at once (tests make it small to cover the slices without 10,000 boxes). */
  chunkSize = CONFIRM_CHUNK,
): Promise<{ results: BoxResult[]; errors: UserError[]; replayed: boolean }> {
  if ((input.labels?.length ?? 0) > MAX_UPSERT_ITEMS) {
    return { results: [], errors: [userError('TOO_MANY_ITEMS', `A call confirms at most ${MAX_UPSERT_ITEMS} labels; split it.`)], replayed: false };
  }
  const dryRun = input.dryRun ?? false;
  // Orders this confirmation left SHIPPED that concurrent ones may have finished: settled after the commit.
  let unsettled: number[] = [];
  const answer = await inTransactionOrDryRun(ctx, dryRun, async (em) => {
    unsettled = [];
    const claim = dryRun
      ? { replayed: false as const, claimed: false }
      : await claimIdempotencyKey<{ results: Array<Omit<BoxResult, 'box'>>; errors: UserError[] }>(ctx, em, 'confirmStaging', idempotencyKey, input);
    if ('conflict' in claim) return { results: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const boxes = await em.find(BoxSchema, { label: { $in: claim.response.results.map((r) => r.label) } }, { populate: POPULATE_BOX });
      const byLabel = new Map(boxes.map((b) => [b.label, b]));
      return {
        results: claim.response.results.map((r) => ({ ...r, boxId: byLabel.get(r.label)?.id ?? null, box: byLabel.get(r.label) ?? null })),
        errors: claim.response.errors,
        replayed: true,
      };
    }

    const errors: UserError[] = [];
    const labels = (input.labels ?? []).map((l) => l.trim());
    const poNumbers = (input.purchaseOrders ?? []).map((n) => n.trim().toUpperCase());
    if (!labels.length && !poNumbers.length) errors.push(userError('REQUIRED', 'give labels or purchaseOrders', undefined, 'labels'));
    if (poNumbers.length) {
      const found = await em.find(PurchaseOrderSchema, { number: { $in: poNumbers } });
      const known = new Set(found.map((po) => po.number));
      poNumbers.forEach((number, i) => {
        if (!known.has(number)) errors.push(userError('NOT_FOUND', `Row ${i + 1}: no purchase order ${number}`, i + 1, `purchaseOrders.${i + 1}`));
      });
      const staged = await selectStagedLabelsOfPurchaseOrders(em, poNumbers);
      const listed = new Set(labels);
      labels.push(...staged.map((r) => r.label).filter((label) => !listed.has(label)));
    }

    const results: BoxResult[] = [];
    const seen = new Set<string>();
    const confirmedLabels: string[] = [];
    let confirmedId: number | null = null;
    const purchaseOrderIds = new Set<number>();
    const now = new Date();
    // Past one call's worth of labels (only purchase orders give that many, their boxes in id order), the
    // labels go in slices, each written and dropped from the session before the next: the same result in
    // the same transaction, without holding every box, line and invoice of the call in memory at once.
    const chunked = labels.length > chunkSize;
    for (let start = 0; start < labels.length; start += chunkSize) {
      const chunk = labels.slice(start, start + chunkSize);
      const boxes = await lockBillableBoxes(em, chunk, { onlyStaged: true });
      const chunkResults: BoxResult[] = [];
      const confirmed: BillableBox[] = [];
      // Made once, not per label: under tsx every closure made is also named (a defineProperty), ten thousand times here.
      const fail = (label: string, box: BillableBox | undefined, code: ErrorCode, message: string) =>
        chunkResults.push({ label, outcome: 'ERROR', code, message, boxId: box?.id ?? null, billing: null });
      for (const label of chunk) {
        const box = boxes.get(label);
        if (seen.has(label)) {
          fail(label, box, 'DUPLICATE_LABEL', `${label} is listed twice`);
          continue;
        }
        seen.add(label);
        if (!box) {
          fail(label, box, 'NOT_FOUND', `no box ${label}`);
        } else if (box.status !== 'STAGED') {
          fail(label, box, 'INVALID_STATUS', `${label} is ${box.status}, not in staging: nothing changed`);
        } else {
          confirmBox(box, now);
          confirmed.push(box);
          chunkResults.push({ label, outcome: 'CONFIRMED', code: null, message: null, boxId: box.id, billing: null });
        }
      }
      const settings = await getSettings(em);
      rememberAutoBillingMode(ctx, settings.autoBilling);
      if (billsOn(settings, 'confirmation')) {
        const billing = await autoBill(em, ctx, settings, confirmed, { dryRun });
        for (const result of chunkResults) result.billing = billing.get(result.label) ?? null;
      } else {
        const released = await releaseFulfilledBoxes(em, ctx, settings, confirmed);
        for (const result of chunkResults) result.billing = released.get(result.label) ?? null;
      }
      await saveBillableBoxes(em, boxes.values());
      for (const box of confirmed) {
        confirmedLabels.push(box.label);
        confirmedId ??= box.id;
        purchaseOrderIds.add(box.purchaseOrderId);
      }
      results.push(...chunkResults);
      if (chunked) {
        await em.flush();
        em.clear();
      }
    }
    unsettled = (await refreshPurchaseOrderStatusesAfterConfirmation(em, [...purchaseOrderIds])).unsettled;
    if (confirmedLabels.length)
      recordAudit(em, ctx.actor, 'confirm-staging', 'Box', confirmedLabels.length === 1 ? confirmedId! : 'many', { labels: confirmedLabels });
    if (claim.claimed) {
      await storeIdempotentResponse(em, ctx, idempotencyKey!, { results: results.map(({ box: _box, boxId: _id, ...rest }) => rest), errors });
    }
    if (dryRun) {
      // Nothing will be committed: show the boxes as the confirmation would leave them, read before the rollback.
      const shown = await em.find(BoxSchema, { id: { $in: results.flatMap((r) => (r.boxId ? [r.boxId] : [])) } }, { populate: POPULATE_BOX, refresh: true });
      const byId = new Map(shown.map((box) => [box.id, box]));
      for (const result of results) result.box = result.boxId ? (byId.get(result.boxId) ?? null) : null;
    }
    return { results, errors, replayed: false };
  });
  if (!dryRun) await settlePurchaseOrderStatuses(ctx, unsettled);
  return answer;
}

/** The confirmStaging payload: its results with their counts. */
export function withSummary<P extends { results: BoxResult[] }>(payload: P) {
  const confirmed = payload.results.filter((r) => r.outcome === 'CONFIRMED');
  const summary = {
    confirmed: confirmed.length,
    failed: payload.results.length - confirmed.length,
    billed: confirmed.filter((r) => r.billing?.invoiceNumbers.length).length,
    issues: confirmed.filter((r) => r.billing?.issue).length,
    invoices: new Set(payload.results.flatMap((r) => r.billing?.invoiceNumbers ?? [])).size,
  };
  return { ...payload, summary };
}
