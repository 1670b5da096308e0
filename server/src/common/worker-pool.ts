// A small pool of worker threads for CPU-heavy work (rendering long documents) off the event loop.
// Workers start on demand, one job at a time each, and are replaced when one dies: a crash or a hang
// fails its own job with a WorkerCrashed error and never the server.
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The job's own code threw: the worker answered with the error's message. */
export class WorkerJobFailed extends Error {}

/** The worker died (crashed, ran out of memory, or was stopped after `timeoutMs`) before answering. */
export class WorkerCrashed extends Error {}

/** What a pool's worker posts back for each job. */
export type WorkerReply<T> = { ok: true; body: T } | { ok: false; message: string };

// Worker threads do not inherit `node --import tsx` (nor vitest's transform): a worker whose entry is
// TypeScript registers tsx itself before importing it.
const TSX_API = pathToFileURL(
  createRequire(import.meta.url)
    .resolve('tsx/package.json')
    .replace(/package\.json$/, 'dist/esm/api/index.mjs'),
).href;
// On Linux a nice value is a thread's own: a worker may run below the event loop's priority.
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.nice && process.platform === 'linux') {
  try {
    require('node:os').setPriority(0, workerData.nice);
  } catch {}
}
(async () => {
  if (workerData.entry.endsWith('.ts')) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})();`;

interface Task<J, T> {
  job: J;
  resolve(value: T): void;
  reject(error: Error): void;
}

interface Slot<J, T> {
  worker: Worker;
  task: Task<J, T> | null;
  timer: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
}

export interface WorkerPoolOptions {
  /** Threads at most; the machine's cores by default. */
  size?: number;
  /** A job not answered within this time has its worker stopped and fails with WorkerCrashed. */
  timeoutMs?: number;
  /** Heap of each worker, so a runaway job ends its worker rather than the process. */
  maxHeapMb?: number;
  /**
   * Nice value of the worker threads (Linux, where it is per thread): 10 lets the event loop's requests
   * go first when the cores are busy, the workers taking what time is left.
   */
  nice?: number;
  /** A worker idle this long is stopped (its memory returned); the next job starts another. Default 60 s. */
  idleMs?: number;
}

export class WorkerPool<J, T> {
  readonly size: number;
  private readonly slots = new Set<Slot<J, T>>();
  private readonly queue: Array<Task<J, T>> = [];
  private closed = false;

  constructor(
    private readonly entry: URL,
    private readonly options: WorkerPoolOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? os.availableParallelism());
  }

  /** Jobs waiting for a free worker. */
  get waiting(): number {
    return this.queue.length;
  }

  run(job: J): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerCrashed('the worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; jobs still running or waiting fail with WorkerCrashed. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new WorkerCrashed('the worker pool is closed'));
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot = [...this.slots].find((candidate) => !candidate.task);
      if (!slot && this.slots.size < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private start(slot: Slot<J, T>, task: Task<J, T>): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    slot.task = task;
    slot.worker.ref();
    if (this.options.timeoutMs) {
      slot.timer = setTimeout(() => {
        this.fail(slot, new WorkerCrashed(`the job took longer than ${this.options.timeoutMs} ms and was stopped`));
        void slot.worker.terminate();
      }, this.options.timeoutMs);
    }
    try {
      slot.worker.postMessage(task.job);
    } catch (error) {
      // A job that cannot be sent (not cloneable) fails alone; the worker stays.
      this.finish(slot);
      task.reject(error instanceof Error ? error : new Error(String(error)));
      this.dispatch();
    }
  }

  private finish(slot: Slot<J, T>): Task<J, T> | null {
    const task = slot.task;
    slot.task = null;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.worker.unref();
    if (!slot.idle) {
      slot.idle = setTimeout(() => {
        this.slots.delete(slot);
        void slot.worker.terminate();
      }, this.options.idleMs ?? 60_000);
      slot.idle.unref();
    }
    return task;
  }

  /** The worker is gone: its job fails, and another worker takes the queue. */
  private fail(slot: Slot<J, T>, error: Error): void {
    if (!this.slots.delete(slot)) return;
    this.finish(slot)?.reject(error);
    if (slot.idle) clearTimeout(slot.idle);
    if (!this.closed) this.dispatch();
  }

  private spawn(): Slot<J, T> {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: { entry: this.entry.href, tsxApi: TSX_API, nice: this.options.nice ?? 0 },
      resourceLimits: this.options.maxHeapMb ? { maxOldGenerationSizeMb: this.options.maxHeapMb } : undefined,
      stdout: false,
      stderr: false,
    });
    const slot: Slot<J, T> = { worker, task: null, timer: null, idle: null };
    this.slots.add(slot);
    worker.unref();
    worker.on('message', (reply: WorkerReply<T>) => {
      const task = this.finish(slot);
      if (task) {
        if (reply.ok) task.resolve(reply.body);
        else task.reject(new WorkerJobFailed(reply.message));
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.fail(slot, new WorkerCrashed(`the worker failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(slot, new WorkerCrashed(`the worker stopped (exit code ${code})`)));
    return slot;
  }
}
