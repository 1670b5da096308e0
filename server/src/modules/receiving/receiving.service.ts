import type { EntityManager } from '@mikro-orm/postgresql';
import { allocateScaled, divRound, landedUnitCost, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransactionOrDryRun } from '../../common/dry-run';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type ErrorCode, type UserError } from '../../common/user-error';
import type { ConfirmStagingInput, ScanKind, ShipPurchaseOrderInput } from '../../generated/graphql';
import { recordAudit, recordAudits } from '../audit/audit.service';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { checkDate } from '../prebook/order-line.validation';
import type { PrebookLine } from '../prebook/prebook.entity';
import { PurchaseOrderSchema, type PurchaseOrder, type PurchaseOrderLine } from '../purchase-order/purchase-order.entity';
import {
  refreshPurchaseOrderStatus,
  refreshPurchaseOrderStatusesAfterConfirmation,
  settlePurchaseOrderStatuses,
} from '../purchase-order/purchase-order-status.service';
import { lockPurchaseOrders, POPULATE_PURCHASE_ORDER } from '../purchase-order/purchase-order.service';
import { getSettings } from '../settings/settings.service';
import type { Settings } from '../settings/settings.entity';
import { BoxSchema, ShipmentSchema, type Box, type Shipment } from '../box/box.entity';
import { ShippingLabelSchema } from '../billing/billing-issue.entity';
import { autoBill, releaseFulfilledBoxes, type BoxBilling } from '../billing/billing.service';
import { rememberAutoBillingMode } from '../billing/box-billing.view';
import { billsOn as billsOnMode, type BillingEvent } from '../billing/billing-rules';
import { lockBillableBoxes, saveBillableBoxes, type BillableBox } from '../box/billable-box';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import {
  insertBoxDemands,
  insertBoxes,
  selectCarriedUnits,
  selectLiveInvoiceNumbersOfBoxes,
  selectShippedBoxCounts,
  selectStagedLabelsOfPurchaseOrders,
} from './receiving.repository';

export const POPULATE_BOX = [
  'product',
  'boxType',
  'location',
  'customer',
  'prebookLine',
  'prebookLine.prebook',
  'shipment',
  'purchaseOrderLine',
  'purchaseOrderLine.purchaseOrder',
  'purchaseOrderLine.purchaseOrder.vendor',
  'purchaseOrderLine.purchaseOrder.customer',
  'demands',
  'demands.prebookLine',
  'demands.prebookLine.prebook',
  'demands.prebookLine.prebook.customer',
] as const;

const MAX_LABEL_LENGTH = 60;

/** Boxes already shipped per PO line. */
async function shippedBoxes(em: EntityManager, lineIds: number[]): Promise<Map<number, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await selectShippedBoxCounts(em, lineIds);
  return new Map(rows.map((r) => [Number(r.id), Number(r.n)]));
}

/** Units of each prebook line already carried by earlier boxes, per PO line: `${poLineId}:${prebookLineId}`. */
async function carriedUnits(em: EntityManager, lineIds: number[]): Promise<Map<string, number>> {
  if (lineIds.length === 0) return new Map();
  const rows = await selectCarriedUnits(em, lineIds);
  return new Map(rows.map((r) => [`${r.line_id}:${r.id}`, Number(r.units)]));
}

/** Which prebook lines each new box of a PO line serves: the line's links, filled box by box in order. */
function planDemands(line: PurchaseOrderLine, boxCount: number, carried: Map<string, number>): Array<Array<{ prebookLine: PrebookLine; units: number }>> {
  const remaining = [...line.links.getItems()]
    .sort((a, b) => a.id - b.id)
    .map((link) => ({
      prebookLine: link.prebookLine,
      left: (link.boxes != null ? link.boxes * line.unitsPerBox : (link.units ?? 0)) - (carried.get(`${line.id}:${link.prebookLine.id}`) ?? 0),
    }));
  return Array.from({ length: boxCount }, () => {
    let capacity = line.unitsPerBox;
    const demands: Array<{ prebookLine: PrebookLine; units: number }> = [];
    for (const need of remaining) {
      if (capacity === 0) break;
      const units = Math.min(capacity, Math.max(0, need.left));
      if (units === 0) continue;
      demands.push({ prebookLine: need.prebookLine, units });
      need.left -= units;
      capacity -= units;
    }
    return demands;
  });
}

