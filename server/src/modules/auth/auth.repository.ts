// The SQL of API tokens.
import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from '../../common/prepared-statement.repository';
import type { Role } from '../../common/request-context';

/** Serializes the creation of the first ADMIN token across processes, until the transaction ends. */
export async function lockInitialAdminToken(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('stemline:initial-admin-token'))`);
}

/**
 * The live (not revoked) token of a secret's hash, as the caller it stands for: one plain statement, as
 * every request makes it before anything else (an ORM find cost three times as much CPU).
 */
export async function selectLiveToken(
  em: EntityManager,
  secretHash: string,
): Promise<{ id: number; name: string; role: Role; customerId: number | null } | null> {
  const rows = await executePrepared<{ id: number; name: string; role: Role; customer_id: number | null }>(
    em,
    'select id, name, role, customer_id from api_token where secret_hash = ? and revoked_at is null',
    [secretHash],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, role: row.role, customerId: row.customer_id } : null;
}
