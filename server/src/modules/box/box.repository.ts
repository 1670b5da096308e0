// The SQL of boxes as billing, allocation, invoices and receiving read and change them (billable-box.ts,
// box-takes.ts): plain rows, set-based statements.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import { executePrepared } from '../../common/prepared-statement.repository';
import type { BoxStatus, InventoryType } from './box.entity';

export interface BoxRow {
  id: number;
  label: string;
  units: number;
  landed_unit_cost: string;
  port_of_origin: string;
  product_id: number;
  product_code: string;
  box_type_id: number;
  box_type_code: string;
  bill_units_as_boxes: boolean;
  purchase_order_id: number;
  po_customer_id: number | null;
  po_customer_code: string | null;
  arrival_date: string;
  created_at: Date;
  status: BoxStatus;
  units_remaining: number;
  inventory_type: InventoryType | null;
  customer_id: number | null;
  customer_code: string | null;
  prebook_line_id: number | null;
  received: boolean;
  received_at: Date | null;
  shipped_out_at: Date | null;
  confirmed_at: Date | null;
  /** [prebook line id, units] of each demand, in the order they were linked. */
  demands: Array<[number, number]>;
}

/**
 * A box (b) joined to what it never changes: its product (p), box type (bt), location (loc), shipment (s),
 * PO line (pol) and purchase order (po). For `from` clauses of box reads.
 */
export const BOX_WITH_ORIGIN = `box b
       join product p on p.id = b.product_id
       join box_type bt on bt.id = b.box_type_id
       join location loc on loc.id = b.location_id
       join shipment s on s.id = b.shipment_id
       join purchase_order_line pol on pol.id = b.purchase_order_line_id
       join purchase_order po on po.id = pol.purchase_order_id`;

/**
 * A box's (b, with its shipment s) arrival day in the company's time zone (the `?` parameter): its inbound
 * scan's date, else its shipment's expected arrival (box-age.ts arrivalDateOf).
 */
export const BOX_ARRIVAL = `case when b.received and b.received_at is not null then (b.received_at at time zone ?)::date else s.arrival_date end`;

/** What a box row is read with: codes and facts billing reads, and the prebook lines it serves. */
const BOX_ROW = `select b.id, b.label, b.units, b.landed_unit_cost::text as landed_unit_cost, b.port_of_origin,
            b.product_id, p.code as product_code, b.box_type_id, bt.code as box_type_code, loc.bill_units_as_boxes,
            pol.purchase_order_id, po.customer_id as po_customer_id, poc.code as po_customer_code, s.arrival_date::text as arrival_date,
            b.created_at, b.status, b.units_remaining, b.inventory_type, b.customer_id,
            (select c.code from customer c where c.id = b.customer_id) as customer_code, b.prebook_line_id,
            b.received, b.received_at, b.shipped_out_at, b.confirmed_at,
            coalesce((select json_agg(json_build_array(d.prebook_line_id, d.units) order by d.id) from box_demand d where d.box_id = b.id), '[]') as demands
       from ${BOX_WITH_ORIGIN}
       left join customer poc on poc.id = po.customer_id`;

/** Box rows by id, in id order, with the codes and facts billing reads and their demands ([prebook line id, units], in link order). */
export async function selectBoxRows(em: EntityManager, ids: number[]): Promise<BoxRow[]> {
  return executePrepared<BoxRow>(em, `${BOX_ROW} where b.id = any(?::int[]) order by b.id`, [pgIntArray(ids)]);
}

/**
 * Locks boxes by label (only the staged ones with onlyStaged) in id order and reads them, in one
 * statement. Only joins on what a box never changes (product, type, location, shipment, PO line): a
 * row changed while the lock was awaited is read again as it now is, its customer code by subquery.
 */
export async function lockBoxRowsByLabel(em: EntityManager, labels: string[], onlyStaged: boolean): Promise<BoxRow[]> {
  return executePrepared<BoxRow>(em, `${BOX_ROW} where b.label = any(?::text[])${onlyStaged ? ` and b.status = 'STAGED'` : ''} order by b.id for update of b`, [
    pgArray(labels),
  ]);
}

/** Ids of the boxes with these labels that are past staging, unlocked. */
export async function selectIdsOfBoxesPastStaging(em: EntityManager, labels: string[]): Promise<Array<{ id: number }>> {
  return em.execute<{ id: number }[]>(`select id from box where label = any(?::text[]) and status <> 'STAGED'`, [pgArray(labels)]);
}

/** A prebook line as billing reads it, with its prebook's facts and customer. */
export interface BillingLineRow {
  id: number;
  sell_by: 'BOX' | 'UNIT';
  boxes: number | null;
  units: number;
  price: string | null;
  cost: string | null;
  prebook_id: number;
  prebook_number: string;
  prebook_status: 'OPEN' | 'CANCELLED' | 'CLOSED';
  prebook_source: 'PREBOOK' | 'STANDING_ORDER';
  truck_date: string;
  customer_po: string | null;
  holiday: boolean;
  ship_to_id: number | null;
  carrier_id: number;
  customer_id: number;
  customer_code: string;
  customer_name: string;
  customer_kind: 'REGULAR' | 'FUTURE_SALES' | 'PRODUCTION';
  credit_hold: boolean;
  credit_limit: string | null;
  open_balance: string;
  consolidate_invoices_on_auto_billing: boolean;
  excluded_from_auto_billing: boolean;
}

