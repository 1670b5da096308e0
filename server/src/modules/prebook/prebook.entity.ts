import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { StandingOrderSchema } from './standing-order.entity';
import { salesLineProperties } from './sales-line.properties';

export const PREBOOK_STATUSES = ['OPEN', 'CANCELLED', 'CLOSED'] as const;
export type PrebookStatus = (typeof PREBOOK_STATUSES)[number];
export const PREBOOK_SOURCES = ['PREBOOK', 'STANDING_ORDER'] as const;
export { SELL_BY, type SellBy } from './sales-line.properties';

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
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Prebook = InferEntity<typeof PrebookSchema>;

export const PrebookLineSchema = defineEntity({
  name: 'PrebookLine',
  properties: {
    id: p.integer().primary(),
    prebook: () => p.manyToOne(PrebookSchema).index(),
    ...salesLineProperties(),
    unableToSource: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type PrebookLine = InferEntity<typeof PrebookLineSchema>;
