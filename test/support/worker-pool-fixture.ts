// A worker for the worker pool's tests: answers, fails, crashes or hangs as each job asks.
import os from 'node:os';
import { parentPort, threadId } from 'node:worker_threads';

export type FixtureJob = { kind: 'echo' | 'busy' | 'fail' | 'exit' | 'uncaught' | 'hang'; value: number };

parentPort!.on('message', (job: FixtureJob) => {
  if (job.kind === 'exit') process.exit(3);
  if (job.kind === 'uncaught')
    setImmediate(() => {
      throw new Error('a bug in the worker');
    });
  if (job.kind === 'hang') for (;;);
  if (job.kind === 'fail') return parentPort!.postMessage({ ok: false, message: `job ${job.value} is wrong` });
  if (job.kind === 'busy') {
    const end = Date.now() + job.value;
    while (Date.now() < end);
  }
  if (job.kind !== 'uncaught') parentPort!.postMessage({ ok: true, body: { value: job.value, thread: threadId, nice: os.getPriority(0) } });
});
