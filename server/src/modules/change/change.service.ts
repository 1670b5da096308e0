import { badRequest } from '../../common/graphql-errors';
import { pageSize } from '../../common/pagination';
import type { RequestContext } from '../../common/request-context';
import { CHANGE_TYPES, type ChangeType } from './change-event.entity';
import { changeHorizon, countChanges, readChanges, type ChangeRow } from './change.repository';

/** What a CUSTOMER token may follow: its own invoices and prebooks. */
const CUSTOMER_TYPES: readonly ChangeType[] = ['INVOICE', 'PREBOOK'];

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

function decodeCursor(after: string): Position {
  try {
    const value: unknown = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string' && /^\d{1,19}$/.test(part))) {
      return { xid: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw badRequest('after is not a cursor returned by changes');
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
  const nodes = rows.slice(0, limit).map((row) => ({ ...row, cursor: encodeCursor(row) }));
  const hasNextPage = rows.length > limit;
  const last = nodes[nodes.length - 1];
  // Nothing more below the horizon: the next call may start there (every row below it has been considered).
  const endCursor = hasNextPage ? last.cursor : encodeCursor(BigInt(horizon) > BigInt(from.xid) ? { xid: horizon, id: '0' } : from);
  return { nodes, pageInfo: { hasNextPage, endCursor }, totalCount };
}
