import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorLabel, type Actor, type RequestContext } from '../../common/request-context';
import { userError } from '../../common/user-error';
import type { IdempotentOutcome, WriteJournal } from '../../common/write-journal';
import { recordAudit, recordAudits } from '../audit/audit.service';
import { IdempotencyRecordSchema } from './idempotency-record.entity';
import { insertIdempotencyRecord, updateIdempotentResponse } from './idempotency.repository';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

/**
 * An object's keys in localeCompare order, each with its `"key":` text, by the keys it has in their
 * own order: the objects of one input type share a handful of shapes, and sorting the keys of each of
 * a 5,000-line push's 5,000 lines by localeCompare was a tenth of the server's time for the push.
 */
const sortedKeys = new Map<string, Array<[key: string, prefix: string]>>();
const MAX_SHAPES = 1000;

function keysInOrder(value: object): Array<[string, string]> {
  const keys = Object.keys(value);
  // JSON, not a join: a key may hold any character (a JSON scalar's keys), and two shapes must never share a text.
  const shape = JSON.stringify(keys);
  let sorted = sortedKeys.get(shape);
  if (!sorted) {
    if (sortedKeys.size >= MAX_SHAPES) sortedKeys.clear();
    sorted = keys.sort((a, b) => a.localeCompare(b)).map((k) => [k, `${JSON.stringify(k)}:`]);
    sortedKeys.set(shape, sorted);
  }
  return sorted;
}

/** JSON with every object's keys sorted (localeCompare) and undefined values left out: the same text for the same payload. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + stableStringify(value[i]);
    return `${out}]`;
  }
  if (value && typeof value === 'object') {
    let out = '{';
    let first = true;
    for (const [key, prefix] of keysInOrder(value)) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner === undefined) continue;
      out += (first ? '' : ',') + prefix + stableStringify(inner);
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(operation: string, input: unknown): string {
  return crypto
    .createHash('sha256')
    .update(`${operation}\n${stableStringify(input)}`)
    .digest('hex');
}

/**
 * Claims an idempotency key inside the caller's transaction. A concurrent
 * request with the same key waits on the row until this transaction ends,
 * then sees the stored response. Returns the stored response for a retry, a
 * conflict for the same key with another payload, or `claimed` for a first call.
 */
export async function claimIdempotencyKey<R>(
  ctx: RequestContext,
  em: EntityManager,
  operation: string,
  key: string | null | undefined,
  input: unknown,
): Promise<IdempotentOutcome<R>> {
  if (!key) return { replayed: false, claimed: false };
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return { conflict: userError('INVALID_VALUE', `idempotencyKey is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, undefined, 'idempotencyKey') };
  }
  const hash = requestHash(operation, input);
  const stored = scopedKey(ctx.actor, key);
  const inserted = await insertIdempotencyRecord(em, stored, operation, hash);
  if (inserted.length > 0) return { replayed: false, claimed: true };
  const existing = await em.findOneOrFail(IdempotencyRecordSchema, { key: stored });
  if (existing.operation !== operation || existing.requestHash !== hash) {
    return {
      conflict: userError(
        'IDEMPOTENCY_CONFLICT',
        `idempotencyKey "${key}" was already used for a different ${existing.operation === operation ? 'payload' : `operation (${existing.operation})`}; use a new key for a new push`,
        undefined,
        'idempotencyKey',
      ),
    };
  }
  return { replayed: true, response: existing.response as R };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** JSON that jsonb accepts: a lone UTF-16 surrogate in the client's text becomes U+FFFD. */
function wellFormedJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? inner.replace(LONE_SURROGATE, '\ufffd') : inner));
}

/** Stores the first result under a claimed key (same transaction as the writes). */
export async function storeIdempotentResponse(em: EntityManager, ctx: RequestContext, key: string, response: unknown): Promise<void> {
  await updateIdempotentResponse(em, scopedKey(ctx.actor, key), wellFormedJson(response), actorLabel(ctx.actor));
}

/**
 * A key belongs to the token that sent it: the same key from another token is another key, so no
 * caller ever receives a result stored for someone else. Stored as `<token>:<key>` (the environment's
 * ADMIN token is `env`); a key too long for the column with its prefix is stored as its SHA-256.
 */
export function scopedKey(actor: Actor, key: string): string {
  const scope = actor.tokenId === null ? 'env' : `t${actor.tokenId}`;
  const room = MAX_IDEMPOTENCY_KEY_LENGTH - scope.length - 1;
  return `${scope}:${key.length <= room ? key : crypto.createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/** The audit trail and the idempotency store, for the shared document push (common/save-documents.ts). */
export const writeJournal: WriteJournal = { recordAudit, recordAudits, claimIdempotencyKey, storeIdempotentResponse };
