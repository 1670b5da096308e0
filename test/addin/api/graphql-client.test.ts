import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLRequestError, testConnection } from '../../../addin/api/graphql-client';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('task pane GraphQL client against a real server', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('tests the connection with a valid token', async () => {
    const check = await testConnection({ serverUrl: t.url, token: t.adminToken });
    expect(check).toEqual({ name: 'initial admin', role: 'ADMIN', autoBilling: 'ON_MANUAL_CONFIRMATION' });
  });

  it('reports a bad token as UNAUTHENTICATED and an unreachable server clearly', async () => {
    const bad = await testConnection({ serverUrl: t.url, token: 'wrong' }).catch((e) => e);
    expect(bad).toBeInstanceOf(GraphQLRequestError);
    expect(bad).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const down = await testConnection({ serverUrl: 'http://127.0.0.1:9', token: 'x' }).catch((e) => e);
    expect(down.message).toMatch(/^Cannot reach http:\/\/127.0.0.1:9\/graphql/);
  });
});
