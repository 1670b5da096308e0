import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../common/loaders';
import type { ChangeReadKind, ChangeType } from './change-event.entity';

export interface ChangeRow {
  id: string;
  xid: string;
  type: ChangeType;
  entityId: number;
  key: string;
  version: number | null;
  change: ChangeReadKind;
  at: Date;
}

/**
 * The oldest transaction still running (its id or, when none runs, the next id to be assigned): every
 * transaction below it has committed or rolled back for good, so its outbox rows can no longer change.
 */
export async function changeHorizon(em: EntityManager): Promise<string> {
  const [row] = await em.execute<{ horizon: string }[]>(`select pg_snapshot_xmin(pg_current_snapshot())::text as horizon`);
  return row.horizon;
}

// A row comparison, which the (xid, id) index reads as a range from the cursor on (an OR of the two
// cases made PostgreSQL read the whole feed), and the same bound on xid alone, which PostgreSQL can
// estimate from its statistics where it guesses a third of the table for a row comparison.
const AFTER_CURSOR = `(xid, id) > (?::xid8, ?::bigint)
        and xid >= ?::xid8
        and xid < ?::xid8
        and type = any(?::text[])
        and (?::int is null or customer_id = ?::int or removed_customer_id = ?::int)`;

interface ChangeQuery {
  horizon: string;
  afterXid: string;
  afterId: string;
  types: readonly ChangeType[];
  customerId: number | null;
}

const afterCursorParams = (args: ChangeQuery) => [
  args.afterXid,
  args.afterId,
  args.afterXid,
  args.horizon,
  pgArray([...args.types]),
  args.customerId,
  args.customerId,
  args.customerId,
];

/** How many outbox rows follow (xid, id) below the horizon. */
export async function countChanges(em: EntityManager, args: ChangeQuery): Promise<number> {
  const [row] = await em.execute<Array<{ n: string }>>(`select count(*) as n from change_event where ${AFTER_CURSOR}`, afterCursorParams(args));
  return Number(row.n);
}

/** Outbox rows after (xid, id) and below the horizon, in (transaction id, row id) order. */
export async function readChanges(em: EntityManager, args: ChangeQuery & { limit: number }): Promise<ChangeRow[]> {
  const rows = await em.execute<
    Array<{ id: string; xid: string; type: ChangeType; entity_id: number; key: string; version: number | null; change: ChangeReadKind; at: Date }>
  >(
    // For a customer's feed, a document that left it (moved to another customer) is REMOVED.
    `select id::text as id, xid::text as xid, type, entity_id, key, version,
            case when ?::int is not null and customer_id is distinct from ?::int then 'REMOVED' else change end as change, at
       from change_event
      where ${AFTER_CURSOR}
      order by xid, id
      limit ?`,
    [args.customerId, args.customerId, ...afterCursorParams(args), args.limit],
  );
  return rows.map((r) => ({ id: r.id, xid: r.xid, type: r.type, entityId: r.entity_id, key: r.key, version: r.version, change: r.change, at: r.at }));
}

/** The position of the last event pruned from the feed ('0', '0' when nothing was). */
export async function prunedPosition(em: EntityManager): Promise<{ xid: string; id: string }> {
  const [row] = await em.execute<Array<{ xid: string; id: string }>>(
    `select pruned_xid::text as xid, pruned_id::text as id from change_feed_state where id = 1`,
  );
  return row ?? { xid: '0', id: '0' };
}

/**
 * Deletes, in feed order, at most `limit` of the oldest events written before `cutoff` (and below the
 * horizon), stopping at the first event that is newer, and records the last one deleted as the pruned
 * position, in the same statement. Call it in a transaction holding tryLockPruning. Returns how many
 * events it deleted.
 */
export async function pruneChangesBefore(em: EntityManager, cutoff: Date, limit: number): Promise<number> {
  const [row] = await em.execute<Array<{ deleted: string }>>(
    `with batch as (
       select id, xid, at, row_number() over (order by xid, id) as n
         from (select id, xid, at from change_event
                where xid < pg_snapshot_xmin(pg_current_snapshot())
                order by xid, id limit ?) b
     ),
     keep as (select min(n) as n from batch where at >= ?),
     gone as (
       delete from change_event c using batch b, keep k
        where c.id = b.id and (k.n is null or b.n < k.n)
       returning c.xid, c.id
     ),
     last as (select xid, id from gone order by xid desc, id desc limit 1),
     mark as (
       insert into change_feed_state (id, pruned_xid, pruned_id, pruned_at)
       select 1, xid, id, now() from last
       on conflict (id) do update set pruned_xid = excluded.pruned_xid, pruned_id = excluded.pruned_id, pruned_at = excluded.pruned_at
     )
     select count(*)::text as deleted from gone`,
    [limit, cutoff],
  );
  return Number(row.deleted);
}

/** One pruning at a time across processes: two would delete the same batch and wait on each other. */
export async function tryLockPruning(em: EntityManager): Promise<boolean> {
  const [{ locked }] = await em.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext('stemline:change-feed-pruning')) as locked`);
  return locked;
}
