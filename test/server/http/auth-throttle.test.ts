// Repeated failed authentications from one address are throttled: 429 with Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailedAuthThrottle } from '../../../server/src/http/auth-throttle';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('FailedAuthThrottle', () => {
  it('allows `limit` failures in the window, then says how long to wait, and forgets them as they age', () => {
    let now = 1_000_000;
    const throttle = new FailedAuthThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1');
      now += 10_000;
    }
    // Failures at 0 s, 10 s and 20 s; now 30 s: the first leaves the window at 60 s.
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(30);
    expect(throttle.retryAfterSeconds('10.0.0.2')).toBe(0);
    now += 30_001;
    expect(throttle.retryAfterSeconds('10.0.0.1')).toBe(0);
  });
});

describe('failed authentications over HTTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ authFailuresPerMinute: 5 });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After after 5 failures a minute from one address, even to a valid token', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await t.gql('{ me { role } }', undefined, `stl_guess-${i}`)).status).toBe(401);
    }
    for (const token of ['stl_guess-5', null, t.adminToken]) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query: '{ me { role } }' }),
      });
      expect(response.status).toBe(429);
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      const body = (await response.json()) as any;
      expect(body.errors[0].message).toMatch(/Too many failed authentications.*try again in \d+ s/);
      expect(body.data).toBeUndefined();
    }
  });
});
