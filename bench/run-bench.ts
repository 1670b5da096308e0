// npm run bench [-- --sizes 1000,10000,100000] [--only documents|lists|scan-storm|prebooks|billing] [--storm-boxes 5000] [--clients 8,32] [--json FILE]
// Measures the server through HTTP GraphQL, as a client would, against a raw-SQL baseline run on
// the same machine in the same run. Everything happens on a throw-away embedded PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../server/src/db/embedded-postgres';
import { initOrm, migrate } from '../server/src/db/orm';
import { childPids, cpuMs, peakRssMb } from '../test/support/proc-stat';
import { startServerProcess, type ServerProcess } from '../test/support/server-process';
import { baselineConfirmAndBill, baselineSavePrebooks, baselineScanner, prebookLinesDigest } from './baseline';
import { graphql } from './bench-client';
import { buildDocuments, FARMS, isoDate, planFor, prebookInput, productCode, seedMasters, shipAll } from './dataset';
import { benchDocuments, documentFigures, documentsTable, type DocumentRow } from './documents-bench';
import { benchListReads, listReadFigures, listReadsTable, type ListReadRow } from './list-reads-bench';
import { benchJson, figure, latencyOf, stepsTable, stormCpuTable, stormFigures, stormTable, type Figure, type StormRow } from './figures';
import { pushedStatuses, runSheetTool, writePrebooksWorkbook } from './sheet-push-bench';
import { buildStorm, runStorm, serverScan, stormLabels, stormOutcome } from './scan-storm';
import { countInvariantViolations } from '../soak/box-invariants';
import { buildCliIfStale } from '../scripts/build-cli';

const TOKEN = 'bench-admin-token-0123456789abcdef0123';
// --only documents: just the printable documents (a few seconds), not the billing sizes.
// --only lists: just the list reads (prebooks and invoices with lines against an empty request), about a minute.
// --only scan-storm: just the scan storm (--storm-boxes boxes, at each of --clients concurrencies).
// --only prebooks: just savePrebooks of 5,000 lines and the sheet push of the same lines.
// --only billing: just the sizes (shipping, confirmation with billing, allocation, invoice lists).
// --json FILE: every figure of the tables also as JSON, to compare runs.
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
  },
});
const ONLY = ['documents', 'lists', 'scan-storm', 'prebooks', 'billing'];
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

const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
};

/** The middle value (of an odd count; the upper middle of an even one). */
function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** A process and its children (a server's workers under STEMLINE_WORKERS). */
function processTree(pid: number): number[] {
  return [pid, ...childPids(pid)];
}

/** CPU time a server has used so far, workers included, in ms: steadier than wall time on a shared machine. */
function serverCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, one) => sum + cpuMs(one), 0);
}

/** CPU time the bench's PostgreSQL has used so far, ms: the postmaster, the backends it has reaped and those running. */
function postgresCpuMs(dataDir: string): number {
  const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return childPids(postmaster).reduce((sum, one) => sum + cpuMs(one), cpuMs(postmaster, true));
}

/** This process's CPU time so far (the bench's clients), ms. */
function clientCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time of this process's children that have ended (the sheet tool's runs), ms. */
function reapedCpuMs(): number {
  return cpuMs(process.pid, true) - cpuMs(process.pid);
}

