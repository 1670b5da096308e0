import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { money } from '../../common/entity-properties';
import { BoxSchema } from '../box/box.entity';
import { LocationSchema } from '../location/location.entity';

/** Why units left inventory other than by a sale (docs/maintainers.md#adjustments-and-counts). */
export const ADJUSTMENT_REASONS = ['DUMP', 'SHRINK', 'EXPIRED', 'DONATION', 'SAMPLE', 'OTHER'] as const;
export type AdjustmentReason = (typeof ADJUSTMENT_REASONS)[number];
export const COUNT_STATUSES = ['OPEN', 'CLOSED'] as const;
export type CountStatus = (typeof COUNT_STATUSES)[number];

/** A physical count of one location: the boxes expected when it started, the labels scanned, the adjustments it made. */
export const CountSchema = defineEntity({
  name: 'Count',
  properties: {
    id: p.integer().primary(),
    number: p.string().length(20).unique(),
    location: () => p.manyToOne(LocationSchema),
    status: p.enum([...COUNT_STATUSES]).default('OPEN'),
    startedBy: p.string().length(200),
    startedAt: p.datetime().onCreate(() => new Date()),
    closedBy: p.string().length(200).nullable(),
    closedAt: p.datetime().nullable(),
  },
});
export type Count = InferEntity<typeof CountSchema>;

/** Units taken out of a box by hand, with the reason and their value at the box's landed cost. */
export const InventoryAdjustmentSchema = defineEntity({
  name: 'InventoryAdjustment',
  indexes: [{ properties: ['at'] }],
  properties: {
    id: p.integer().primary(),
    box: () => p.manyToOne(BoxSchema).index(),
    /** Units removed from the box (always more than 0). */
    units: p.integer(),
    /** The box's landed unit cost when adjusted. */
    unitCost: money(),
    /** units x unitCost, exact. */
    value: money(),
    reason: p.enum([...ADJUSTMENT_REASONS]),
    note: p.string().length(500).nullable(),
    /** The count whose close wrote it off; null for an adjustment by hand. */
    count: () => p.manyToOne(CountSchema).nullable().index(),
    actor: p.string().length(200),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export type InventoryAdjustment = InferEntity<typeof InventoryAdjustmentSchema>;

/** A box in inventory at the count's location when the count started, with its units then. */
export const CountExpectedBoxSchema = defineEntity({
  name: 'CountExpectedBox',
  uniques: [{ properties: ['count', 'box'] }],
  properties: {
    id: p.integer().primary(),
    count: () => p.manyToOne(CountSchema),
    box: () => p.manyToOne(BoxSchema).index(),
    units: p.integer(),
  },
});
export type CountExpectedBox = InferEntity<typeof CountExpectedBoxSchema>;

/** One label scanned in a count: once per label, whoever scanned it first. */
export const CountScanSchema = defineEntity({
  name: 'CountScan',
  uniques: [{ properties: ['count', 'label'] }],
  properties: {
    id: p.integer().primary(),
    count: () => p.manyToOne(CountSchema),
    label: p.string().length(60),
    scannedBy: p.string().length(200),
    scannedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type CountScan = InferEntity<typeof CountScanSchema>;

/** The real freight, handling and duty of an air waybill, recorded when their invoices arrive (recordShipmentCosts). */
export const AwbCostSchema = defineEntity({
  name: 'AwbCost',
  properties: {
    id: p.integer().primary(),
    awb: p.string().length(40).unique(),
    freight: money(),
    handling: money(),
    duty: money(),
    recordedBy: p.string().length(200),
    recordedAt: p.datetime(),
  },
});
export type AwbCost = InferEntity<typeof AwbCostSchema>;
