// The Shipments table: each PO # and AWB not shipped yet becomes one shipPurchaseOrder, with its idempotency key.
import { PURCHASE_ORDERS, SHIP_PURCHASE_ORDER } from '../api/documents';
import { idempotencyKey } from '../sheets/documents';
import { placeShipmentError, prepareShipments, rejectShipment, type ShipmentDraft } from '../sheets/shipments.sheet';
import type { RowUpdate } from '../sheets/tables';
import type { PulledPurchaseOrder } from './documents.workflow';
import { pushOutcome } from './outcome';
import { parseOptionsOf } from './sheet-settings';
import { isUnknownReference, type Outcome, type WorkflowContext } from './table-io';

interface ShipAnswer {
  shipPurchaseOrder: {
    shipment: { awb: string | null; boxCount: number } | null;
    boxes: Array<{ label: string; product: { code: string } }>;
    errors: Array<{ code: string; message: string; row: number | null; field: string | null }>;
    replayed: boolean;
  };
}

/** Finds the PO line of each row: by PO Line (the line number), else by the only line of that product. */
function resolveLines(
  draft: ShipmentDraft,
  order: PulledPurchaseOrder | undefined,
): { lines: Array<{ poLine: string; boxes: number; labels?: string[] }>; messages: Map<number, string[]> } {
  const messages = new Map<number, string[]>();
  const lines: Array<{ poLine: string; boxes: number; labels?: string[] }> = [];
  const fail = (row: number, message: string) => messages.set(row, [...(messages.get(row) ?? []), message]);
  if (!order) {
    fail(draft.rows[0].row.row, `PO #: no purchase order ${draft.purchaseOrder}`);
    return { lines, messages };
  }
  for (const { row, lineNo, product, boxes, labels } of draft.rows) {
    let line = lineNo !== null ? order.lines.find((l) => l.lineNo === lineNo) : undefined;
    if (lineNo !== null && !line) fail(row.row, `PO Line: ${order.number} has no line ${lineNo}`);
    if (lineNo === null && product) {
      const matches = order.lines.filter((l) => l.product.code.toUpperCase() === product.toUpperCase());
      if (matches.length === 1) line = matches[0];
      else
        fail(
          row.row,
          matches.length
            ? `PO Line: ${order.number} has ${matches.length} lines of ${product}: give the PO Line`
            : `Product: ${order.number} has no line of ${product}`,
        );
    }
    if (line && lineNo !== null && product && line.product.code.toUpperCase() !== product.toUpperCase())
      fail(row.row, `Product: line ${lineNo} of ${order.number} is ${line.product.code}, not ${product}`);
    if (line) lines.push({ poLine: line.id, boxes, ...(labels ? { labels } : {}) });
  }
  return { lines, messages };
}

export async function pushShipments(ctx: WorkflowContext): Promise<Outcome> {
  const options = await parseOptionsOf(ctx);
  const snapshot = await ctx.tables.read('Shipments');
  const { shipments, updates } = prepareShipments(snapshot.rows, options);
  let done = 0;
  for (const draft of shipments) {
    if (ctx.signal?.aborted) {
      for (const { row } of draft.rows) updates.set(row.row, { Status: 'CANCELLED', Message: 'not sent: the push was cancelled' });
      continue;
    }
    // A PO # the server does not know is this shipment's error, not the whole push's.
    const found = await ctx.api
      .request<{ purchaseOrders: { nodes: PulledPurchaseOrder[] } }>(PURCHASE_ORDERS, { filter: { number: draft.purchaseOrder }, first: 1 })
      .catch((error: unknown) => {
        if (isUnknownReference(error)) return { purchaseOrders: { nodes: [] } };
        throw error;
      });
    const { lines, messages } = resolveLines(
      draft,
      found.purchaseOrders.nodes.find((n) => n.number === draft.purchaseOrder),
    );
    const rows = draft.rows.map((r) => r.row);
    if (messages.size) {
      rejectShipment(updates, rows, messages);
      continue;
    }
    const input = {
      purchaseOrder: draft.purchaseOrder,
      awb: draft.awb,
      shipDate: draft.shipDate,
      arrivalDate: draft.arrivalDate,
      portOfOrigin: draft.portOfOrigin,
      freight: draft.freight,
      lines,
    };
    const answer = (await ctx.api.request<ShipAnswer>(SHIP_PURCHASE_ORDER, { input, key: await idempotencyKey('shipPurchaseOrder', input) })).shipPurchaseOrder;
    if (answer.errors.length || !answer.shipment) {
      const placed = new Map<number, string[]>();
      for (const error of answer.errors) {
        const { row, message } = placeShipmentError(draft, error);
        placed.set(row.row, [...(placed.get(row.row) ?? []), message]);
      }
      if (placed.size === 0) placed.set(rows[0].row, ['not shipped']);
      rejectShipment(updates, rows, placed);
      continue;
    }
    // Boxes come back in the order of the lines sent: each row takes its own.
    let next = 0;
    for (const { row, boxes } of draft.rows) {
      const labels = answer.boxes.slice(next, next + boxes).map((b) => b.label);
      next += boxes;
      const update: RowUpdate = {
        Status: 'OK',
        Message: answer.replayed
          ? `already shipped by an earlier push (a replay): ${boxes} box(es) in staging`
          : `shipped: ${boxes} box(es) in staging${draft.awb ? ` on AWB ${draft.awb}` : ''}`,
      };
      if (labels.length) update.Labels = labels.join(', ');
      updates.set(row.row, update);
    }
    done += rows.length;
    ctx.onProgress?.(done, snapshot.rows.length);
  }
  const outcome = pushOutcome('Shipments', snapshot, updates);
  if (updates.size === 0) return { ...outcome, intent: 'warning', text: 'No row to ship: rows with Status OK were shipped by an earlier push.' };
  await ctx.tables.update('Shipments', snapshot, updates, { onProgress: ctx.onProgress });
  return outcome;
}
