import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties, money } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { LocationSchema } from '../location/location.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';

export const PURCHASE_ORDER_STATUSES = ['OPEN', 'CONFIRMED', 'SHIPPED', 'RECEIVED', 'CANCELLED'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export const PurchaseOrderSchema = defineEntity({
  name: 'PurchaseOrder',
  indexes: [{ properties: ['vendor', 'shipDate'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    vendor: () => p.manyToOne(VendorSchema),
    /** A customer the goods are for (e.g. the production company); its boxes enter reserved for it. */
    customer: () => p.manyToOne(CustomerSchema).nullable(),
    location: () => p.manyToOne(LocationSchema),
    shipDate: p.date(),
    portOfOrigin: p.string().length(40),
    status: p.enum([...PURCHASE_ORDER_STATUSES]).default('OPEN'),
    /** The client's id of the document when it was new (a sheet's hidden Document Id): a retried push finds it. */
    documentId: p.string().length(64).nullable().unique(),
    lines: () => p.oneToMany(PurchaseOrderLineSchema).mappedBy('purchaseOrder').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    ...documentProperties(),
  },
});
export type PurchaseOrder = InferEntity<typeof PurchaseOrderSchema>;

export const PurchaseOrderLineSchema = defineEntity({
  name: 'PurchaseOrderLine',
  properties: {
    id: p.integer().primary(),
    purchaseOrder: () => p.manyToOne(PurchaseOrderSchema).index(),
    lineNo: p.integer(),
    product: () => p.manyToOne(ProductSchema),
    boxType: () => p.manyToOne(BoxTypeSchema),
    boxes: p.integer(),
    unitsPerBox: p.integer(),
    unitCost: money(),
    links: () => p.oneToMany(PurchaseOrderLineLinkSchema).mappedBy('purchaseOrderLine').orphanRemoval(),
  },
});
export type PurchaseOrderLine = InferEntity<typeof PurchaseOrderLineSchema>;

/** The prebook lines a PO line serves: boxes for lines sold by the box, units for lines sold in units. */
export const PurchaseOrderLineLinkSchema = defineEntity({
  name: 'PurchaseOrderLineLink',
  uniques: [{ properties: ['purchaseOrderLine', 'prebookLine'] }],
  indexes: [{ properties: ['prebookLine'] }],
  properties: {
    id: p.integer().primary(),
    purchaseOrderLine: () => p.manyToOne(PurchaseOrderLineSchema),
    prebookLine: () => p.manyToOne(PrebookLineSchema),
    boxes: p.integer().nullable(),
    units: p.integer().nullable(),
  },
});
export type PurchaseOrderLineLink = InferEntity<typeof PurchaseOrderLineLinkSchema>;
