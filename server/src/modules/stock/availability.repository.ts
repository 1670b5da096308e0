// The SQL of the availability list (availability.service.ts): open-market stock offered for sale, grouped.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BOX_ARRIVAL } from '../box/box.repository';

const ARRIVAL = BOX_ARRIVAL;

export interface AvailabilityRow {
  product_id: number;
  box_type_id: number;
  box_type_code: string;
  /** Null for boxes on hand; the arrival date of boxes in transit. */
  arrival_date: string | null;
  boxes: string;
  units: string;
  cost: string;
}

export interface AvailabilityWhere {
  today: string;
  timeZone: string;
  onHandOnly: boolean;
  productId?: number;
  locationId?: number;
}

/**
 * Open-market boxes offered for sale, by product, box type and (in transit) arrival date: in inventory, or
 * staged and bought for no one (unless onHandOnly); with units left; reserved for no customer; not past
 * their category's maximum age. Reads the boxes through their (status, product) index.
 */
export function availabilitySql(where: AvailabilityWhere): { sql: string; params: unknown[] } {
  const staged = where.onHandOnly
    ? ''
    : ` or (b.status = 'STAGED' and not exists (select 1 from box_demand d where d.box_id = b.id)
           and not exists (select 1 from purchase_order_line pol join purchase_order po on po.id = pol.purchase_order_id
                            where pol.id = b.purchase_order_line_id and po.customer_id is not null))`;
  const params: unknown[] = [where.timeZone, where.today, where.timeZone];
  const conditions = [`b.units_remaining > 0`, `b.customer_id is null`, `(b.status = 'IN_INVENTORY'${staged})`];
  conditions.push(`(c.max_age_days is null or ?::date - ${ARRIVAL} <= c.max_age_days)`);
  if (where.productId !== undefined) {
    conditions.push('b.product_id = ?');
    params.push(where.productId);
  }
  if (where.locationId !== undefined) {
    conditions.push('b.location_id = ?');
    params.push(where.locationId);
  }
  const sql = `select b.product_id, b.box_type_id, bt.code as box_type_code,
            case when b.status = 'IN_INVENTORY' then null else (${ARRIVAL})::text end as arrival_date,
            count(*) as boxes, sum(b.units_remaining) as units, sum(b.units_remaining * b.landed_unit_cost)::text as cost
       from box b join shipment s on s.id = b.shipment_id join box_type bt on bt.id = b.box_type_id
       join product p on p.id = b.product_id left join product_category c on c.id = p.category_id
      where ${conditions.join(' and ')}
      group by 1, 2, 3, 4 order by 1, 3, 4 nulls first`;
  return { sql, params };
}

export async function selectAvailability(em: EntityManager, where: AvailabilityWhere): Promise<AvailabilityRow[]> {
  const { sql, params } = availabilitySql(where);
  return em.execute<AvailabilityRow[]>(sql, params);
}
