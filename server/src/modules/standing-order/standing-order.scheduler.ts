// Standing orders generate on their own (docs/maintainers.md#standing-orders): the scheduled job standing-order-generation
// (modules/jobs) runs this. A transaction-scoped advisory lock lets one run at a time generate, scheduled or asked
// for (generateStandingOrderPrebooks), and the generation skips what exists, so each date is generated once.
import crypto from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createLoaders } from '../../common/loaders';
import type { RequestContext } from '../../common/request-context';
import type { Logger } from '../../logger';
import { prebookLineQuantities } from '../prebook/prebook.repository';
import { tryLockGeneration } from './standing-order.repository';
import { generateStandingOrderPrebooks } from './standing-order.service';

/**
 * One scheduled run: when no other process is generating, creates every active standing order's prebooks
 * from the company's today (Settings.timeZone) up to standingOrderLeadDays ahead. Returns null when
 * another process holds the run.
 */
export async function runStandingOrderGeneration(orm: MikroORM, logger: Logger): Promise<{ prebooks: string[] } | null> {
  return orm.em.fork().transactional(async (em) => {
    const locked = await tryLockGeneration(em as EntityManager);
    if (!locked) return null;
    const ctx: RequestContext = {
      // The service's transaction becomes a savepoint of this one, so the lock is held until it commits.
      em: em as EntityManager,
      actor: { tokenId: null, name: 'standing-order scheduler', role: 'ADMIN', customerId: null },
      logger,
      requestId: crypto.randomUUID(),
      loaders: createLoaders(em as EntityManager, prebookLineQuantities),
    };
    const result = await generateStandingOrderPrebooks(ctx, {});
    if (result.prebooks.length) logger.info({ prebooks: result.prebooks.length }, 'standing orders generated');
    return { prebooks: result.prebooks.map((prebook) => prebook.number) };
  });
}
