import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const CREATE = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret token { id name role customer { code } createdBy revokedAt } errors { code message field } }
}`;
const REVOKE = `mutation($id: ID!) { revokeApiToken(id: $id) { token { id revokedAt } errors { code message } } }`;
const ENV_ADMIN = 'env-admin-secret-for-tests';

describe('authentication and API tokens', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ adminToken: ENV_ADMIN });
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", name: "Blooms Florist" }, { code: "OTHER", name: "Other" }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('refuses a request without a token, with a malformed header, or with an unknown token: 401 and no data', async () => {
    for (const token of [null, 'not-a-real-token']) {
      const result = await t.gql(`{ settings { autoBilling } }`, undefined, token);
      expect(result.status).toBe(401);
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    const raw = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${t.adminToken}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    expect(raw.status).toBe(401);
  });

  it('writes nothing for an unauthenticated mutation', async () => {
    const before = await countRows(t.orm, 'carrier');
    const result = await t.gql(`mutation { upsertCarriers(input: [{ code: "FEDEX", name: "FedEx" }]) { errors { code } } }`, undefined, null);
    expect(result.status).toBe(401);
    expect(await countRows(t.orm, 'carrier')).toBe(before);
  });

  it('accepts STEMLINE_ADMIN_TOKEN as an ADMIN token', async () => {
    const data = await t.ok(`{ me { name role } }`, undefined, ENV_ADMIN);
    expect(data.me).toEqual({ name: 'STEMLINE_ADMIN_TOKEN', role: 'ADMIN' });
  });

  it('creates tokens whose secret is stored only as a hash, then revokes them', async () => {
    const data = await t.ok(CREATE, { input: { name: 'Buyer Ana', role: 'buyer' } });
    const { secret, token } = data.createApiToken;
    expect(secret).toMatch(/^stl_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'Buyer Ana', role: 'BUYER', customer: null, createdBy: 'initial admin (token 1)', revokedAt: null });

    const stored = await t.orm.em.getConnection().execute(`select * from api_token where id = ${Number(token.id)}`);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(stored[0].secret_hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await t.ok(`{ me { name role } }`, undefined, secret)).me).toEqual({ name: 'Buyer Ana', role: 'BUYER' });
    const revoked = await t.ok(REVOKE, { id: token.id });
    expect(revoked.revokeApiToken.token.revokedAt).not.toBeNull();
    const after = await t.gql(`{ me { role } }`, undefined, secret);
    expect(after.status).toBe(401);

    const again = await t.ok(REVOKE, { id: token.id });
    expect(again.revokeApiToken.token.revokedAt).toBe(revoked.revokeApiToken.token.revokedAt);
    const missing = await t.ok(REVOKE, { id: '999999' });
    expect(missing.revokeApiToken.errors[0].code).toBe('NOT_FOUND');
  });

  it('binds CUSTOMER tokens to one customer, which is all they see', async () => {
    const bad = await t.ok(CREATE, { input: { name: 'Portal', role: 'CUSTOMER' } });
    expect(bad.createApiToken.errors).toEqual([{ code: 'REQUIRED', message: 'customer is required', field: 'customer' }]);
    const unknown = await t.ok(CREATE, { input: { name: 'Portal', role: 'CUSTOMER', customer: 'NOPE' } });
    expect(unknown.createApiToken.errors[0].code).toBe('UNKNOWN_CUSTOMER');
    const wrongRole = await t.ok(CREATE, { input: { name: 'Sales', role: 'SALES', customer: 'BLOOMS' } });
    expect(wrongRole.createApiToken.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'customer' });
    const badRole = await t.ok(CREATE, { input: { name: 'X', role: 'ROOT' } });
    expect(badRole.createApiToken.errors[0]).toMatchObject({ code: 'INVALID_VALUE', field: 'role' });
    expect(bad.createApiToken.secret).toBeNull();

    const good = await t.ok(CREATE, { input: { name: 'Blooms portal', role: 'CUSTOMER', customer: 'blooms florist' } });
    expect(good.createApiToken.token.customer).toEqual({ code: 'BLOOMS' });
    const seen = await t.ok(`{ me { role customer { code } } customers { nodes { code } totalCount } }`, undefined, good.createApiToken.secret);
    expect(seen).toEqual({ me: { role: 'CUSTOMER', customer: { code: 'BLOOMS' } }, customers: { nodes: [{ code: 'BLOOMS' }], totalCount: 1 } });
  });

  it('records an audit event for every write: who, what, when', async () => {
    await t.ok(`mutation { upsertCarriers(input: [{ code: "UPS", name: "UPS" }]) { errors { code } } }`, undefined, ENV_ADMIN);
    const data = await t.ok(`{ auditEvents(filter: { entity: "Carrier" }) { nodes { at actor action entity entityId payload } } }`);
    expect(data.auditEvents.nodes).toHaveLength(1);
    const [event] = data.auditEvents.nodes;
    expect(event).toMatchObject({ actor: 'STEMLINE_ADMIN_TOKEN', action: 'create', entity: 'Carrier', payload: { code: 'UPS', name: 'UPS' } });
    expect(Date.now() - new Date(event.at).getTime()).toBeLessThan(60_000);
    const tokens = await t.ok(`{ auditEvents(filter: { entity: "ApiToken" }) { nodes { action } } }`);
    expect(tokens.auditEvents.nodes.map((n: any) => n.action)).toEqual(expect.arrayContaining(['create', 'revoke']));
  });
});
