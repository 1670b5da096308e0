// The same day of work on the empty database and on a year of history, in one run: confirming and
// billing, the scan storm, savePrebooks and the sheet push, and the reads a day makes (median of 20),
// each reported as the ratio year / empty (target at most 1.25).
import pg from 'pg';
import { graphql } from './bench-client';
import type { BenchRun, FigureTable } from './bench-run';
import { benchBillingSize } from './billing-sizes-run';
import { customerCode, isoDate, productCode } from './dataset';
import { figure, type Figure } from './figures';
import { seedHistory, type HistoryPlan } from './history-seed';
import { benchPrebooksAndPush } from './prebooks-run';
import { elapsed, log, median } from './process-metrics';
import { benchScanStorm } from './scan-storm-run';

/** A day's work on a year of history may take at most this many times its time on an empty database. */
export const HISTORY_TARGET_RATIO = 1.25;
const READ_RUNS = 20;

export interface HistoryOptions {
  /** The boxes confirmed and billed (one call, and in calls of `chunk`). */
  size: number;
  chunk: number;
  stormBoxes: number;
  stormClients: number;
  /** The parts measured: all by default. */
  parts: ReadonlyArray<'billing' | 'reads' | 'scan-storm' | 'prebooks'>;
}

/** The reads a day makes, as the task pane, the sheet tool and API clients send them. */
export function dayReads(day: { customer: string; product: string; truckDate: string; monthFrom: string; monthTo: string; cursor: string }) {
  return [
    { step: 'staging (first 500)', query: `{ staging(first: 500) { totalCount nodes { label status product { code } } } }` },
    {
      step: 'inventory of a product (first 100)',
      query: `query($p: String) { inventory(filter: { product: $p }, first: 100) { totalCount nodes { label unitsRemaining ageDays } } }`,
      variables: { p: day.product },
    },
    {
      step: 'invoices of a customer (first 50)',
      query: `query($c: String) { invoices(filter: { customer: $c }, first: 50) { totalCount nodes { number total lines { product { code } units amount } } } }`,
      variables: { c: day.customer },
    },
    {
      step: 'invoices of a truck date (first 50)',
      query: `query($d: Date) { invoices(filter: { truckDateFrom: $d, truckDateTo: $d }, first: 50) { totalCount nodes { number total } } }`,
      variables: { d: day.truckDate },
    },
    {
      step: 'prebooks of a customer and dates (first 100)',
      query: `query($c: String, $f: Date, $t: Date) { prebooks(filter: { customer: $c, truckDateFrom: $f, truckDateTo: $t }, first: 100) {
        totalCount nodes { number lines { product { code } boxes } } } }`,
      variables: { c: day.customer, f: day.monthFrom, t: day.monthTo },
    },
    {
      step: 'purchaseNeeds of a truck date (first 100)',
      query: `query($d: Date) { purchaseNeeds(filter: { truckDateFrom: $d, truckDateTo: $d }, first: 100) { totalCount nodes { prebookNumber } } }`,
      variables: { d: day.truckDate },
    },
    { step: 'billingIssues open (first 100)', query: `{ billingIssues(filter: { resolved: false }, first: 100) { totalCount nodes { code } } }` },
    {
      step: 'gpmReport of a month',
      query: `query($f: Date, $t: Date) { gpmReport(filter: { truckDateFrom: $f, truckDateTo: $t }) { revenue cost margin } }`,
      variables: { f: day.monthFrom, t: day.monthTo },
    },
    {
      step: 'changes from a cursor of the day (first 500)',
      query: `query($a: String) { changes(after: $a, first: 500) { nodes { type key } pageInfo { endCursor } } }`,
      variables: { a: day.cursor },
    },
    { step: 'agedStock (first 100)', query: `{ agedStock(first: 100) { totalCount nodes { label ageDays } } }` },
  ];
}

