import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [BoxTypeInput!]!) { upsertBoxTypes(input: $input) { boxTypes { code name fbe } errors { code message row field } } }`;

describe('box types', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('starts with the standard box types and their full-box equivalents', async () => {
    const data = await t.ok(`{ boxTypes { nodes { code fbe } } }`);
    expect(data.boxTypes.nodes).toEqual([
      { code: 'EB', fbe: '0.125' },
      { code: 'FB', fbe: '1.00' },
      { code: 'HB', fbe: '0.50' },
      { code: 'QB', fbe: '0.25' },
    ]);
  });

  it('adds box types kept by the user and validates the FBE', async () => {
    const ok = await t.ok(UPSERT, { input: [{ code: 'SB', name: 'Sixth box', fbe: '0.1667' }] });
    expect(ok.upsertBoxTypes.boxTypes).toEqual([{ code: 'SB', name: 'Sixth box', fbe: '0.1667' }]);
    const bad = await t.ok(UPSERT, {
      input: [
        { code: 'ZB', name: 'Zero', fbe: '0' },
        { code: 'NB', name: 'No fbe' },
        { code: 'PB', name: 'Precise', fbe: '0.123456' },
      ],
    });
    expect(bad.upsertBoxTypes.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'fbe', 'INVALID_VALUE'],
      [2, 'fbe', 'REQUIRED'],
      [3, 'fbe', 'INVALID_VALUE'],
    ]);
  });

  it('rejects a Decimal that is not a number at the GraphQL layer', async () => {
    const result = await t.gql(UPSERT, { input: [{ code: 'XB', name: 'X', fbe: 'half' }] });
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.data).toBeUndefined();
  });
});
