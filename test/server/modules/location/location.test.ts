import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [LocationInput!]!) {
  upsertLocations(input: $input) { locations { code name billUnitsAsBoxes } errors { code message row field } }
}`;

describe('locations', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates and updates locations by code', async () => {
    await t.ok(UPSERT, {
      input: [
        { code: 'MIA', name: 'Miami warehouse' },
        { code: 'NYC', name: 'New York', billUnitsAsBoxes: true },
      ],
    });
    const data = await t.ok(UPSERT, { input: [{ code: 'mia', name: 'Miami Doral' }] });
    expect(data.upsertLocations.locations).toEqual([{ code: 'MIA', name: 'Miami Doral', billUnitsAsBoxes: false }]);
    const list = await t.ok(`{ locations { nodes { code billUnitsAsBoxes } totalCount } }`);
    expect(list.locations).toEqual({
      nodes: [
        { code: 'MIA', billUnitsAsBoxes: false },
        { code: 'NYC', billUnitsAsBoxes: true },
      ],
      totalCount: 2,
    });
  });

  it('rejects codes that are blank, too long or with odd characters, and writes nothing', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        { code: '   ', name: 'Blank' },
        { code: 'X'.repeat(41), name: 'Long' },
        { code: 'LA*X', name: 'Star' },
        { code: 'LAX', name: 'Fine' },
      ],
    });
    expect(data.upsertLocations.errors.map((e: any) => [e.row, e.code])).toEqual([
      [1, 'REQUIRED'],
      [2, 'INVALID_VALUE'],
      [3, 'INVALID_VALUE'],
    ]);
    expect(await countRows(t.orm, 'location')).toBe(2);
  });
});