/** Peak resident memory so far (VmHWM) of a server's largest process, workers included, in MB. */
function serverPeakRssMb(pid: number): number {
  return Math.max(...processTree(pid).map(peakRssMb));
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

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

  try {
    await createDatabaseIfMissing(cluster.adminUrl, 'bench_template');
    const orm = await initOrm(urlOf('bench_template'), { debug: false });
    await migrate(orm);
    await orm.close();
    let server = await startServer('bench_template');
    await seedMasters(server.url, TOKEN);
    await stopServer(server);

    const tables: Array<{ title: string; rows: Figure[] }> = [];

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
      await clone('bench_storm_seed', 'bench_template');
      server = await startServer('bench_storm_seed');
      log(`scan storm: ${stormBoxes} boxes of 200 customers, half of them for 5`);
      const shipped = await buildStorm(server.url, TOKEN, stormBoxes);
      await stopServer(server);
      const labels = await stormLabels(urlOf('bench_storm_seed'));
      if (labels.length !== shipped) throw new Error(`the storm shipped ${shipped} boxes but ${labels.length} are staged`);
      for (const clients of stormClients) {
        await clone(`bench_storm_${clients}`, 'bench_storm_seed');
        await clone(`bench_storm_${clients}_baseline`, 'bench_storm_seed');
        log(`  baseline: ${clients} clients scanning with raw SQL`);
        const scanner = baselineScanner(urlOf(`bench_storm_${clients}_baseline`), clients);
        const baselineCpuBefore = { postgres: postgresCpuMs(dataDir), clients: clientCpuMs() };
        const baseline = await runStorm(clients, labels, scanner.scan).finally(scanner.close);
        const baselineCpu = {
          postgres: (postgresCpuMs(dataDir) - baselineCpuBefore.postgres) / labels.length,
          clients: (clientCpuMs() - baselineCpuBefore.clients) / labels.length,
        };
        log(`  server (${workers} process${workers > 1 ? 'es' : ''}): ${clients} clients scanning through HTTP GraphQL`);
        server = await startServer(`bench_storm_${clients}`, workers);
        // Warm up (compiling, first connections) with reads, as a server in use is warm.
        for (let i = 0; i < 20; i++) await graphql(server.url, TOKEN, `query($l: String!) { box(label: $l) { status } }`, { l: labels[i % labels.length] });
        const cpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(dataDir), clients: clientCpuMs() };
        const storm = await runStorm(clients, labels, serverScan(server.url, TOKEN));
        const serverCpuMsPerBox = (serverCpuMs(server.child.pid!) - cpuBefore.server) / labels.length;
        const postgresCpuMsPerBox = (postgresCpuMs(dataDir) - cpuBefore.postgres) / labels.length;
        const clientCpuMsPerBox = (clientCpuMs() - cpuBefore.clients) / labels.length;
        // What a request costs the server before any work: the same clients sending `{ __typename }` (HTTP, GraphQL, the token check).
        const emptyBefore = serverCpuMs(server.child.pid!);
        await runStorm(clients, labels, async () => void (await graphql(server.url, TOKEN, '{ __typename }')));
        const serverCpuMsPerEmptyRequest = (serverCpuMs(server.child.pid!) - emptyBefore) / labels.length;
        log(`  server CPU ${serverCpuMsPerBox.toFixed(2)} ms per box, ${serverCpuMsPerEmptyRequest.toFixed(2)} ms per empty request`);
        // Whether a scan costs more as the invoices fill up: p50 of the first and the last tenth of the scans.
        const tenth = Math.max(1, Math.floor(storm.latencies.length / 10));
        log(
          `  server p50 ${latencyOf(storm.latencies.slice(0, tenth)).p50.toFixed(1)} ms over the first tenth of the scans, ${latencyOf(storm.latencies.slice(-tenth)).p50.toFixed(1)} ms over the last`,
        );
        const rssMb = serverPeakRssMb(server.child.pid!);
        await stopServer(server);
        const digests: string[] = [];
        for (const [who, database] of [
          ['server', `bench_storm_${clients}`],
          ['baseline', `bench_storm_${clients}_baseline`],
        ]) {
          const outcome = await stormOutcome(urlOf(database));
          if (outcome.billed !== labels.length || outcome.staged !== 0) throw new Error(`${who} storm: ${JSON.stringify(outcome)} of ${labels.length} boxes`);
          const violations = Object.entries(await countInvariantViolations(urlOf(database))).filter(([, n]) => n > 0);
          if (violations.length) throw new Error(`${who} storm broke invariants: ${JSON.stringify(Object.fromEntries(violations))}`);
          log(`  ${who}: ${outcome.billed} boxes billed on ${outcome.invoices} invoices of ${outcome.lines} lines, invariants hold`);
          digests.push(outcome.digest);
        }
        // The baseline must bill what the server bills: per customer, key and prebook line, the same boxes, units and price.
        log(digests[0] === digests[1] ? '  the same invoice lines on both sides' : '  note: the baseline billed other invoice lines than the server');
        stormRows.push({
          clients,
          workers,
          boxes: labels.length,
          seconds: storm.seconds,
          latency: latencyOf(storm.latencies),
          baselineSeconds: baseline.seconds,
          baselineLatency: latencyOf(baseline.latencies),
          rssMb,
          cpu: {
            server: serverCpuMsPerBox,
            postgres: postgresCpuMsPerBox,
            clients: clientCpuMsPerBox,
            baselinePostgres: baselineCpu.postgres,
            baselineClients: baselineCpu.clients,
            serverPerEmptyRequest: serverCpuMsPerEmptyRequest,
          },
        });
      }
    }

    // savePrebooks of 5,000 lines in one call (200 prebooks of 25 lines), against its raw-SQL insert; and the
    // buyer's push of the same lines from a .xlsx with stemline-sheet, end to end, against that call.
    if (runs('prebooks')) {
      const title = 'savePrebooks and the sheet push';
      const input = prebookInput(5000, 2, isoDate(7), 'SAVE');
      // Three rounds, each on fresh copies of the database, each round timing the call, its raw-SQL insert and
      // the push one after the other; the medians are reported, as one run of a second is at the mercy of a shared machine.
      const rounds = 3;
      for (let round = 0; round < rounds; round++)
        for (const suffix of ['', '_baseline', '_sheet']) await clone(`bench_prebooks${suffix}_${round}`, 'bench_template');
      // Each server process takes one small savePrebooks first, so neither measurement pays for a cold start:
      // one call per process, each on a new connection (the server hands each new connection to its next
      // process), else the push's second chunk would meet a process that has served nothing yet.
      const warmUp = async (url: string) => {
        for (let i = 0; i < workers; i++) {
          const data = await graphql(
            url,
            TOKEN,
            `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { errors { message } } }`,
            { i: prebookInput(1, 1, isoDate(8), 'WARM') },
            { newConnection: true },
          );
          if (data.savePrebooks.errors.length) throw new Error(JSON.stringify(data.savePrebooks.errors));
        }
      };
      const sheetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-bench-sheet-'));
      const original = path.join(sheetDir, 'original.xlsx');
      let lines = 0;
      const callSeconds: number[] = [];
      const baselineSeconds: number[] = [];
      const pushSeconds: number[] = [];
      // Each push's critical path, from the tool's own timings: start-up and reading until its first request, the
      // server's time until the last answer, then the answers written back and the workbook saved.
      const pushPhases: Array<{ toFirstRequest: number; server: number; afterLastAnswer: number }> = [];
      const callCpu: Array<{ server: number; postgres: number }> = [];
      const pushCpu: Array<{ server: number; postgres: number; tool: number }> = [];
      let rssMb = 0;
      let pushRssMb = 0;
      for (let round = 0; round < rounds; round++) {
        server = await startServer(`bench_prebooks_${round}`, workers);
        await warmUp(server.url);
        log(`savePrebooks: 5,000 lines (round ${round + 1} of ${rounds})`);
        const callCpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(dataDir) };
        const [, seconds] = await elapsed(async () => {
          const data = await graphql(
            server.url,
            TOKEN,
            `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { number } errors { message } } }`,
            {
              i: input,
            },
          );
          if (data.savePrebooks.errors.length) throw new Error(JSON.stringify(data.savePrebooks.errors.slice(0, 3)));
        });
        callSeconds.push(seconds);
        // CPU time, steadier than wall time on a shared machine: where the time of each side goes (the log only).
        callCpu.push({ server: serverCpuMs(server.child.pid!) - callCpuBefore.server, postgres: postgresCpuMs(dataDir) - callCpuBefore.postgres });
        rssMb = Math.max(rssMb, serverPeakRssMb(server.child.pid!));
        await stopServer(server);
        const [inserted, rawSeconds] = await elapsed(() => baselineSavePrebooks(urlOf(`bench_prebooks_baseline_${round}`), input as never));
        if (inserted !== 5000) throw new Error(`baseline inserted ${inserted} prebook lines`);
        // The baseline must store what the server stores: every line with its product, box type, quantities, prices, vendor and costs.
        const [stored, baselineStored] = [
          await prebookLinesDigest(urlOf(`bench_prebooks_${round}`), isoDate(7)),
          await prebookLinesDigest(urlOf(`bench_prebooks_baseline_${round}`), isoDate(7)),
        ];
        if (stored !== baselineStored) throw new Error(`the baseline stored other prebook lines than the server: ${baselineStored} against ${stored}`);
        baselineSeconds.push(rawSeconds);

        server = await startServer(`bench_prebooks_sheet_${round}`, workers);
        await warmUp(server.url);
        const connection = ['--server', server.url, '--token', TOKEN];
        if (round === 0) lines = await writePrebooksWorkbook(original, connection, input as never);
        const workbook = path.join(sheetDir, `prebooks-${round}.xlsx`);
        fs.copyFileSync(original, workbook);
        log(`stemline-sheet push prebooks: a ${lines}-line .xlsx (round ${round + 1} of ${rounds})`);
        const pushCpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(dataDir), tool: reapedCpuMs() };
        const pushRun = await runSheetTool(['push', 'prebooks', workbook, ...connection]);
        pushSeconds.push(pushRun.seconds);
        const at = pushRun.timings;
        if (at?.firstRequest !== undefined && at.lastAnswer !== undefined && at.saved !== undefined)
          pushPhases.push({
            toFirstRequest: at.firstRequest / 1000,
            server: (at.lastAnswer - at.firstRequest) / 1000,
            afterLastAnswer: (at.saved - at.lastAnswer) / 1000,
          });
        pushCpu.push({
          server: serverCpuMs(server.child.pid!) - pushCpuBefore.server,
          postgres: postgresCpuMs(dataDir) - pushCpuBefore.postgres,
          tool: reapedCpuMs() - pushCpuBefore.tool,
        });
        const pushed = await pushedStatuses(workbook);
        if (pushed.statuses.OK !== lines || pushed.numbered !== lines) throw new Error(`the push wrote back ${JSON.stringify(pushed)} for ${lines} lines`);
        pushRssMb = Math.max(pushRssMb, serverPeakRssMb(server.child.pid!));
        await stopServer(server);
      }
      const { seconds: startup } = await runSheetTool(['--help']);
      fs.rmSync(sheetDir, { recursive: true, force: true });
      const call = median(callSeconds);
      log(
        `savePrebooks ${callSeconds.map((t) => t.toFixed(2)).join(', ')} s; raw SQL ${baselineSeconds.map((t) => t.toFixed(2)).join(', ')} s; push ${pushSeconds.map((t) => t.toFixed(2)).join(', ')} s`,
      );
      log(
        `CPU ms: savePrebooks server ${callCpu.map((c) => c.server).join(', ')}, its postgres ${callCpu.map((c) => c.postgres).join(', ')}; ` +
          `push tool ${pushCpu.map((c) => c.tool).join(', ')}, server ${pushCpu.map((c) => c.server).join(', ')}, its postgres ${pushCpu.map((c) => c.postgres).join(', ')}`,
      );
      if (pushPhases.length)
        log(
          `push phases, s: to the first request ${pushPhases.map((p) => p.toFirstRequest.toFixed(3)).join(', ')}; ` +
            `first request to last answer ${pushPhases.map((p) => p.server.toFixed(3)).join(', ')}; last answer to saved ${pushPhases.map((p) => p.afterLastAnswer.toFixed(3)).join(', ')}`,
        );
      tables.push({
        title,
        rows: [
          figure({
            table: title,
            step: 'savePrebooks (one call; median of 3)',
            items: 5000,
            seconds: call,
            baseline: 'raw SQL',
            baselineSeconds: median(baselineSeconds),
            rssMb,
          }),
          figure({
            table: title,
            step: `stemline-sheet push prebooks (${lines}-line .xlsx, end to end; median of 3)`,
            items: lines,
            seconds: median(pushSeconds),
            baseline: 'savePrebooks (one call)',
            baselineSeconds: call,
            rssMb: pushRssMb,
          }),
          figure({ table: title, step: 'stemline-sheet start-up alone (--help; part of the push above)', items: 1, seconds: startup }),
          ...(pushPhases.length === rounds
            ? [
                figure({
                  table: title,
                  step: 'push, part: from its start to its first request (start-up, reading the workbook, the first chunk)',
                  items: lines,
                  seconds: median(pushPhases.map((p) => p.toFirstRequest)),
                }),
                figure({
                  table: title,
                  step: 'push, part: from its first request to its last answer (the server, both chunks)',
                  items: lines,
                  seconds: median(pushPhases.map((p) => p.server)),
                  baseline: 'savePrebooks (one call)',
                  baselineSeconds: call,
                }),
                figure({
                  table: title,
                  step: 'push, part: from its last answer to the saved file (writing back, saving)',
                  items: lines,
                  seconds: median(pushPhases.map((p) => p.afterLastAnswer)),
                }),
              ]
            : []),
        ],
      });
    }

    for (const size of runs('billing') ? sizes : []) {
      const plan = planFor(size);
      const title = `${size.toLocaleString('en-US')} boxes`;
      const rows: Figure[] = [];
      const step = (fields: Omit<Figure, 'table' | 'ratio'>) => figure({ table: title, ...(fields.baselineSeconds ? { baseline: 'raw SQL' } : {}), ...fields });
      const db = (suffix: string) => `bench_${size}_${suffix}`;
      log(
        `size ${size}: ${plan.prebookLines} prebook lines x ${plan.boxesPerLine} boxes, ${plan.openMarketBoxes} open-market boxes, ${plan.allocationLines} lines to allocate`,
      );
      await clone(db('seed'), 'bench_template');
      server = await startServer(db('seed'));
      const [{ purchaseOrders }, buildSeconds] = await elapsed(() => buildDocuments(server.url, TOKEN, plan));
      log(`  documents built in ${buildSeconds.toFixed(1)} s; shipping ${purchaseOrders.length} POs`);
      const [shipped, shipSeconds] = await elapsed(() => shipAll(server.url, TOKEN, purchaseOrders));
      rows.push(step({ step: 'shipPurchaseOrder (≤ 10,000 boxes a call)', items: shipped, seconds: shipSeconds, rssMb: serverPeakRssMb(server.child.pid!) }));
      await stopServer(server);
      for (const copy of ['all', 'chunks', 'baseline']) await clone(db(copy), db('seed'));

      log(`  baseline: confirm and bill ${shipped} boxes with raw SQL`);
      const [baseline, baselineSeconds] = await elapsed(() => baselineConfirmAndBill(urlOf(db('baseline')), purchaseOrders));
      if (baseline.boxes !== shipped) throw new Error(`baseline confirmed ${baseline.boxes} of ${shipped} boxes`);

      log(`  confirmStaging: all ${shipped} boxes in one call`);
      server = await startServer(db('all'));
      const [all, allSeconds] = await elapsed(() =>
        graphql(
          server.url,
          TOKEN,
          `mutation($p: [String!]) { confirmStaging(input: { purchaseOrders: $p }) { summary { confirmed billed issues invoices } errors { message } } }`,
          { p: purchaseOrders },
        ),
      );
      if (all.confirmStaging.errors.length) throw new Error(JSON.stringify(all.confirmStaging.errors));
      const summary = all.confirmStaging.summary;
      if (summary.confirmed !== shipped) throw new Error(`confirmed ${summary.confirmed} of ${shipped}`);
      if (summary.invoices !== baseline.invoices) log(`  note: the server made ${summary.invoices} invoices, the baseline ${baseline.invoices}`);
      rows.push(
        step({ step: 'confirmStaging + billing (one call)', items: shipped, seconds: allSeconds, baselineSeconds, rssMb: serverPeakRssMb(server.child.pid!) }),
      );

      if (process.env.BENCH_CONFIRM_ONLY) {
        await stopServer(server);
        tables.push({ title, rows });
        continue;
      }
      log('  massAllocate');
      const [allocated, allocateSeconds] = await elapsed(() =>
        graphql(server.url, TOKEN, `mutation { massAllocate { lines { allocated } errors { message } } }`),
      );
      rows.push(
        step({
          step: 'massAllocate',
          items: allocated.massAllocate.lines.reduce((sum: number, l: { allocated: number }) => sum + l.allocated, 0),
          seconds: allocateSeconds,
          rssMb: serverPeakRssMb(server.child.pid!),
        }),
      );

      log('  invoices(first: 500) with lines');
      const [page, invoicesSeconds] = await elapsed(() =>
        graphql(
          server.url,
          TOKEN,
          `{ invoices(first: 500) { totalCount nodes { number customer { code name } carrier { code } truckDate total cost gpmPercent lines { product { code } boxes units unitPrice amount cost } } } }`,
        ),
      );
      rows.push(
        step({
          step: 'invoices(first: 500) with lines',
          items: page.invoices.nodes.length,
          seconds: invoicesSeconds,
          rssMb: serverPeakRssMb(server.child.pid!),
        }),
      );
      await stopServer(server);

      log(`  confirmStaging: chunks of ${chunkSize} labels`);
      const client = new pg.Client({ connectionString: urlOf(db('chunks')) });
      await client.connect();
      const labels = (await client.query(`select label from box where status = 'STAGED' order by id`)).rows.map((r: { label: string }) => r.label);
      await client.end();
      server = await startServer(db('chunks'));
      const [, chunkSeconds] = await elapsed(async () => {
        for (let i = 0; i < labels.length; i += chunkSize) {
          const data = await graphql(
            server.url,
            TOKEN,
            `mutation($l: [String!]) { confirmStaging(input: { labels: $l }) { summary { confirmed } errors { message } } }`,
            { l: labels.slice(i, i + chunkSize) },
          );
          if (data.confirmStaging.errors.length) throw new Error(JSON.stringify(data.confirmStaging.errors));
          process.stderr.write(`\r  ${Math.min(i + chunkSize, labels.length)}/${labels.length}`);
        }
        process.stderr.write('\n');
      });
      rows.push(
        step({
          step: `confirmStaging + billing (chunks of ${chunkSize})`,
          items: labels.length,
          seconds: chunkSeconds,
          baselineSeconds,
          rssMb: serverPeakRssMb(server.child.pid!),
        }),
      );
      await stopServer(server);
      tables.push({ title, rows });
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
    for (const server of [...servers]) await server.stop();
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
