// Restocking credited units: checked when a credit is requested or changed, done when it is approved, undone when it is voided.
import type { EntityManager } from '@mikro-orm/postgresql';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { multiplyDecimal } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import type { RowValidator } from '../../common/row-validator';
import { recordAudit } from '../audit/audit.service';
import { BoxSchema, ShipmentSchema } from '../box/box.entity';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { LocationSchema } from '../location/location.entity';
import { ProductSchema } from '../product/product.entity';
import { PurchaseOrderLineSchema } from '../purchase-order/purchase-order.entity';
import { CreditRestockSchema, type Credit } from './credit.entity';
import { lockRestockBoxesOfCredit, selectRestockTakes, type RestockTakeRow } from './credit.repository';
import { planRestock, restockRefusal, type RestockSource } from './credit-restock';

type Source = RestockSource & { row: RestockTakeRow };

function sourcesByLine(rows: readonly RestockTakeRow[]): Map<number, Source[]> {
  const byLine = new Map<number, Source[]>();
  for (const row of rows) {
    const line = Number(row.invoice_line_id);
    const list = byLine.get(line) ?? [];
    list.push({
      boxId: Number(row.box_id),
      label: row.label,
      taken: Number(row.taken),
      restocked: Number(row.restocked),
      shippedOut: row.shipped_out_at !== null,
      row,
    });
    byLine.set(line, list);
  }
  return byLine;
}

export interface RestockRequest {
  /** 1-based line number of the credit line (for the error's field). */
  index: number;
  invoiceLineId: number;
  units: number;
  /** How the invoice line is named in messages: INV-000001 line 1 (ROSE-RED-50). */
  describe: string;
}

/**
 * Refuses, as RESTOCK_NOT_ALLOWED on `lines.N.restock`, every line asking to return more units than its
 * invoice line's boxes that never left the warehouse still hold (boxes read, not locked: approval checks again under their locks).
 */
export async function checkRestocks(em: EntityManager, v: RowValidator, requests: readonly RestockRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const byLine = sourcesByLine(await selectRestockTakes(em, [...new Set(requests.map((r) => r.invoiceLineId))], false));
  const asked = new Map<number, number>();
  for (const request of requests) {
    const before = asked.get(request.invoiceLineId) ?? 0;
    asked.set(request.invoiceLineId, before + request.units);
    const plan = planRestock(before + request.units, byLine.get(request.invoiceLineId) ?? []);
    if (!plan.ok)
      v.fail(
        'RESTOCK_NOT_ALLOWED',
        `lines.${request.index}.restock`,
        `line ${request.index}: ${restockRefusal(request.describe, request.units, { ...plan, restockable: Math.max(0, plan.restockable - before) })}`,
      );
  }
}

function describeLine(credit: Credit, invoiceLineId: number): string {
  const line = credit.lines.getItems().find((l) => l.invoiceLine?.id === invoiceLineId)?.invoiceLine;
  return line ? `${line.invoice.number} line ${line.lineNo} (${line.product.code})` : `invoice line ${invoiceLineId}`;
}

/**
 * Approval of a credit with restock lines: under the boxes' locks, each line's units come back as a new
 * open-market box per source box (same product, box type, location, shipment and landed unit cost; received
 * and confirmed now), recorded as CreditRestock rows. The source boxes are left as billed (the invoice keeps
 * its units), so every box still adds up; a restock box is never counted as a box the vendor shipped.
 */
export async function restockCredit(em: EntityManager, ctx: RequestContext, credit: Credit, v: RowValidator): Promise<void> {
  const lines = credit.lines.getItems().filter((line) => line.restock && line.kind === 'QUANTITY' && line.invoiceLine && line.units);
  if (lines.length === 0) return;
  const byLine = sourcesByLine(await selectRestockTakes(em, [...new Set(lines.map((line) => line.invoiceLine!.id))], true));
  const planned: Array<{ lineIndex: number; source: Source; units: number }> = [];
  const used = new Map<string, number>();
  for (const line of lines) {
    const id = line.invoiceLine!.id;
    const sources = (byLine.get(id) ?? []).map((s) => ({ ...s, restocked: s.restocked + (used.get(`${s.boxId}:${id}`) ?? 0) }));
    const plan = planRestock(line.units!, sources);
    if (!plan.ok) {
      v.fail('RESTOCK_NOT_ALLOWED', `lines.${line.lineNo}.restock`, `line ${line.lineNo}: ${restockRefusal(describeLine(credit, id), line.units!, plan)}`);
      continue;
    }
    for (const take of plan.takes) {
      const key = `${take.source.boxId}:${id}`;
      used.set(key, (used.get(key) ?? 0) + take.units);
      planned.push({ lineIndex: line.lineNo, source: take.source, units: take.units });
    }
  }
  if (!v.ok) return;
  const labels = await nextDocumentNumbers(em, 'B', planned.length);
  const now = new Date();
  planned.forEach(({ lineIndex, source, units }, index) => {
    const row = source.row;
    const box = em.create(BoxSchema, {
      label: labels[index],
      shipment: em.getReference(ShipmentSchema, Number(row.shipment_id)),
      purchaseOrderLine: em.getReference(PurchaseOrderLineSchema, Number(row.purchase_order_line_id)),
      product: em.getReference(ProductSchema, Number(row.product_id)),
      boxType: em.getReference(BoxTypeSchema, Number(row.box_type_id)),
      location: em.getReference(LocationSchema, Number(row.location_id)),
      units,
      unitsRemaining: units,
      portOfOrigin: row.port_of_origin,
      landedUnitCost: row.landed_unit_cost,
      status: 'IN_INVENTORY',
      received: true,
      receivedAt: now,
      inventoryType: 'M',
      customer: null,
      confirmedAt: now,
      restockOf: em.getReference(BoxSchema, source.boxId),
    });
    const creditLine = credit.lines.getItems().find((line) => line.lineNo === lineIndex)!;
    em.create(CreditRestockSchema, { creditLine, sourceBox: em.getReference(BoxSchema, source.boxId), box, units, unitCost: row.landed_unit_cost });
  });
  await em.flush();
  recordAudit(em, ctx.actor, 'restock', 'Credit', credit.id, {
    boxes: planned.map(({ lineIndex, source, units }, index) => ({
      line: lineIndex,
      from: source.label,
      label: labels[index],
      units,
      value: multiplyDecimal(source.row.landed_unit_cost, units),
    })),
  });
}

/**
 * Voiding an APPROVED credit takes its restocked units out of stock again: each restock box must still be
 * whole in inventory (none of it sold or adjusted), and becomes VOID; otherwise the void is refused.
 */
export async function unrestockCredit(em: EntityManager, ctx: RequestContext, credit: Credit, v: RowValidator): Promise<void> {
  const boxes = await lockRestockBoxesOfCredit(em, credit.id);
  if (boxes.length === 0) return;
  const used = boxes.filter((box) => box.status !== 'IN_INVENTORY' || Number(box.units_remaining) !== Number(box.units));
  if (used.length) {
    v.fail(
      'RESTOCKED_UNITS_USED',
      'number',
      `${credit.number} returned units to stock that are no longer all there (${used.map((box) => box.label).join(', ')}): it cannot be voided`,
    );
    return;
  }
  const found = await em.find(BoxSchema, { id: { $in: boxes.map((box) => Number(box.box_id)) } });
  for (const box of found) box.status = 'VOID';
  recordAudit(em, ctx.actor, 'unrestock', 'Credit', credit.id, { boxes: found.map((box) => box.label) });
}
