// The reads a day makes, on a database holding 200,000 boxes of history: PostgreSQL's plan of every
// statement they run (auto_explain, logged by a cluster of the test's own) scans no table of boxes,
// invoice lines, prebook lines or change events from end to end; indexes find the day's rows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../bench/bench-client';
import { customerCode, isoDate, productCode, seedMasters } from '../../bench/dataset';
import { dayReads, newestCursor } from '../../bench/history-run';
import { historyPlan, seedHistory } from '../../bench/history-seed';
import { createDatabaseIfMissing, startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../../server/src/db/orm';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const TOKEN = 'plans-admin-token-0123456789abcdef01234';
const HISTORY_BOXES = process.env.STEMLINE_PLAN_BOXES ?? '200000';
/** Tables that grow with every day: reading one whole is a cost that grows with history. */
const GROWING = /Seq Scan on (box|invoice_line|invoice_line_box|prebook_line|change_event)\b/;

describe(`plans of the day's reads on ${HISTORY_BOXES} boxes of history`, () => {
  let cluster: EmbeddedDatabase;
  let server: ServerProcess | undefined;
  let dataDir: string;
  let url: string;
  const logged: string[] = [];
  const env = () => ({ DATABASE_URL: url, STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_DEMO_DATA: 'off', LOG_LEVEL: 'warn', STEMLINE_JOBS: 'off' });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-plans-'));
    cluster = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'postgres', onLog: (message) => logged.push(message) });
    await createDatabaseIfMissing(cluster.adminUrl, 'plans');
    url = cluster.adminUrl.replace(/\/postgres$/, '/plans');
    const orm = await initOrm(url, { debug: false });
    await migrate(orm);
    await orm.close();
    server = await startServerProcess(env());
    await seedMasters(server.url, TOKEN);
    await server.stop();
    await seedHistory(url, historyPlan(HISTORY_BOXES));
    // Every plan of every new session goes to the log, as text.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`alter database plans set session_preload_libraries = 'auto_explain'`);
    await admin.query(`alter database plans set auto_explain.log_min_duration = 0`);
    await admin.end();
    server = await startServerProcess(env());
  }, 600_000);
  afterAll(async () => {
    await server?.stop();
    await cluster?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads without scanning a growing table whole', async () => {
    const today = isoDate(0);
    const day = {
      customer: customerCode(1),
      product: productCode(0),
      truckDate: isoDate(-7),
      monthFrom: today,
      monthTo: isoDate(30),
      cursor: await newestCursor(url),
    };
    const scans: Record<string, string[]> = {};
    for (const read of dayReads(day)) {
      await graphql(server!.url, TOKEN, read.query, read.variables); // plans cached per session settle on the first run
      logged.length = 0;
      await graphql(server!.url, TOKEN, read.query, read.variables);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const found = logged
        .join('\n')
        .split('\n')
        .filter((line) => GROWING.test(line))
        .map((line) => line.trim());
      if (found.length) scans[read.step] = found;
      if (found.length && process.env.STEMLINE_PLAN_DEBUG) fs.appendFileSync(process.env.STEMLINE_PLAN_DEBUG, `\n===== ${read.step}\n${logged.join('')}`);
    }
    expect(scans).toEqual({});
  }, 300_000);
});
