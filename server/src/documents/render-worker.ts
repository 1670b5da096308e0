// A render pool's worker thread: renders one job at a time and posts back its bytes, or the error's message.
import { parentPort } from 'node:worker_threads';
import { renderJob, type RenderJob } from './render-jobs';

export type RenderReply = { ok: true; body: Uint8Array } | { ok: false; message: string };

parentPort!.on('message', (job: RenderJob) => {
  renderJob(job).then(
    (body) => parentPort!.postMessage({ ok: true, body } satisfies RenderReply),
    (error: unknown) => parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies RenderReply),
  );
});
