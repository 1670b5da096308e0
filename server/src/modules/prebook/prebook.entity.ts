import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { money } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { ProductSchema } from '../product/product.entity';
import { StandingOrderSchema } from '../standing-order/standing-order.entity';
import { VendorSchema } from '../vendor/vendor.entity';

export const PREBOOK_STATUSES = ['OPEN', 'CANCELLED', 'CLOSED'] as const;
export type PrebookStatus = (typeof PREBOOK_STATUSES)[number];
export const PREBOOK_SOURCES = ['PREBOOK', 'STANDING_ORDER'] as const;
export const SELL_BY = ['BOX', 'UNIT'] as const;
export type SellBy = (typeof SELL_BY)[number];

export const PrebookSchema = defineEntity({
  name: 'Prebook',
  indexes: [{ properties: ['customer', 'truckDate'] }, { properties: ['truckDate'] }],
  // A standing order generates at most one prebook per date, even under concurrent runs.
  uniques: [{ properties: ['standingOrder', 'truckDate'] }],
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    customer: () => p.manyToOne(CustomerSchema),
    shipTo: () => p.manyToOne(ShipToSchema).nullable(),
    carrier: () => p.manyToOne(CarrierSchema),
    truckDate: p.date(),
    customerPo: p.string().length(60).nullable(),
    holiday: p.boolean().default(false),
    source: p.enum([...PREBOOK_SOURCES]).default('PREBOOK'),
    standingOrder: () => p.manyToOne(StandingOrderSchema).nullable(),
    status: p.enum([...PREBOOK_STATUSES]).default('OPEN'),
    lines: () => p.oneToMany(PrebookLineSchema).mappedBy('prebook').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Prebook = InferEntity<typeof PrebookSchema>;

export const PrebookLineSchema = defineEntity({
  name: 'PrebookLine',
  properties: {
    id: p.integer().primary(),
    prebook: () => p.manyToOne(PrebookSchema).index(),
    lineNo: p.integer(),
    product: () => p.manyToOne(ProductSchema),
    sellBy: p.enum([...SELL_BY]),
    boxType: () => p.manyToOne(BoxTypeSchema),
    /** Boxes ordered (sellBy BOX); null for lines sold in units. */
    boxes: p.integer().nullable(),
    unitsPerBox: p.integer(),
    /** Units ordered: boxes x unitsPerBox for BOX lines. */
    units: p.integer(),
    /** Sales price per unit; null = not priced yet (bills as price pending). */
    price: money().nullable(),
    /** Full expected unit cost (for a finished good: flowers + hard goods + labour); drives GPM. */
    cost: money().nullable(),
    vendor: () => p.manyToOne(VendorSchema).nullable(),
    /** The vendor's price per unit, when known in advance; it becomes the PO line's unit cost. */
    vendorCost: money().nullable(),
    unableToSource: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type PrebookLine = InferEntity<typeof PrebookLineSchema>;
