import { fromScaled, toScaled } from '../../common/decimal';
import { forbidden } from '../../common/graphql-errors';
import { ownCustomerId } from '../../common/list-filters';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { GpmReportFilter } from '../../generated/graphql';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { gpmPercent } from '../invoice/invoice-totals';
import { ProductSchema, type Product } from '../product/product.entity';
import { getSettings } from '../settings/settings.service';

export interface GpmRow {
  customer: Customer;
  product: Product;
  units: number;
  revenue: string;
  cost: string;
  margin: string;
  gpmPercent: string | null;
  targetGpm: string;
  belowTarget: boolean;
  pricePendingUnits: number;
}

export async function gpmReport(ctx: RequestContext, filter: GpmReportFilter | null | undefined) {
  const em = ctx.em;
  const conditions: string[] = [`i.status <> 'VOID'`];
  const params: unknown[] = [];
  if (filter?.customer) {
    conditions.push('i.customer_id = ?');
    params.push(await filterReferenceId(em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) }));
  }
  if (ctx.actor.role === 'CUSTOMER') {
    // Which rows fall under target says what the margin is (Type.belowTarget is @staffOnly too).
    if (filter?.belowTargetOnly) throw forbidden('filter.belowTargetOnly is for staff roles only: margins and GPM are not readable with a CUSTOMER token');
    conditions.push('i.customer_id = ?');
    params.push(ctx.actor.customerId ?? -1);
  }
  if (filter?.product) {
    conditions.push('l.product_id = ?');
    params.push(await filterReferenceId(em, ProductSchema, filter.product, 'filter.product'));
  }
  if (filter?.truckDateFrom) {
    conditions.push('i.truck_date >= ?');
    params.push(filter.truckDateFrom);
  }
  if (filter?.truckDateTo) {
    conditions.push('i.truck_date <= ?');
    params.push(filter.truckDateTo);
  }
  // Transfers of components to a production company are not sales: their cost is already inside the
  // finished goods' prebook cost, so counting it here would count it twice.
  const rows = await em.execute<
    Array<{ customer_id: number; product_id: number; units: string; revenue: string; cost: string; pending: string; kind: string; transfer_cost: string }>
  >(
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
  const [customers, products, settings] = await Promise.all([
    em.find(CustomerSchema, { id: { $in: rows.map((r) => Number(r.customer_id)) } }),
    em.find(ProductSchema, { id: { $in: rows.map((r) => Number(r.product_id)) } }, { populate: ['defaultBoxType'] as never }),
    getSettings(em),
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const productById = new Map(products.map((p) => [p.id, p]));
  let revenueTotal = 0n;
  let costTotal = 0n;
  let transferTotal = 0n;
  const transfers = rows
    .filter((row) => row.kind === 'TRANSFER')
    .map((row) => {
      // A transfer's cost is its landed cost, priced or not.
      const cost = toScaled(String(row.transfer_cost));
      transferTotal += cost;
      return {
        customer: customerById.get(Number(row.customer_id))!,
        product: productById.get(Number(row.product_id))!,
        units: Number(row.units),
        cost: fromScaled(cost),
      };
    })
    .sort((a, b) => a.customer.code.localeCompare(b.customer.code) || a.product.code.localeCompare(b.product.code));
  const report: GpmRow[] = rows
    .filter((row) => row.kind !== 'TRANSFER')
    .map((row) => {
      const customer = customerById.get(Number(row.customer_id))!;
      const revenue = toScaled(String(row.revenue));
      const cost = toScaled(String(row.cost));
      revenueTotal += revenue;
      costTotal += cost;
      const gpm = gpmPercent(revenue, cost);
      const targetGpm = customer.targetGpm ?? settings.targetGpm;
      return {
        customer,
        product: productById.get(Number(row.product_id))!,
        units: Number(row.units),
        revenue: fromScaled(revenue),
        cost: fromScaled(cost),
        margin: fromScaled(revenue - cost),
        gpmPercent: gpm,
        targetGpm,
        belowTarget: gpm !== null && toScaled(gpm) < toScaled(targetGpm),
        pricePendingUnits: Number(row.pending),
      };
    });
  report.sort((a, b) => a.customer.code.localeCompare(b.customer.code) || a.product.code.localeCompare(b.product.code));
  return {
    rows: filter?.belowTargetOnly ? report.filter((r) => r.belowTarget) : report,
    revenue: fromScaled(revenueTotal),
    cost: fromScaled(costTotal),
    margin: fromScaled(revenueTotal - costTotal),
    gpmPercent: gpmPercent(revenueTotal, costTotal),
    transfers,
    transferCost: fromScaled(transferTotal),
  };
}