function dutyPercent(settings: Settings, port: string): string {
  return settings.dutyPercentByPort.find((duty) => duty.port === port)?.percent ?? '0';
}

export interface ShipResult {
  shipment: Shipment | null;
  /** The shipment's boxes, in id order; when absent, read by id once the call has committed (only if asked for). */
  boxes?: Box[];
  boxIds: number[];
  purchaseOrder: PurchaseOrder | null;
  errors: UserError[];
  replayed: boolean;
}

export async function shipPurchaseOrder(ctx: RequestContext, input: ShipPurchaseOrderInput, idempotencyKey?: string | null): Promise<ShipResult> {
  const boxCount = input.lines.reduce((sum, line) => sum + Math.max(0, line.boxes), 0);
  if (boxCount > MAX_UPSERT_ITEMS) {
    return {
      shipment: null,
      boxes: [],
      boxIds: [],
      purchaseOrder: null,
      errors: [userError('TOO_MANY_ITEMS', `A shipment takes at most ${MAX_UPSERT_ITEMS} boxes; split it.`)],
      replayed: false,
    };
  }
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ shipmentId: number | null; errors: UserError[] }>(ctx, em, 'shipPurchaseOrder', idempotencyKey, input);
    if ('conflict' in claim) return { shipment: null, boxes: [], boxIds: [], purchaseOrder: null, errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const shipment = claim.response.shipmentId ? await em.findOne(ShipmentSchema, claim.response.shipmentId, { populate: ['purchaseOrder'] }) : null;
      const boxes = shipment ? await em.find(BoxSchema, { shipment }, { populate: POPULATE_BOX, orderBy: { id: 'asc' } }) : [];
      const purchaseOrder = shipment ? await em.findOne(PurchaseOrderSchema, shipment.purchaseOrder.id, { populate: POPULATE_PURCHASE_ORDER }) : null;
      return { shipment, boxes, boxIds: boxes.map((box) => box.id), purchaseOrder, errors: claim.response.errors, replayed: true };
    }

    const v = new RowValidator(null);
    const [purchaseOrder] = await lockPurchaseOrders(em, { number: input.purchaseOrder.trim().toUpperCase() });
    if (!purchaseOrder)
      return {
        shipment: null,
        boxes: [],
        boxIds: [],
        purchaseOrder: null,
        errors: [userError('NOT_FOUND', `no purchase order ${input.purchaseOrder}`, undefined, 'purchaseOrder')],
        replayed: false,
      };
    if (!['OPEN', 'CONFIRMED'].includes(purchaseOrder.status))
      v.fail('INVALID_STATUS', 'purchaseOrder', `${purchaseOrder.number} is ${purchaseOrder.status}: nothing left to ship`);
    const shipDate = checkDate(v, 'shipDate', input.shipDate, false) ?? purchaseOrder.shipDate;
    const arrivalDate = checkDate(v, 'arrivalDate', input.arrivalDate, false) ?? shipDate;
    if (shipDate && arrivalDate && arrivalDate < shipDate) v.fail('INVALID_DATE', 'arrivalDate', `arrivalDate ${arrivalDate} is before shipDate ${shipDate}`);
    const port = input.portOfOrigin?.trim() ? v.code('portOfOrigin', input.portOfOrigin) : purchaseOrder.portOfOrigin;
    const awb = input.awb?.trim() ? v.text('awb', input.awb, { required: false, max: 40 }) : null;
    const freight = v.decimal('freight', input.freight, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
    const freightPerBox = v.decimal('freightPerBox', input.freightPerBox, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
    if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'a shipment needs at least one line');

    const poLines = new Map(purchaseOrder.lines.getItems().map((line) => [String(line.id), line]));
    const shipped = await shippedBoxes(
      em,
      [...poLines.values()].map((l) => l.id),
    );
    const labelsGiven = input.lines.flatMap((line) => line.labels ?? []).map((label) => label.trim());
    const taken = labelsGiven.length
      ? new Set((await em.find(BoxSchema, { label: { $in: labelsGiven } }, { fields: ['label'] })).map((b) => b.label))
      : new Set<string>();
    const seenLabels = new Set<string>();
    const planned: Array<{ line: PurchaseOrderLine; boxes: number; labels: string[] | null }> = [];
    input.lines.forEach((lineInput, index) => {
      const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
      const line = poLines.get(String(lineInput.poLine));
      if (!line) lv.fail('NOT_FOUND', 'poLine', `${purchaseOrder.number} has no line ${lineInput.poLine}`);
      const boxes = lv.integer('boxes', lineInput.boxes, { required: true, min: 1, max: MAX_UPSERT_ITEMS });
      if (line && boxes) {
        const already = shipped.get(line.id) ?? 0;
        if (already + boxes > line.boxes) {
          lv.fail(
            'EXCEEDS_ORDERED',
            'boxes',
            `line ${line.lineNo} (${line.product.code}) has ${line.boxes - already} of ${line.boxes} boxes left to ship, not ${boxes}`,
          );
        } else {
          shipped.set(line.id, already + boxes);
        }
      }
      const labels = lineInput.labels?.map((label) => label.trim()) ?? null;
      if (labels && boxes && labels.length !== boxes)
        lv.fail('INVALID_VALUE', 'labels', `${labels.length} labels for ${boxes} boxes: give one label per box, or none`);
      labels?.forEach((label) => {
        if (!label || label.length > MAX_LABEL_LENGTH) lv.fail('INVALID_VALUE', 'labels', `label "${label}" must have 1 to ${MAX_LABEL_LENGTH} characters`);
        else if (seenLabels.has(label) || taken.has(label)) lv.fail('DUPLICATE_LABEL', 'labels', `label ${label} is already used`);
        seenLabels.add(label);
      });
      if (line && boxes && lv.ok) planned.push({ line, boxes, labels });
    });
    if (!v.ok || !shipDate || !arrivalDate || !port) {
      const result = { shipment: null, boxes: [], boxIds: [], purchaseOrder, errors: v.errors, replayed: false };
      if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { shipmentId: null, errors: v.errors });
      return result;
    }

    const settings = await getSettings(em);
    const shipment = em.create(ShipmentSchema, { purchaseOrder, awb, shipDate, arrivalDate, portOfOrigin: port, freight: freight ?? null });
    const generated = await nextDocumentNumbers(
      em,
      'B',
      planned.reduce((sum, p) => sum + (p.labels ? 0 : p.boxes), 0),
    );
    const perBox = planned.flatMap(({ line, boxes, labels }) => Array.from({ length: boxes }, (_, i) => ({ line, label: labels?.[i] ?? generated.shift()! })));
    const fbe = perBox.map(({ line }) => toScaled(line.boxType.fbe));
    const freights =
      freightPerBox != null
        ? perBox.map(() => toScaled(freightPerBox))
        : freight != null
          ? allocateScaled(toScaled(freight), fbe)
          : fbe.map((f) => divRound(toScaled(settings.freightPerFbe) * f, 10_000n));
    const duty = dutyPercent(settings, port);

    // Boxes and their demands go in with one statement each: a shipment can hold 10,000 boxes.
    await em.flush();
    const carried = await carriedUnits(
      em,
      planned.map((p) => p.line.id),
    );
    const rows = planned.flatMap(({ line, boxes: count }) => planDemands(line, count, carried).map((demands) => ({ line, demands })));
    const inserted = await insertBoxes(em, {
      shipmentId: shipment.id,
      locationId: purchaseOrder.location.id,
      port,
      labels: perBox.map((box) => box.label),
      rows: rows.map(({ line }, index) => ({
        lineId: line.id,
        productId: line.product.id,
        boxTypeId: line.boxType.id,
        units: line.unitsPerBox,
        landedUnitCost: landedUnitCost(line.unitCost, duty, freights[index], line.unitsPerBox),
      })),
    });
    const idByLabel = new Map(inserted.map((row) => [row.label, Number(row.id)]));
    const boxIds = perBox.map((box) => idByLabel.get(box.label)!);
    const demands = rows.flatMap(({ demands: served }, index) =>
      served.map(({ prebookLine, units }) => ({ box: boxIds[index], prebookLine: prebookLine.id, units })),
    );
    if (demands.length) {
      await insertBoxDemands(em, demands);
    }
    await refreshPurchaseOrderStatus(em, purchaseOrder);
    recordAudit(em, ctx.actor, 'ship', 'PurchaseOrder', purchaseOrder.id, { shipment: shipment.id, awb, boxes: perBox.map((b) => b.label) });
    await em.flush();
    if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { shipmentId: shipment.id, errors: [] });
    return { shipment, boxIds, purchaseOrder, errors: [], replayed: false };
  });
}

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

