// Long documents render in worker threads: a 2,000-label PDF leaves the server's other callers as fast as
// when it is idle, HEAD answers without rendering, and a token's concurrent heavy renders are capped.
// A real server process (node + tsx), as `npm start` runs it; every time is a ratio to an idle baseline
// measured in the same test, never an absolute.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAVY_RENDERS_PER_TOKEN } from '../../../server/src/documents/documents.http';
import { MAX_BOXES_PER_DOCUMENT } from '../../../server/src/documents/documents.service';
import { seedCatalogue } from '../../support/fixtures';
import { stockBoxes } from '../../support/receiving';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { createTestDatabase, startTestServer } from '../../support/test-server';

const ADMIN = 'render-load-admin-token-0123456789abcdef';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: ServerProcess;
let warehouse: string;
let labels: string[];
let purchaseOrder: string;

async function graphql(token: string, query: string): Promise<any> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return response.json();
}

/** The box labels of all 2,000 boxes: their list POSTed as the warehouse's print app does, or their PO in the URL (GET, HEAD). */
async function printAll(token = warehouse, method: 'POST' | 'GET' | 'HEAD' = 'POST', format = 'pdf') {
  const started = performance.now();
  const documents = `${server.url.replace(/\/graphql$/, '')}/documents/box-labels`;
  const response = await fetch(method === 'POST' ? documents : `${documents}?purchaseOrder=${purchaseOrder}&format=${format}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: method === 'POST' ? JSON.stringify({ labels, format }) : undefined,
  });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}

/** An ADMIN request's round trip. */
async function admin(): Promise<number> {
  const started = performance.now();
  const answer = await graphql(ADMIN, `{ me { role } customers(first: 10) { nodes { code } } }`);
  expect(answer.data.me.role).toBe('ADMIN');
  return performance.now() - started;
}

/**
 * ADMIN requests started every 50 ms while `busy` runs (or for `idleMs` when there is nothing to wait
 * for): their round trips. Probes start on a clock, not one after another, so a server that holds its
 * event loop makes every probe of that time wait, as it would any user.
 */
async function probe(busy: Promise<unknown> | null, idleMs = 1_200): Promise<number[]> {
  const probes: Array<Promise<number>> = [];
  let done = false;
  void (busy ?? sleep(idleMs)).finally(() => (done = true));
  while (!done) {
    probes.push(admin());
    await sleep(50);
  }
  return Promise.all(probes);
}

beforeAll(async () => {
  // Seeded in-process on the server's own database, then served by a real process.
  const databaseUrl = await createTestDatabase();
  const seeder = await startTestServer({ databaseUrl });
  try {
    await seedCatalogue(seeder);
    labels = await stockBoxes(seeder, { product: 'ROSE-FREEDOM-50', boxes: MAX_BOXES_PER_DOCUMENT, unitCost: '0.40', confirm: false });
    purchaseOrder = (await seeder.ok(`query($l: String!) { box(label: $l) { purchaseOrderNumber } }`, { l: labels[0] })).box.purchaseOrderNumber;
  } finally {
    await seeder.close();
  }
  expect(labels).toHaveLength(2_000);
  server = await startServerProcess({ DATABASE_URL: databaseUrl, STEMLINE_ADMIN_TOKEN: ADMIN });
  const made = await graphql(ADMIN, `mutation { createApiToken(input: { name: "Dock printer", role: "WAREHOUSE" }) { secret } }`);
  warehouse = made.data.createApiToken.secret;
  // Warm up: the first render starts the workers, the first requests fill the server's caches.
  for (let i = 0; i < 3; i++) await admin();
  expect((await printAll()).status).toBe(200);
}, 300_000);

afterAll(() => server?.stop());

describe('a 2,000-label document', () => {
  it('renders off the event loop: ADMIN requests during the render answer within 3 times their idle time', async () => {
    // Idle before and after, so the baseline follows the machine's own load.
    const idle = await probe(null);
    let rendered: Awaited<ReturnType<typeof printAll>> | undefined;
    const during = await probe(printAll().then((result) => (rendered = result)));
    idle.push(...(await probe(null)));
    expect(rendered!.status, rendered!.body.toString('utf8').slice(0, 300)).toBe(200);
    expect(rendered!.headers.get('x-document-count')).toBe('2000');
    expect(rendered!.body.subarray(0, 5).toString()).toBe('%PDF-');
    // Enough probes to take a median from (a 2,000-label PDF is a second or more of work).
    expect(during.length).toBeGreaterThanOrEqual(5);
    // A floor of 25 ms keeps timer noise on a loaded machine from counting as slowness.
    const ratio = median(during) / Math.max(median(idle), 25);
    expect(ratio, `idle ${median(idle).toFixed(0)} ms, during ${median(during).toFixed(0)} ms over ${during.length} probes`).toBeLessThan(3);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);

  it('answers HEAD with its headers, without rendering it', async () => {
    // GET and HEAD taken in turn, so both see the same load on the machine.
    const gets = [];
    const heads = [];
    for (let i = 0; i < 3; i++) {
      gets.push(await printAll(warehouse, 'GET'));
      heads.push(await printAll(warehouse, 'HEAD'));
    }
    for (const got of gets) {
      expect(got.status).toBe(200);
      expect(got.body.subarray(0, 5).toString()).toBe('%PDF-');
    }
    for (const head of heads) {
      expect(head.status).toBe(200);
      expect(head.headers.get('content-type')).toBe('application/pdf');
      expect(head.headers.get('x-document-count')).toBe('2000');
      expect(head.body.length).toBe(0);
    }
    // HEAD still finds the boxes (an unknown PO is refused as on GET), but skips the seconds of rendering.
    const [head, got] = [median(heads.map((r) => r.ms)), median(gets.map((r) => r.ms))];
    expect(head / got, `HEAD ${head.toFixed(0)} ms, GET ${got.toFixed(0)} ms`).toBeLessThan(0.5);
    const unknown = await fetch(`${server.url.replace(/\/graphql$/, '')}/documents/box-labels?purchaseOrder=PO-999999`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${warehouse}` },
    });
    expect(unknown.status).toBe(404);
  }, 120_000);

  it("caps a token's concurrent heavy renders: the one over the cap is refused 429 with Retry-After, other tokens still print", async () => {
    const burst = await Promise.all(Array.from({ length: HEAVY_RENDERS_PER_TOKEN + 2 }, () => printAll()));
    const statuses = burst.map((result) => result.status);
    expect(
      statuses.every((status) => status === 200 || status === 429),
      statuses.join(', '),
    ).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(HEAVY_RENDERS_PER_TOKEN);
    const refused = burst.filter((result) => result.status === 429);
    expect(refused.length, statuses.join(', ')).toBeGreaterThanOrEqual(1);
    for (const result of refused) {
      expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.parse(result.body.toString('utf8'))).toEqual({
        code: 'TOO_MANY_RENDERS',
        error: expect.stringMatching(new RegExp(`at most ${HEAVY_RENDERS_PER_TOKEN} at once`)),
      });
    }
    for (const result of burst.filter((r) => r.status === 200)) expect(result.body.subarray(0, 5).toString()).toBe('%PDF-');
    // The cap is per token and ends with the renders: the same token prints again, another token alongside.
    const [again, other] = await Promise.all([printAll(), printAll(ADMIN, 'POST', 'zpl')]);
    expect(again.status).toBe(200);
    expect(other.status).toBe(200);
    expect(other.body.toString('utf8').match(/\^XA/g)).toHaveLength(2_000);
  }, 120_000);
});
