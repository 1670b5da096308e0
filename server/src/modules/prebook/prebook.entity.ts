import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties, timestampProperties } from '../../common/entity-properties';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { StandingOrderSchema } from './standing-order.entity';
import { salesLineProperties } from './sales-line.properties';
import { PRICE_SOURCES } from '../price-list/price-precedence';

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
    /** The client's id of the document when it was new (a sheet's hidden Document Id): a retried push finds it. */
    documentId: p.string().length(64).nullable().unique(),
    lines: () => p.oneToMany(PrebookLineSchema).mappedBy('prebook').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    ...documentProperties(),
  },
});
export type Prebook = InferEntity<typeof PrebookSchema>;

export const PrebookLineSchema = defineEntity({
  name: 'PrebookLine',
  properties: {
    id: p.integer().primary(),
    prebook: () => p.manyToOne(PrebookSchema).index(),
    ...salesLineProperties(),
    /** Where the price came from (the line, or a price list); null while it is pending. */
    priceSource: p.enum([...PRICE_SOURCES]).nullable(),
    unableToSource: p.boolean().default(false),
    ...timestampProperties(),
  },
});
export type PrebookLine = InferEntity<typeof PrebookLineSchema>;
