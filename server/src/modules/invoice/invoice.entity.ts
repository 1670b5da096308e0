import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { toScaled } from '../../common/decimal';
import { documentProperties, money } from '../../common/entity-properties';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { BoxSchema, BOX_STATUSES, INVENTORY_TYPES } from '../box/box.entity';
import { PRICE_SOURCES } from '../price-list/price-precedence';

export const INVOICE_STATUSES = ['PENDING', 'CONFIRMED', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const INVOICE_SOURCES = ['AUTO_BILLING', 'ALLOCATION', 'MANUAL'] as const;
/**
 * SALE, or TRANSFER: components handed to a production company (a customer of kind PRODUCTION), never revenue;
 * FINANCE_CHARGE and FEE (an NSF fee) have no lines, only a feeAmount, and are never revenue either.
 */
export const INVOICE_KINDS = ['SALE', 'TRANSFER', 'FINANCE_CHARGE', 'FEE'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

/**
 * An invoice to a customer of kind PRODUCTION whose every price is exactly 0.00 is a transfer of
 * components (never revenue); anything else is a sale, counted in gpmReport: a priced invoice to a
 * production company (a pending price included, which is priced later) sells it something.
 */
export function invoiceKindFor(customer: { kind: string }, unitPrices: ReadonlyArray<string | null>): InvoiceKind {
  return customer.kind === 'PRODUCTION' && unitPrices.length > 0 && unitPrices.every(isZeroPrice) ? 'TRANSFER' : 'SALE';
}

/** Exactly zero (0, 0.00, 0.0000), not pending. */
export function isZeroPrice(price: string | null | undefined): boolean {
  return price != null && toScaled(price) === 0n;
}

export const InvoiceSchema = defineEntity({
  name: 'Invoice',
  indexes: [{ properties: ['customer', 'truckDate', 'status'] }, { properties: ['status'] }, { properties: ['truckDate'] }],
  uniques: [{ properties: ['customer', 'chargePeriod'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    customer: () => p.manyToOne(CustomerSchema),
    shipTo: () => p.manyToOne(ShipToSchema).nullable(),
    carrier: () => p.manyToOne(CarrierSchema).nullable(),
    truckDate: p.date(),
    customerPo: p.string().length(60).nullable(),
    status: p.enum([...INVOICE_STATUSES]).default('PENDING'),
    pickTicketPrinted: p.boolean().default(false),
    source: p.enum([...INVOICE_SOURCES]),
    kind: p.enum([...INVOICE_KINDS]).default('SALE'),
    /** A VOID invoice merged into another (mergeInvoices). */
    mergedInto: () => p.manyToOne(InvoiceSchema).nullable(),
    /** The company's date (Settings.timeZone) the invoice was made. */
    invoiceDate: p.date(),
    holiday: p.boolean().default(false),
    portOfOrigin: p.string().length(40).nullable(),
    /** Whether its boxes were in transit (true) or on hand (false) when billed; for separateInTransitAndOnHand. */
    inTransit: p.boolean().nullable(),
    /** Holds open-market (M) items; for consolidateOpenMarket. */
    hasOpenMarket: p.boolean().default(false),
    lines: () => p.oneToMany(InvoiceLineSchema).mappedBy('invoice').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    confirmedAt: p.datetime().nullable(),
    /** A FINANCE_CHARGE or FEE invoice's amount (it has no lines); null on other invoices. */
    feeAmount: money().nullable(),
    /** A FINANCE_CHARGE invoice's month (YYYY-MM): one per customer and month. */
    chargePeriod: p.string().length(7).nullable(),
    ...documentProperties(),
  },
});
export type Invoice = InferEntity<typeof InvoiceSchema>;

export const InvoiceLineSchema = defineEntity({
  name: 'InvoiceLine',
  properties: {
    id: p.integer().primary(),
    invoice: () => p.manyToOne(InvoiceSchema).index(),
    lineNo: p.integer(),
    product: () => p.manyToOne(ProductSchema),
    /** Whole boxes on the line. */
    boxes: p.integer(),
    units: p.integer(),
    /** Null: price pending. */
    unitPrice: money().nullable(),
    /** Where the unit price came from (its prebook line's, a price list, or set on the line); null while it is pending. */
    priceSource: p.enum([...PRICE_SOURCES]).nullable(),
    unitCost: money(),
    prebookLine: () => p.manyToOne(PrebookLineSchema).nullable().index(),
    inventoryType: p.enum([...INVENTORY_TYPES]),
    takes: () => p.oneToMany(InvoiceLineBoxSchema).mappedBy('invoiceLine').orphanRemoval(),
  },
});
export type InvoiceLine = InferEntity<typeof InvoiceLineSchema>;

/** The units an invoice line took from one box, and what the box was before, so a void can put it back. */
export const InvoiceLineBoxSchema = defineEntity({
  name: 'InvoiceLineBox',
  properties: {
    id: p.integer().primary(),
    invoiceLine: () => p.manyToOne(InvoiceLineSchema).index(),
    box: () => p.manyToOne(BoxSchema).index(),
    units: p.integer(),
    previousStatus: p.enum([...BOX_STATUSES]),
    previousInventoryType: p.enum([...INVENTORY_TYPES]).nullable(),
    previousCustomer: () => p.manyToOne(CustomerSchema).nullable(),
  },
});
export type InvoiceLineBox = InferEntity<typeof InvoiceLineBoxSchema>;
