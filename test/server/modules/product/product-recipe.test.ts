import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [ProductInput!]!) {
  upsertProducts(input: $input) {
    products { code kind recipe { component { code } units } }
    errors { code message row field }
  }
}`;

describe('product recipes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('keeps a recipe of a FINISHED product with upsertProducts and shows it on products', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        {
          code: 'BQT-SPRING',
          recipe: [
            { component: 'rose-freedom-50', units: '12' },
            { component: 'Glass vase 20cm', units: '1.0' },
          ],
        },
      ],
    });
    expect(data.upsertProducts.errors).toEqual([]);
    const listed = await t.ok(`{ products(filter: { kind: FINISHED }) { nodes { code recipe { component { code name } units } } } }`);
    expect(listed.products.nodes).toEqual([
      {
        code: 'BQT-SPRING',
        recipe: [
          { component: { code: 'ROSE-FREEDOM-50', name: 'Rose Freedom 50cm' }, units: '12.00' },
          { component: { code: 'VASE-20', name: 'Glass vase 20cm' }, units: '1.00' },
        ],
      },
    ]);
    const others = await t.ok(`{ products(filter: { kind: LIVE }) { nodes { recipe { units } } } }`);
    expect(others.products.nodes.every((p: any) => p.recipe.length === 0)).toBe(true);
  });

  it('keeps the recipe when the field is left out and removes it with []', async () => {
    const kept = await t.ok(UPSERT, { input: [{ code: 'BQT-SPRING', name: 'Spring bouquet (new sleeve)' }] });
    expect(kept.upsertProducts.products[0].recipe).toHaveLength(2);
    const removed = await t.ok(UPSERT, { input: [{ code: 'BQT-SPRING', recipe: [] }] });
    expect(removed.upsertProducts.products[0].recipe).toEqual([]);
    const back = await t.ok(UPSERT, { input: [{ code: 'BQT-SPRING', recipe: [{ component: 'ROSE-FREEDOM-50', units: '0.50' }] }] });
    expect(back.upsertProducts.products[0].recipe).toEqual([{ component: { code: 'ROSE-FREEDOM-50' }, units: '0.50' }]);
  });

  it('rejects per row and field: unknown component, the product itself, zero or negative units, a recipe on a non-FINISHED product; writes nothing', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        {
          code: 'BQT-SPRING',
          recipe: [
            { component: 'NO-SUCH-ROSE', units: '12' },
            { component: 'bqt-spring', units: '1' },
          ],
        },
        {
          code: 'BQT-NEW',
          name: 'New bouquet',
          kind: 'FINISHED',
          unit: 'EACH',
          defaultBoxType: 'FB',
          defaultUnitsPerBox: 8,
          recipe: [
            { component: 'VASE-20', units: '0' },
            { component: 'ROSE-FREEDOM-50', units: '-3' },
            { component: 'VASE-20', units: '1' },
          ],
        },
        { code: 'CARN-WHITE', recipe: [{ component: 'VASE-20', units: '1' }] },
        {
          code: 'BQT-SMALL',
          name: 'Small',
          kind: 'LIVE',
          unit: 'STEM',
          defaultBoxType: 'FB',
          defaultUnitsPerBox: 8,
          recipe: [{ component: 'VASE-20', units: '1' }],
        },
      ],
    });
    expect(data.upsertProducts.products).toEqual([]);
    expect(data.upsertProducts.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'recipe.1.component', 'UNKNOWN_PRODUCT'],
      [1, 'recipe.2.component', 'INVALID_VALUE'],
      [2, 'recipe.1.units', 'INVALID_VALUE'],
      [2, 'recipe.2.units', 'INVALID_VALUE'],
      [2, 'recipe.3.component', 'INVALID_VALUE'],
      [3, 'recipe', 'INVALID_VALUE'],
      [4, 'recipe', 'INVALID_VALUE'],
    ]);
    expect(data.upsertProducts.errors[1].message).toBe('Row 1, component 2: BQT-SPRING cannot be a component of itself');
    expect(data.upsertProducts.errors[2].message).toBe('Row 2, component 1: units must be greater than 0, got 0');
    expect(data.upsertProducts.errors[5].message).toBe('Row 3: only a FINISHED product may have a recipe; CARN-WHITE is LIVE');
    const after = await t.ok(`{ products(filter: { text: "BQT" }) { nodes { code recipe { units } } } }`);
    expect(after.products.nodes).toEqual([{ code: 'BQT-SPRING', recipe: [{ units: '0.50' }] }]);
  });

  it('refuses to turn a product with a recipe into a non-FINISHED one unless the recipe goes too', async () => {
    const data = await t.ok(UPSERT, { input: [{ code: 'BQT-SPRING', kind: 'HARD' }] });
    expect(data.upsertProducts.errors.map((e: any) => [e.field, e.code])).toEqual([['recipe', 'INVALID_VALUE']]);
    const ok = await t.ok(UPSERT, { input: [{ code: 'BQT-SPRING', kind: 'HARD', recipe: [] }] });
    expect(ok.upsertProducts.errors).toEqual([]);
  });
});
