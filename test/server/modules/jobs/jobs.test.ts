// Scheduled jobs on pg-boss: change-feed retention runs as a job on its schedule in the company's time zone, a
// failed attempt is retried, and the ADMIN `jobs` query shows schedules, last runs and failures.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger } from '../../../../server/src/logger';
import { startJobs, type RunningJobs } from '../../../../server/src/modules/jobs/jobs.runner';
import { nextRunAt } from '../../../../server/src/modules/jobs/job-schedule';
import { seedCatalogue } from '../../../support/fixtures';
import { createTestDatabase, startTestServer, type TestServer } from '../../../support/test-server';
import { backupDatabase, restoreDatabase } from '../../../../server/src/db/backup';
import { initOrm } from '../../../../server/src/db/orm';
import { readConfig } from '../../../../server/src/config';

const JOBS = `{ jobs {
  name description schedule timeZone nextRunAt
  lastRun { period attempt state startedAt endedAt result error }
  lastFailure { period attempt state error }
} }`;

/** The date it is now in `timeZone`. */
function dateIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

describe('scheduled jobs', () => {
  let t: TestServer;
  let jobs: RunningJobs | undefined;
  const sql = (query: string, params: unknown[] = []) => (t.orm.em.fork() as EntityManager).execute(query, params);
  const runs = (job: string) =>
    sql(`select attempt, state, result, error from job_run where job = ? order by started_at, id`, [job]) as Promise<
      Array<{ attempt: number; state: string; result: string | null; error: string | null }>
    >;
  async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  }, 120_000);
  afterAll(async () => {
    await jobs?.stop();
    await t.close();
  });

  it('lists every job, unscheduled and never run, on a database where no server has started them', async () => {
    const data = await t.ok(JOBS);
    expect(data.jobs.map((j: { name: string }) => j.name)).toEqual(['standing-order-generation', 'change-feed-retention']);
    for (const job of data.jobs) {
      expect(job).toMatchObject({ schedule: null, timeZone: null, nextRunAt: null, lastRun: null, lastFailure: null });
      expect(job.description).not.toBe('');
    }
  });

  it('runs change-feed retention as a job in the company time zone, retries a failed attempt and shows the failure', async () => {
    await t.ok(`mutation { updateSettings(input: { timeZone: "America/Bogota", changeFeedRetentionDays: 30 }) { errors { code } } }`);
    await sql(`update change_event set at = now() - interval '40 days'`);
    const [{ n: events }] = await sql(`select count(*)::int as n from change_event`);
    expect(events).toBeGreaterThan(0);
    // The first attempt fails: the table it prunes is not there.
    await sql(`alter table change_event rename to change_event_away`);
    jobs = await startJobs(t.orm, createLogger('silent'), t.databaseUrl, {
      schedules: { 'standing-order-generation': null },
      retryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
    });
    await waitFor('the failed attempt', async () => (await runs('change-feed-retention')).some((r) => r.state === 'FAILED'));
    await sql(`alter table change_event_away rename to change_event`);
    await waitFor('the retry', async () => (await runs('change-feed-retention')).some((r) => r.state === 'COMPLETED'));

    const history = await runs('change-feed-retention');
    expect(history.map((r) => [r.attempt, r.state])).toEqual([
      [1, 'FAILED'],
      [2, 'COMPLETED'],
    ]);
    expect(history[0].error).toMatch(/change_event/);
    expect(history[1].result).toBe(`${events} events deleted`);
    expect((await sql(`select count(*)::int as n from change_event`))[0].n).toBe(0);

    const data = await t.ok(JOBS);
    const retention = data.jobs.find((j: { name: string }) => j.name === 'change-feed-retention');
    const today = dateIn('America/Bogota');
    expect(retention).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'America/Bogota',
      lastRun: { period: today, attempt: 2, state: 'COMPLETED', result: `${events} events deleted`, error: null },
      lastFailure: { period: today, attempt: 1, state: 'FAILED' },
    });
    expect(retention.lastFailure.error).toMatch(/change_event/);
    expect(retention.lastRun.endedAt).not.toBeNull();
    // 03:00 in Bogota (UTC-5, no daylight saving) is 08:00 UTC.
    expect(new Date(retention.nextRunAt).toISOString()).toMatch(/T08:00:00\.000Z$/);
    expect(new Date(retention.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    // Turned off by the configuration: not scheduled, and it did not run at start.
    expect(data.jobs.find((j: { name: string }) => j.name === 'standing-order-generation')).toMatchObject({ schedule: null, lastRun: null });
  }, 90_000);

  it('runs a daily job once per company date, follows a change of the time zone at its next attempt, and shows an abandoned attempt as failed', async () => {
    await t.ok(`mutation { updateSettings(input: { timeZone: "Asia/Tokyo" }) { errors { code } } }`);
    // An attempt whose server stopped during it (still RUNNING) is shown as failed once the next attempt starts.
    await sql(
      `insert into job_run (job, period_key, attempt, state, started_at) values ('change-feed-retention', '2026-01-01', 1, 'RUNNING', now() - interval '1 hour')`,
    );
    const boss = new PgBoss({ connectionString: t.databaseUrl, max: 1, supervise: false, schedule: false });
    await boss.start();
    try {
      await boss.send('change-feed-retention', {});
    } finally {
      await boss.stop({ graceful: false });
    }
    await waitFor('the schedule in the new time zone', async () => {
      const data = await t.ok(JOBS);
      return data.jobs.find((j: { name: string }) => j.name === 'change-feed-retention').timeZone === 'Asia/Tokyo';
    });
    // Tokyo's date may differ from Bogota's: a run for a date that has not completed yet does the work.
    const expected = dateIn('Asia/Tokyo') === dateIn('America/Bogota') ? 3 : 4;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const history = await runs('change-feed-retention');
    expect(history.length).toBe(expected);
    expect(history[0]).toMatchObject({ state: 'FAILED', error: 'the server running it stopped before it finished' });
    const data = await t.ok(JOBS);
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC.
    expect(new Date(data.jobs.find((j: { name: string }) => j.name === 'change-feed-retention').nextRunAt).toISOString()).toMatch(/T18:00:00\.000Z$/);
  }, 60_000);

  it("backs up without pg-boss's schema or the run history, and restores into a database whose server already ran its jobs", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-jobs-backup-'));
    const target = await createTestDatabase();
    const orm = await initOrm(target);
    let targetJobs: RunningJobs | undefined;
    try {
      const file = path.join(dir, 'backup.jsonl.gz');
      const counts = await backupDatabase(t.databaseUrl, file);
      expect(
        Object.keys(counts).some((table) => table.startsWith('pgboss') || table === 'job'),
        Object.keys(counts).join(),
      ).toBe(false);
      expect(zlib.gunzipSync(await fs.readFile(file)).toString()).not.toMatch(/"table":"(job|queue|schedule|archive)"/);
      // A server started on the new database ran its jobs there (run history, pg-boss's schema): still "empty".
      targetJobs = await startJobs(orm, createLogger('silent'), target, { schedules: { 'standing-order-generation': null } });
      await waitFor('the target database run', async () => {
        const [row] = await (orm.em.fork() as EntityManager).execute(`select count(*)::int as n from job_run where state = 'COMPLETED'`);
        return row.n > 0;
      });
      const restored = await restoreDatabase(file, target);
      expect(restored.job_run).toBeUndefined();
      expect(restored.settings).toBe(1);
      const [settings] = await (orm.em.fork() as EntityManager).execute(`select time_zone from settings`);
      expect(settings.time_zone).toBe('Asia/Tokyo');
    } finally {
      await targetJobs?.stop();
      await orm.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('starts in three processes at once on a database pg-boss has not seen (its setup is serialized: concurrent queue creation deadlocks)', async () => {
    for (let round = 0; round < 3; round++) {
      const url = await createTestDatabase();
      const orms = await Promise.all([initOrm(url), initOrm(url), initOrm(url)]);
      try {
        const started = await Promise.allSettled(
          orms.map((orm) => startJobs(orm, createLogger('silent'), url, { schedules: { 'standing-order-generation': null } })),
        );
        await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
        expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
      } finally {
        await Promise.all(orms.map((orm) => orm.close()));
      }
    }
  }, 90_000);

  it('refuses the jobs query to every role but ADMIN', async () => {
    for (const role of ['BUYER', 'SALES', 'WAREHOUSE']) {
      const created = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }`, {
        input: { name: `${role} jobs`, role },
      });
      const result = await t.gql(JOBS, undefined, created.createApiToken.secret);
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('nextRunAt', () => {
  it('reads the schedule in the time zone, across a daylight-saving change', () => {
    // New York leaves daylight saving on 2026-11-01: 03:00 there is 07:00 UTC before, 08:00 UTC after.
    expect(nextRunAt('0 3 * * *', 'America/New_York', new Date('2026-10-31T12:00:00Z'))?.toISOString()).toBe('2026-11-01T08:00:00.000Z');
    expect(nextRunAt('0 3 * * *', 'America/New_York', new Date('2026-10-30T12:00:00Z'))?.toISOString()).toBe('2026-10-31T07:00:00.000Z');
    expect(nextRunAt('*/15 * * * *', 'UTC', new Date('2026-12-07T10:07:00Z'))?.toISOString()).toBe('2026-12-07T10:15:00.000Z');
    expect(nextRunAt('not a schedule', 'UTC', new Date())).toBeNull();
  });
});

describe('job configuration', () => {
  it('reads a schedule per job (a cron expression or off), and refuses a bad one or the timers the jobs replaced', () => {
    expect(readConfig({})).toMatchObject({ jobs: true, jobSchedules: {} });
    expect(
      readConfig({ STEMLINE_JOBS: 'off', STEMLINE_STANDING_ORDER_SCHEDULE: 'off', STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE: '30 2 * * 1-5' }),
    ).toMatchObject({
      jobs: false,
      jobSchedules: { 'standing-order-generation': null, 'change-feed-retention': '30 2 * * 1-5' },
    });
    expect(() => readConfig({ STEMLINE_JOBS: 'no' })).toThrow(/STEMLINE_JOBS must be on or off, got "no"/);
    for (const bad of ['*/15 * * *', '0 25 * * *', '0 3 * * * *', 'daily']) {
      expect(() => readConfig({ STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE: bad })).toThrow(
        /STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE must be a cron expression of five fields/,
      );
    }
    expect(() => readConfig({ STEMLINE_STANDING_ORDER_INTERVAL_MS: '0' })).toThrow(
      /STEMLINE_STANDING_ORDER_INTERVAL_MS is no longer read: set STEMLINE_STANDING_ORDER_SCHEDULE/,
    );
    expect(() => readConfig({ STEMLINE_CHANGE_FEED_PRUNE_INTERVAL_MS: '3600000' })).toThrow(/STEMLINE_CHANGE_FEED_RETENTION_SCHEDULE/);
  });
});
