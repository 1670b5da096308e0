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
import { CreditReasonSchema, type CreditReason } from '../credit/credit.entity';
import { selectGpmCostAdjustments, selectGpmCredits, selectGpmTotals, type GpmWhere } from './gpm.repository';

export interface GpmRow {
  customer: Customer;
  product: Product;
  units: number;
  revenue: string;
  credits: string;
  cost: string;
  restockedCost: string;
  costRecovered: string;
  margin: string;
  gpmPercent: string | null;
  targetGpm: string;
  belowTarget: boolean;
  pricePendingUnits: number;
}

export async function gpmReport(ctx: RequestContext, filter: GpmReportFilter | null | undefined) {
  const em = ctx.em;
  const where: GpmWhere = { customerIds: [] };
  if (filter?.customer) where.customerIds.push(await filterReferenceId(em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) }));
  if (ctx.actor.role === 'CUSTOMER') {
    // Which rows fall under target says what the margin is (Type.belowTarget is @staffOnly too).
    if (filter?.belowTargetOnly) throw forbidden('filter.belowTargetOnly is for staff roles only: margins and GPM are not readable with a CUSTOMER token');
    where.customerIds.push(ctx.actor.customerId ?? -1);
  }
  if (filter?.product) where.productId = await filterReferenceId(em, ProductSchema, filter.product, 'filter.product');
  if (filter?.truckDateFrom) where.truckDateFrom = filter.truckDateFrom;
  if (filter?.truckDateTo) where.truckDateTo = filter.truckDateTo;
  const [rows, creditRows, adjustmentRows] = await Promise.all([selectGpmTotals(em, where), selectGpmCredits(em, where), selectGpmCostAdjustments(em, where)]);
  // Restocked units and accepted farm claims lower the cost of the customer and product of the lines concerned.
  const adjustments = new Map(
    adjustmentRows.map((row) => [
      `${row.customer_id}:${row.product_id}`,
      { restocked: toScaled(String(row.restocked)), recovered: toScaled(String(row.recovered)) },
    ]),
  );
  // Approved credits lower the revenue of the customer and product of the line they credit; flat amounts only the total.
  const creditsByRow = new Map<string, bigint>();
  const creditsByReason = new Map<number | null, bigint>();
  let creditTotal = 0n;
  let flatCredits = 0n;
  for (const credit of creditRows) {
    const amount = toScaled(String(credit.amount));
    creditTotal += amount;
    const reasonId = credit.reason_id == null ? null : Number(credit.reason_id);
    creditsByReason.set(reasonId, (creditsByReason.get(reasonId) ?? 0n) + amount);
    if (credit.product_id == null) flatCredits += amount;
    else {
      const key = `${credit.customer_id}:${credit.product_id}`;
      creditsByRow.set(key, (creditsByRow.get(key) ?? 0n) + amount);
    }
  }
  const reasonIds = [...creditsByReason.keys()].filter((id): id is number => id !== null);
  const reasons = reasonIds.length ? await em.find(CreditReasonSchema, { id: { $in: reasonIds } }) : [];
  const reasonById = new Map<number, CreditReason>(reasons.map((reason) => [reason.id, reason]));
  const [customers, products, settings] = await Promise.all([
    em.find(CustomerSchema, { id: { $in: rows.map((r) => Number(r.customer_id)) } }),
    em.find(ProductSchema, { id: { $in: rows.map((r) => Number(r.product_id)) } }, { populate: ['defaultBoxType'] }),
    getSettings(em),
  ]);
  const customerById = new Map(customers.map((c) => [c.id, c]));
  const productById = new Map(products.map((p) => [p.id, p]));
  let revenueTotal = 0n;
  let costTotal = 0n;
  let restockedTotal = 0n;
  let recoveredTotal = 0n;
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
      const key = `${row.customer_id}:${row.product_id}`;
      const credits = creditsByRow.get(key) ?? 0n;
      creditsByRow.delete(key);
      const revenue = toScaled(String(row.revenue)) - credits;
      const adjustment = adjustments.get(key) ?? { restocked: 0n, recovered: 0n };
      const cost = toScaled(String(row.cost)) - adjustment.restocked - adjustment.recovered;
      restockedTotal += adjustment.restocked;
      recoveredTotal += adjustment.recovered;
      revenueTotal += revenue;
      costTotal += cost;
      const gpm = gpmPercent(revenue, cost);
      const targetGpm = customer.targetGpm ?? settings.targetGpm;
      return {
        customer,
        product: productById.get(Number(row.product_id))!,
        units: Number(row.units),
        revenue: fromScaled(revenue),
        credits: fromScaled(credits),
        cost: fromScaled(cost),
        restockedCost: fromScaled(adjustment.restocked),
        costRecovered: fromScaled(adjustment.recovered),
        margin: fromScaled(revenue - cost),
        gpmPercent: gpm,
        targetGpm,
        belowTarget: gpm !== null && toScaled(gpm) < toScaled(targetGpm),
        pricePendingUnits: Number(row.pending),
      };
    });
  report.sort((a, b) => a.customer.code.localeCompare(b.customer.code) || a.product.code.localeCompare(b.product.code));
  // Credits of lines no row holds (flat amounts, or a product left out) still lower the total.
  for (const left of creditsByRow.values()) flatCredits += left;
  revenueTotal -= flatCredits;
  return {
    rows: filter?.belowTargetOnly ? report.filter((r) => r.belowTarget) : report,
    revenue: fromScaled(revenueTotal),
    cost: fromScaled(costTotal),
    restockedCost: fromScaled(restockedTotal),
    costRecovered: fromScaled(recoveredTotal),
    margin: fromScaled(revenueTotal - costTotal),
    gpmPercent: gpmPercent(revenueTotal, costTotal),
    transfers,
    transferCost: fromScaled(transferTotal),
    credits: fromScaled(creditTotal),
    creditsByReason: [...creditsByReason.entries()]
      .map(([reasonId, amount]) => ({ reason: reasonId === null ? null : (reasonById.get(reasonId) ?? null), amount: fromScaled(amount) }))
      .sort((a, b) => (a.reason?.code ?? '').localeCompare(b.reason?.code ?? '')),
  };
}
