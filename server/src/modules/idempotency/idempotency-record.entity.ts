import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** The first result of a push, kept under its idempotency key so a retry returns it and writes nothing. */
export const IdempotencyRecordSchema = defineEntity({
  name: 'IdempotencyRecord',
  properties: {
    key: p.string().length(200).primary(),
    operation: p.string().length(60),
    /** SHA-256 of the request's input: the same key with another payload is refused. */
    requestHash: p.string().length(64),
    response: p.json<unknown>(),
    actor: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IdempotencyRecord = InferEntity<typeof IdempotencyRecordSchema>;