/** The change feed's newest position in `databaseUrl`, as a cursor of `changes`. */
export async function newestCursor(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ xid: string; id: string }>(`select xid::text, id::text from change_event order by xid desc, id desc limit 1`);
    return Buffer.from(JSON.stringify([rows[0]?.xid ?? '0', rows[0]?.id ?? '0']), 'utf8').toString('base64url');
  } finally {
    await client.end();
  }
}

interface SideTimes {
  [step: string]: { items: number; seconds: number };
}

/** One side (the empty template or the year): every part, named steps with their times. */
async function measureSide(run: BenchRun, options: HistoryOptions): Promise<SideTimes> {
  const times: SideTimes = {};
  const cursor = await newestCursor(run.urlOf(run.template));
  if (options.parts.includes('billing') || options.parts.includes('reads')) {
    const billing = await benchBillingSize(run, options.size, options.chunk);
    for (const row of billing.rows) if (row.step.startsWith('confirmStaging')) times[row.step] = { items: row.items, seconds: row.seconds };
    if (options.parts.includes('reads')) {
      const server = await run.startServer(`${run.prefix}${options.size}_all`);
      try {
        const today = isoDate(0);
        const day = {
          customer: customerCode(1),
          product: productCode(0),
          truckDate: isoDate(5),
          monthFrom: `${today.slice(0, 7)}-01`,
          monthTo: isoDate(30),
          cursor,
        };
        for (const read of dayReads(day)) {
          let items = 0;
          const seconds: number[] = [];
          for (let i = 0; i < READ_RUNS + 2; i++) {
            const [data, s] = await elapsed(() => graphql(server.url, run.token, read.query, read.variables));
            const [field] = Object.values(data) as Array<{ totalCount?: number; nodes?: unknown[] }>;
            items = field?.totalCount ?? field?.nodes?.length ?? 1;
            if (i >= 2) seconds.push(s); // the first two warm the server up
          }
          times[`${read.step} (median of ${READ_RUNS})`] = { items, seconds: median(seconds) };
        }
      } finally {
        await run.stopServer(server);
      }
    }
  }
  if (options.parts.includes('scan-storm')) {
    const [storm] = await benchScanStorm(run, options.stormBoxes, [options.stormClients]);
    times[`scan storm, ${options.stormClients} clients`] = { items: storm.boxes, seconds: storm.seconds };
  }
  if (options.parts.includes('prebooks')) {
    const table = await benchPrebooksAndPush(run);
    for (const row of table.rows) if (!row.step.includes('critical path')) times[row.step] = { items: row.items, seconds: row.seconds };
  }
  return times;
}

/** Seeds the year into a copy of the run's template, measures both sides, and returns the ratios. */
export async function benchHistory(run: BenchRun, plan: HistoryPlan, label: string, options: HistoryOptions): Promise<FigureTable> {
  const yearTemplate = `${run.prefix}history`;
  await run.clone(yearTemplate, run.template);
  log(`history: seeding ${plan.boxes.toLocaleString('en-US')} boxes over a year`);
  const [counts, seedSeconds] = await elapsed(() => seedHistory(run.urlOf(yearTemplate), plan));
  log(
    `history: seeded in ${seedSeconds.toFixed(0)} s: ${Object.entries(counts)
      .map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`)
      .join(', ')}`,
  );
  log('history: the day on the empty database');
  const empty = await measureSide({ ...run, prefix: `${run.prefix}empty_` }, options);
  log('history: the same day on the year');
  const year = await measureSide({ ...run, template: yearTemplate, prefix: `${run.prefix}year_` }, options);
  const title = `A year of history (${label}: ${counts.box.toLocaleString('en-US')} boxes, ${counts.invoice.toLocaleString('en-US')} invoices, seeded in ${seedSeconds.toFixed(0)} s)`;
  const rows: Figure[] = Object.entries(year).map(([step, y]) =>
    figure({
      table: title,
      step,
      items: y.items,
      seconds: y.seconds,
      baseline: 'empty database',
      baselineSeconds: empty[step]?.seconds,
      history: label,
      targetRatio: HISTORY_TARGET_RATIO,
    }),
  );
  return { title, rows };
}
