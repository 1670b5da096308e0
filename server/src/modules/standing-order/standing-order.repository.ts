// The SQL of standing orders.
import type { EntityManager } from '@mikro-orm/postgresql';

const LOCK = 'stemline:standing-order-generation';

/** Takes the generation's transaction-scoped advisory lock if no other process holds it; false when one does. */
export async function tryLockGeneration(em: EntityManager): Promise<boolean> {
  const [{ locked }] = await em.execute<{ locked: boolean }[]>(`select pg_try_advisory_xact_lock(hashtext('${LOCK}')) as locked`);
  return locked;
}
