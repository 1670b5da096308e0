import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  indexes: [{ properties: ['entity', 'entityId'] }, { properties: ['at'] }],
  properties: {
    id: p.bigint('number').primary(),
    at: p.datetime().onCreate(() => new Date()),
    actor: p.string().length(200),
    action: p.string().length(60),
    entity: p.string().length(60),
    entityId: p.string().length(60),
    payload: p.json<unknown>().nullable(),
  },
});
export type AuditEvent = InferEntity<typeof AuditEventSchema>;
