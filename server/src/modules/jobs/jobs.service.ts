import type { RequestContext } from '../../common/request-context';
import { nextRunAt } from './job-schedule';
import { JOB_DEFINITIONS } from './jobs.definitions';
import { latestRuns, selectSchedules, type JobRunRow } from './jobs.repository';

/** A run as the jobs query shows it: the stored row, its period under the name the schema gives it. */
export type JobRunView = Omit<JobRunRow, 'job' | 'periodKey'> & { period: string };

export interface JobView {
  name: string;
  description: string;
  schedule: string | null;
  timeZone: string | null;
  nextRunAt: Date | null;
  lastRun: JobRunView | null;
  lastFailure: JobRunView | null;
}

function runView(row: JobRunRow | undefined): JobRunView | null {
  if (!row) return null;
  const { periodKey, job: _job, ...rest } = row;
  return { period: periodKey, ...rest };
}

/** Every scheduled job, with its schedule as pg-boss holds it and its latest attempt and failure. */
export async function listJobs(ctx: RequestContext, now = new Date()): Promise<JobView[]> {
  const names = JOB_DEFINITIONS.map((job) => job.name);
  const schedules = new Map((await selectSchedules(ctx.em)).map((s) => [s.name, s]));
  const { last, failed } = await latestRuns(ctx.em, names);
  return JOB_DEFINITIONS.map((job) => {
    const schedule = schedules.get(job.name);
    return {
      name: job.name,
      description: job.description,
      schedule: schedule?.cron ?? null,
      timeZone: schedule?.timezone ?? null,
      nextRunAt: schedule ? nextRunAt(schedule.cron, schedule.timezone, now) : null,
      lastRun: runView(last.find((row) => row.job === job.name)),
      lastFailure: runView(failed.find((row) => row.job === job.name)),
    };
  });
}
