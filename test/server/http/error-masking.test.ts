// An unexpected error reaches the caller as "Internal server error" and a request id, never SQL, row
// values or stack traces, unless debugging is asked for; the log keeps the detail under the same id.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/src/config';
import { createLogger } from '../../../server/src/logger';
import { createTestDatabase, startTestServer, type TestServer } from '../../support/test-server';

describe('internal errors', () => {
  const logLines: any[] = [];
  let masked: TestServer;
  let debug: TestServer;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line.trim()) logLines.push(JSON.parse(line));
        done();
      },
    });
    const databaseUrl = await createTestDatabase();
    masked = await startTestServer({ databaseUrl, logger: createLogger('info', sink) });
    debug = await startTestServer({ databaseUrl, debugErrors: true });
    // A bug as the server would meet it: a query its SQL no longer matches.
    await masked.orm.em.getConnection().execute('alter table carrier rename to carrier_moved');
  });
  afterAll(async () => {
    await masked.close();
    await debug.close();
  });

  it('without NODE_ENV (npm start): "Internal server error" and a request id; the log has the detail under that id', async () => {
    const response = await fetch(`${masked.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${masked.adminToken}` },
      body: JSON.stringify({ query: '{ carriers { totalCount } }' }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors;
    expect(error.message).toBe('Internal server error');
    expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error.extensions.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(error.extensions.requestId);
    expect(Object.keys(error.extensions).sort()).toEqual(['code', 'requestId']);
    expect(JSON.stringify({ ...error, path: undefined })).not.toMatch(/carrier|select|relation|stack|\.ts/i);

    const logged = logLines.filter((line) => line.requestId === error.extensions.requestId && line.level >= 50);
    expect(logged).toHaveLength(1);
    expect(logged[0].err.message).toMatch(/relation "carrier" does not exist/);
    expect(logged[0].err.stack).toMatch(/\.ts:\d+/);
  });

  it('with debugging on (NODE_ENV=development or STEMLINE_DEBUG_ERRORS=1) the caller sees the error itself', async () => {
    const result = await debug.gql('{ carriers { totalCount } }');
    expect(result.errors![0].message).toMatch(/relation "carrier" does not exist/);
    expect(result.errors![0].extensions!.stacktrace).toBeDefined();
  });

  it('masks unless NODE_ENV=development or STEMLINE_DEBUG_ERRORS=1', () => {
    expect(readConfig({}).debugErrors).toBe(false);
    expect(readConfig({ NODE_ENV: 'production' }).debugErrors).toBe(false);
    expect(readConfig({ NODE_ENV: 'test' }).debugErrors).toBe(false);
    expect(readConfig({ NODE_ENV: 'development' }).debugErrors).toBe(true);
    expect(readConfig({ STEMLINE_DEBUG_ERRORS: '1' }).debugErrors).toBe(true);
  });

  it('expected errors keep their message and code (and no stack trace)', async () => {
    const result = await masked.gql('{ me { role } }', undefined, 'stl_not-a-token');
    expect(result.status).toBe(401);
    expect(result.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(result.errors![0].message).toMatch(/token/);
    expect(result.errors![0].extensions!.stacktrace).toBeUndefined();
  });
});
