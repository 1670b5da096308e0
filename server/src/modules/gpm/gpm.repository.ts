// The SQL of the GPM report.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Which invoice lines the report sums: each customer id given must match (a customer token adds its own). */
export interface GpmWhere {
  customerIds: number[];
  productId?: number;
  truckDateFrom?: string;
  truckDateTo?: string;
}

export interface GpmTotalsRow {
  customer_id: number;
  product_id: number;
  units: string;
  revenue: string;
  cost: string;
  pending: string;
  kind: string;
  transfer_cost: string;
}

/**
 * Units, revenue and cost of the lines of invoices that are not void, per customer, product and invoice
 * kind: priced lines count in revenue and cost, unpriced ones as pending units; transfer_cost is the cost
 * of every line, which is what a transfer of components to a production company costs.
 */
export async function selectGpmTotals(em: EntityManager, where: GpmWhere): Promise<GpmTotalsRow[]> {
  const conditions: string[] = [`i.status <> 'VOID'`];
  const params: unknown[] = [];
  for (const customerId of where.customerIds) {
    conditions.push('i.customer_id = ?');
    params.push(customerId);
  }
  if (where.productId !== undefined) {
    conditions.push('l.product_id = ?');
    params.push(where.productId);
  }
  if (where.truckDateFrom) {
    conditions.push('i.truck_date >= ?');
    params.push(where.truckDateFrom);
  }
  if (where.truckDateTo) {
    conditions.push('i.truck_date <= ?');
    params.push(where.truckDateTo);
  }
  // Transfers of components to a production company are not sales: their cost is already inside the
  // finished goods' prebook cost, so counting it here would count it twice.
  return em.execute<GpmTotalsRow[]>(
    `select i.customer_id, l.product_id, i.kind, sum(l.units) as units,
            coalesce(sum(l.unit_price * l.units) filter (where l.unit_price is not null), 0) as revenue,
            coalesce(sum(l.unit_cost * l.units) filter (where l.unit_price is not null), 0) as cost,
            coalesce(sum(l.units) filter (where l.unit_price is null), 0) as pending,
            coalesce(sum(l.unit_cost * l.units), 0) as transfer_cost
       from invoice_line l join invoice i on i.id = l.invoice_id
      where ${conditions.join(' and ')}
      group by 1, 2, 3 order by 1, 2, 3`,
    params,
  );
}

export interface GpmCreditRow {
  customer_id: number;
  /** Null for a credit line that credits no invoice line (a flat amount). */
  product_id: number | null;
  reason_id: number | null;
  amount: string;
}

/**
 * The APPROVED credits within the report's conditions, per customer, product (of the invoice line
 * credited) and reason: dated by their invoice's truck date, or by the credit's own date without an
 * invoice. Credits of a void invoice are left out with it; a product filter leaves out flat amounts.
 */
export async function selectGpmCredits(em: EntityManager, where: GpmWhere): Promise<GpmCreditRow[]> {
  const conditions: string[] = [`c.status = 'APPROVED'`, `(i.id is null or i.status <> 'VOID')`];
  const params: unknown[] = [];
  for (const customerId of where.customerIds) {
    conditions.push('c.customer_id = ?');
    params.push(customerId);
  }
  if (where.productId !== undefined) {
    conditions.push('l.product_id = ?');
    params.push(where.productId);
  }
  if (where.truckDateFrom) {
    conditions.push('coalesce(i.truck_date, c.credit_date) >= ?');
    params.push(where.truckDateFrom);
  }
  if (where.truckDateTo) {
    conditions.push('coalesce(i.truck_date, c.credit_date) <= ?');
    params.push(where.truckDateTo);
  }
  return em.execute<GpmCreditRow[]>(
    `select c.customer_id, l.product_id, c.reason_id, sum(cl.amount)::text as amount
       from credit_line cl join credit c on c.id = cl.credit_id
       left join invoice_line l on l.id = cl.invoice_line_id
       left join invoice i on i.id = coalesce(l.invoice_id, c.invoice_id)
      where ${conditions.join(' and ')}
      group by 1, 2, 3 order by 1, 2, 3`,
    params,
  );
}

export interface GpmCostAdjustmentRow {
  customer_id: number;
  product_id: number;
  restocked: string;
  recovered: string;
}

/**
 * What comes off the cost of goods of the report's sales, per customer and product: the landed cost of
 * units APPROVED credits returned to stock, and the ACCEPTED farm claims (vendor credits) on the lines
 * concerned (the invoice line named by the claim's line, else the live line that took most of its box).
 */
export async function selectGpmCostAdjustments(em: EntityManager, where: GpmWhere): Promise<GpmCostAdjustmentRow[]> {
  const conditions: string[] = [`i.status <> 'VOID'`, `i.kind <> 'TRANSFER'`, 'l.unit_price is not null'];
  const params: unknown[] = [];
  for (const customerId of where.customerIds) {
    conditions.push('i.customer_id = ?');
    params.push(customerId);
  }
  if (where.productId !== undefined) {
    conditions.push('l.product_id = ?');
    params.push(where.productId);
  }
  if (where.truckDateFrom) {
    conditions.push('i.truck_date >= ?');
    params.push(where.truckDateFrom);
  }
  if (where.truckDateTo) {
    conditions.push('i.truck_date <= ?');
    params.push(where.truckDateTo);
  }
  return em.execute<GpmCostAdjustmentRow[]>(
    `with adjustments as (
       select cl.invoice_line_id, r.units * r.unit_cost as restocked, 0::numeric as recovered
         from credit_restock r join credit_line cl on cl.id = r.credit_line_id join credit c on c.id = cl.credit_id
        where c.status = 'APPROVED'
       union all
       select coalesce(vl.invoice_line_id,
                (select t.invoice_line_id from invoice_line_box t join invoice_line l2 on l2.id = t.invoice_line_id join invoice i2 on i2.id = l2.invoice_id
                  where t.box_id = vl.box_id and i2.status <> 'VOID' order by t.units desc, t.id limit 1)), 0, vl.amount
         from vendor_credit_line vl join vendor_credit vc on vc.id = vl.vendor_credit_id
        where vc.status = 'ACCEPTED'
     )
     select i.customer_id, l.product_id, sum(a.restocked)::text as restocked, sum(a.recovered)::text as recovered
       from adjustments a join invoice_line l on l.id = a.invoice_line_id join invoice i on i.id = l.invoice_id
      where ${conditions.join(' and ')}
      group by 1, 2 order by 1, 2`,
    params,
  );
}
