import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [ProductInput!]!) {
  upsertProducts(input: $input) {
    products { code name kind unit stemsPerBunch defaultUnitsPerBox defaultBoxType { code } }
    errors { code message row field }
  }
}`;

const rose = { code: 'rose-freedom-50', name: 'Rose Freedom 50cm', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'QB', defaultUnitsPerBox: 100 };

describe('products', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates products with normalized codes and box types named by code or name', async () => {
    const data = await t.ok(UPSERT, {
      input: [rose, { code: 'Vase-Glass-20', name: 'Glass vase 20cm', kind: 'hard', unit: 'each', defaultBoxType: 'full box', defaultUnitsPerBox: 12 }],
    });
    expect(data.upsertProducts.errors).toEqual([]);
    expect(data.upsertProducts.products).toEqual([
      {
        code: 'ROSE-FREEDOM-50',
        name: 'Rose Freedom 50cm',
        kind: 'LIVE',
        unit: 'STEM',
        stemsPerBunch: null,
        defaultUnitsPerBox: 100,
        defaultBoxType: { code: 'QB' },
      },
      {
        code: 'VASE-GLASS-20',
        name: 'Glass vase 20cm',
        kind: 'HARD',
        unit: 'EACH',
        stemsPerBunch: null,
        defaultUnitsPerBox: 12,
        defaultBoxType: { code: 'FB' },
      },
    ]);
  });

  it('updates by code and keeps the fields left out', async () => {
    const data = await t.ok(UPSERT, { input: [{ code: 'ROSE-FREEDOM-50', defaultUnitsPerBox: 125 }] });
    expect(data.upsertProducts.products[0]).toMatchObject({ name: 'Rose Freedom 50cm', defaultUnitsPerBox: 125, defaultBoxType: { code: 'QB' } });
    expect(await countRows(t.orm, 'product')).toBe(2);
  });

  it('rejects the whole list when one item is bad, naming row and field, and writes nothing', async () => {
    const before = await countRows(t.orm, 'product');
    const auditBefore = await countRows(t.orm, 'audit_event');
    const data = await t.ok(UPSERT, {
      input: [
        { code: 'CARNATION-WHITE', name: 'Carnation white', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 500 },
        { code: '', name: 'No code', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 10 },
        { code: 'GYP', name: 'Gypsophila', kind: 'FLOWER', unit: 'STEM', defaultBoxType: 'XB', defaultUnitsPerBox: -5 },
        { code: 'carnation-white', name: 'Duplicate', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'HB', defaultUnitsPerBox: 500 },
      ],
    });
    expect(data.upsertProducts.products).toEqual([]);
    const errors = data.upsertProducts.errors.map((e: any) => [e.row, e.field, e.code]);
    expect(errors).toEqual([
      [2, 'code', 'REQUIRED'],
      [3, 'kind', 'INVALID_VALUE'],
      [3, 'defaultBoxType', 'UNKNOWN_BOX_TYPE'],
      [3, 'defaultUnitsPerBox', 'INVALID_VALUE'],
      [4, 'code', 'DUPLICATE_CODE'],
    ]);
    expect(data.upsertProducts.errors[2].message).toBe('Row 3: unknown box type "XB"');
    expect(await countRows(t.orm, 'product')).toBe(before);
    expect(await countRows(t.orm, 'audit_event')).toBe(auditBefore);
  });

  it('requires every field of a new product', async () => {
    const data = await t.ok(UPSERT, { input: [{ code: 'NEW-ONE' }] });
    expect(data.upsertProducts.errors.map((e: any) => e.field).sort()).toEqual(['defaultBoxType', 'defaultUnitsPerBox', 'kind', 'name', 'unit']);
  });

  it('lists with a text filter on code or name, paginated', async () => {
    const all = await t.ok(`{ products(first: 1) { nodes { code } pageInfo { hasNextPage endCursor } totalCount } }`);
    expect(all.products).toMatchObject({ nodes: [{ code: 'ROSE-FREEDOM-50' }], totalCount: 2, pageInfo: { hasNextPage: true } });
    const next = await t.ok(`query($after: String) { products(first: 1, after: $after) { nodes { code } pageInfo { hasNextPage } } }`, {
      after: all.products.pageInfo.endCursor,
    });
    expect(next.products).toEqual({ nodes: [{ code: 'VASE-GLASS-20' }], pageInfo: { hasNextPage: false } });
    const byName = await t.ok(`{ products(filter: { text: "glass" }) { nodes { code } totalCount } }`);
    expect(byName.products).toEqual({ nodes: [{ code: 'VASE-GLASS-20' }], totalCount: 1 });
    const literalPercent = await t.ok(`{ products(filter: { text: "%" }) { totalCount } }`);
    expect(literalPercent.products.totalCount).toBe(0);
  });

  it('refuses a page size over the maximum', async () => {
    const result = await t.gql(`{ products(first: 5000) { totalCount } }`);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
