// The SQL of API tokens.
import type { EntityManager } from '@mikro-orm/postgresql';

/** Serializes the creation of the first ADMIN token across processes, until the transaction ends. */
export async function lockInitialAdminToken(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext('stemline:initial-admin-token'))`);
}
