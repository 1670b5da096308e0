// What receivables read: payments, an invoice's applications and open amount, a customer's balance.
import DataLoader from 'dataloader';
import { fromScaled, toScaled } from '../../common/decimal';
import { dateRange, ownCustomerId, ownDocuments, scopeToCustomer } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { requiredRelation } from '../../common/required-relation';
import type { PaymentFilter } from '../../generated/graphql';
import { approvedCreditsOfInvoice } from '../credit/credit-query.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import type { Invoice } from '../invoice/invoice.entity';
import { invoiceTotal } from '../charge/charges.loader';
import { openAmount } from '../invoice/invoice-totals';
import { PaymentApplicationSchema, PaymentSchema, type Payment, type PaymentApplication } from './payment.entity';
import { dueDate, invoicePaymentStatus, type InvoicePaymentStatus } from './receivables-rules';
import { selectCustomerBalances } from './receivables.repository';

const POPULATE_PAYMENT = ['customer', 'applications', 'applications.credit', 'applications.payment'] as const;

/** payments(filter): newest first; a CUSTOMER token sees only its own. */
export async function listPayments(ctx: RequestContext, filter: PaymentFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, PaymentSchema, filter.number, 'filter.number', ownDocuments(ctx));
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) });
  if (filter?.status) where.status = filter.status;
  if (filter?.dateFrom || filter?.dateTo) where.paymentDate = dateRange(filter.dateFrom, filter.dateTo);
  scopeToCustomer(ctx, where);
  return paginate(ctx.em, PaymentSchema, where, page, { key: 'id', direction: 'desc', populate: [...POPULATE_PAYMENT] });
}

/** payment(number) for the change feed: null when there is none, or it is another customer's (CUSTOMER token). */
export function findPayment(ctx: RequestContext, number: string): Promise<Payment | null> {
  const where: Record<string, unknown> = { number: number.trim().toUpperCase() };
  scopeToCustomer(ctx, where);
  return ctx.em.findOne(PaymentSchema, where, { populate: POPULATE_PAYMENT });
}

/** Whether an application counts: not reversed (its payment voided), its credit still APPROVED. */
export function counts(application: PaymentApplication): boolean {
  return application.reversedAt == null && (!application.credit || application.credit.status === 'APPROVED');
}

/** A payment's applications that count, in the order they were made. */
export function countingApplications(payment: Payment): PaymentApplication[] {
  return payment.applications.getItems().filter(counts);
}

/** What a payment's applications take (scaled). */
export function appliedOfPayment(payment: Payment): bigint {
  return countingApplications(payment).reduce((sum, a) => sum + toScaled(a.amount), 0n);
}

type Loaders = RequestContext['loaders'];
const applicationLoaders = new WeakMap<Loaders, DataLoader<number, PaymentApplication[]>>();
const balanceLoaders = new WeakMap<Loaders, DataLoader<number, string>>();

function loaderOf<V>(map: WeakMap<Loaders, DataLoader<number, V>>, ctx: RequestContext, load: (ids: readonly number[]) => Promise<V[]>): DataLoader<number, V> {
  let loader = map.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, V>(load);
    map.set(ctx.loaders, loader);
  }
  return loader;
}

/** The applications to an invoice that count, read for every invoice of the request at once. */
export function applicationsOfInvoice(ctx: RequestContext, invoiceId: number): Promise<PaymentApplication[]> {
  return loaderOf(applicationLoaders, ctx, async (ids) => {
    const rows = await ctx.em.find(
      PaymentApplicationSchema,
      { invoice: { $in: [...ids] }, reversedAt: null },
      { populate: ['payment', 'credit'], orderBy: { id: 'asc' } },
    );
    return ids.map((id) => rows.filter((row) => row.invoice.id === id && counts(row)));
  }).load(invoiceId);
}

/** An invoice's receivable amounts (scaled): applied and open, with its payment status. */
export async function invoiceReceivable(ctx: RequestContext, invoice: Invoice): Promise<{ applied: bigint; open: bigint; status: InvoicePaymentStatus }> {
  const [total, credited, applications] = await Promise.all([
    invoiceTotal(ctx, invoice),
    approvedCreditsOfInvoice(ctx, invoice.id),
    applicationsOfInvoice(ctx, invoice.id),
  ]);
  const applied = applications.reduce((sum, a) => sum + toScaled(a.amount), 0n);
  const open = openAmount(total, credited, applied);
  return { applied, open, status: invoicePaymentStatus(open, applied) };
}

/** An invoice's due date: its invoice date plus its customer's payment terms. */
export async function invoiceDueDate(ctx: RequestContext, invoice: Invoice): Promise<string> {
  const customer = await requiredRelation('Invoice.customer', ctx.loaders.reference(CustomerSchema)(invoice.customer));
  return dueDate(invoice.invoiceDate, customer.paymentTermsDays);
}

/** A customer's balance, read for every customer of the request at once. */
export function customerBalance(ctx: RequestContext, customer: Customer): Promise<string> {
  return loaderOf(balanceLoaders, ctx, async (ids) => {
    const balances = await selectCustomerBalances(ctx.em, ids);
    return ids.map((id) => fromScaled(toScaled(balances.get(id) ?? '0')));
  }).load(customer.id);
}
