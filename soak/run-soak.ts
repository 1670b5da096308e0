// npm run soak [-- --seconds 60 --clients 20 --servers 3 --scans-alone 10]: on a throw-away embedded PostgreSQL.
// PostgreSQL's report of each deadlock it broke (the two statements) is printed after the table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedPostgres } from '../server/src/db/embedded-postgres';
import { runSoak, type SoakReport } from './soak';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    clients: { type: 'string', default: '20' },
    servers: { type: 'string', default: '3' },
    'scans-alone': { type: 'string', default: '10' },
  },
});

export function printReport(report: SoakReport): void {
  const lines = [
    `Soak: ${report.seconds} s, ${report.servers} server processes, ${report.clients} clients`,
    `Requests served: ${report.requests} (${Math.round(report.requests / report.seconds)}/s), latency p50 ${report.latency.p50} ms, p99 ${report.latency.p99} ms`,
    '',
    '| operation | requests | p50 ms | p99 ms |',
    '|---|---:|---:|---:|',
    ...Object.entries(report.operations).map(([name, o]) => `| ${name} | ${o.requests} | ${o.p50} | ${o.p99} |`),
    '',
    `Refusals in payloads (expected under contention): ${JSON.stringify(report.userErrors)}`,
    `Request errors: ${JSON.stringify(report.requestErrors)}`,
    `Deadlocks PostgreSQL broke: ${report.deadlocks}`,
    `Scan (scanBoxes) p99: ${report.scans.mixP99} ms in the mix, ${report.scans.aloneP99 ?? '-'} ms alone (${report.scans.aloneRequests} scans); ratio ${report.scans.ratio ?? '-'}`,
    `Boxes: ${report.boxes.total}, billed ${report.boxes.billed}, on ${report.boxes.invoices} live invoices`,
    `Boxes billed twice: ${report.invariants.boxesBilledTwice}`,
    `Boxes lost: ${report.invariants.boxesLost}`,
    `Boxes in a bad state: ${report.invariants.boxesInBadState}, prebook lines over-billed: ${report.invariants.prebookLinesOverbilled}, invoice lines unbalanced: ${report.invariants.invoiceLinesUnbalanced}`,
  ];
  console.log(lines.join('\n'));
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stemline-soak-'));
  // What PostgreSQL says of a deadlock: the error, then its detail (both processes' statements) and context.
  const deadlockLog: string[] = [];
  let following = 0;
  const onLog = (line: string) => {
    if (/deadlock detected/.test(line)) following = 30;
    if (following > 0) {
      following--;
      deadlockLog.push(line);
    }
  };
  const cluster = await startEmbeddedPostgres({ dataDir, persistent: false, database: 'soak', onLog });
  try {
    const report = await runSoak({
      databaseUrl: cluster.url,
      seconds: Number(values.seconds),
      clients: Number(values.clients),
      servers: Number(values.servers),
      scanAloneSeconds: Number(values['scans-alone']),
      onProgress: (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`),
    });
    printReport(report);
    if (deadlockLog.length) console.log(['', 'PostgreSQL on the deadlocks:', ...deadlockLog].join('\n'));
    const broken = Object.values(report.invariants).some((n) => n > 0) || (report.requestErrors.INTERNAL_SERVER_ERROR ?? 0) > 0;
    process.exitCode = broken ? 1 : 0;
  } finally {
    await cluster.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
