// The change feed's retention: the scheduled job change-feed-retention (modules/jobs) runs this; an advisory lock
// lets one run at a time prune (change.service pruneChangeFeed), in batches, so writers are never held behind one
// long delete.
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
