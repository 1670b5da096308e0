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
