import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../common/loaders';
import type { ChangeKind, ChangeType } from './change-event.entity';

export interface ChangeRow {
  id: string;
  xid: string;
  type: ChangeType;
  entityId: number;
  key: string;
  version: number | null;
  change: ChangeKind;
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

const AFTER_CURSOR = `xid < ?::xid8
        and (xid > ?::xid8 or (xid = ?::xid8 and id > ?::bigint))
        and type = any(?::text[])
        and (?::int is null or customer_id = ?::int)`;

interface ChangeQuery {
  horizon: string;
  afterXid: string;
  afterId: string;
  types: readonly ChangeType[];
  customerId: number | null;
}

const afterCursorParams = (args: ChangeQuery) => [
  args.horizon,
  args.afterXid,
  args.afterXid,
  args.afterId,
  pgArray([...args.types]),
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
    Array<{ id: string; xid: string; type: ChangeType; entity_id: number; key: string; version: number | null; change: ChangeKind; at: Date }>
  >(
    `select id::text as id, xid::text as xid, type, entity_id, key, version, change, at
       from change_event
      where ${AFTER_CURSOR}
      order by xid, id
      limit ?`,
    [...afterCursorParams(args), args.limit],
  );
  return rows.map((r) => ({ id: r.id, xid: r.xid, type: r.type, entityId: r.entity_id, key: r.key, version: r.version, change: r.change, at: r.at }));
}
