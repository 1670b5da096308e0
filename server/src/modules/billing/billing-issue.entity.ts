import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { InvoiceSchema } from '../invoice/invoice.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { BoxSchema } from '../box/box.entity';

export const BILLING_ISSUE_CODES = [
  'PREBOOK_CANCELLED',
  'PREBOOK_CLOSED',
  'CREDIT_HOLD',
  'CREDIT_LIMIT',
  'CUSTOMER_EXCLUDED',
  'TRUCK_DATE_PASSED',
  'MIXED_BOX',
] as const;
export type BillingIssueCode = (typeof BILLING_ISSUE_CODES)[number];

/** Why a box that belongs to a prebook was not billed automatically; resolved when the box is billed later. */
export const BillingIssueSchema = defineEntity({
  name: 'BillingIssue',
  indexes: [{ properties: ['resolvedAt'] }],
  properties: {
    id: p.integer().primary(),
    box: () => p.manyToOne(BoxSchema).index(),
    prebookLine: () => p.manyToOne(PrebookLineSchema).nullable(),
    code: p.enum([...BILLING_ISSUE_CODES]),
    message: p.text(),
    at: p.datetime().onCreate(() => new Date()),
    resolvedAt: p.datetime().nullable(),
  },
});
export type BillingIssue = InferEntity<typeof BillingIssueSchema>;

/** The shipping label an outbound scan produces when it bills a box (autoBilling ON_OUTBOUND_SCAN). */
export const ShippingLabelSchema = defineEntity({
  name: 'ShippingLabel',
  properties: {
    id: p.integer().primary(),
    box: () => p.manyToOne(BoxSchema).unique(),
    invoice: () => p.manyToOne(InvoiceSchema),
    text: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ShippingLabel = InferEntity<typeof ShippingLabelSchema>;
