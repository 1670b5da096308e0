// The scheduled jobs: what each does, when it runs by default (a cron expression in the company's time zone,
// Settings.timeZone) and how often per period it may complete. The runner (jobs.runner.ts) schedules them on
// pg-boss; the `jobs` query lists them with their last runs.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger';
import { runChangeFeedPruning } from '../change/change.scheduler';
import { runStandingOrderGeneration } from '../standing-order/standing-order.scheduler';

export type JobPeriod = 'DAY' | 'MONTH';

export interface JobDefinition {
  name: string;
  description: string;
  /** Cron expression (minute hour day month weekday) in the company's time zone; the configuration may replace it. */
  cron: string;
  /**
   * The period a run is for (the company's date or month): with `oncePerPeriod`, a run of a period that already
   * completed does nothing, so a restart or a late retry never repeats a daily or monthly job.
   */
  period: JobPeriod;
  oncePerPeriod: boolean;
  /** Also run when a server starts (work missed while no server ran is caught up then). */
  runAtStart: boolean;
  /** Does the work; returns a one-line summary for the run history. Throws to fail the run (it is retried). */
  run(orm: MikroORM, logger: Logger): Promise<string>;
}

export const JOB_DEFINITIONS: readonly JobDefinition[] = [
  {
    name: 'standing-order-generation',
    description:
      "Creates every active standing order's prebooks from the company's today up to standingOrderLeadDays ahead. Each standing order and date is generated once, however often it runs.",
    cron: '*/15 * * * *',
    period: 'DAY',
    oncePerPeriod: false,
    runAtStart: true,
    async run(orm, logger) {
      const result = await runStandingOrderGeneration(orm, logger);
      return result ? `${result.prebooks.length} prebooks generated` : 'skipped: a generation was already running';
    },
  },
  {
    name: 'change-feed-retention',
    description: 'Deletes change-feed events older than the changeFeedRetentionDays setting, in small batches.',
    cron: '0 3 * * *',
    period: 'DAY',
    oncePerPeriod: true,
    runAtStart: true,
    async run(orm, logger) {
      const deleted = await runChangeFeedPruning(orm, logger);
      return `${deleted} events deleted`;
    },
  },
];

/** The key of the period `today` (the company's date, YYYY-MM-DD) belongs to. */
export function periodKey(period: JobPeriod, today: string): string {
  return period === 'MONTH' ? today.slice(0, 7) : today;
}
