import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CHANGE_TYPES = [
  'INVOICE',
  'PREBOOK',
  'PURCHASE_ORDER',
  'STANDING_ORDER',
  'BOX',
  'CUSTOMER',
  'VENDOR',
  'PRODUCT',
  'CREDIT',
  'VENDOR_CREDIT',
  'PAYMENT',
] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];
export const CHANGE_KINDS = ['CREATED', 'UPDATED', 'DELETED'] as const;
/** What a change can say to a reader: REMOVED is read, never stored (a customer's document moved to another customer). */
export type ChangeReadKind = (typeof CHANGE_KINDS)[number] | 'REMOVED';
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * The change feed's outbox: one row per document a transaction wrote. Rows are
 * written only by database triggers (migration change_feed), in the writing
 * transaction itself, so ORM flushes and set-based SQL alike are recorded and
 * a rolled-back transaction leaves nothing. `xid` is the writing transaction's
 * id; readers only return rows below the oldest transaction still running.
 */
export const ChangeEventSchema = defineEntity({
  name: 'ChangeEvent',
  indexes: [{ properties: ['xid', 'id'] }],
  uniques: [{ properties: ['xid', 'type', 'entityId'] }],
  properties: {
    id: p.bigint('number').primary(),
    xid: p.string().columnType('xid8').defaultRaw('pg_current_xact_id()'),
    type: p.enum([...CHANGE_TYPES]),
    entityId: p.integer(),
    /** Number, label or code of the document. */
    key: p.string().length(60),
    version: p.integer().nullable(),
    change: p.enum([...CHANGE_KINDS]),
    /** The customer an invoice or prebook belongs to: what a CUSTOMER token may read. */
    customerId: p.integer().nullable(),
    /** The customer an invoice or prebook belonged to before this transaction moved it to another: its feed gets REMOVED. */
    removedCustomerId: p.integer().nullable(),
    at: p.datetime().defaultRaw('now()'),
  },
});
export type ChangeEvent = InferEntity<typeof ChangeEventSchema>;

/**
 * How far the change feed has been pruned (one row, id 1): the position (transaction id, event id) of the
 * last event deleted. A cursor before it would skip deleted changes, so it is refused as CURSOR_EXPIRED.
 */
export const ChangeFeedStateSchema = defineEntity({
  name: 'ChangeFeedState',
  properties: {
    id: p.integer().primary().autoincrement(false),
    prunedXid: p.string().columnType('xid8').defaultRaw(`'0'::xid8`),
    prunedId: p.bigint('string').default('0'),
    prunedAt: p.datetime().nullable(),
  },
});
export type ChangeFeedState = InferEntity<typeof ChangeFeedStateSchema>;
