// A render that fails answers its client with a clear 5xx and nothing else changes: the server goes on
// answering, and the failed render no longer counts against its token's cap of heavy renders.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HEAVY_RENDER_BOXES, HEAVY_RENDERS_PER_TOKEN } from '../../../server/src/documents/documents.http';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startTestServer, type TestServer } from '../../support/test-server';

const render = vi.hoisted(() => ({ mode: 'ok' as 'ok' | 'crash' | 'fail' }));

vi.mock('../../../server/src/documents/render-pool', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../server/src/documents/render-pool')>();
  const pool = await import('../../../server/src/common/worker-pool');
  return {
    ...actual,
    renderInWorker: (job: Parameters<typeof actual.renderInWorker>[0]) => {
      if (render.mode === 'crash') return Promise.reject(new pool.WorkerCrashed('the worker stopped (exit code 1)'));
      if (render.mode === 'fail') return Promise.reject(new pool.WorkerJobFailed("Cannot read properties of null (reading 'length')"));
      return actual.renderInWorker(job);
    },
  };
});

let t: TestServer;
let purchaseOrder: string;

beforeAll(async () => {
  t = await startTestServer();
  await seedCatalogue(t);
  const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: HEAVY_RENDER_BOXES + 1, unitCost: '0.40', confirm: false });
  purchaseOrder = (await t.ok(`query($l: String!) { box(label: $l) { purchaseOrderNumber } }`, { l: labels[0] })).box.purchaseOrderNumber;
});
afterAll(() => t?.close());

async function print(format = 'zpl') {
  const response = await fetch(`${t.url.replace(/\/graphql$/, '')}/documents/box-labels?purchaseOrder=${purchaseOrder}&format=${format}`, {
    headers: { authorization: `Bearer ${t.adminToken}` },
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
}

describe('a render that fails', () => {
  it('answers 503 when its worker died, 500 when the renderer threw, without internals, and the server goes on', async () => {
    // More failed heavy renders than the cap, one after another: each gives its slot back.
    for (let i = 0; i < HEAVY_RENDERS_PER_TOKEN + 1; i++) {
      render.mode = 'crash';
      const crashed = await print();
      expect(crashed.status).toBe(503);
      expect(Number(crashed.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(crashed.text)).toEqual({
        code: 'RENDER_FAILED',
        error: expect.stringMatching(/could not be rendered .*nothing was printed. Try again/),
      });

      render.mode = 'fail';
      const failed = await print('pdf');
      expect(failed.status).toBe(500);
      expect(JSON.parse(failed.text)).toEqual({ code: 'RENDER_FAILED', error: 'The document could not be rendered; nothing was printed.' });
      expect(failed.text).not.toMatch(/Cannot read|null/);
    }
    render.mode = 'ok';
    const printed = await print();
    expect(printed.status).toBe(200);
    expect(printed.text.match(/\^XA/g)).toHaveLength(HEAVY_RENDER_BOXES + 1);
    expect((await t.ok(`{ me { role } }`)).me.role).toBe('ADMIN');
  });
});
