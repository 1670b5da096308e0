import type { EntityManager } from '@mikro-orm/postgresql';
import { actorLabel, type Actor, type RequestContext } from '../../common/request-context';
import { paginate, type PageArgs } from '../../common/pagination';
import { AuditEventSchema, type AuditEvent } from './audit-event.entity';
import type { AuditEventFilter } from '../../generated/graphql';
import { insertAuditEvents } from './audit.repository';

/** Records one write, inside the caller's transaction so it commits or rolls back with it. */
export function recordAudit(em: EntityManager, actor: Actor, action: string, entity: string, entityId: string | number, payload?: unknown): AuditEvent {
  return em.create(AuditEventSchema, {
    actor: actorLabel(actor),
    action,
    entity,
    entityId: String(entityId),
    payload: payload === undefined ? null : JSON.parse(JSON.stringify(payload)),
  });
}

/**
 * Records many writes of one actor in one statement (a push of hundreds of documents), inside the
 * caller's transaction; the same rows as recordAudit writes one by one.
 */
export async function recordAudits(
  em: EntityManager,
  actor: Actor,
  events: ReadonlyArray<{ action: string; entity: string; entityId: string | number; payload?: unknown }>,
): Promise<void> {
  const label = actorLabel(actor);
  await insertAuditEvents(
    em,
    events.map((e) => ({
      actor: label,
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      payload: e.payload === undefined ? null : JSON.stringify(e.payload),
    })),
    new Date(),
  );
}

export function listAuditEvents(ctx: RequestContext, filter: AuditEventFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.entity) where.entity = filter.entity;
  if (filter?.entityId) where.entityId = filter.entityId;
  if (filter?.action) where.action = filter.action;
  if (filter?.actor) where.actor = { $ilike: `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
  return paginate(ctx.em, AuditEventSchema, where, page, { key: 'id', direction: 'desc' });
}
