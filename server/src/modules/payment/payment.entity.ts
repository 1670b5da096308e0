import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties, money } from '../../common/entity-properties';
import { CreditSchema } from '../credit/credit.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceSchema } from '../invoice/invoice.entity';

/** How a customer paid. */
export const PAYMENT_METHODS = ['CHECK', 'WIRE', 'ACH', 'CARD', 'CASH', 'OTHER'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** POSTED (counts), VOID (a bounced check: its applications no longer count). */
export const PAYMENT_STATUSES = ['POSTED', 'VOID'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Money received from a customer; what its applications do not take is the customer's unapplied credit. */
export const PaymentSchema = defineEntity({
  name: 'Payment',
  indexes: [{ properties: ['customer', 'status'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    customer: () => p.manyToOne(CustomerSchema),
    /** The day the money was received. */
    paymentDate: p.date(),
    amount: money(),
    method: p.enum([...PAYMENT_METHODS]),
    /** Check number, wire reference, ... */
    reference: p.string().length(100).default(''),
    status: p.enum([...PAYMENT_STATUSES]).default('POSTED'),
    recordedBy: p.string().length(200),
    voidReason: p.string().length(1000).nullable(),
    voidedBy: p.string().length(200).nullable(),
    voidedAt: p.datetime().nullable(),
    /** The NSF fee invoice a void added. */
    feeInvoice: () => p.manyToOne(InvoiceSchema).nullable(),
    applications: () => p.oneToMany(PaymentApplicationSchema).mappedBy('payment').orderBy({ id: 'asc' }),
    ...documentProperties(),
  },
});
export type Payment = InferEntity<typeof PaymentSchema>;

/**
 * An amount of a payment, or of an approved credit without an invoice, applied to an invoice. It counts
 * while its payment is POSTED (or its credit APPROVED).
 */
export const PaymentApplicationSchema = defineEntity({
  name: 'PaymentApplication',
  properties: {
    id: p.integer().primary(),
    payment: () => p.manyToOne(PaymentSchema).nullable().index(),
    credit: () => p.manyToOne(CreditSchema).nullable().index(),
    invoice: () => p.manyToOne(InvoiceSchema).index(),
    amount: money(),
    appliedBy: p.string().length(200),
    appliedAt: p.datetime(),
    /** When its payment was voided (it no longer counts). */
    reversedAt: p.datetime().nullable(),
  },
});
export type PaymentApplication = InferEntity<typeof PaymentApplicationSchema>;
