// The scan storm: concurrent scanner guns, one box per inbound scan, each billing its box, against
// the same scans in raw SQL on a copy of the same database.
import { countInvariantViolations } from '../soak/box-invariants';
import { baselineScanner } from './baseline';
import { graphql } from './bench-client';
import type { ServerProcess } from '../test/support/server-process';
import type { BenchRun } from './bench-run';
import { latencyOf, type StormRow } from './figures';
import { clientCpuMs, log, postgresCpuMs, serverCpuMs, serverPeakRssMb } from './process-metrics';
import { buildStorm, runStorm, serverScan, stormLabels, stormOutcome } from './scan-storm';

export async function benchScanStorm(run: BenchRun, stormBoxes: number, stormClients: number[]): Promise<StormRow[]> {
  const stormRows: StormRow[] = [];
  let server: ServerProcess;
  await run.clone(`${run.prefix}storm_seed`, run.template);
  server = await run.startServer(`${run.prefix}storm_seed`);
  log(`scan storm: ${stormBoxes} boxes of 200 customers, half of them for 5`);
  const shipped = await buildStorm(server.url, run.token, stormBoxes);
  await run.stopServer(server);
  const labels = await stormLabels(run.urlOf(`${run.prefix}storm_seed`));
  if (labels.length !== shipped) throw new Error(`the storm shipped ${shipped} boxes but ${labels.length} are staged`);
  for (const clients of stormClients) {
    await run.clone(`${run.prefix}storm_${clients}`, `${run.prefix}storm_seed`);
    await run.clone(`${run.prefix}storm_${clients}_baseline`, `${run.prefix}storm_seed`);
    log(`  baseline: ${clients} clients scanning with raw SQL`);
    const scanner = baselineScanner(run.urlOf(`${run.prefix}storm_${clients}_baseline`), clients);
    const baselineCpuBefore = { postgres: postgresCpuMs(run.dataDir), clients: clientCpuMs() };
    const baseline = await runStorm(clients, labels, scanner.scan).finally(scanner.close);
    const baselineCpu = {
      postgres: (postgresCpuMs(run.dataDir) - baselineCpuBefore.postgres) / labels.length,
      clients: (clientCpuMs() - baselineCpuBefore.clients) / labels.length,
    };
    log(`  server (${run.workers} process${run.workers > 1 ? 'es' : ''}): ${clients} clients scanning through HTTP GraphQL`);
    server = await run.startServer(`${run.prefix}storm_${clients}`, run.workers);
    // Warm up (compiling, first connections) with reads, as a server in use is warm.
    for (let i = 0; i < 20; i++) await graphql(server.url, run.token, `query($l: String!) { box(label: $l) { status } }`, { l: labels[i % labels.length] });
    const cpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(run.dataDir), clients: clientCpuMs() };
    const storm = await runStorm(clients, labels, serverScan(server.url, run.token));
    const serverCpuMsPerBox = (serverCpuMs(server.child.pid!) - cpuBefore.server) / labels.length;
    const postgresCpuMsPerBox = (postgresCpuMs(run.dataDir) - cpuBefore.postgres) / labels.length;
    const clientCpuMsPerBox = (clientCpuMs() - cpuBefore.clients) / labels.length;
    // What a request costs the server before any work: the same clients sending `{ __typename }` (HTTP, GraphQL, the token check).
    const emptyBefore = serverCpuMs(server.child.pid!);
    await runStorm(clients, labels, async () => void (await graphql(server.url, run.token, '{ __typename }')));
    const serverCpuMsPerEmptyRequest = (serverCpuMs(server.child.pid!) - emptyBefore) / labels.length;
    log(`  server CPU ${serverCpuMsPerBox.toFixed(2)} ms per box, ${serverCpuMsPerEmptyRequest.toFixed(2)} ms per empty request`);
    // Whether a scan costs more as the invoices fill up: p50 of the first and the last tenth of the scans.
    const tenth = Math.max(1, Math.floor(storm.latencies.length / 10));
    log(
      `  server p50 ${latencyOf(storm.latencies.slice(0, tenth)).p50.toFixed(1)} ms over the first tenth of the scans, ${latencyOf(storm.latencies.slice(-tenth)).p50.toFixed(1)} ms over the last`,
    );
    const rssMb = serverPeakRssMb(server.child.pid!);
    await run.stopServer(server);
    const digests: string[] = [];
    for (const [who, database] of [
      ['server', `${run.prefix}storm_${clients}`],
      ['baseline', `${run.prefix}storm_${clients}_baseline`],
    ]) {
      const outcome = await stormOutcome(run.urlOf(database));
      if (outcome.billed !== labels.length || outcome.staged !== 0) throw new Error(`${who} storm: ${JSON.stringify(outcome)} of ${labels.length} boxes`);
      const violations = Object.entries(await countInvariantViolations(run.urlOf(database))).filter(([, n]) => n > 0);
      if (violations.length) throw new Error(`${who} storm broke invariants: ${JSON.stringify(Object.fromEntries(violations))}`);
      log(`  ${who}: ${outcome.billed} boxes billed on ${outcome.invoices} invoices of ${outcome.lines} lines, invariants hold`);
      digests.push(outcome.digest);
    }
    // The baseline must bill what the server bills: per customer, key and prebook line, the same boxes, units and price.
    log(digests[0] === digests[1] ? '  the same invoice lines on both sides' : '  note: the baseline billed other invoice lines than the server');
    stormRows.push({
      clients,
      workers: run.workers,
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
  return stormRows;
}
