// Documents are rendered in worker threads (as many as the machine has cores), never on the event loop:
// a 2,000-label PDF takes seconds of CPU, and every other request waits for the loop.
import { WorkerPool } from '../common/worker-pool';
import type { RenderJob } from './render-jobs';

/** A render still running after this long has its worker stopped (a 2,000-label PDF takes a few seconds). */
export const RENDER_TIMEOUT_MS = 120_000;

let pool: WorkerPool<RenderJob, Uint8Array> | null = null;

function renderPool(): WorkerPool<RenderJob, Uint8Array> {
  const entry = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url);
  // Below the event loop's priority: on a busy machine a request waits for no render.
  pool ??= new WorkerPool(entry, { timeoutMs: RENDER_TIMEOUT_MS, maxHeapMb: 1024, nice: 10 });
  return pool;
}

/** Renders in a worker: the bytes, or WorkerJobFailed (the renderer threw) or WorkerCrashed (the worker died). */
export async function renderInWorker(job: RenderJob): Promise<Buffer> {
  const bytes = await renderPool().run(job);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
