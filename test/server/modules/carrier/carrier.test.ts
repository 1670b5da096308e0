import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [CarrierInput!]!) { upsertCarriers(input: $input) { carriers { code name } errors { code message row field } } }`;

describe('carriers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates carriers and refuses a new one without a name', async () => {
    const ok = await t.ok(UPSERT, { input: [{ code: 'ARMELLINI', name: 'Armellini Express' }] });
    expect(ok.upsertCarriers.carriers).toEqual([{ code: 'ARMELLINI', name: 'Armellini Express' }]);
    const bad = await t.ok(UPSERT, { input: [{ code: 'FEDEX' }] });
    expect(bad.upsertCarriers.errors).toEqual([{ code: 'REQUIRED', message: 'Row 1: name is required', row: 1, field: 'name' }]);
    expect(await countRows(t.orm, 'carrier')).toBe(1);
  });

  it('refuses lists over the item limit as a whole', async () => {
    const input = Array.from({ length: 10_001 }, (_, i) => ({ code: `C${i}`, name: `Carrier ${i}` }));
    // The schema's @inputLimits, checked before the upsert runs (test/server/common/input-limits.test.ts).
    const result = await t.gql(UPSERT, { input });
    expect(result.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'upsertCarriers.input', limit: 'maxListItems' }) }),
    ]);
    expect(await countRows(t.orm, 'carrier')).toBe(1);
  });
});
