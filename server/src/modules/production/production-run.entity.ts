import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties } from '../../common/entity-properties';
import { CustomerSchema } from '../customer/customer.entity';
import { InvoiceSchema } from '../invoice/invoice.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { PurchaseOrderSchema } from '../purchase-order/purchase-order.entity';

export const PRODUCTION_RUN_STATUSES = ['OPEN', 'CLOSED'] as const;
export type ProductionRunStatus = (typeof PRODUCTION_RUN_STATUSES)[number];

/**
 * One batch of finished goods made by a production company (a customer of kind PRODUCTION): the
 * finished-goods prebook lines it makes, the company's PO for them (its unit cost is the labour), the
 * component POs bought for it and the component transfers (invoices of kind TRANSFER) sent to it.
 */
export const ProductionRunSchema = defineEntity({
  name: 'ProductionRun',
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    productionCompany: () => p.manyToOne(CustomerSchema),
    productionPurchaseOrder: () => p.manyToOne(PurchaseOrderSchema).nullable(),
    status: p.enum([...PRODUCTION_RUN_STATUSES]).default('OPEN'),
    lines: () => p.oneToMany(ProductionRunLineSchema).mappedBy('productionRun').orphanRemoval(),
    transfers: () => p.oneToMany(ProductionRunTransferSchema).mappedBy('productionRun'),
    componentOrders: () => p.oneToMany(ProductionRunPurchaseOrderSchema).mappedBy('productionRun'),
    ...documentProperties(),
  },
});
export type ProductionRun = InferEntity<typeof ProductionRunSchema>;

/** A finished-goods prebook line made in a run; a line belongs to one run at most. */
export const ProductionRunLineSchema = defineEntity({
  name: 'ProductionRunLine',
  properties: {
    id: p.integer().primary(),
    productionRun: () => p.manyToOne(ProductionRunSchema).index(),
    prebookLine: () => p.manyToOne(PrebookLineSchema).unique(),
  },
});
export type ProductionRunLine = InferEntity<typeof ProductionRunLineSchema>;

/** A component transfer of a run: an invoice of kind TRANSFER to the run's production company. */
export const ProductionRunTransferSchema = defineEntity({
  name: 'ProductionRunTransfer',
  properties: {
    id: p.integer().primary(),
    productionRun: () => p.manyToOne(ProductionRunSchema).index(),
    invoice: () => p.manyToOne(InvoiceSchema).unique(),
  },
});
export type ProductionRunTransfer = InferEntity<typeof ProductionRunTransferSchema>;

/** A component PO bought for a run (createComponentPurchaseOrders). */
export const ProductionRunPurchaseOrderSchema = defineEntity({
  name: 'ProductionRunPurchaseOrder',
  properties: {
    id: p.integer().primary(),
    productionRun: () => p.manyToOne(ProductionRunSchema).index(),
    purchaseOrder: () => p.manyToOne(PurchaseOrderSchema).unique(),
  },
});
export type ProductionRunPurchaseOrder = InferEntity<typeof ProductionRunPurchaseOrderSchema>;
