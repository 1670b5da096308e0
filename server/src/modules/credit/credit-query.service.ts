import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromScaled, toScaled } from '../../common/decimal';
import { dateRange, ownCustomerId, ownDocuments, scopeToCustomer } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { CreditFilter } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceSchema } from '../invoice/invoice.entity';
import { CreditSchema, type Credit } from './credit.entity';
import { selectApprovedCreditAmounts } from './credit.repository';

/** What a credit's answer shows: its customer, invoice, reason, and lines with the invoice lines they credit. */
export const POPULATE_CREDIT = [
  'customer',
  'invoice',
  'reason',
  'lines',
  'lines.invoiceLine',
  'lines.invoiceLine.invoice',
  'lines.invoiceLine.product',
] as const;

/** One credit, read whole. */
export function loadCredit(em: EntityManager, id: number): Promise<Credit | null> {
  return em.findOne(CreditSchema, id, { populate: POPULATE_CREDIT, refresh: true });
}

/** credits(filter): newest first; a CUSTOMER token sees only its own. */
export async function listCredits(ctx: RequestContext, filter: CreditFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, CreditSchema, filter.number, 'filter.number', ownDocuments(ctx));
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) });
  if (filter?.invoice) where.invoice = await filterDocumentId(ctx.em, InvoiceSchema, filter.invoice, 'filter.invoice', ownDocuments(ctx));
  if (filter?.status) where.status = filter.status;
  if (filter?.dateFrom || filter?.dateTo) where.creditDate = dateRange(filter.dateFrom, filter.dateTo);
  scopeToCustomer(ctx, where);
  return paginate(ctx.em, CreditSchema, where, page, { key: 'id', direction: 'desc', populate: [...POPULATE_CREDIT] });
}

/** credit(number): null when there is none, or it is another customer's (CUSTOMER token). */
export function findCredit(ctx: RequestContext, number: string): Promise<Credit | null> {
  const where: Record<string, unknown> = { number: number.trim().toUpperCase() };
  scopeToCustomer(ctx, where);
  return ctx.em.findOne(CreditSchema, where, { populate: POPULATE_CREDIT });
}

/** The sum of a credit's lines. */
export function creditTotal(credit: Credit): string {
  return fromScaled(credit.lines.getItems().reduce((sum, line) => sum + toScaled(line.amount), 0n));
}

const approvedLoaders = new WeakMap<RequestContext['loaders'], DataLoader<number, bigint>>();

/** The APPROVED credits of an invoice (scaled), read for every invoice of the request at once. */
export function approvedCreditsOfInvoice(ctx: RequestContext, invoiceId: number): Promise<bigint> {
  let loader = approvedLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, bigint>(async (ids) => {
      const amounts = await selectApprovedCreditAmounts(ctx.em, ids);
      return ids.map((id) => toScaled(amounts.get(id) ?? '0'));
    });
    approvedLoaders.set(ctx.loaders, loader);
  }
  return loader.load(invoiceId);
}
