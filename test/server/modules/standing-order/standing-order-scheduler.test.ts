// Standing orders generate on their own (the scheduled job standing-order-generation, on pg-boss): two server
// processes on one database generate each date once.
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { startServerProcess, type ServerProcess } from '../../../support/server-process';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { runStandingOrderGeneration } from '../../../../server/src/modules/standing-order/standing-order.scheduler';
import { createLogger } from '../../../../server/src/logger';

const TOKEN = 'scheduler-admin-token-0123456789abcdef';

describe('scheduled standing-order generation', () => {
  let t: TestServer;
  let servers: ServerProcess[] = [];
  const sql = (query: string) => t.orm.em.getConnection().execute(query);
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t.close();
  });

  it("generates every date of the lead window once, from the company's today, with two processes running the job", async () => {
    // A zone a day ahead of UTC for part of the day: the window starts at the company's date, not UTC's.
    await t.ok(`mutation { updateSettings(input: { standingOrderLeadDays: 3, timeZone: "Pacific/Kiritimati" }) { errors { code } } }`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const saved = await t.ok(`mutation($i: StandingOrderInput!) { saveStandingOrder(input: $i) { standingOrder { number } errors { code message } } }`, {
      i: {
        customer: 'BLOOMS',
        carrier: 'ARMELLINI',
        weekdays: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
        startDate: '2026-01-05',
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.80' }],
      },
    });
    expect(saved.saveStandingOrder.errors).toEqual([]);
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: t.databaseUrl, STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_JOBS: 'on' })));
    const dates = async () => (await sql(`select truck_date::text as d from prebook where source = 'STANDING_ORDER' order by 1`)).map((r: any) => r.d);
    const deadline = Date.now() + 30_000;
    while ((await dates()).length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    // Several more runs, as the schedule would send them, taken by either process: nothing new, nothing twice.
    const boss = new PgBoss({ connectionString: t.databaseUrl, max: 1, supervise: false, schedule: false });
    await boss.start();
    try {
      for (let i = 0; i < 4; i++) {
        await boss.send('standing-order-generation', {});
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
    } finally {
      await boss.stop({ graceful: false });
    }
    const finished = async () => (await sql(`select count(*)::int as n from job_run where job = 'standing-order-generation' and state = 'COMPLETED'`))[0].n;
    while ((await finished()) < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await finished()).toBeGreaterThanOrEqual(3);
    const generated = await dates();
    const expected = [0, 1, 2, 3].map((n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10));
    expect(generated).toEqual(expected);
    const runs = await sql(`select count(*)::int as n from audit_event where action = 'generate' and actor = 'standing-order scheduler'`);
    expect(runs[0].n).toBe(4);
    // Their workers would otherwise take the lock now and then during the next test. They stop cleanly, pg-boss
    // and all: no connection of theirs is left.
    expect(await Promise.all(servers.map((s) => s.stop()))).toEqual([0, 0]);
    expect((await sql(`select count(*)::int as n from pg_stat_activity where application_name = 'stemline-jobs'`))[0].n).toBe(0);
    servers = [];
  }, 120_000);

  it('lets one process at a time run the generation: a run while another holds it does nothing', async () => {
    const logger = createLogger('silent');
    const holder = t.orm.em.fork();
    await holder.begin();
    try {
      await holder.execute(`select pg_advisory_xact_lock(hashtext('stemline:standing-order-generation'))`);
      expect(await runStandingOrderGeneration(t.orm, logger)).toBeNull();
    } finally {
      await holder.rollback();
    }
    expect(await runStandingOrderGeneration(t.orm, logger)).toEqual({ prebooks: [] });
  });
});
