import type { EntityManager } from '@mikro-orm/postgresql';
import { allocateScaled, divRound, landedUnitCost, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { ShipPurchaseOrderInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxSchema, ShipmentSchema, type Box, type Shipment } from '../box/box.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { checkDate } from '../prebook/order-line.validation';
import type { PrebookLine } from '../prebook/prebook.entity';
import { PurchaseOrderSchema, type PurchaseOrder, type PurchaseOrderLine } from '../purchase-order/purchase-order.entity';
import { refreshPurchaseOrderStatus } from '../purchase-order/purchase-order-status.service';
import { lockPurchaseOrders, POPULATE_PURCHASE_ORDER } from '../purchase-order/purchase-order.service';
import type { Settings } from '../settings/settings.entity';
import { getSettings } from '../settings/settings.service';
import { insertBoxDemands, insertBoxes, selectCarriedUnits, selectShippedBoxCounts } from './receiving.repository';
import { POPULATE_BOX } from './staging-inventory.service';

// shipPurchaseOrder: a vendor ships (part of) a purchase order; its boxes enter staging with their landed
// cost, each serving the prebook lines its PO line buys for.

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
