// The SQL of purchase orders.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray } from '../../common/loaders';

/**
 * Sets the status of purchase orders from their boxes, in one statement: RECEIVED once every ordered
 * box has shipped and none is left in staging; SHIPPED when all shipped; else CONFIRMED. Returns the
 * orders whose status changed.
 */
export async function updatePurchaseOrderStatusesFromBoxes(em: EntityManager, purchaseOrderIds: number[]): Promise<Array<{ id: number; status: string }>> {
  return em.execute<{ id: number; status: string }[]>(
    `with lines as (
       select l.id, l.purchase_order_id, l.boxes from purchase_order_line l
         join purchase_order po on po.id = l.purchase_order_id
        where po.id = any(?::int[]) and po.status <> 'CANCELLED'
     ), counts as (
       select b.purchase_order_line_id as id, count(*) as shipped, count(*) filter (where b.status = 'STAGED') as staged
         from box b where b.purchase_order_line_id in (select id from lines) group by 1
     ), next as (
       select l.purchase_order_id as id,
              case when bool_or(l.boxes > coalesce(c.shipped, 0)) then 'CONFIRMED'
                   when sum(coalesce(c.staged, 0)) > 0 then 'SHIPPED'
                   else 'RECEIVED' end as status
         from lines l left join counts c on c.id = l.id group by 1
     )
     update purchase_order po set status = next.status, updated_at = now()
       from next where po.id = next.id and po.status <> next.status
     returning po.id, po.status`,
    [pgIntArray(purchaseOrderIds)],
  );
}
