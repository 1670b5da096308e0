// npm run bench [-- --sizes 1000,10000,100000] [--only documents|lists|scan-storm|prebooks|billing|history] [--storm-boxes 5000] [--clients 8,32]
//                  [--history 1y|BOXES [--history-size 10000]] [--json FILE]
// Measures the server through HTTP GraphQL, as a client would, against a raw-SQL baseline run on
// the same machine in the same run. Everything happens on a throw-away embedded PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../server/src/db/orm';
import { startServerProcess, type ServerProcess } from '../test/support/server-process';
import type { BenchRun, FigureTable } from './bench-run';
import { benchBillingSize } from './billing-sizes-run';
import { FARMS, productCode, seedMasters } from './dataset';
import { benchDocuments, documentFigures, documentsTable, type DocumentRow } from './documents-bench';
import { benchListReads, listReadFigures, listReadsTable, type ListReadRow } from './list-reads-bench';
import { benchJson, stepsTable, stormCpuTable, stormFigures, stormTable, type StormRow } from './figures';
import { benchHistory } from './history-run';
import { historyPlan } from './history-seed';
import { benchPrebooksAndPush } from './prebooks-run';
import { log, serverPeakRssMb } from './process-metrics';
import { benchScanStorm } from './scan-storm-run';
import { buildCliIfStale } from '../scripts/build-cli';

const TOKEN = 'bench-admin-token-0123456789abcdef0123';
// --only documents: just the printable documents (a few seconds), not the billing sizes.
// --only lists: just the list reads (prebooks and invoices with lines against an empty request), about a minute.
// --only scan-storm: just the scan storm (--storm-boxes boxes, at each of --clients concurrencies).
// --only prebooks: just savePrebooks of 5,000 lines and the sheet push of the same lines.
// --only billing: just the sizes (shipping, confirmation with billing, allocation, invoice lists).
// --history 1y (or a number of boxes): also the same day on a year of history (about a million boxes) as on the
// empty database, as ratios; --history-size: the boxes that day confirms and bills (default 10,000).
// --history-parts billing,reads,scan-storm,prebooks: which parts of the day are compared (all by default).
// --only history: just that comparison.
// --json FILE: every figure of the tables also as JSON, to compare runs.
// --charges: every customer pays a fuel surcharge and automatic charges (billing recomputes charges as it writes).
// --workers N: server processes (STEMLINE_WORKERS) serving the storm and the sheet push (and its bare call);
// default one per CPU core, as the README advises for busy days. The billing sizes are single big calls, one process.
const { values: options } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    chunk: { type: 'string', default: '1000' },
    only: { type: 'string' },
    'storm-boxes': { type: 'string', default: '5000' },
    clients: { type: 'string', default: '8,32' },
    workers: { type: 'string', default: String(os.availableParallelism()) },
    json: { type: 'string' },
    history: { type: 'string' },
    'history-size': { type: 'string', default: '10000' },
    'history-parts': { type: 'string', default: 'billing,reads,scan-storm,prebooks' },
    charges: { type: 'boolean', default: false },
  },
});
const ONLY = ['documents', 'lists', 'scan-storm', 'prebooks', 'billing', 'history'];
if (options.only && !ONLY.includes(options.only)) throw new Error(`--only takes one of ${ONLY.join(', ')}`);
const wholeNumbers = (list: string, option: string, example: string) => {
  const numbers = list.split(',').map((s) => Number(s.trim()));
  if (!numbers.length || numbers.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`--${option} takes a comma-separated list of whole numbers, e.g. ${example}`);
  return numbers;
};
const sizes = wholeNumbers(options.sizes!, 'sizes', '1000,10000');
const chunkSize = Number(options.chunk);
const [stormBoxes] = wholeNumbers(options['storm-boxes']!, 'storm-boxes', '5000');
const stormClients = wholeNumbers(options.clients!, 'clients', '8,32');
const [workers] = wholeNumbers(options.workers!, 'workers', '2');
/** Whether a part of the bench runs: everything, or only what --only names. */
const runs = (part: 'documents' | 'lists' | 'scan-storm' | 'prebooks' | 'billing') => !options.only || options.only === part;
const history = options.history ? historyPlan(options.history) : undefined;
if (options.only === 'history' && !history) throw new Error('--only history needs --history 1y (or a number of boxes)');
const [historySize] = wholeNumbers(options['history-size']!, 'history-size', '10000');
const HISTORY_PARTS = ['billing', 'reads', 'scan-storm', 'prebooks'] as const;
const historyParts = options['history-parts']!.split(',').map((part) => {
  const known = HISTORY_PARTS.find((name) => name === part.trim());
  if (!known) throw new Error(`--history-parts takes some of ${HISTORY_PARTS.join(', ')}`);
  return known;
});