/** Prebook lines by id, in id order, with what billing reads of their prebooks and customers. */
const BILLING_LINE_ROWS = `select l.id, l.sell_by, l.boxes, l.units, l.price::text as price, l.cost::text as cost,
            p.id as prebook_id, p.number as prebook_number, p.status as prebook_status, p.source as prebook_source,
            p.truck_date::text as truck_date, p.customer_po, p.holiday, p.ship_to_id, p.carrier_id,
            c.id as customer_id, c.code as customer_code, c.name as customer_name, c.kind as customer_kind, c.credit_hold,
            c.credit_limit::text as credit_limit, c.open_balance::text as open_balance,
            c.consolidate_invoices_on_auto_billing, c.excluded_from_auto_billing
       from prebook_line l
       join prebook p on p.id = l.prebook_id
       join customer c on c.id = p.customer_id
      where l.id = any(?::int[])
      order by l.id`;

/**
 * Prebook lines with their prebooks and customers, as billing reads them. With lock, the lines are locked
 * too, in id order (as billing locks them): a scan that bills then needs no statement of its own for it.
 */
export async function selectBillingLineRows(em: EntityManager, lineIds: number[], options: { lock?: boolean } = {}): Promise<BillingLineRow[]> {
  return executePrepared<BillingLineRow>(em, options.lock ? `${BILLING_LINE_ROWS} for update of l` : BILLING_LINE_ROWS, [pgIntArray(lineIds)]);
}

export interface ChangeableBox {
  id: number;
  status: BoxStatus;
  unitsRemaining: number;
  inventoryType: InventoryType | null;
  customer: { id: number } | null;
  prebookLineId: number | null;
  received: boolean;
  receivedAt: Date | null;
  shippedOutAt: Date | null;
  confirmedAt: Date | null;
}

/** Writes the changeable columns of boxes, of ten `?` array parameters (boxUpdateParams); also a part of billing's write. */
export const BOX_UPDATE = `update box b
        set status = x.status, units_remaining = x.units_remaining, inventory_type = x.inventory_type, customer_id = x.customer_id,
            prebook_line_id = x.prebook_line_id, received = x.received, received_at = x.received_at, shipped_out_at = x.shipped_out_at,
            confirmed_at = x.confirmed_at
       from unnest(?::int[], ?::text[], ?::int[], ?::text[], ?::int[], ?::int[], ?::boolean[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[])
            as x(id, status, units_remaining, inventory_type, customer_id, prebook_line_id, received, received_at, shipped_out_at, confirmed_at)
      where b.id = x.id`;

/** The parameters of BOX_UPDATE. */
export function boxUpdateParams(changed: readonly ChangeableBox[]): string[] {
  const at = (value: Date | null) => value?.toISOString() ?? null;
  return [
    pgArray(changed.map((b) => b.id)),
    pgArray(changed.map((b) => b.status)),
    pgArray(changed.map((b) => b.unitsRemaining)),
    pgArray(changed.map((b) => b.inventoryType)),
    pgArray(changed.map((b) => b.customer?.id ?? null)),
    pgArray(changed.map((b) => b.prebookLineId)),
    pgArray(changed.map((b) => b.received)),
    pgArray(changed.map((b) => at(b.receivedAt))),
    pgArray(changed.map((b) => at(b.shippedOutAt))),
    pgArray(changed.map((b) => at(b.confirmedAt))),
  ];
}

/** Writes the changeable columns of these boxes in one statement. */
export async function updateBoxes(em: EntityManager, changed: readonly ChangeableBox[]): Promise<void> {
  await executePrepared(em, BOX_UPDATE, boxUpdateParams(changed));
}

/** Writes takes (invoice_line_box rows) in one statement. */
export async function insertTakeRows(
  em: EntityManager,
  takes: ReadonlyArray<{
    lineId: number;
    boxId: number;
    units: number;
    previous: { status: BoxStatus; inventoryType: InventoryType | null; customer: { id: number } | null };
  }>,
): Promise<void> {
  await executePrepared(
    em,
    `insert into invoice_line_box (invoice_line_id, box_id, units, previous_status, previous_inventory_type, previous_customer_id)
     select * from unnest(?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int[])`,
    [
      pgArray(takes.map((t) => t.lineId)),
      pgArray(takes.map((t) => t.boxId)),
      pgArray(takes.map((t) => t.units)),
      pgArray(takes.map((t) => t.previous.status)),
      pgArray(takes.map((t) => t.previous.inventoryType)),
      pgArray(takes.map((t) => t.previous.customer?.id ?? null)),
    ],
  );
}
