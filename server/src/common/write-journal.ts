// What the shared write flows (upsert-by-code.ts, save-documents.ts) need from the audit trail and the
// idempotency store. modules/audit and modules/idempotency implement them; common/ depends on no module,
// so each flow is given them by its caller (UpsertSpec.recordAudit, DocumentSpec.journal).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor, RequestContext } from './request-context';
import type { UserError } from './user-error';

/** Records one write in the audit trail, inside the caller's transaction so it commits or rolls back with it. */
export type RecordAudit = (em: EntityManager, actor: Actor, action: string, entity: string, entityId: string | number, payload?: unknown) => unknown;

/** A first call (claimed when it gave a key), the stored response of a retry, or a conflict. */
export type IdempotentOutcome<R> = { replayed: false; claimed: boolean } | { replayed: true; response: R } | { conflict: UserError };

/** Records many writes of one actor at once, in the caller's transaction: the rows RecordAudit would write one by one. */
export type RecordAudits = (
  em: EntityManager,
  actor: Actor,
  events: ReadonlyArray<{ action: string; entity: string; entityId: string | number; payload?: unknown }>,
) => Promise<void>;

export interface WriteJournal {
  recordAudit: RecordAudit;
  recordAudits: RecordAudits;
  claimIdempotencyKey<R>(
    ctx: RequestContext,
    em: EntityManager,
    operation: string,
    key: string | null | undefined,
    input: unknown,
  ): Promise<IdempotentOutcome<R>>;
  storeIdempotentResponse(em: EntityManager, ctx: RequestContext, key: string, response: unknown): Promise<void>;
}
