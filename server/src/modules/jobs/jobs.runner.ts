// Scheduled work on pg-boss (its queue lives in the database's `pgboss` schema, made by pg-boss on its first
// start): each job is a queue with a cron schedule in the company's time zone. Every server process that runs the
// jobs (the primary, with STEMLINE_WORKERS) polls the queues; the `stately` policy lets one attempt of a job be
// active at a time across all processes, a failed attempt is retried with a growing delay, and each attempt is
// written to job_run for the `jobs` query.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import { today } from '../../common/today';
import type { Logger } from '../../logger';
import { getSettings } from '../settings/settings.service';
import { JOB_DEFINITIONS, periodKey, type JobDefinition } from './jobs.definitions';
import { failAbandonedRuns, finishRun, hasCompletedRun, insertRun, pruneRuns, underSetupLock } from './jobs.repository';

/** The schema pg-boss keeps its queues in; backups and restores leave it alone (they copy `public`). */
export const JOBS_SCHEMA = 'pgboss';
/** How long the run history of a job is kept. */
const HISTORY_DAYS = 90;

export interface JobsOptions {
  /** Per job name, a cron expression replacing its default, or null: the job is not scheduled and does not run at start. */
  schedules?: Record<string, string | null>;
  /** Retries of a failed attempt (default 3), the first after `retryDelaySeconds` (default 60), then twice as long each time. */
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** How often each process looks for due jobs (default 2 s). */
  pollingIntervalSeconds?: number;
  /** The jobs (default: all of JOB_DEFINITIONS); tests pass their own. */
  definitions?: readonly JobDefinition[];
}

export interface RunningJobs {
  /** Stops polling and scheduling, waits up to 30 s for a running attempt, closes pg-boss's connections. */
  stop(): Promise<void>;
}

/** An attempt's error as the run history shows it. */
function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000);
}

/** Starts the jobs in this process: pg-boss, its queues and schedules, a worker per job. */
export async function startJobs(orm: MikroORM, logger: Logger, databaseUrl: string, options: JobsOptions = {}): Promise<RunningJobs> {
  const jobs = (options.definitions ?? JOB_DEFINITIONS).map((job) => ({
    ...job,
    cron: options.schedules && job.name in options.schedules ? options.schedules[job.name] : job.cron,
  }));
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOBS_SCHEMA, max: 3, application_name: 'stemline-jobs' });
  boss.on('error', (error) => logger.error({ err: error }, 'the job queue failed; it tries again'));

  /** Puts each job's schedule in the company's time zone as it is now (run again by each attempt: the zone may change). */
  const syncSchedules = async (em: EntityManager) => {
    const { timeZone } = await getSettings(em);
    const current = new Map((await boss.getSchedules()).map((s) => [s.name, s]));
    for (const job of jobs) {
      const scheduled = current.get(job.name) as (PgBoss.Schedule & { timezone?: string }) | undefined;
      if (!job.cron) {
        if (scheduled) await boss.unschedule(job.name);
      } else if (scheduled?.cron !== job.cron || scheduled?.timezone !== timeZone) {
        await boss.schedule(job.name, job.cron, {}, { tz: timeZone });
      }
    }
  };

  const runAttempt = async (job: (typeof jobs)[number], attempt: number) => {
    const em = orm.em.fork() as EntityManager;
    await syncSchedules(em).catch((error: unknown) => logger.error({ err: error, job: job.name }, 'could not update the job schedules'));
    await failAbandonedRuns(em, job.name, new Date());
    const period = periodKey(job.period, today(await getSettings(em)));
    if (job.oncePerPeriod && (await hasCompletedRun(em, job.name, period))) return { skipped: `${period} already done` };
    const startedAt = new Date();
    await pruneRuns(em, job.name, new Date(startedAt.getTime() - HISTORY_DAYS * 86_400_000));
    const id = await insertRun(em, { job: job.name, periodKey: period, attempt, startedAt });
    try {
      const result = await job.run(orm, logger);
      await finishRun(em, id, { state: 'COMPLETED', endedAt: new Date(), result });
      return { result };
    } catch (error) {
      logger.error({ err: error, job: job.name, attempt }, `${job.name} failed; it is retried`);
      await finishRun(em, id, { state: 'FAILED', endedAt: new Date(), error: errorMessage(error) });
      throw error;
    }
  };

  /** pg-boss's schema (on its first start), the queues with their retry rules, the schedules. */
  const setUp = async () => {
    await boss.start();
    for (const job of jobs) {
      const queue: PgBoss.Queue = {
        name: job.name,
        policy: 'stately',
        retryLimit: options.retryLimit ?? 3,
        retryDelay: options.retryDelaySeconds ?? 60,
        retryBackoff: true,
        expireInSeconds: 30 * 60,
      };
      await boss.createQueue(job.name, queue);
      await boss.updateQueue(job.name, queue);
    }
    await syncSchedules(orm.em.fork() as EntityManager);
  };

  try {
    await underSetupLock(orm.em.fork() as EntityManager, setUp);
    for (const job of jobs) {
      if (!job.cron) continue;
      const work = { includeMetadata: true as const, batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };
      await boss.work(job.name, work, async ([attempt]) => runAttempt(job, attempt.retryCount + 1));
    }
    // A second process starting meanwhile finds this one queued (stately: one waiting attempt per job) and adds none.
    for (const job of jobs) if (job.cron && job.runAtStart) await boss.send(job.name, {});
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  return { stop: () => boss.stop({ graceful: true, timeout: 30_000, wait: true }) };
}
