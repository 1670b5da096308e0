// The failed-authentication throttle locks out guessers and not staff: failures are counted per client address
// and per presented token prefix, in PostgreSQL (every process shares them); past the limit a failed token gets
// 429 with Retry-After while a valid token from the same address is served; requests without credentials and
// CORS preflights never count; X-Forwarded-For counts only from a trusted proxy; /documents/ counts like /graphql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, readTrustedProxies } from '../../../server/src/http/auth-throttle';
import { seedCatalogue } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

const LIMIT = 5;

function socketOf(address: string, forwarded?: string) {
  return { socket: { remoteAddress: address }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } };
}

describe('clientAddress', () => {
  it('takes X-Forwarded-For only from a trusted proxy, from the right, skipping other trusted proxies', () => {
    const proxies = readTrustedProxies('10.0.0.1, ::ffff:10.0.0.2');
    expect(proxies).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(clientAddress(socketOf('203.0.113.9', '198.51.100.1'), proxies)).toBe('203.0.113.9');
    expect(clientAddress(socketOf('::ffff:10.0.0.1', '198.51.100.1'), proxies)).toBe('198.51.100.1');
    // The client wrote the first entry itself; the proxies appended what they saw.
    expect(clientAddress(socketOf('10.0.0.1', '1.2.3.4, 198.51.100.7, 10.0.0.2'), proxies)).toBe('198.51.100.7');
    expect(clientAddress(socketOf('10.0.0.1', 'not-an-address'), proxies)).toBe('10.0.0.1');
    expect(clientAddress(socketOf('10.0.0.1'), proxies)).toBe('10.0.0.1');
    expect(() => readTrustedProxies('10.0.0.1, proxy.local')).toThrow(/"proxy.local" is not one/);
  });
});

describe('failed authentications over HTTP', () => {
  let t: TestServer;
  let second: TestServer;
  let customerToken: string;

  async function call(token: string | null, from: string, server = t, path = '/graphql') {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': from };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${server.url}${path}`, {
      method: path === '/graphql' ? 'POST' : 'GET',
      headers,
      body: path === '/graphql' ? JSON.stringify({ query: '{ me { role } }' }) : undefined,
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
  }

  beforeAll(async () => {
    t = await startTestServer({ authFailuresPerMinute: LIMIT, trustedProxies: ['127.0.0.1'] });
    second = await startTestServer({ databaseUrl: t.databaseUrl, authFailuresPerMinute: LIMIT, trustedProxies: ['127.0.0.1'] });
    await seedCatalogue(t);
    customerToken = (await t.ok(`mutation { createApiToken(input: { name: "shop", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('slows failed tokens past the limit (429, Retry-After) and still serves valid ADMIN and CUSTOMER tokens from the same address', async () => {
    const from = '198.51.100.10';
    for (let i = 0; i < LIMIT; i++) expect((await call(`stl_guess-a${i}`, from)).status).toBe(401);
    const slowed = await call('stl_guess-a-next', from);
    expect(slowed.status).toBe(429);
    expect(Number(slowed.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(slowed.retryAfter)).toBeLessThanOrEqual(60);
    expect(JSON.parse(slowed.text).errors[0]).toMatchObject({
      message: expect.stringMatching(/Too many failed authentications from 198\.51\.100\.10: try again in \d+ s/),
      extensions: { code: 'TOO_MANY_FAILED_AUTHENTICATIONS' },
    });
    expect((await call(t.adminToken, from)).status).toBe(200);
    expect(JSON.parse((await call(customerToken, from)).text)).toEqual({ data: { me: { role: 'CUSTOMER' } } });
    // Another address is not affected at all.
    expect((await call('stl_guess-elsewhere', '198.51.100.11')).status).toBe(401);
  });

  it('never counts requests without credentials or CORS preflights', async () => {
    const from = '198.51.100.20';
    for (let i = 0; i < 4 * LIMIT; i++) expect((await call(null, from)).status).toBe(401);
    for (let i = 0; i < 4 * LIMIT; i++) {
      const preflight = await fetch(`${t.url}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: 'https://excel.example', 'access-control-request-method': 'POST', 'x-forwarded-for': from },
      });
      expect(preflight.status).toBe(204);
    }
    // Only real failures count: the address still has its whole allowance.
    for (let i = 0; i < LIMIT; i++) expect((await call(`stl_guess-b${i}`, from)).status).toBe(401);
    expect((await call('stl_guess-b-next', from)).status).toBe(429);
  });

  it('shares the count between server processes', async () => {
    const from = '198.51.100.30';
    for (let i = 0; i < LIMIT; i++) expect((await call(`stl_guess-c${i}`, from, i % 2 ? second : t)).status).toBe(401);
    expect((await call('stl_guess-c-next', from, second)).status).toBe(429);
    expect((await call('stl_guess-c-next', from, t)).status).toBe(429);
  });

  it('counts per token prefix across addresses: a token being guessed from everywhere waits, other tokens do not', async () => {
    const prefix = customerToken.slice(0, 12);
    for (let i = 0; i < LIMIT; i++) expect((await call(`${prefix}wrong-${i}`, `198.51.100.${40 + i}`)).status).toBe(401);
    const locked = await call(customerToken, '198.51.100.50');
    expect(locked.status).toBe(429);
    expect(JSON.parse(locked.text).errors[0].message).toMatch(new RegExp(`tokens starting ${prefix.replace(/[-_]/g, '.')}`));
    expect((await call(t.adminToken, '198.51.100.50')).status).toBe(200);
  });

  it('counts /documents/ like /graphql', async () => {
    const from = '198.51.100.60';
    for (let i = 0; i < LIMIT; i++) expect((await call(`stl_guess-d${i}`, from, t, '/documents/pick-tickets/INV-000001.pdf')).status).toBe(401);
    expect((await call('stl_guess-d-next', from, t, '/documents/pick-tickets/INV-000001.pdf')).status).toBe(429);
    expect((await call('stl_guess-d-next', from)).status).toBe(429);
    expect((await call(t.adminToken, from, t, '/documents/pick-tickets/INV-000001.pdf')).status).toBe(404);
  });
});

describe('without trusted proxies', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ authFailuresPerMinute: LIMIT });
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: an attacker cannot spread its failures over made-up addresses', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer stl_guess-e${i}`, 'x-forwarded-for': `203.0.113.${i}` },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(response.status).toBe(401);
    }
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer stl_guess-e-next', 'x-forwarded-for': '203.0.113.99' },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(response.status).toBe(429);
    expect(((await response.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(/from 127\.0\.0\.1/);
  });
});
