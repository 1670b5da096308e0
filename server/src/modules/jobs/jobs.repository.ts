// SQL of the jobs module: the run history (job_run) and what pg-boss has scheduled (its `pgboss` schema).
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../common/loaders';
import type { JobRunState } from './job-run.entity';

export interface JobRunRow {
  job: string;
  periodKey: string;
  attempt: number;
  state: JobRunState;
  startedAt: Date;
  endedAt: Date | null;
  result: string | null;
  error: string | null;
}

const RUN_COLUMNS = `job, period_key as "periodKey", attempt, state, started_at as "startedAt", ended_at as "endedAt", result, error`;

/** Records the start of an attempt; returns its id. */
export async function insertRun(em: EntityManager, run: { job: string; periodKey: string; attempt: number; startedAt: Date }): Promise<string> {
  const [row] = await em.execute<{ id: string }[]>(
    `insert into job_run (job, period_key, attempt, state, started_at) values (?, ?, ?, 'RUNNING', ?) returning id::text`,
    [run.job, run.periodKey, run.attempt, run.startedAt],
  );
  return row.id;
}

/** Records the end of an attempt. */
export async function finishRun(
  em: EntityManager,
  id: string,
  end: { state: 'COMPLETED' | 'FAILED'; endedAt: Date; result?: string | null; error?: string | null },
): Promise<void> {
  await em.execute(`update job_run set state = ?, ended_at = ?, result = ?, error = ? where id = ?::bigint`, [
    end.state,
    end.endedAt,
    end.result ?? null,
    end.error ?? null,
    id,
  ]);
}

/**
 * Marks the attempts of `job` still RUNNING as FAILED: called as an attempt starts, when no other attempt of the
 * job can be running (one is active at a time), so these are attempts whose server stopped during them.
 */
export async function failAbandonedRuns(em: EntityManager, job: string, now: Date): Promise<void> {
  await em.execute(
    `update job_run set state = 'FAILED', ended_at = ?, error = 'the server running it stopped before it finished' where job = ? and state = 'RUNNING'`,
    [now, job],
  );
}

/** Whether `job` has a completed run for the period (a date or a month). */
export async function hasCompletedRun(em: EntityManager, job: string, periodKey: string): Promise<boolean> {
  const rows = await em.execute(`select 1 from job_run where job = ? and period_key = ? and state = 'COMPLETED' limit 1`, [job, periodKey]);
  return rows.length > 0;
}

/** Deletes the history of `job` that started before `before`. */
export async function pruneRuns(em: EntityManager, job: string, before: Date): Promise<void> {
  await em.execute(`delete from job_run where job = ? and started_at < ?`, [job, before]);
}

/** Per job, its latest run and its latest failed run. */
export async function latestRuns(em: EntityManager, jobs: string[]): Promise<{ last: JobRunRow[]; failed: JobRunRow[] }> {
  const latest = (where: string) =>
    em.execute<JobRunRow[]>(`select distinct on (job) ${RUN_COLUMNS} from job_run where job = any(?::text[]) ${where} order by job, started_at desc, id desc`, [
      pgArray(jobs),
    ]);
  const last = await latest('');
  const failed = await latest(`and state = 'FAILED'`);
  return { last, failed };
}

export interface ScheduleRow {
  name: string;
  cron: string;
  timezone: string | null;
}

/**
 * What pg-boss has scheduled, read from its own table (pgboss.schedule, pg-boss 10): what every server process
 * of this database acts on. Empty when no server has started the jobs on this database yet.
 */
export async function selectSchedules(em: EntityManager): Promise<ScheduleRow[]> {
  const [found] = await em.execute<{ present: boolean }[]>(`select to_regclass('pgboss.schedule') is not null as present`);
  if (!found.present) return [];
  return em.execute<ScheduleRow[]>(`select name, cron, timezone from pgboss.schedule order by name`);
}

/**
 * Runs `setup` while this transaction holds an advisory lock that every process's job setup takes, so two
 * processes starting at once set up one after the other: pg-boss 10 creates a queue by attaching a partition to
 * its job table, and two processes creating queues at the same time deadlock.
 */
export async function underSetupLock<T>(em: EntityManager, setup: () => Promise<T>): Promise<T> {
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext('stemline:jobs-setup'))`);
    return setup();
  });
}