async function main(): Promise<void> {
  // The sheet push runs the tool as a buyer does, from its build: made first when a source changed since.
  const cli = await buildCliIfStale();
  log(cli.built ? `sheet tool built into dist/stemline-sheet in ${cli.seconds.toFixed(1)} s` : 'sheet tool up to date in dist/stemline-sheet');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-bench-'));
  log(`embedded PostgreSQL in ${dataDir}`);
  const cluster = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'postgres' });
  const urlOf = (database: string) => cluster.adminUrl.replace(/\/postgres$/, `/${database}`);
  const clone = (database: string, template: string) => createDatabaseIfMissing(cluster.adminUrl, database, template);
  const servers: ServerProcess[] = [];
  const startServer = async (database: string, workers = 1) => {
    // BENCH_CPU_PROF=<dir> writes a .cpuprofile per server process (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
    const server = await startServerProcess(
      {
        DATABASE_URL: urlOf(database),
        STEMLINE_ADMIN_TOKEN: TOKEN,
        STEMLINE_DEMO_DATA: 'off',
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        STEMLINE_WORKERS: String(workers),
      },
      profile,
    );
    servers.push(server);
    return server;
  };
  let stopped = 0;
  const stopServer = async (server: ServerProcess) => {
    await server.stop();
    // With STEMLINE_SQL_LOG=1, each server's statements go to bench-server-N.log for reading.
    if (process.env.STEMLINE_SQL_LOG) fs.writeFileSync(`bench-server-${++stopped}.log`, server.output());
    servers.splice(servers.indexOf(server), 1);
  };
  const run: BenchRun = { template: 'bench_template', prefix: 'bench_', token: TOKEN, dataDir, workers, urlOf, clone, startServer, stopServer };

  try {
    await createDatabaseIfMissing(cluster.adminUrl, 'bench_template');
    const orm = await initOrm(urlOf('bench_template'), { debug: false });
    await migrate(orm);
    await orm.close();
    let server = await startServer('bench_template');
    await seedMasters(server.url, TOKEN, { charges: options.charges });
    await stopServer(server);

    const tables: FigureTable[] = [];

    // Printable documents: the box labels of a 500-box PO, PDF and ZPL.
    let documentRows: DocumentRow[] = [];
    if (runs('documents')) {
      await clone('bench_documents', 'bench_template');
      server = await startServer('bench_documents');
      log('documents: box labels of a 500-box PO');
      documentRows = await benchDocuments(server.url, TOKEN, FARMS[0], productCode(0));
      documentRows.at(-1)!.step += ` (server peak RSS ${serverPeakRssMb(server.child.pid!)} MB)`;
      await stopServer(server);
    }

    // List reads: pages of prebooks and invoices with their lines, against an empty request.
    let listRows: ListReadRow[] = [];
    if (runs('lists')) {
      await clone('bench_lists', 'bench_template');
      server = await startServer('bench_lists');
      log('lists: prebooks(first: 100) and invoices(first: 50) with lines, against { me { role } }');
      listRows = await benchListReads(server.url, TOKEN, server.child.pid);
      await stopServer(server);
    }

    // The scan storm: concurrent scanner guns, one box per inbound scan, each billing its box.
    const stormRows: StormRow[] = [];
    if (runs('scan-storm')) {
      stormRows.push(...(await benchScanStorm(run, stormBoxes, stormClients)));
    }

    // savePrebooks of 5,000 lines in one call (200 prebooks of 25 lines), against its raw-SQL insert; and the
    // buyer's push of the same lines from a .xlsx with stemline-sheet, end to end, against that call.
    if (runs('prebooks')) {
      tables.push(await benchPrebooksAndPush(run));
    }

    for (const size of runs('billing') ? sizes : []) {
      tables.push(await benchBillingSize(run, size, chunkSize));
    }

    // The same day on a year of history as on the empty database.
    if (history && (!options.only || options.only === 'history')) {
      tables.push(
        await benchHistory(run, history, options.history!, {
          size: historySize,
          chunk: chunkSize,
          stormBoxes,
          stormClients: 8,
          parts: historyParts,
        }),
      );
    }

    const cpu = os.cpus();
    const date = new Date().toISOString().slice(0, 10);
    console.log(`\nStemline benchmark, ${date}, ${cpu.length} x ${cpu[0]?.model.trim()}, Node ${process.version}\n`);
    for (const table of tables) console.log(`### ${table.title}\n\n${stepsTable(table.rows)}\n`);
    const stormTitle = `Scan storm (one box per inbound scan, billing on, ${stormBoxes.toLocaleString('en-US')} boxes)`;
    if (stormRows.length) {
      console.log(`### ${stormTitle}\n\n${stormTable(stormRows)}\n`);
      console.log(`CPU per box, ms (user + system, from /proc):\n\n${stormCpuTable(stormRows)}\n`);
    }
    if (documentRows.length) console.log(`### Printable documents\n\n${documentsTable(documentRows)}\n`);
    const listTitle = 'List reads with lines (median of 15, against an empty request; server CPU from /proc)';
    if (listRows.length) console.log(`### ${listTitle}\n\n${listReadsTable(listRows)}\n`);
    if (options.json) {
      const figures = [
        ...tables.flatMap((t) => t.rows),
        ...stormFigures(stormTitle, stormRows),
        ...(documentRows.length ? documentFigures('Printable documents', documentRows) : []),
        ...(listRows.length ? listReadFigures(listTitle, listRows) : []),
      ];
      fs.writeFileSync(options.json, benchJson({ date, cpus: cpu.length, cpuModel: cpu[0]?.model.trim() ?? '', node: process.version, options }, figures));
      log(`figures written to ${options.json}`);
    }
    const perBox = (runs('billing') ? sizes : []).map((size) => {
      const row = tables
        .find((t) => t.title === `${size.toLocaleString('en-US')} boxes`)!
        .rows.find((r) => r.step.startsWith('confirmStaging + billing (one'))!;
      return { size, msPerBox: (row.seconds * 1000) / row.items };
    });
    if (perBox.length > 1) {
      console.log('Confirmation with billing, time per box: ' + perBox.map((p) => `${p.size}: ${p.msPerBox.toFixed(3)} ms`).join(', '));
    }
  } finally {
    for (const server of [...servers]) await stopServer(server);
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
