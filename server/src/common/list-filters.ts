import type { RequestContext } from './request-context';

/** A date column between two ISO dates, either end optional; undefined when neither is given. */
export function dateRange(from: string | null | undefined, to: string | null | undefined): object | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
}

/** A CUSTOMER token sees only its own customer's rows: a filter naming another customer matches nothing. */
export function scopeToCustomer(ctx: RequestContext, where: Record<string, unknown>): void {
  if (ctx.actor.role !== 'CUSTOMER') return;
  where.customer = where.customer === undefined || where.customer === ctx.actor.customerId ? ctx.actor.customerId : -1;
}
