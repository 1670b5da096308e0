import type { RequestContext } from './request-context';

/** A date column between two ISO dates, either end optional; undefined when neither is given. */
export function dateRange(from: string | null | undefined, to: string | null | undefined): object | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
}

/** A numeric database id from a GraphQL ID argument; null for anything that cannot be one (it then finds nothing). */
export function databaseId(id: string | number): number | null {
  const value = typeof id === 'number' ? id : /^\s*\d{1,10}\s*$/.test(id) ? Number(id) : NaN;
  return Number.isSafeInteger(value) && value > 0 && value <= 2147483647 ? value : null;
}

/** For a CUSTOMER token, the only customer a filter may name (any other answers as unknown); undefined for staff. */
export function ownCustomerId(ctx: RequestContext): number | undefined {
  return ctx.actor.role === 'CUSTOMER' ? (ctx.actor.customerId ?? -1) : undefined;
}

/** For a CUSTOMER token, the condition limiting documents to its own customer's; empty for staff. */
export function ownDocuments(ctx: RequestContext): Record<string, unknown> {
  return ctx.actor.role === 'CUSTOMER' ? { customer: ctx.actor.customerId ?? -1 } : {};
}

/** A CUSTOMER token sees only its own customer's rows: a filter naming another customer matches nothing. */
export function scopeToCustomer(ctx: RequestContext, where: Record<string, unknown>): void {
  if (ctx.actor.role !== 'CUSTOMER') return;
  where.customer = where.customer === undefined || where.customer === ctx.actor.customerId ? ctx.actor.customerId : -1;
}
