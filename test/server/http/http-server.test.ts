import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../server/src/http/http-server';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('HTTP server', () => {
  let t: TestServer;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-static-'));
    await fs.writeFile(path.join(staticDir, 'taskpane.html'), '<html>task pane</html>');
    await fs.writeFile(path.join(os.tmpdir(), 'stemline-secret.txt'), 'secret');
    t = await startTestServer({ staticDir });
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(staticDir, { recursive: true, force: true });
  });

  it('serves the task pane on the same origin as /graphql', async () => {
    for (const route of ['/', '/taskpane.html']) {
      const response = await fetch(`${t.url}${route}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await response.text()).toBe('<html>task pane</html>');
    }
  });

  it('serves nothing outside the task pane directory', async () => {
    const response = await fetch(`${t.url}/..%2fstemline-secret.txt`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('secret"');
  });

  it('answers /health when the database is up', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses bodies over the size limit with 413', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
      body: JSON.stringify({ query: '{ me { role } }', padding: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: `request body larger than ${MAX_BODY_BYTES} bytes` });
  });

  it('marks GraphQL answers, each for one token, never to be stored by a cache (a query, a mutation, an error)', async () => {
    for (const query of ['{ me { role } }', 'mutation { upsertCarriers(input: []) { errors { code } } }', '{ nope }']) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
        body: JSON.stringify({ query }),
      });
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('blocks simple-request CSRF (GET query without a preflight header)', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ me { role } }')}`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(response.status).toBe(400);
  });
});
