// The SQL of the landed cost true-up (shipment-costs.service.ts): set-based, one statement per table
// whatever the number of boxes, rows locked in the documented order (billing.repository.ts: boxes, then invoices).
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import type { BoxStatus } from '../box/box.entity';

export interface AwbBoxRow {
  id: number;
  label: string;
  product_id: number;
  box_type_code: string;
  status: BoxStatus;
  units: number;
  unit_cost: string;
  fbe: string;
  landed_unit_cost: string;
  estimated_landed_unit_cost: string | null;
}

const AWB_BOXES = `select b.id, b.label, b.product_id, bt.code as box_type_code, b.status, b.units, pol.unit_cost::text as unit_cost,
            bt.fbe::text as fbe, b.landed_unit_cost::text as landed_unit_cost, b.estimated_landed_unit_cost::text as estimated_landed_unit_cost
       from box b join shipment s on s.id = b.shipment_id join box_type bt on bt.id = b.box_type_id
       join purchase_order_line pol on pol.id = b.purchase_order_line_id
      where s.awb = ? order by b.id`;

/** The boxes of every shipment under an air waybill, by id; with lock, locked `for update` in id order (boxes come first). */
export async function selectAwbBoxes(em: EntityManager, awb: string, lock: boolean): Promise<AwbBoxRow[]> {
  return em.execute<AwbBoxRow[]>(lock ? `${AWB_BOXES} for update of b` : AWB_BOXES, [awb]);
}

/** Sets boxes' landed unit costs, keeping the first estimate beside them; only rows whose cost changes are written. */
export async function updateLandedCosts(em: EntityManager, costs: ReadonlyMap<number, string>): Promise<number> {
  if (costs.size === 0) return 0;
  const rows = await em.execute<{ id: number }[]>(
    `update box b set estimated_landed_unit_cost = coalesce(b.estimated_landed_unit_cost, b.landed_unit_cost), landed_unit_cost = x.cost
       from unnest(?::int[], ?::numeric[]) as x(id, cost)
      where b.id = x.id and b.landed_unit_cost <> x.cost
      returning b.id`,
    [pgIntArray([...costs.keys()]), pgArray([...costs.values()])],
  );
  return rows.length;
}

/** Invoice lines (not void) that took units of these boxes, and invoices locked in id order (after the boxes). */
const LINES_OF_BOXES = `select t.invoice_line_id from invoice_line_box t where t.box_id = any(?::int[])`;

/** Locks, in id order, the invoices (not void) whose lines took these boxes. */
export async function lockInvoicesOfBoxes(em: EntityManager, boxIds: readonly number[]): Promise<number> {
  if (boxIds.length === 0) return 0;
  const rows = await em.execute<{ id: number }[]>(
    `select i.id from invoice i where i.status <> 'VOID' and i.id in (select l.invoice_id from invoice_line l where l.id in (${LINES_OF_BOXES}))
      order by i.id for update`,
    [pgIntArray(boxIds)],
  );
  return rows.length;
}

/**
 * The unit cost of the invoice lines (not void) that took these boxes, again from the landed costs of every box
 * they took (their weighted average at 2 decimals, as billing costs them); the price never changes. A line
 * costed by its prebook line's cost keeps it. Returns the lines changed.
 */
export async function updateInvoiceLineCosts(em: EntityManager, boxIds: readonly number[]): Promise<number> {
  if (boxIds.length === 0) return 0;
  const rows = await em.execute<{ id: number }[]>(
    `update invoice_line l set unit_cost = c.cost
       from (select t.invoice_line_id as id, round(sum(t.units * b.landed_unit_cost) / sum(t.units), 2) as cost
               from invoice_line_box t join box b on b.id = t.box_id
              where t.invoice_line_id in (${LINES_OF_BOXES})
              group by t.invoice_line_id having sum(t.units) > 0) c
      where l.id = c.id and l.unit_cost <> c.cost
        and l.invoice_id in (select i.id from invoice i where i.status <> 'VOID')
        and (l.prebook_line_id is null or (select pl.cost from prebook_line pl where pl.id = l.prebook_line_id) is null)
      returning l.id`,
    [pgIntArray(boxIds)],
  );
  return rows.length;
}

/** Records an air waybill's real amounts; the same amounts again change nothing (not even when). */
export async function upsertAwbCost(
  em: EntityManager,
  row: { awb: string; freight: string; handling: string; duty: string; recordedBy: string },
): Promise<void> {
  await em.execute(
    `insert into awb_cost (awb, freight, handling, duty, recorded_by, recorded_at) values (?, ?, ?, ?, ?, now())
     on conflict (awb) do update set freight = excluded.freight, handling = excluded.handling, duty = excluded.duty,
            recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
      where (awb_cost.freight, awb_cost.handling, awb_cost.duty) is distinct from (excluded.freight, excluded.handling, excluded.duty)`,
    [row.awb, row.freight, row.handling, row.duty, row.recordedBy],
  );
}
