import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { money } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { LocationSchema } from '../location/location.entity';
import { PrebookLineSchema } from '../prebook/prebook.entity';
import { ProductSchema } from '../product/product.entity';
import { PurchaseOrderLineSchema, PurchaseOrderSchema } from '../purchase-order/purchase-order.entity';

export const BOX_STATUSES = ['STAGED', 'IN_INVENTORY', 'INVOICED', 'VOID'] as const;
export type BoxStatus = (typeof BOX_STATUSES)[number];
export const INVENTORY_TYPES = ['P', 'S', 'M'] as const;
export type InventoryType = (typeof INVENTORY_TYPES)[number];

/** A vendor's shipment of (part of) a purchase order, under one air waybill. */
export const ShipmentSchema = defineEntity({
  name: 'Shipment',
  properties: {
    id: p.integer().primary(),
    purchaseOrder: () => p.manyToOne(PurchaseOrderSchema).index(),
    awb: p.string().length(40).nullable().index(),
    shipDate: p.date(),
    arrivalDate: p.date(),
    portOfOrigin: p.string().length(40),
    /** Actual freight of the AWB; null while only the estimate (freightPerFbe) is known. */
    freight: money().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Shipment = InferEntity<typeof ShipmentSchema>;

export const BoxSchema = defineEntity({
  name: 'Box',
  indexes: [{ properties: ['status', 'product'] }, { properties: ['status', 'customer'] }],
  properties: {
    id: p.integer().primary(),
    label: p.string().length(60).unique(),
    shipment: () => p.manyToOne(ShipmentSchema).index(),
    purchaseOrderLine: () => p.manyToOne(PurchaseOrderLineSchema).index(),
    product: () => p.manyToOne(ProductSchema),
    boxType: () => p.manyToOne(BoxTypeSchema),
    location: () => p.manyToOne(LocationSchema),
    units: p.integer(),
    /** Units still in inventory: less than `units` once the box is opened. */
    unitsRemaining: p.integer(),
    portOfOrigin: p.string().length(40),
    landedUnitCost: money(),
    /** The landed unit cost estimated at shipping, kept once the real AWB costs replaced it (recordShipmentCosts); null until then. */
    estimatedLandedUnitCost: money().nullable(),
    status: p.enum([...BOX_STATUSES]).default('STAGED'),
    /** On hand (inbound scan) as opposed to in transit. */
    received: p.boolean().default(false),
    receivedAt: p.datetime().nullable(),
    /** Outbound scan: the box left the warehouse. */
    shippedOutAt: p.datetime().nullable(),
    /** Return scan: the box came back after it left (the truck brought it back, the customer refused it); shippedOutAt is cleared then. */
    returnedAt: p.datetime().nullable(),
    /** Who recorded the return scan. */
    returnedBy: p.string().length(200).nullable(),
    /** Why it came back, as the return scan said. */
    returnReason: p.text().nullable(),
    /** Set when the box is confirmed into inventory. */
    inventoryType: p.enum([...INVENTORY_TYPES]).nullable(),
    customer: () => p.manyToOne(CustomerSchema).nullable(),
    prebookLine: () => p.manyToOne(PrebookLineSchema).nullable(),
    confirmedAt: p.datetime().nullable(),
    demands: () => p.oneToMany(BoxDemandSchema).mappedBy('box'),
    /** A box of units a customer credit returned to stock: the box they came from (not a box the vendor shipped). */
    restockOf: () => p.manyToOne(BoxSchema).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type Box = InferEntity<typeof BoxSchema>;

/** The prebook lines a box was bought for, with the units it carries for each. */
export const BoxDemandSchema = defineEntity({
  name: 'BoxDemand',
  uniques: [{ properties: ['box', 'prebookLine'] }],
  properties: {
    id: p.integer().primary(),
    box: () => p.manyToOne(BoxSchema),
    prebookLine: () => p.manyToOne(PrebookLineSchema).index(),
    units: p.integer(),
  },
});
export type BoxDemand = InferEntity<typeof BoxDemandSchema>;
