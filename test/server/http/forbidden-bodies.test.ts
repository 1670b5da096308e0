// A request its token may not run is refused before its variables are coerced (from the document: operation
// type and root fields), and a CUSTOMER's body may not exceed its role's limit (256 KB): a burst of large
// forbidden bodies leaves the server's memory and its other callers as they were.
import fs from 'node:fs/promises';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../../server/src/common/authorization';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import { createTestDatabase } from '../../support/test-server';

const TOKEN = 'forbidden-bodies-admin-token-0123456789abcdef';

async function rssMb(pid: number): Promise<number> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** POSTs `body` as a client would (streaming it); resolves with the status and body, or the network error when no answer came. */
function post(url: string, body: Buffer, token: string): Promise<{ status: number | null; body: string; error?: string }> {
  return new Promise((resolve) => {
    const headers = { 'content-type': 'application/json', 'content-length': String(body.length), authorization: `Bearer ${token}` };
    let status: number | null = null;
    let text = '';
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      status = res.statusCode ?? null;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status, body: text }));
      res.on('error', () => resolve({ status, body: text }));
    });
    req.on('error', (error) => resolve({ status, body: text, error: status === null ? error.message : undefined }));
    req.end(body);
  });
}

async function graphql(url: string, token: string, query: string, variables?: object): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const SAVE = `mutation($input: [PrebookInput!]!) { savePrebooks(input: $input) { errors { code } } }`;

describe('requests a token may not run', () => {
  let server: ServerProcess;
  let customer: string;
  let warehouse: string;
  beforeAll(async () => {
    server = await startServerProcess({ DATABASE_URL: await createTestDatabase(), STEMLINE_ADMIN_TOKEN: TOKEN, STEMLINE_DEMO_DATA: 'off' });
    const made = await graphql(server.url, TOKEN, `mutation { upsertCustomers(input: [{ code: "SHOP", name: "Shop" }]) { errors { code message } } }`);
    expect(made.body.data.upsertCustomers.errors).toEqual([]);
    const token = async (role: string, extra = '') =>
      (await graphql(server.url, TOKEN, `mutation { createApiToken(input: { name: "${role}", role: "${role}"${extra} }) { secret } }`)).body.data.createApiToken
        .secret as string;
    customer = await token('CUSTOMER', ', customer: "SHOP"');
    warehouse = await token('WAREHOUSE');
  });
  afterAll(() => server?.stop());

  it('are refused 403 from the document, before their variables are coerced or anything runs', async () => {
    // Variables that do not even fit the operation's types: coercing them would answer BAD_USER_INPUT.
    for (const token of [customer, warehouse]) {
      const refused = await graphql(server.url, token, SAVE, { input: 'not a list of prebooks' });
      expect(refused.status).toBe(403);
      expect(refused.body.errors).toEqual([
        { message: expect.stringMatching(/may not call savePrebooks: savePrebooks needs ADMIN or BUYER or SALES/), extensions: { code: 'FORBIDDEN' } },
      ]);
      expect(refused.body.data).toBeUndefined();
    }
    // A named operation of several is judged alone; fragments at the root count too.
    const document = `query Mine { me { role } } mutation Theirs { ...save } fragment save on Mutation { updateSettings(input: {}) { errors { code } } }`;
    expect((await graphql(server.url, customer, document)).status).toBe(400);
    const mine = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: document, operationName: 'Mine' }),
    });
    expect(mine.status).toBe(200);
    const theirs = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
      body: JSON.stringify({ query: document, operationName: 'Theirs' }),
    });
    expect(theirs.status).toBe(403);
    expect(((await theirs.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(/may not call updateSettings/);
    // What the token may run still runs.
    expect((await graphql(server.url, customer, `{ me { role } }`)).body).toEqual({ data: { me: { role: 'CUSTOMER' } } });
  });

  it("keep a CUSTOMER's body within its role's limit: sixteen parallel 8 MB mutations leave memory flat and an ADMIN request fast", async () => {
    expect(BODY_LIMIT_BYTES.CUSTOMER).toBe(256 * 1024);
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ customer: 'SHOP', carrier: 'NONE', truckDate: '2030-01-01', customerPo: `PO-${i}`, lines: [] }));
    const big = Buffer.from(JSON.stringify({ query: SAVE, variables: { input: rows } }));
    expect(big.length).toBeGreaterThan(3_000_000);
    const padded = Buffer.concat([big.subarray(0, big.length - 1), Buffer.from(`,"padding":"${'x'.repeat(8_000_000 - big.length)}"}`)]);
    expect(padded.length).toBeGreaterThanOrEqual(8_000_000);
    const admin = async () => {
      const started = performance.now();
      const answer = await graphql(server.url, TOKEN, `{ me { role } customers(first: 10) { nodes { code } } }`);
      expect(answer.status).toBe(200);
      return performance.now() - started;
    };
    for (let i = 0; i < 3; i++) await admin();
    const idle: number[] = [];
    for (let i = 0; i < 7; i++) idle.push(await admin());
    const rssBefore = await rssMb(server.child.pid!);

    const burst = Array.from({ length: 16 }, () => post(server.url, padded, customer));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) during.push(await admin());
    const results = await Promise.all(burst);
    const rssAfter = await rssMb(server.child.pid!);

    for (const result of results) {
      // Refused as too large before the body is read; the connection may close while the client still streams.
      if (result.status !== null) expect(result.status).toBe(413);
      else expect(result.error).toMatch(/EPIPE|ECONNRESET/);
    }
    expect(results.some((r) => r.status === 413)).toBe(true);
    // Reading, parsing and coercing them took 414 ms each and RSS from 232 MB to 448 MB.
    expect(rssAfter - rssBefore).toBeLessThan(40);
    expect(median(during) / Math.max(median(idle), 20)).toBeLessThan(3);
    // Under its limit, the same forbidden mutation is refused from its document.
    const small = Buffer.from(JSON.stringify({ query: SAVE, variables: { input: rows.slice(0, 1000) } }));
    expect(small.length).toBeLessThan(BODY_LIMIT_BYTES.CUSTOMER);
    expect((await post(server.url, small, customer)).status).toBe(403);
    expect(server.child.exitCode).toBeNull();
  });
});
