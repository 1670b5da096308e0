import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const JOB_RUN_STATES = ['RUNNING', 'COMPLETED', 'FAILED'] as const;
export type JobRunState = (typeof JOB_RUN_STATES)[number];

/**
 * One run (one attempt) of a scheduled job: written by the job runner when the attempt starts and when it ends,
 * so the `jobs` query can show the last runs and failures. pg-boss keeps its own queue in the `pgboss` schema;
 * this table is the history in the product's own words (pg-boss overwrites a failed attempt's output on retry).
 */
export const JobRunSchema = defineEntity({
  name: 'JobRun',
  indexes: [{ properties: ['job', 'startedAt'] }],
  properties: {
    id: p.bigint('number').primary(),
    /** The job's name (jobs.definitions.ts). */
    job: p.string().length(100),
    /** The period the run was for, in the company's time zone (YYYY-MM-DD, or YYYY-MM for monthly jobs). */
    periodKey: p.string().length(10),
    /** 1 for the first attempt, 2 for the first retry, ... */
    attempt: p.integer(),
    state: p.enum([...JOB_RUN_STATES]),
    startedAt: p.datetime(),
    endedAt: p.datetime().nullable(),
    /** What the run reported (counts), or why it failed. */
    result: p.text().nullable(),
    error: p.text().nullable(),
  },
});
export type JobRun = InferEntity<typeof JobRunSchema>;
