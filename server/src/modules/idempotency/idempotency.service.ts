import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorLabel, type Actor, type RequestContext } from '../../common/request-context';
import { addSuggestionsToResult } from '../../common/suggestions';
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

/**
 * The keys met so far in each operation's payloads, in localeCompare order: JSON.stringify with this list
 * as its replacer writes every object's keys in that order, which is stableStringify's text at a third of
 * its cost for a 2,500-line push (the serializer is native; no string is built per value).
 */
const sortedKeyLists = new Map<string, string[]>();
const MAX_LISTED_KEYS = 500;

/** The keys of a payload's objects, arrays sampled by their first and last items: the items of a push share their keys. */
function sampledKeys(value: unknown, keys: Set<string>): void {
  if (Array.isArray(value)) {
    if (value.length > 0) sampledKeys(value[0], keys);
    if (value.length > 1) sampledKeys(value[value.length - 1], keys);
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      keys.add(key);
      sampledKeys((value as Record<string, unknown>)[key], keys);
    }
  }
}

/** The keys of every object of a payload. */
function allKeys(value: unknown, keys: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) allKeys(item, keys);
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      keys.add(key);
      allKeys((value as Record<string, unknown>)[key], keys);
    }
  }
}

/** The operation's list of keys grown by those `collect` finds in the payload; undefined when the list cannot serve it. */
function grownKeys(operation: string, input: unknown, known: readonly string[], collect: (value: unknown, keys: Set<string>) => void): string[] | undefined {
  const keys = new Set(known);
  collect(input, keys);
  // A key Object.prototype has would be read from the prototype of objects without it (__proto__ as {}): such
  // payloads, and lists grown past any input type's (a JSON scalar's keys), take stableStringify.
  const sorted = [...keys].filter((key) => !(key in Object.prototype)).sort((a, b) => a.localeCompare(b));
  if (sorted.length > MAX_LISTED_KEYS || sorted.some((key, i) => i > 0 && sorted[i - 1].localeCompare(key) === 0)) return undefined;
  if (sortedKeyLists.size >= MAX_SHAPES) sortedKeyLists.clear();
  sortedKeyLists.set(operation, sorted);
  return sorted;
}

/**
 * stableStringify's text of a payload made of JSON values (what GraphQL coerces: no input type of an
 * idempotent mutation holds a DateTime or a JSON scalar), by the native serializer. The text with the
 * listed keys is the plain JSON with each object's keys reordered, unless a key is missing from the list
 * (then that property is left out and the text is shorter): equal lengths prove every key was listed.
 */
function sortedJson(operation: string, input: unknown): string {
  if (input === undefined) return 'null';
  const plain = JSON.stringify(input) as string | undefined;
  if (plain === undefined) return stableStringify(input);
  let keys: readonly string[] = sortedKeyLists.get(operation) ?? [];
  // The list as it is; else grown by a sample of the payload's keys; else by all of them.
  for (const collect of [null, sampledKeys, allKeys]) {
    if (!collect && keys.length === 0) continue;
    if (collect) {
      const grown = grownKeys(operation, input, keys, collect);
      if (!grown) break;
      keys = grown;
    }
    const listed = JSON.stringify(input, keys as string[]);
    if (listed.length === plain.length) return listed;
  }
  return stableStringify(input);
}

export function requestHash(operation: string, input: unknown): string {
  return crypto.createHash('sha256').update(`${operation}\n`).update(sortedJson(operation, input)).digest('hex');
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

/** A surrogate as JSON.stringify escapes a lone one (paired ones it writes as they are). */
const ESCAPED_SURROGATE = /\\ud[89a-f]/i;

/** JSON that jsonb accepts: a lone UTF-16 surrogate in the client's text becomes U+FFFD. */
export function wellFormedJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Almost every answer has none: it is stored as serialized, without a replacer called for each of its values.
  if (!ESCAPED_SURROGATE.test(json)) return json;
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'string' ? inner.replace(LONE_SURROGATE, '\ufffd') : inner));
}

/** Stores the first result under a claimed key (same transaction as the writes). */
export async function storeIdempotentResponse(em: EntityManager, ctx: RequestContext, key: string, response: unknown): Promise<void> {
  // Unknown codes get their suggestions before the response is kept: a replay answers with the same messages.
  await addSuggestionsToResult(em, ctx.actor, response);
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
