// graphql-armor's limits: each abuse is refused before anything runs, with a message that says which limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../../server/src/app';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('query limits', () => {
  let t: TestServer;
  let production: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    production = await startTestServer({ production: true });
  });
  afterAll(async () => {
    await t.close();
    await production.close();
  });

  async function refused(query: string, server = t) {
    const result = await server.gql(query);
    expect(result.status).toBe(400);
    expect(result.data).toBeUndefined();
    return result.errors!.map((e) => ({ code: e.extensions?.code, message: e.message }));
  }

  it('accepts the deepest query the schema allows (it has no cycles: 8 levels)', async () => {
    const result = await t.gql(`{ billingIssues { nodes { box { demands { prebookLine { product { defaultBoxType { code } } } } } } } }`);
    expect(result.errors).toBeUndefined();
  });

  it(`refuses a query deeper than ${QUERY_LIMITS.maxDepth} levels`, async () => {
    // No valid query is that deep, so the depth rule reports beside the unknown-field errors, before anything runs.
    const deep = `{ a { b { c { d { e { f { g { h { i { j { k { l } } } } } } } } } } } }`;
    const errors = await refused(deep);
    expect(errors.every((e) => e.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(errors.some((e) => /depth/i.test(e.message))).toBe(true);
  });

  it(`refuses more than ${QUERY_LIMITS.maxAliases} aliases`, async () => {
    const aliases = Array.from({ length: QUERY_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { role }`).join(' ');
    const errors = await refused(`{ ${aliases} }`);
    expect(errors[0].message).toMatch(/aliases/i);
  });

  it(`refuses more than ${QUERY_LIMITS.maxDirectives} directives`, async () => {
    const directives = Array.from({ length: QUERY_LIMITS.maxDirectives + 1 }, () => '@include(if: true)').join(' ');
    const errors = await refused(`{ me ${directives} { role } }`);
    expect(errors[0].message).toMatch(/directives/i);
  });

  it(`refuses a document of more than ${QUERY_LIMITS.maxTokens} tokens`, async () => {
    const fields = Array.from({ length: QUERY_LIMITS.maxTokens }, () => 'role').join(' ');
    const errors = await refused(`{ me { ${fields} } }`);
    expect(errors[0].message).toMatch(/token/i);
  });

  it(`refuses a query that costs more than ${QUERY_LIMITS.maxCost}`, async () => {
    // Within the token limit (a spread is two tokens), each spread expanded at depth multiplies the work.
    const spreads = Array.from({ length: 2000 }, () => '...P').join(' ');
    const errors = await refused(`{ billingIssues { nodes { box { demands { prebookLine { product { ${spreads} } } } } } } } fragment P on Product { code name kind unit defaultUnitsPerBox }`);
    expect(errors[0].message).toMatch(/cost/i);
  });

  it('refuses batched requests (one HTTP request, many operations)', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` },
      body: JSON.stringify([{ query: '{ me { role } }' }, { query: '{ me { role } }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('gives no field suggestions in production (they map the schema for a stranger)', async () => {
    const development = await t.gql(`{ me { rol } }`);
    expect(development.errors![0].message).toMatch(/Did you mean/);
    const errors = await refused(`{ me { rol } }`, production);
    expect(errors[0].message).not.toMatch(/Did you mean/);
    expect(errors[0].message).toMatch(/Cannot query field "rol"/);
  });
});
