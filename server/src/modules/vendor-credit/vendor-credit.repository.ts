// The SQL of farm claims (vendor credits).
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';

/** A box with what its landed cost is made of and whom it came from. */
export interface BoxCostRow {
  box_id: number;
  label: string;
  units: number;
  status: string;
  received: boolean;
  landed_unit_cost: string;
  port_of_origin: string;
  po_line_id: number;
  po_line_no: number;
  vendor_unit_cost: string;
  po_number: string;
  vendor_id: number;
  vendor_code: string;
  product_code: string;
  awb: string | null;
  /** The shipment's real freight; null while only the estimate is known. */
  shipment_freight: string | null;
  fbe: string;
  /** FBE of every box the vendor shipped under the shipment. */
  shipment_fbe: string;
}

/**
 * Boxes by id or label with their cost basis: the purchase order line's vendor unit cost, the shipment's
 * freight and FBE, and the vendor. A box returned to stock by a credit answers with the box it came from's
 * cost basis (it is the same flowers).
 */
export async function selectBoxCosts(em: EntityManager, by: { ids?: readonly number[]; labels?: readonly string[] }): Promise<BoxCostRow[]> {
  return em.execute<BoxCostRow[]>(
    `select b.id as box_id, b.label, coalesce(o.units, b.units) as units, b.status, b.received, b.landed_unit_cost::text as landed_unit_cost, b.port_of_origin,
            pol.id as po_line_id, pol.line_no as po_line_no, pol.unit_cost::text as vendor_unit_cost, po.number as po_number,
            po.vendor_id, v.code as vendor_code, p.code as product_code, s.awb, s.freight::text as shipment_freight, bt.fbe::text as fbe,
            (select coalesce(sum(bt2.fbe), 0) from box b2 join box_type bt2 on bt2.id = b2.box_type_id
              where b2.shipment_id = s.id and b2.restock_of_id is null)::text as shipment_fbe
       from box b left join box o on o.id = b.restock_of_id
       join purchase_order_line pol on pol.id = b.purchase_order_line_id join purchase_order po on po.id = pol.purchase_order_id
       join vendor v on v.id = po.vendor_id join product p on p.id = b.product_id join shipment s on s.id = b.shipment_id
       join box_type bt on bt.id = b.box_type_id
      where b.id = any(?::int[]) or b.label = any(?::text[])
      order by b.id`,
    [pgIntArray(by.ids ?? []), pgArray([...(by.labels ?? [])])],
  );
}

/** The QUANTITY lines of a credit with the boxes their invoice lines took (units per box), in line and box order. */
export async function selectCreditLineBoxes(
  em: EntityManager,
  creditId: number,
): Promise<Array<{ line_no: number; invoice_line_id: number; units: number; box_id: number; taken: number }>> {
  return em.execute(
    `select cl.line_no, cl.invoice_line_id, cl.units, t.box_id, sum(t.units)::int as taken
       from credit_line cl join invoice_line_box t on t.invoice_line_id = cl.invoice_line_id
      where cl.credit_id = ? and cl.kind = 'QUANTITY' and cl.units is not null
      group by cl.line_no, cl.invoice_line_id, cl.units, t.box_id order by cl.line_no, t.box_id`,
    [creditId],
  );
}

/** Locks one vendor credit by number and returns its id. */
export async function lockVendorCreditByNumber(em: EntityManager, number: string): Promise<number | null> {
  const [row] = await em.execute<Array<{ id: number }>>(`select id from vendor_credit where number = ? for update`, [number]);
  return row ? Number(row.id) : null;
}

/** Units already claimed per box on vendor credits that are not REJECTED (except `exceptId`). */
export async function selectClaimedUnits(em: EntityManager, boxIds: readonly number[], exceptId: number | null): Promise<Map<number, number>> {
  if (boxIds.length === 0) return new Map();
  const rows = await em.execute<Array<{ box_id: number; units: string }>>(
    `select vl.box_id, sum(vl.units) as units from vendor_credit_line vl join vendor_credit vc on vc.id = vl.vendor_credit_id
      where vl.box_id = any(?::int[]) and vc.status <> 'REJECTED' and vc.id <> ? group by vl.box_id`,
    [pgIntArray(boxIds), exceptId ?? 0],
  );
  return new Map(rows.map((row) => [Number(row.box_id), Number(row.units)]));
}

/** A farm claim as its claim sheet prints it. */
export interface ClaimSheetRow {
  number: string;
  status: string;
  created_at: Date;
  vendor_code: string;
  vendor_name: string;
  reason: string | null;
  notes: string;
  credit_number: string | null;
}

export interface ClaimSheetLineRow {
  line_no: number;
  label: string | null;
  po_number: string | null;
  awb: string | null;
  product_code: string | null;
  product_name: string | null;
  units: number;
  product_amount: string;
  freight_amount: string;
  duty_amount: string;
  handling_amount: string;
  amount: string;
}

/** The claim and its lines (box, purchase order, air waybill, product, units, amounts); null when there is none. */
export async function selectClaimSheet(em: EntityManager, number: string): Promise<{ claim: ClaimSheetRow; lines: ClaimSheetLineRow[] } | null> {
  const [claim] = await em.execute<Array<ClaimSheetRow & { id: number }>>(
    `select vc.id, vc.number, vc.status, vc.created_at, v.code as vendor_code, v.name as vendor_name, r.name as reason, vc.notes, c.number as credit_number
       from vendor_credit vc join vendor v on v.id = vc.vendor_id left join credit_reason r on r.id = vc.reason_id left join credit c on c.id = vc.source_credit_id
      where vc.number = ?`,
    [number],
  );
  if (!claim) return null;
  const lines = await em.execute<ClaimSheetLineRow[]>(
    `select vl.line_no, b.label, po.number as po_number, s.awb, p.code as product_code, p.name as product_name, vl.units,
            vl.product_amount::text as product_amount, vl.freight_amount::text as freight_amount, vl.duty_amount::text as duty_amount,
            vl.handling_amount::text as handling_amount, vl.amount::text as amount
       from vendor_credit_line vl left join box b on b.id = vl.box_id left join shipment s on s.id = b.shipment_id
       left join purchase_order_line l on l.id = coalesce(vl.purchase_order_line_id, b.purchase_order_line_id)
       left join purchase_order po on po.id = l.purchase_order_id left join product p on p.id = l.product_id
      where vl.vendor_credit_id = ? order by vl.line_no`,
    [Number(claim.id)],
  );
  return { claim, lines };
}
