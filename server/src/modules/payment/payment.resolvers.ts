import { fromScaled, toScaled } from '../../common/decimal';
import { requiredRelation } from '../../common/required-relation';
import type { Resolvers } from '../../generated/graphql';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceSchema } from '../invoice/invoice.entity';
import {
  appliedOfPayment,
  applicationsOfInvoice,
  countingApplications,
  customerBalance,
  findPayment,
  invoiceDueDate,
  invoiceReceivable,
  listPayments,
} from './payment-query.service';
import { applyCredit, recordPayment, voidPayment } from './payment.service';
import { applyFinanceCharges, receivablesAging } from './receivables.service';

export const paymentResolvers: Resolvers = {
  Query: {
    payments: (_, { filter, first, after }, ctx) => listPayments(ctx, filter, { first, after }),
    receivablesAging: (_, { asOf, customer }, ctx) => receivablesAging(ctx, asOf, customer),
  },
  Mutation: {
    recordPayment: (_, { input, idempotencyKey }, ctx) => recordPayment(ctx, input, idempotencyKey),
    applyCredit: (_, { input, idempotencyKey }, ctx) => applyCredit(ctx, input, idempotencyKey),
    voidPayment: (_, { number, reason, nsfFee, idempotencyKey }, ctx) => voidPayment(ctx, number, reason, nsfFee, idempotencyKey),
    applyFinanceCharges: (_, { asOf, dryRun }, ctx) => applyFinanceCharges(ctx, asOf, dryRun ?? false),
  },
  Payment: {
    customer: (payment, _, ctx) => requiredRelation('Payment.customer', ctx.loaders.reference(CustomerSchema)(payment.customer)),
    date: (payment) => payment.paymentDate,
    applications: (payment) => countingApplications(payment),
    appliedAmount: (payment) => fromScaled(payment.status === 'POSTED' ? appliedOfPayment(payment) : 0n),
    unappliedAmount: (payment) => fromScaled(payment.status === 'POSTED' ? toScaled(payment.amount) - appliedOfPayment(payment) : 0n),
    feeInvoice: (payment, _, ctx) => ctx.loaders.reference(InvoiceSchema)(payment.feeInvoice),
  },
  PaymentApplication: {
    invoice: (application, _, ctx) => requiredRelation('PaymentApplication.invoice', ctx.loaders.reference(InvoiceSchema)(application.invoice)),
    payment: (application) => application.payment?.number ?? null,
    credit: (application) => application.credit?.number ?? null,
  },
  Invoice: {
    openAmount: async (invoice, _, ctx) => fromScaled((await invoiceReceivable(ctx, invoice)).open),
    paidAmount: async (invoice, _, ctx) => fromScaled((await invoiceReceivable(ctx, invoice)).applied),
    paymentStatus: async (invoice, _, ctx) => (await invoiceReceivable(ctx, invoice)).status,
    dueDate: (invoice, _, ctx) => invoiceDueDate(ctx, invoice),
    applications: (invoice, _, ctx) => applicationsOfInvoice(ctx, invoice.id),
  },
  Customer: {
    balance: (customer, _, ctx) => customerBalance(ctx, customer),
  },
  Change: {
    payment: (change, _, ctx) => (change.type === 'PAYMENT' && change.change !== 'REMOVED' ? findPayment(ctx, change.key) : null),
  },
};
