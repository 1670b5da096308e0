// The change feed's retention: every server process runs this on a timer; an advisory lock lets one process at a
// time prune (change.service pruneChangeFeed), in batches, so writers are never held behind one long delete.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger';
import { getSettings } from '../settings/settings.service';
import { pruneChangeFeed } from './change.service';

/** One run: prunes the events older than Settings.changeFeedRetentionDays. Returns how many it deleted. */
export async function runChangeFeedPruning(orm: MikroORM, logger: Logger, now = new Date()): Promise<number> {
  const em = orm.em.fork() as EntityManager;
  const settings = await getSettings(em);
  const deleted = await pruneChangeFeed(em, { now, days: settings.changeFeedRetentionDays });
  if (deleted) logger.info({ deleted, days: settings.changeFeedRetentionDays }, 'change feed pruned');
  return deleted;
}

/** Runs the pruning now and then every `intervalMs`; stop() ends it. 0 disables it. */
export function startChangeFeedPruning(orm: MikroORM, logger: Logger, intervalMs: number): { stop(): void } {
  if (intervalMs <= 0) return { stop() {} };
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runChangeFeedPruning(orm, logger);
    } catch (error) {
      logger.error({ err: error }, 'change-feed pruning failed; the next run tries again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer) };
}
