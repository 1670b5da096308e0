// The SQL of the audit trail.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../common/loaders';

export interface AuditEventRow {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  /** The payload as JSON text, or null. */
  payload: string | null;
}

/** Inserts audit events in one statement, in the order given (ids ascending), all at `at`. */
export async function insertAuditEvents(em: EntityManager, events: readonly AuditEventRow[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await em.execute(
    `insert into audit_event (at, actor, action, entity, entity_id, payload)
     select ?::timestamptz, x.actor, x.action, x.entity, x.entity_id, x.payload
       from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::jsonb[]) with ordinality as x(actor, action, entity, entity_id, payload, n)
      order by x.n`,
    [
      at.toISOString(),
      pgArray(events.map((e) => e.actor)),
      pgArray(events.map((e) => e.action)),
      pgArray(events.map((e) => e.entity)),
      pgArray(events.map((e) => e.entityId)),
      pgArray(events.map((e) => e.payload)),
    ],
  );
}