function billsOn(settings: Settings, event: BillingEvent): boolean {
  return billsOnMode(settings.autoBilling, event);
}

/** Moves a staged box into inventory with its type and owner. */
function confirmBox(box: BillableBox, now: Date): void {
  Object.assign(box, classifyBox(box), { status: 'IN_INVENTORY', confirmedAt: now });
}

/** Type and owner of a box entering inventory (DESIGN section 1, receiving). */
function classifyBox(box: BillableBox): Pick<BillableBox, 'inventoryType' | 'customer' | 'prebookLineId'> {
  const [first] = box.demands;
  if (first) {
    const prebook = first.prebookLine.prebook;
    if (prebook.customer.kind === 'FUTURE_SALES') return { inventoryType: 'M', customer: null, prebookLineId: first.prebookLine.id };
    return {
      inventoryType: prebook.source === 'STANDING_ORDER' ? 'S' : 'P',
      customer: { id: prebook.customer.id, code: prebook.customer.code },
      prebookLineId: first.prebookLine.id,
    };
  }
  return { inventoryType: 'M', customer: box.purchaseOrderCustomer, prebookLineId: null };
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

export type ScanOutcome = 'SCANNED' | 'ALREADY_SCANNED' | 'UNKNOWN_LABEL' | 'NOT_SHIPPED';

export interface ScanResult {
  label: string;
  outcome: ScanOutcome;
  message: string;
  /** Read by id once the scan has committed. */
  boxId: number | null;
  billing: BoxBilling | null;
  shippingLabel: string | null;
}

function shippingLabelText(invoice: Invoice, label: string): string {
  return [invoice.carrier?.name ?? 'no carrier', invoice.customer.name, invoice.shipTo?.name, invoice.number, label].filter(Boolean).join(' / ');
}

/**
 * Warehouse scans. An inbound scan marks a box on hand (and, with automatic
 * billing ON_INCOMING_SCAN_OR_CONFIRMATION, confirms a staged box and bills
 * it); an outbound scan records that the box left (and, ON_OUTBOUND_SCAN,
 * confirms it if it was still staged, bills it and produces its shipping label).
 * A box the outbound scan cannot bill does not leave: it stays in inventory,
 * not shipped, with its billing issue, and a later scan bills it. A box already
 * invoiced (by allocation or by hand) leaves with its invoice's shipping label.
 */
export async function scanBoxes(ctx: RequestContext, labels: string[], kind: ScanKind): Promise<{ results: ScanResult[] }> {
  // Orders this scan left SHIPPED that concurrent scans may have finished: settled after the commit.
  let unsettled: number[] = [];
  const answer = await inTransaction(ctx, async (em) => {
    unsettled = [];
    const trimmed = labels.slice(0, MAX_UPSERT_ITEMS).map((l) => l.trim());
    const settings = await getSettings(em);
    rememberAutoBillingMode(ctx, settings.autoBilling);
    // When the scan may bill, the prebook lines its boxes serve are locked as they are read, as billing locks them.
    const boxes = await lockBillableBoxes(em, trimmed, { lockPrebookLines: billsOn(settings, kind === 'INBOUND' ? 'inbound-scan' : 'outbound-scan') });
    const now = new Date();
    const toBill: BillableBox[] = [];
    const confirmed: BillableBox[] = [];
    const invoiced: BillableBox[] = [];
    const results: ScanResult[] = trimmed.map((label) => {
      const box = boxes.get(label) ?? null;
      const result = (outcome: ScanOutcome, message: string): ScanResult => ({
        label,
        outcome,
        message,
        boxId: box?.id ?? null,
        billing: null,
        shippingLabel: null,
      });
      if (!box) return result('UNKNOWN_LABEL', `no box ${label}`);
      if (kind === 'INBOUND') {
        if (box.received) return result('ALREADY_SCANNED', `${label} was already received`);
        Object.assign(box, { received: true, receivedAt: now });
        if (box.status === 'STAGED' && billsOn(settings, 'inbound-scan')) {
          confirmBox(box, now);
          confirmed.push(box);
          toBill.push(box);
          return result('SCANNED', `${label} received and confirmed into inventory`);
        }
        return result('SCANNED', `${label} received: on hand`);
      }
      if (box.shippedOutAt) return result('ALREADY_SCANNED', `${label} already left the warehouse`);
      if (box.status === 'INVOICED') {
        box.shippedOutAt = now;
        invoiced.push(box);
        return result('SCANNED', `${label} left the warehouse`);
      }
      if (!billsOn(settings, 'outbound-scan')) {
        box.shippedOutAt = now;
        return result('SCANNED', `${label} left the warehouse`);
      }
      toBill.push(box);
      if (box.status === 'STAGED') {
        // It is leaving, so it arrived: confirmed here, or it could never be billed by its scan.
        Object.assign(box, { received: true, receivedAt: box.receivedAt ?? now });
        confirmBox(box, now);
        confirmed.push(box);
        return result('SCANNED', `${label} confirmed from staging and left the warehouse`);
      }
      return result('SCANNED', `${label} left the warehouse`);
    });
    // Every box scanned so far is in the audit whatever billing makes of it (a box that does not leave stays
    // NOT_SHIPPED but was scanned): written before billing, so not while its consolidation keys are locked.
    const scanned = results.filter((r) => r.outcome === 'SCANNED').map((r) => r.label);
    if (scanned.length)
      await recordAudits(em, ctx.actor, [
        {
          action: `scan-${kind.toLowerCase()}`,
          entity: 'Box',
          entityId: scanned.length === 1 ? boxes.get(scanned[0])!.id : 'many',
          payload: { labels: scanned },
        },
      ]);
    // The boxes it confirms leave staging whatever billing makes of them: their orders' statuses are
    // refreshed now, not while billing holds its consolidation keys' locks.
    unsettled = (
      await refreshPurchaseOrderStatusesAfterConfirmation(
        em,
        [...new Set(confirmed.map((box) => box.purchaseOrderId))],
        confirmed.map((box) => box.id),
      )
    ).unsettled;
    const billing = toBill.length ? await autoBill(em, ctx, settings, toBill, { dryRun: false }) : new Map<string, BoxBilling>();
    if (kind === 'INBOUND') {
      for (const result of results) result.billing = result.outcome === 'SCANNED' ? (billing.get(result.label) ?? null) : null;
    } else {
      // The invoice each leaving box is on: the one billing just put it on, or the live invoice that took it before.
      const invoiceNumberOf = new Map<string, string>();
      for (const box of toBill) {
        const billed = billing.get(box.label)?.invoiceNumbers[0];
        if (billed) invoiceNumberOf.set(box.label, billed);
      }
      if (invoiced.length) {
        const rows = await selectLiveInvoiceNumbersOfBoxes(
          em,
          invoiced.map((box) => box.id),
        );
        for (const row of rows) invoiceNumberOf.set(row.label, row.number);
      }
      const numbers = [...new Set(invoiceNumberOf.values())];
      const invoices = numbers.length ? await em.find(InvoiceSchema, { number: { $in: numbers } }, { populate: ['customer', 'carrier', 'shipTo'] }) : [];
      const invoiceByNumber = new Map(invoices.map((invoice) => [invoice.number, invoice]));
      for (const result of results) {
        if (result.outcome !== 'SCANNED' || !result.boxId) continue;
        const box = boxes.get(result.label)!;
        const outcome = billing.get(result.label) ?? null;
        if (toBill.includes(box)) {
          result.billing = outcome;
          if (!outcome?.invoiceNumbers.length) {
            // Not billed: the box does not leave; its issue (if any) is recorded, and a later scan bills it.
            const why = outcome?.issue
              ? outcome.issue.message
              : `${result.label} has nothing to bill automatically (${box.inventoryType === 'M' ? 'open market' : 'its prebook lines are fully billed'}); invoice it by hand`;
            Object.assign(result, { outcome: 'NOT_SHIPPED', message: `${why}: it stays in inventory, not shipped` });
            continue;
          }
          box.shippedOutAt = now;
        }
        const invoice = invoiceByNumber.get(invoiceNumberOf.get(result.label) ?? '');
        if (invoice) {
          const text = shippingLabelText(invoice, result.label);
          em.create(ShippingLabelSchema, { box: em.getReference(BoxSchema, result.boxId), invoice, text });
          result.shippingLabel = text;
        }
      }
    }
    await saveBillableBoxes(em, boxes.values());
    await em.flush();
    return { results };
  });
  await settlePurchaseOrderStatuses(ctx, unsettled);
  return answer;
}
