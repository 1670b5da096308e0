import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { codedEntityProperties, documentProperties, money } from '../../common/entity-properties';
import { BoxSchema } from '../box/box.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceLineSchema, InvoiceSchema } from '../invoice/invoice.entity';

/** Whom a credit reason is for: customer credits, vendor credits (farm claims), or both. */
export const CREDIT_REASON_SCOPES = ['CUSTOMER', 'VENDOR', 'BOTH'] as const;
export type CreditReasonScope = (typeof CREDIT_REASON_SCOPES)[number];

/** PENDING (requested, changes nothing yet), APPROVED (lowers the invoice's open amount and revenue), REJECTED, VOID. */
export const CREDIT_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'VOID'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

/** QUANTITY: units of an invoice line at its price; PRICE: an amount off each unit's price; AMOUNT: a flat amount. */
export const CREDIT_LINE_KINDS = ['QUANTITY', 'PRICE', 'AMOUNT'] as const;
export type CreditLineKind = (typeof CREDIT_LINE_KINDS)[number];

/** Why a credit is given (master data, kept by code; a default list is seeded on an empty database). */
export const CreditReasonSchema = defineEntity({
  name: 'CreditReason',
  properties: {
    ...codedEntityProperties(),
    appliesTo: p.enum([...CREDIT_REASON_SCOPES]).default('BOTH'),
    active: p.boolean().default(true),
  },
});
export type CreditReason = InferEntity<typeof CreditReasonSchema>;

/** A credit to a customer: lines off one invoice's lines, or a flat amount; only an APPROVED credit changes what is owed. */
export const CreditSchema = defineEntity({
  name: 'Credit',
  indexes: [{ properties: ['customer', 'status'] }, { properties: ['invoice'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    customer: () => p.manyToOne(CustomerSchema),
    invoice: () => p.manyToOne(InvoiceSchema).nullable(),
    /** The company's date (Settings.timeZone) the credit was requested. */
    creditDate: p.date(),
    status: p.enum([...CREDIT_STATUSES]).default('PENDING'),
    reason: () => p.manyToOne(CreditReasonSchema).nullable(),
    notes: p.string().length(1000).default(''),
    lines: () => p.oneToMany(CreditLineSchema).mappedBy('credit').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    requestedBy: p.string().length(200),
    requestedAt: p.datetime(),
    approvedBy: p.string().length(200).nullable(),
    approvedAt: p.datetime().nullable(),
    /** Who rejected or voided it, when, and why. */
    closedBy: p.string().length(200).nullable(),
    closedAt: p.datetime().nullable(),
    rejectionReason: p.string().length(1000).nullable(),
    voidReason: p.string().length(1000).nullable(),
    ...documentProperties(),
  },
});
export type Credit = InferEntity<typeof CreditSchema>;

/** One line of a credit, its amount rounded to cents. */
export const CreditLineSchema = defineEntity({
  name: 'CreditLine',
  properties: {
    id: p.integer().primary(),
    credit: () => p.manyToOne(CreditSchema).index(),
    lineNo: p.integer(),
    kind: p.enum([...CREDIT_LINE_KINDS]),
    invoiceLine: () => p.manyToOne(InvoiceLineSchema).nullable().index(),
    units: p.integer().nullable(),
    amountPerUnit: money().nullable(),
    amount: money(),
    /** Return the units to stock (stored; QUANTITY lines only). */
    restock: p.boolean().default(false),
  },
});
export type CreditLine = InferEntity<typeof CreditLineSchema>;

/**
 * Units an APPROVED credit line returned to stock: taken from `sourceBox` (a box the invoice line took that
 * never left the warehouse, or came back) into `box`, a new open-market box at the source box's landed cost.
 */
export const CreditRestockSchema = defineEntity({
  name: 'CreditRestock',
  properties: {
    id: p.integer().primary(),
    creditLine: () => p.manyToOne(CreditLineSchema).index(),
    sourceBox: () => p.manyToOne(BoxSchema).index(),
    box: () => p.manyToOne(BoxSchema).index(),
    units: p.integer(),
    /** The source box's landed unit cost: what leaves the sale's cost of goods per unit. */
    unitCost: money(),
  },
});
export type CreditRestock = InferEntity<typeof CreditRestockSchema>;
