import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from './request-context';
import { inTransaction } from './transaction';

/** Thrown to roll a dry run back while keeping what it computed. */
class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Runs `work` in one transaction; a dry run does all of it (locks, checks,
 * billing) and then rolls back, returning exactly what the real call would.
 */
export async function inTransactionOrDryRun<T>(ctx: RequestContext, dryRun: boolean, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(ctx, async (em) => {
      const result = await work(em);
      if (dryRun) {
        // Write everything (so the database checks it too), then roll it back.
        await em.flush();
        throw new DryRunRollback(result);
      }
      return result;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result as T;
    throw error;
  }
}
