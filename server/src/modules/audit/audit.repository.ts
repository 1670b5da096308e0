// The SQL of the audit trail.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, sqlText } from '../../common/loaders';

export interface AuditEventRow {
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  /** The payload as JSON text, or null. */
  payload: string | null;
}

/**
 * Inserts audit events in one statement, in the order given (ids ascending), all at `at`. The payloads go
 * as one JSON array (a JSON null is no payload): as elements of a text array each would be escaped twice.
 */
export async function insertAuditEvents(em: EntityManager, events: readonly AuditEventRow[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await em.execute(
    `insert into audit_event (at, actor, action, entity, entity_id, payload)
     select ?::timestamptz, x.actor, x.action, x.entity, x.entity_id, nullif(p.payload, 'null'::jsonb)
       from unnest(?::text[], ?::text[], ?::text[], ?::text[]) with ordinality as x(actor, action, entity, entity_id, n)
       join jsonb_array_elements(?::jsonb) with ordinality as p(payload, n) on p.n = x.n
      order by x.n`,
    [
      at.toISOString(),
      sqlText(pgArray(events.map((e) => e.actor))),
      sqlText(pgArray(events.map((e) => e.action))),
      sqlText(pgArray(events.map((e) => e.entity))),
      sqlText(pgArray(events.map((e) => e.entityId))),
      sqlText(`[${events.map((e) => e.payload ?? 'null').join(',')}]`),
    ],
  );
}
