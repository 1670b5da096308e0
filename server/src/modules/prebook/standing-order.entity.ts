import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties } from '../../common/entity-properties';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { salesLineProperties } from './sales-line.properties';

// Here, beside the prebook entity, because a prebook names the standing order that generated it: the
// standing-order module (schedules, generation) depends on prebooks, never the other way round.
export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const StandingOrderSchema = defineEntity({
  name: 'StandingOrder',
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    customer: () => p.manyToOne(CustomerSchema),
    shipTo: () => p.manyToOne(ShipToSchema).nullable(),
    carrier: () => p.manyToOne(CarrierSchema),
    customerPo: p.string().length(60).nullable(),
    /** Truck days, MON..SUN. */
    weekdays: p.array<Weekday>(),
    everyWeeks: p.integer().default(1),
    startDate: p.date(),
    endDate: p.date().nullable(),
    holiday: p.boolean().default(false),
    active: p.boolean().default(true),
    lines: () => p.oneToMany(StandingOrderLineSchema).mappedBy('standingOrder').orderBy({ lineNo: 'asc' }).orphanRemoval(),
    ...documentProperties(),
  },
});
export type StandingOrder = InferEntity<typeof StandingOrderSchema>;

export const StandingOrderLineSchema = defineEntity({
  name: 'StandingOrderLine',
  properties: {
    id: p.integer().primary(),
    standingOrder: () => p.manyToOne(StandingOrderSchema).index(),
    ...salesLineProperties(),
  },
});
export type StandingOrderLine = InferEntity<typeof StandingOrderLineSchema>;
