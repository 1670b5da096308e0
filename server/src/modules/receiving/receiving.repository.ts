// The SQL of shipping purchase orders (ship-purchase-order.service.ts) and of receiving boxes (confirm-staging.service.ts, scan-boxes.service.ts).
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';

/** Boxes already shipped per PO line. */
export async function selectShippedBoxCounts(em: EntityManager, lineIds: number[]): Promise<Array<{ id: number; n: string }>> {
  return em.execute<{ id: number; n: string }[]>(
    `select purchase_order_line_id as id, count(*) as n from box where purchase_order_line_id = any(?::int[]) and restock_of_id is null group by 1`,
    [pgIntArray(lineIds)],
  );
}

/** Units of each prebook line already carried by the boxes of these PO lines. */
export async function selectCarriedUnits(em: EntityManager, lineIds: number[]): Promise<Array<{ line_id: number; id: number; units: string }>> {
  return em.execute<{ line_id: number; id: number; units: string }[]>(
    `select b.purchase_order_line_id as line_id, d.prebook_line_id as id, sum(d.units) as units
       from box_demand d join box b on b.id = d.box_id where b.purchase_order_line_id = any(?::int[]) group by 1, 2`,
    [pgIntArray(lineIds)],
  );
}

export interface NewBoxRow {
  lineId: number;
  productId: number;
  boxTypeId: number;
  units: number;
  landedUnitCost: string;
}

/** Inserts a shipment's boxes, staged, in one statement: one label and one row per box, in the same order. */
export async function insertBoxes(
  em: EntityManager,
  shipment: { shipmentId: number; locationId: number; port: string; labels: string[]; rows: NewBoxRow[] },
): Promise<Array<{ id: number; label: string }>> {
  const rows = shipment.rows;
  return em.execute<{ id: number; label: string }[]>(
    `insert into box (label, shipment_id, purchase_order_line_id, product_id, box_type_id, location_id, units, units_remaining, port_of_origin, landed_unit_cost, status, received, created_at)
       select x.label, ?, x.line_id, x.product_id, x.box_type_id, ?, x.units, x.units, ?, x.landed_unit_cost, 'STAGED', false, now()
         from unnest(?::text[], ?::int[], ?::int[], ?::int[], ?::int[], ?::numeric[]) as x(label, line_id, product_id, box_type_id, units, landed_unit_cost)
       returning id, label`,
    [
      shipment.shipmentId,
      shipment.locationId,
      shipment.port,
      pgArray(shipment.labels),
      pgArray(rows.map((row) => row.lineId)),
      pgArray(rows.map((row) => row.productId)),
      pgArray(rows.map((row) => row.boxTypeId)),
      pgArray(rows.map((row) => row.units)),
      pgArray(rows.map((row) => row.landedUnitCost)),
    ],
  );
}

/** Inserts the prebook lines new boxes serve, in one statement. */
export async function insertBoxDemands(em: EntityManager, demands: ReadonlyArray<{ box: number; prebookLine: number; units: number }>): Promise<void> {
  await em.execute(`insert into box_demand (box_id, prebook_line_id, units) select * from unnest(?::int[], ?::int[], ?::int[])`, [
    pgArray(demands.map((d) => d.box)),
    pgArray(demands.map((d) => d.prebookLine)),
    pgArray(demands.map((d) => d.units)),
  ]);
}

/** Labels of the staged boxes of purchase orders, by PO number, in box id order. */
export async function selectStagedLabelsOfPurchaseOrders(em: EntityManager, poNumbers: string[]): Promise<Array<{ label: string }>> {
  return em.execute<{ label: string }[]>(
    `select b.label from box b join purchase_order_line l on l.id = b.purchase_order_line_id join purchase_order po on po.id = l.purchase_order_id
          where po.number = any(?::text[]) and b.status = 'STAGED' order by b.id`,
    [pgArray(poNumbers)],
  );
}

/** The live (not void) invoice that last took each box. */
export async function selectLiveInvoiceNumbersOfBoxes(em: EntityManager, boxIds: number[]): Promise<Array<{ label: string; number: string }>> {
  return em.execute<{ label: string; number: string }[]>(
    `select distinct on (b.id) b.label, i.number from box b join invoice_line_box t on t.box_id = b.id join invoice_line l on l.id = t.invoice_line_id
             join invoice i on i.id = l.invoice_id where b.id = any(?::int[]) and i.status <> 'VOID' order by b.id, t.id desc`,
    [pgIntArray(boxIds)],
  );
}

export interface ReturnBoxRow {
  id: number;
  label: string;
  status: string;
  /** Timestamps as the driver gives them (a string or a Date). */
  shipped_out_at: Date | string | null;
  returned_at: Date | string | null;
}

/** Locks boxes by label in id order (boxes come first in the lock order, billing.repository) and reads what a return scan decides on. */
export async function lockBoxesForReturn(em: EntityManager, labels: string[]): Promise<ReturnBoxRow[]> {
  return em.execute<ReturnBoxRow[]>(`select id, label, status, shipped_out_at, returned_at from box where label = any(?::text[]) order by id for update`, [
    pgArray(labels),
  ]);
}

/**
 * Records boxes brought back, under their locks: in the warehouse again (no longer shipped out), when, by whom
 * and why. The record of the shipping label their trip out produced goes (the next outbound scan makes a new one;
 * the printed label is drawn from the invoice whatever this record says).
 */
export async function markBoxesReturned(em: EntityManager, ids: number[], at: Date, by: string, reason: string | null): Promise<void> {
  await em.execute(
    `with returned as (update box set shipped_out_at = null, returned_at = ?, returned_by = ?, return_reason = ? where id = any(?::int[]) returning id)
     delete from shipping_label where box_id in (select id from returned)`,
    [at, by, reason, pgIntArray(ids)],
  );
}
