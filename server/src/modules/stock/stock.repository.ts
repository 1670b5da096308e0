// The SQL of stock: counts (expected boxes, scans, discrepancies), aged stock and the shrink report's sums.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import type { BoxStatus } from '../box/box.entity';
import { BOX_ARRIVAL } from '../box/box.repository';
import type { AdjustmentReason } from './stock.entity';

const ARRIVAL = BOX_ARRIVAL;

/**
 * The boxes a count of a location expects: in inventory there and arrived by today (received, or expected
 * to have arrived), with their units now. Returns how many.
 */
export async function insertExpectedBoxes(em: EntityManager, countId: number, locationId: number, today: string, timeZone: string): Promise<number> {
  const rows = await em.execute<{ n: string }[]>(
    `with expected as (
       insert into count_expected_box (count_id, box_id, units)
       select ?, b.id, b.units_remaining from box b join shipment s on s.id = b.shipment_id
        where b.status = 'IN_INVENTORY' and b.location_id = ? and ${ARRIVAL} <= ?::date
       returning 1)
     select count(*) as n from expected`,
    [countId, locationId, timeZone, today],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Records labels scanned in a count, once per label whoever sends it first: returns the labels this call added. */
export async function insertScans(em: EntityManager, countId: number, labels: string[], actor: string): Promise<string[]> {
  if (labels.length === 0) return [];
  const rows = await em.execute<{ label: string }[]>(
    `insert into count_scan (count_id, label, scanned_by, scanned_at)
     select ?, label, ?, now() from unnest(?::text[]) as label
     on conflict (count_id, label) do nothing returning label`,
    [countId, actor, pgArray(labels)],
  );
  return rows.map((row) => row.label);
}

/** Boxes expected and labels scanned, per count. */
export async function selectCountSizes(em: EntityManager, countIds: number[]): Promise<Map<number, { expected: number; scanned: number }>> {
  const rows = await em.execute<{ id: number; expected: string; scanned: string }[]>(
    `select c.id, (select count(*) from count_expected_box e where e.count_id = c.id) as expected,
            (select count(*) from count_scan s where s.count_id = c.id) as scanned
       from count c where c.id = any(?::int[])`,
    [pgIntArray(countIds)],
  );
  return new Map(rows.map((row) => [row.id, { expected: Number(row.expected), scanned: Number(row.scanned) }]));
}

export interface MissingBoxRow {
  box_id: number;
  label: string;
  product_id: number;
  units_remaining: number;
  landed_unit_cost: string;
}

/** Boxes the count expected that are still in inventory at its location and were not scanned, by label. */
export async function selectMissingBoxes(em: EntityManager, countId: number, locationId: number): Promise<MissingBoxRow[]> {
  return em.execute<MissingBoxRow[]>(
    `select b.id as box_id, b.label, b.product_id, b.units_remaining, b.landed_unit_cost::text as landed_unit_cost
       from count_expected_box e join box b on b.id = e.box_id
      where e.count_id = ? and b.status = 'IN_INVENTORY' and b.location_id = ?
        and not exists (select 1 from count_scan s where s.count_id = e.count_id and s.label = b.label)
      order by b.label`,
    [countId, locationId],
  );
}

export interface ScannedLabelRow {
  label: string;
  box_id: number | null;
  status: BoxStatus | null;
  location_id: number | null;
  location_code: string | null;
  product_id: number | null;
  units_remaining: number | null;
  landed_unit_cost: string | null;
  shipped_out_at: Date | null;
  invoice_number: string | null;
}

/** Every label scanned in a count, with the box it names (if any), its status, location and the live invoice that last took it. */
export async function selectScannedLabels(em: EntityManager, countId: number): Promise<ScannedLabelRow[]> {
  return em.execute<ScannedLabelRow[]>(
    `select s.label, b.id as box_id, b.status, b.location_id, loc.code as location_code, b.product_id, b.units_remaining,
            b.landed_unit_cost::text as landed_unit_cost, b.shipped_out_at,
            (select i.number from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
              where t.box_id = b.id and i.status <> 'VOID' order by t.id desc limit 1) as invoice_number
       from count_scan s left join box b on b.label = s.label left join location loc on loc.id = b.location_id
      where s.count_id = ? order by s.label`,
    [countId],
  );
}

/** Ids of the boxes in inventory past their category's maxAgeDays on `today`, oldest arrival first. */
export async function selectAgedBoxIds(
  em: EntityManager,
  where: { today: string; timeZone: string; locationId?: number; productId?: number },
): Promise<number[]> {
  const conditions = [`b.status = 'IN_INVENTORY'`, `c.max_age_days is not null`, `?::date - ${ARRIVAL} > c.max_age_days`];
  const params: unknown[] = [where.today, where.timeZone];
  if (where.locationId !== undefined) {
    conditions.push('b.location_id = ?');
    params.push(where.locationId);
  }
  if (where.productId !== undefined) {
    conditions.push('b.product_id = ?');
    params.push(where.productId);
  }
  const rows = await em.execute<{ id: number }[]>(
    `select b.id from box b join shipment s on s.id = b.shipment_id join product p on p.id = b.product_id
       join product_category c on c.id = p.category_id
      where ${conditions.join(' and ')} order by b.id`,
    params,
  );
  return rows.map((row) => row.id);
}

export interface ShrinkSums {
  receivedUnits: number;
  receivedValue: string;
  soldUnits: number;
  soldCost: string;
  revenue: string;
  losses: Array<{ reason: AdjustmentReason; units: number; value: string }>;
}

/**
 * The shrink report's sums over [from, to] (company dates): boxes confirmed into inventory that arrived
 * then, at landed cost; units taken by sale invoices (not void) with a truck date then, at the lines' cost
 * and price; adjustments made then, by reason. Optionally only boxes of one location.
 */
export async function selectShrinkSums(em: EntityManager, where: { from: string; to: string; timeZone: string; locationId?: number }): Promise<ShrinkSums> {
  const location = where.locationId === undefined ? '' : ' and b.location_id = ?';
  const locationParams = where.locationId === undefined ? [] : [where.locationId];
  const [received] = await em.execute<{ units: string; value: string }[]>(
    `select coalesce(sum(b.units), 0) as units, coalesce(sum(b.units * b.landed_unit_cost), 0)::text as value
       from box b join shipment s on s.id = b.shipment_id
      where b.confirmed_at is not null and ${ARRIVAL} between ?::date and ?::date${location}`,
    [where.timeZone, where.from, where.to, ...locationParams],
  );
  const [sold] = await em.execute<{ units: string; cost: string; revenue: string }[]>(
    `select coalesce(sum(t.units), 0) as units, coalesce(sum(t.units * l.unit_cost), 0)::text as cost,
            coalesce(sum(t.units * l.unit_price) filter (where l.unit_price is not null), 0)::text as revenue
       from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       join box b on b.id = t.box_id
      where i.status <> 'VOID' and i.kind = 'SALE' and i.truck_date between ?::date and ?::date${location}`,
    [where.from, where.to, ...locationParams],
  );
  const losses = await em.execute<{ reason: AdjustmentReason; units: string; value: string }[]>(
    `select a.reason, sum(a.units) as units, sum(a.value)::text as value
       from inventory_adjustment a join box b on b.id = a.box_id
      where (a.at at time zone ?)::date between ?::date and ?::date${location}
      group by a.reason order by a.reason`,
    [where.timeZone, where.from, where.to, ...locationParams],
  );
  return {
    receivedUnits: Number(received.units),
    receivedValue: received.value,
    soldUnits: Number(sold.units),
    soldCost: sold.cost,
    revenue: sold.revenue,
    losses: losses.map((row) => ({ reason: row.reason, units: Number(row.units), value: row.value })),
  };
}
