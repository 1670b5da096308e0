import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties, money } from '../../common/entity-properties';
import { BoxSchema } from '../box/box.entity';
import { CreditReasonSchema, CreditSchema } from '../credit/credit.entity';
import { InvoiceLineSchema } from '../invoice/invoice.entity';
import { PurchaseOrderLineSchema } from '../purchase-order/purchase-order.entity';
import { VendorSchema } from '../vendor/vendor.entity';

/** PENDING (drafted), SENT (claimed from the farm), ACCEPTED (the farm credits it: cost recovered), REJECTED. */
export const VENDOR_CREDIT_STATUSES = ['PENDING', 'SENT', 'ACCEPTED', 'REJECTED'] as const;
export type VendorCreditStatus = (typeof VENDOR_CREDIT_STATUSES)[number];

/** Where a farm claim came from: a customer credit, a quality inspection of received boxes, or typed by hand. */
export const VENDOR_CREDIT_SOURCES = ['CREDIT', 'INSPECTION', 'MANUAL'] as const;
export type VendorCreditSource = (typeof VENDOR_CREDIT_SOURCES)[number];

/** A claim to a vendor (farm): boxes or purchase order lines, units, and amounts split into product, freight, duty and handling. */
export const VendorCreditSchema = defineEntity({
  name: 'VendorCredit',
  indexes: [{ properties: ['vendor', 'status'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    vendor: () => p.manyToOne(VendorSchema),
    status: p.enum([...VENDOR_CREDIT_STATUSES]).default('PENDING'),
    source: p.enum([...VENDOR_CREDIT_SOURCES]).default('MANUAL'),
    /** The customer credit it passes on to the farm, when there is one. */
    sourceCredit: () => p.manyToOne(CreditSchema).nullable().index(),
    reason: () => p.manyToOne(CreditReasonSchema).nullable(),
    notes: p.string().length(1000).default(''),
    createdBy: p.string().length(200),
    /** Who last changed its status, when, and what they noted (the farm's answer). */
    statusBy: p.string().length(200).nullable(),
    statusAt: p.datetime().nullable(),
    statusNote: p.string().length(1000).nullable(),
    lines: () => p.oneToMany(VendorCreditLineSchema).mappedBy('vendorCredit').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    ...documentProperties(),
  },
});
export type VendorCredit = InferEntity<typeof VendorCreditSchema>;

/** One line of a farm claim: a box (or a purchase order line), units, and the amounts claimed, to cents. */
export const VendorCreditLineSchema = defineEntity({
  name: 'VendorCreditLine',
  properties: {
    id: p.integer().primary(),
    vendorCredit: () => p.manyToOne(VendorCreditSchema).index(),
    lineNo: p.integer(),
    box: () => p.manyToOne(BoxSchema).nullable().index(),
    purchaseOrderLine: () => p.manyToOne(PurchaseOrderLineSchema).nullable().index(),
    /** The customer's invoice line whose cost it recovers (from a customer credit). */
    invoiceLine: () => p.manyToOne(InvoiceLineSchema).nullable().index(),
    units: p.integer(),
    productAmount: money(),
    freightAmount: money(),
    dutyAmount: money(),
    handlingAmount: money(),
    /** productAmount + freightAmount + dutyAmount + handlingAmount. */
    amount: money(),
  },
});
export type VendorCreditLine = InferEntity<typeof VendorCreditLineSchema>;
