// graphql-armor's limits: each abuse is refused before anything runs, with a message that says which limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERY_LIMITS } from '../../../server/src/app';
import { seedCatalogue } from '../../support/fixtures';
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
    // Within the selection limit, a page size multiplies what each node costs.
    const fields = Array.from({ length: 150 }, () => 'number').join(' ');
    expect(fields.split(' ').length + 3).toBeLessThan(QUERY_LIMITS.maxSelections);
    const errors = await refused(`{ invoices(first: 500) { nodes { ${fields} } } }`);
    expect(errors[0].message).toMatch(/cost/i);
  });

  it(`refuses more than ${QUERY_LIMITS.maxSelections} field selections (fragments expanded, repeated fields counted), naming the limit`, async () => {
    const roles = (n: number) => Array.from({ length: n }, () => 'role').join(' ');
    expect((await t.gql(`{ me { ${roles(QUERY_LIMITS.maxSelections - 1)} } }`)).data).toEqual({ me: { role: 'ADMIN' } });
    const errors = await refused(`{ me { ${roles(QUERY_LIMITS.maxSelections)} } }`);
    expect(errors).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED', message: expect.stringMatching(/501 field selections.*the limit is 500 \(maxSelections\)/) }]);
    // Through fragments: 30 spreads of a 20-field fragment are 600 selections.
    const fragment = `fragment F on Caller { ${roles(20)} }`;
    const spread = await refused(`{ me { ${Array.from({ length: 30 }, () => '...F').join(' ')} } } ${fragment}`);
    expect(spread[0].message).toMatch(/maxSelections/);
  });

  it('is not held up by thousands of repeated fields: a concurrent small query answers about as fast as when idle', async () => {
    // The attack of issue 17: ~4,950 repeated fields (24.5 KB, within the token limit), a new comment
    // each time so no document cache helps. graphql's validation compares them pairwise (seconds each).
    let sent = 0;
    const attack = () => `# ${sent++} ${Math.random()}\n{ me { ${Array.from({ length: 4950 }, () => 'role').join(' ')} } }`;
    expect(attack().length).toBeGreaterThan(24_000);
    const timeSettings = async () => {
      const started = performance.now();
      const result = await t.gql(`{ settings { version } }`);
      expect(result.errors).toBeUndefined();
      return performance.now() - started;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    await timeSettings();
    const idle: number[] = [];
    for (let i = 0; i < 7; i++) idle.push(await timeSettings());

    const underAttack: number[] = [];
    for (let round = 0; round < 3; round++) {
      const attacks = Array.from({ length: 4 }, () => t.gql(attack()));
      underAttack.push(await timeSettings());
      for (const result of await Promise.all(attacks)) {
        expect(result.status).toBe(400);
        expect(result.errors![0].message).toMatch(/maxSelections/);
      }
    }
    // Before the selection limit: about 4 s per attack, so the ratio was in the thousands.
    expect(median(underAttack) / Math.max(median(idle), 5)).toBeLessThan(25);
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

  it('gives no field suggestions to a token that may not introspect (a CUSTOMER), in development too', async () => {
    await seedCatalogue(t);
    const secret = (await t.ok(`mutation { createApiToken(input: { name: "no-hints", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken
      .secret;
    expect((await t.gql(`{ __schema { queryType { name } } }`, {}, secret)).errors![0].extensions?.code).toBe('FORBIDDEN');
    const hinted = await t.gql(`{ invoic { nodes { number } } }`);
    expect(hinted.errors![0].message).toMatch(/Did you mean "invoice"/);
    const plain = await t.gql(`{ invoic { nodes { number } } }`, {}, secret);
    expect(plain.errors![0].message).toBe('Cannot query field "invoic" on type "Query".');
  });
});
