// The change feed's retention: every server process runs this on a timer; an advisory lock lets one process at a
// time prune (change.service pruneChangeFeed), in batches, so writers are never held behind one long delete.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { startPeriodic } from '../../common/periodic';
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
  return startPeriodic(logger, 'change-feed pruning', intervalMs, () => runChangeFeedPruning(orm, logger));
}
