// savePrebooks of 5,000 lines in one call (200 prebooks of 25 lines), against its raw-SQL insert; and the
// buyer's push of the same lines from a .xlsx with stemline-sheet, end to end, against that call.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baselineSavePrebooks, prebookLinesDigest } from './baseline';
import { graphql } from './bench-client';
import type { ServerProcess } from '../test/support/server-process';
import type { BenchRun, FigureTable } from './bench-run';
import { isoDate, prebookInput } from './dataset';
import { figure } from './figures';
import { elapsed, log, median, postgresCpuMs, reapedCpuMs, serverCpuMs, serverPeakRssMb } from './process-metrics';
import { pushedStatuses, runSheetTool, writePrebooksWorkbook } from './sheet-push-bench';

export async function benchPrebooksAndPush(run: BenchRun): Promise<FigureTable> {
  let server: ServerProcess;
  const title = 'savePrebooks and the sheet push';
  const input = prebookInput(5000, 2, isoDate(7), 'SAVE');
  // Three rounds, each on fresh copies of the database, each round timing the call, its raw-SQL insert and
  // the push one after the other; the medians are reported, as one run of a second is at the mercy of a shared machine.
  const rounds = 3;
  for (let round = 0; round < rounds; round++)
    for (const suffix of ['', '_baseline', '_sheet']) await run.clone(`${run.prefix}prebooks${suffix}_${round}`, run.template);
  // Each server process takes one small savePrebooks first, so neither measurement pays for a cold start:
  // one call per process, each on a new connection (the server hands each new connection to its next
  // process), else the push's second chunk would meet a process that has served nothing yet.
  const warmUp = async (url: string) => {
    for (let i = 0; i < run.workers; i++) {
      const data = await graphql(
        url,
        run.token,
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
    server = await run.startServer(`${run.prefix}prebooks_${round}`, run.workers);
    await warmUp(server.url);
    log(`savePrebooks: 5,000 lines (round ${round + 1} of ${rounds})`);
    const callCpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(run.dataDir) };
    const [, seconds] = await elapsed(async () => {
      const data = await graphql(
        server.url,
        run.token,
        `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { number } errors { message } } }`,
        {
          i: input,
        },
      );
      if (data.savePrebooks.errors.length) throw new Error(JSON.stringify(data.savePrebooks.errors.slice(0, 3)));
    });
    callSeconds.push(seconds);
    // CPU time, steadier than wall time on a shared machine: where the time of each side goes (the log only).
    callCpu.push({ server: serverCpuMs(server.child.pid!) - callCpuBefore.server, postgres: postgresCpuMs(run.dataDir) - callCpuBefore.postgres });
    rssMb = Math.max(rssMb, serverPeakRssMb(server.child.pid!));
    await run.stopServer(server);
    const [inserted, rawSeconds] = await elapsed(() => baselineSavePrebooks(run.urlOf(`${run.prefix}prebooks_baseline_${round}`), input));
    if (inserted !== 5000) throw new Error(`baseline inserted ${inserted} prebook lines`);
    // The baseline must store what the server stores: every line with its product, box type, quantities, prices, vendor and costs.
    const [stored, baselineStored] = [
      await prebookLinesDigest(run.urlOf(`${run.prefix}prebooks_${round}`), isoDate(7)),
      await prebookLinesDigest(run.urlOf(`${run.prefix}prebooks_baseline_${round}`), isoDate(7)),
    ];
    if (stored !== baselineStored) throw new Error(`the baseline stored other prebook lines than the server: ${baselineStored} against ${stored}`);
    baselineSeconds.push(rawSeconds);

    server = await run.startServer(`${run.prefix}prebooks_sheet_${round}`, run.workers);
    await warmUp(server.url);
    const connection = ['--server', server.url, '--token', run.token];
    if (round === 0) lines = await writePrebooksWorkbook(original, connection, input);
    const workbook = path.join(sheetDir, `prebooks-${round}.xlsx`);
    fs.copyFileSync(original, workbook);
    log(`stemline-sheet push prebooks: a ${lines}-line .xlsx (round ${round + 1} of ${rounds})`);
    const pushCpuBefore = { server: serverCpuMs(server.child.pid!), postgres: postgresCpuMs(run.dataDir), tool: reapedCpuMs() };
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
      postgres: postgresCpuMs(run.dataDir) - pushCpuBefore.postgres,
      tool: reapedCpuMs() - pushCpuBefore.tool,
    });
    const pushed = await pushedStatuses(workbook);
    if (pushed.statuses.OK !== lines || pushed.numbered !== lines) throw new Error(`the push wrote back ${JSON.stringify(pushed)} for ${lines} lines`);
    pushRssMb = Math.max(pushRssMb, serverPeakRssMb(server.child.pid!));
    await run.stopServer(server);
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
  return {
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
  };
}
