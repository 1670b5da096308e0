// The worker pool runs CPU-heavy jobs off the event loop: in parallel up to its size, and a job whose
// worker fails, exits, crashes or hangs fails alone, with a typed error, while the pool goes on.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerCrashed, WorkerJobFailed, WorkerPool } from '../../../server/src/common/worker-pool';
import { boxLabelsPdf, boxLabelsZpl } from '../../../server/src/documents/box-label.document';
import type { BoxLabelData } from '../../../server/src/documents/document-data';
import { renderInWorker } from '../../../server/src/documents/render-pool';
import type { FixtureJob } from '../../support/worker-pool-fixture';

const pool = new WorkerPool<FixtureJob, { value: number; thread: number; nice: number }>(new URL('../../support/worker-pool-fixture.ts', import.meta.url), {
  size: 2,
  timeoutMs: 4_000,
});
afterAll(() => pool.close());

describe('WorkerPool', () => {
  it('answers each job with its own result, on up to `size` threads at once', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, value) => pool.run({ kind: 'busy', value: 50 + value })));
    expect(results.map((r) => r.value)).toEqual([50, 51, 52, 53, 54, 55]);
    expect(new Set(results.map((r) => r.thread)).size).toBe(2);
    expect(pool.waiting).toBe(0);
  });

  it('fails a job whose code throws with WorkerJobFailed, and keeps its worker', async () => {
    const before = await pool.run({ kind: 'echo', value: 1 });
    await expect(pool.run({ kind: 'fail', value: 7 })).rejects.toThrow(new WorkerJobFailed('job 7 is wrong'));
    const after = await Promise.all([pool.run({ kind: 'echo', value: 2 }), pool.run({ kind: 'echo', value: 3 })]);
    expect(after.map((r) => r.thread)).toContain(before.thread);
  });

  it.each(['exit', 'uncaught'] as const)('fails the job of a worker that dies (%s) with WorkerCrashed; the jobs queued behind it still run', async (kind) => {
    const jobs = [pool.run({ kind, value: 0 }), ...Array.from({ length: 4 }, (_, i) => pool.run({ kind: 'busy', value: 20 + i }))];
    const [crashed, ...rest] = await Promise.allSettled(jobs);
    expect(crashed.status).toBe('rejected');
    expect((crashed as PromiseRejectedResult).reason).toBeInstanceOf(WorkerCrashed);
    expect(rest.map((r) => (r.status === 'fulfilled' ? r.value.value : r.reason))).toEqual([20, 21, 22, 23]);
  });

  it('stops a worker that hangs past its timeout; the pool goes on', async () => {
    const started = performance.now();
    const echo = await pool.run({ kind: 'echo', value: 1 });
    const idle = performance.now() - started;
    const hung = pool.run({ kind: 'hang', value: 0 });
    await expect(hung).rejects.toThrow(/took longer than 4000 ms and was stopped/);
    await expect(hung).rejects.toBeInstanceOf(WorkerCrashed);
    expect((await pool.run({ kind: 'echo', value: 5 })).value).toBe(5);
    expect(echo.value).toBe(1);
    expect(idle).toBeLessThan(4_000);
  });

  it.runIf(process.platform === 'linux')('runs its threads at the nice value asked, the event loop keeping its own', async () => {
    const low = new WorkerPool<FixtureJob, { value: number; thread: number; nice: number }>(new URL('../../support/worker-pool-fixture.ts', import.meta.url), {
      size: 1,
      nice: 10,
    });
    try {
      expect((await low.run({ kind: 'echo', value: 1 })).nice).toBe(Math.max(10, os.getPriority(0)));
      expect((await pool.run({ kind: 'echo', value: 1 })).nice).toBe(os.getPriority(0));
    } finally {
      await low.close();
    }
  });

  it('stops a worker left idle, and starts another for the next job', async () => {
    const brief = new WorkerPool<FixtureJob, { value: number; thread: number; nice: number }>(
      new URL('../../support/worker-pool-fixture.ts', import.meta.url),
      {
        size: 1,
        idleMs: 100,
      },
    );
    try {
      const [first, second] = [await brief.run({ kind: 'echo', value: 1 }), await brief.run({ kind: 'echo', value: 2 })];
      expect(second.thread).toBe(first.thread);
      await new Promise((resolve) => setTimeout(resolve, 600));
      const later = await brief.run({ kind: 'echo', value: 3 });
      expect(later.value).toBe(3);
      expect(later.thread).not.toBe(first.thread);
    } finally {
      await brief.close();
    }
  });
});

describe('documents rendered in a worker', () => {
  const boxes: BoxLabelData[] = Array.from({ length: 3 }, (_, i) => ({
    label: `B-00000${i + 1}`,
    productCode: 'ROSE-FREEDOM-50',
    productName: 'Rose Freedom 50 cm — Ñandú',
    boxType: 'QB',
    units: 100,
    unit: 'STEM',
    vendorCode: 'ROSAS',
    vendorName: 'Rosas del Ecuador',
    purchaseOrderNumber: 'PO-000001',
    awb: '123-45678901',
    arrivalDate: '2027-02-10',
    location: 'MIA',
    customer: i === 0 ? { code: 'FRESHMART', name: 'FreshMart Supermarkets' } : null,
    prebookNumbers: i === 0 ? ['PB-000001'] : [],
    truckDate: i === 0 ? '2027-02-12' : null,
  }));
  const text = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });

  it('print exactly what rendering in-process prints (ZPL byte for byte, PDF text page for page)', async () => {
    const zpl = await renderInWorker({ document: 'box-labels', format: 'zpl', boxes });
    expect(zpl.toString('utf8')).toBe(boxLabelsZpl(boxes));
    const pdf = await renderInWorker({ document: 'box-labels', format: 'pdf', boxes });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(text(pdf)).toBe(text(await boxLabelsPdf(boxes)));
  });

  it('fail with WorkerJobFailed when the renderer throws', async () => {
    const broken = [{ ...boxes[0], prebookNumbers: null }] as unknown as BoxLabelData[];
    await expect(renderInWorker({ document: 'box-labels', format: 'zpl', boxes: broken })).rejects.toBeInstanceOf(WorkerJobFailed);
    expect((await renderInWorker({ document: 'box-labels', format: 'zpl', boxes })).toString('utf8')).toBe(boxLabelsZpl(boxes));
  });
});
