import { GraphQLError } from 'graphql';
import { badRequest } from '../../common/graphql-errors';
import { pageSize } from '../../common/pagination';
import type { RequestContext } from '../../common/request-context';
import { CHANGE_TYPES, type ChangeType } from './change-event.entity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changeHorizon, countChanges, prunedPosition, pruneChangesBefore, readChanges, tryLockPruning, type ChangeRow } from './change.repository';

/** What a CUSTOMER token may follow: its own invoices, prebooks, credits and payments (never farm claims). */
const CUSTOMER_TYPES: readonly ChangeType[] = ['INVOICE', 'PREBOOK', 'CREDIT', 'PAYMENT'];

export interface ChangeNode extends ChangeRow {
  cursor: string;
}

export interface ChangePage {
  nodes: ChangeNode[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

interface Position {
  xid: string;
  id: string;
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.xid, position.id]), 'utf8').toString('base64url');
}

/** A transaction id (xid8) is an unsigned 64-bit number; an event id a signed one (bigint). */
const MAX_XID = 2n ** 64n - 1n;
const MAX_ID = 2n ** 63n - 1n;

function decodeCursor(after: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string' && /^\d{1,20}$/.test(part))) {
      const [xid, id] = value as [string, string];
      if (BigInt(xid) <= MAX_XID && BigInt(id) <= MAX_ID) return { xid: BigInt(xid).toString(), id: BigInt(id).toString() };
    }
  } catch {
    // fall through
  }
  throw badRequest('after is not a cursor returned by changes');
}

/** Whether position a comes before position b in the feed. */
function before(a: Position, b: Position): boolean {
  const ax = BigInt(a.xid);
  const bx = BigInt(b.xid);
  return ax < bx || (ax === bx && BigInt(a.id) < BigInt(b.id));
}

/** The events after this cursor were partly pruned: reading on would skip them silently. */
function cursorExpired(retentionNote: string): GraphQLError {
  return new GraphQLError(
    `after is older than the oldest change the feed still keeps (${retentionNote}): changes after it were pruned. Resync: read the documents you follow again, then the feed from the start, without after.`,
    { extensions: { code: 'CURSOR_EXPIRED' } },
  );
}

/**
 * The change feed: documents written after the cursor, one entry per document and transaction, in
 * transaction order. Only transactions that can no longer commit are read (everything below the oldest
 * transaction still running), so a later call never finds a change before a cursor it handed out: a
 * client that keeps the last endCursor misses nothing and sees nothing twice, whatever the commit order
 * across server processes. A long transaction holds the feed back until it ends.
 */
export async function listChanges(
  ctx: RequestContext,
  args: { after?: string | null; types?: readonly ChangeType[] | null; first?: number | null },
): Promise<ChangePage> {
  const limit = pageSize(args.first);
  const from = args.after ? decodeCursor(args.after) : { xid: '0', id: '0' };
  const customer = ctx.actor.role === 'CUSTOMER';
  const asked = args.types?.length ? [...new Set(args.types)] : CHANGE_TYPES;
  const types = customer ? asked.filter((type) => CUSTOMER_TYPES.includes(type)) : asked;
  const horizon = await changeHorizon(ctx.em);
  // Cursors never pass the horizon they were read under, and horizons only grow: a cursor beyond today's
  // comes from another database (or from this one before a restore) and would skip changes.
  if (BigInt(from.xid) > BigInt(horizon))
    throw badRequest('after is a cursor of another database (or of this one before a restore): read the feed again from the start, without after');
  const query = { horizon, afterXid: from.xid, afterId: from.id, types, customerId: customer ? (ctx.actor.customerId ?? -1) : null };
  const [rows, totalCount] = types.length ? await Promise.all([readChanges(ctx.em, { ...query, limit: limit + 1 }), countChanges(ctx.em, query)]) : [[], 0];
  // Read after the rows: a pruning that removed rows this read would have returned has committed by now.
  if (args.after) {
    const pruned = await prunedPosition(ctx.em);
    if (before(from, pruned)) throw cursorExpired('events are kept for Settings.changeFeedRetentionDays days');
  }
  const nodes = rows.slice(0, limit).map((row) => ({ ...row, cursor: encodeCursor(row) }));
  const hasNextPage = rows.length > limit;
  const last = nodes[nodes.length - 1];
  // Nothing more below the horizon: the next call may start there (every row below it has been considered).
  const endCursor = hasNextPage ? last.cursor : encodeCursor(BigInt(horizon) > BigInt(from.xid) ? { xid: horizon, id: '0' } : from);
  return { nodes, pageInfo: { hasNextPage, endCursor }, totalCount };
}

/**
 * Deletes the change feed's events older than `days` before `now`, in batches of `batchSize`, each in a
 * transaction of its own (writers are never held behind one long delete). One process at a time: another
 * process's pruning in progress makes this one return at once. Returns how many events it deleted.
 */
export async function pruneChangeFeed(em: EntityManager, options: { now: Date; days: number; batchSize?: number }): Promise<number> {
  const cutoff = new Date(options.now.getTime() - options.days * 86_400_000);
  const batchSize = options.batchSize ?? 5000;
  let total = 0;
  for (;;) {
    const deleted = await em.fork().transactional(async (tx) => {
      if (!(await tryLockPruning(tx as EntityManager))) return -1;
      return pruneChangesBefore(tx as EntityManager, cutoff, batchSize);
    });
    if (deleted < 0) return total;
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
