import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [VendorInput!]!) {
  upsertVendors(input: $input) { vendors { code name kind defaultPortOfOrigin } errors { code message row field } }
}`;

describe('vendors', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates farms, hard-goods suppliers and production companies', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        { code: 'ROSAS-BOG', name: 'Rosas de la Sabana', kind: 'FARM', defaultPortOfOrigin: 'bog' },
        { code: 'VASECO', name: 'VaseCo', kind: 'hard goods' },
        { code: 'BOUQUETWORKS', name: 'Bouquet Works', kind: 'PRODUCTION' },
      ],
    });
    expect(data.upsertVendors).toEqual({
      errors: [],
      vendors: [
        { code: 'ROSAS-BOG', name: 'Rosas de la Sabana', kind: 'FARM', defaultPortOfOrigin: 'BOG' },
        { code: 'VASECO', name: 'VaseCo', kind: 'HARD_GOODS', defaultPortOfOrigin: null },
        { code: 'BOUQUETWORKS', name: 'Bouquet Works', kind: 'PRODUCTION', defaultPortOfOrigin: null },
      ],
    });
    const farms = await t.ok(`{ vendors(filter: { kind: FARM }) { nodes { code } } }`);
    expect(farms.vendors.nodes).toEqual([{ code: 'ROSAS-BOG' }]);
  });

  it('rejects an unknown kind and a missing kind, writing nothing', async () => {
    const before = await countRows(t.orm, 'vendor');
    const data = await t.ok(UPSERT, {
      input: [
        { code: 'OK-FARM', name: 'Fine', kind: 'FARM' },
        { code: 'BAD', name: 'Bad', kind: 'WHOLESALER' },
        { code: 'NOKIND', name: 'No kind' },
      ],
    });
    expect(data.upsertVendors.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [2, 'kind', 'INVALID_VALUE'],
      [3, 'kind', 'REQUIRED'],
    ]);
    expect(await countRows(t.orm, 'vendor')).toBe(before);
  });

  it('lets a BUYER maintain vendors', async () => {
    const created = await t.ok(`mutation { createApiToken(input: { name: "buyer", role: "BUYER" }) { secret } }`);
    const data = await t.ok(UPSERT, { input: [{ code: 'VASECO', defaultPortOfOrigin: 'MIA' }] }, created.createApiToken.secret);
    expect(data.upsertVendors.vendors[0]).toEqual({ code: 'VASECO', name: 'VaseCo', kind: 'HARD_GOODS', defaultPortOfOrigin: 'MIA' });
  });
});
