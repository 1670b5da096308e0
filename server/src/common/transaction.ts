import { DeadlockException, UniqueConstraintViolationException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from './request-context';
import { addSuggestionsToResult } from './suggestions';

// Deadlocks are expected between concurrent writers (PostgreSQL aborts one of them); the retry is the remedy.
const MAX_ATTEMPTS = 8;

function isRetryable(error: unknown): boolean {
  if (error instanceof DeadlockException || error instanceof LockWaitTimeoutException) return true;
  // Two requests inserting the same new code at once: the loser retries and then updates.
  if (error instanceof UniqueConstraintViolationException) return true;
  const code = (error as { code?: string }).code;
  return code === '40001' || code === '40P01';
}

/**
 * Thrown by work that finds, under its locks, that it should have locked more first (rows that joined what it
 * locked while it waited): the transaction rolls back, releasing everything, and runs again, as after a deadlock.
 */
export class TransactionConflict extends Error {
  readonly code = '40001';
}

/**
 * Runs `work` in one database transaction on a fresh fork of the request's
 * EntityManager, retrying transient conflicts (serialization failures,
 * deadlocks, concurrent inserts of the same key) with a short backoff.
 * Called inside a transaction already (a seed that writes through several
 * services), the work becomes a savepoint of it, without retries: the outer
 * transaction owns the outcome. Unknown codes among the `errors` of what
 * `work` returns get their suggestions (common/suggestions) in the same transaction.
 */
export async function inTransaction<T>(ctx: RequestContext, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const run = async (em: EntityManager): Promise<T> => {
    const result = await work(em);
    await addSuggestionsToResult(em, ctx.actor, result);
    return result;
  };
  if (ctx.em.isInTransaction()) return ctx.em.fork({ keepTransactionContext: true }).transactional((em) => run(em as EntityManager));
  for (let attempt = 1; ; attempt++) {
    try {
      return await ctx.em.fork().transactional((em) => run(em as EntityManager));
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      ctx.logger.warn({ err: error, attempt, requestId: ctx.requestId }, 'transaction conflict, retrying');
      await new Promise((resolve) => setTimeout(resolve, Math.min(400, 10 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}
