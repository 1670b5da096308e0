import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { cycleFrom } from '../../../../server/src/modules/product/product.service';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

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

  const product = (code: string, kind: string, extra: Record<string, unknown> = {}) => ({
    code,
    name: code.toLowerCase().replace(/-/g, ' '),
    kind,
    unit: kind === 'FINISHED' ? 'EACH' : 'STEM',
    defaultBoxType: 'FB',
    defaultUnitsPerBox: 8,
    ...extra,
  });

  it('resolves components listed after the bouquet that uses them (by code or by name), in one call', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        product('CAT-BQT-1', 'FINISHED', {
          recipe: [
            { component: 'cat-red-rose', units: '6' },
            { component: 'Cat eucalyptus', units: '2' },
            { component: 'VASE-20', units: '1' },
          ],
        }),
        product('CAT-BQT-2', 'FINISHED', { recipe: [{ component: 'CAT-RED-ROSE', units: '3' }] }),
        { ...product('CAT-EUCALYPTUS', 'LIVE'), name: 'Cat eucalyptus' },
        product('CAT-RED-ROSE', 'LIVE'),
      ],
    });
    expect(data.upsertProducts.errors).toEqual([]);
    const listed = await t.ok(`{ products(filter: { text: "CAT-BQT" }) { nodes { code recipe { component { code } units } } } }`);
    expect(listed.products.nodes).toEqual([
      {
        code: 'CAT-BQT-1',
        recipe: [
          { component: { code: 'CAT-RED-ROSE' }, units: '6.00' },
          { component: { code: 'CAT-EUCALYPTUS' }, units: '2.00' },
          { component: { code: 'VASE-20' }, units: '1.00' },
        ],
      },
      { code: 'CAT-BQT-2', recipe: [{ component: { code: 'CAT-RED-ROSE' }, units: '3.00' }] },
    ]);

    // A stored bouquet's new recipe may name a new product listed after it too.
    const update = await t.ok(UPSERT, {
      input: [
        {
          code: 'CAT-BQT-2',
          recipe: [
            { component: 'CAT-TULIP', units: '4' },
            { component: 'CAT-RED-ROSE', units: '1' },
          ],
        },
        product('CAT-TULIP', 'LIVE'),
      ],
    });
    expect(update.upsertProducts.errors).toEqual([]);
    expect(update.upsertProducts.products[0].recipe).toEqual([
      { component: { code: 'CAT-TULIP' }, units: '4.00' },
      { component: { code: 'CAT-RED-ROSE' }, units: '1.00' },
    ]);
  });

  it('a component in neither the list nor the catalogue: the typed error with a suggestion, and nothing written', async () => {
    const before = await countRows(t.orm, 'product');
    const data = await t.ok(UPSERT, {
      input: [product('CAT-BQT-3', 'FINISHED', { recipe: [{ component: 'CAT-WHITE-ROSA', units: '6' }] }), product('CAT-WHITE-ROSE', 'LIVE')],
    });
    expect(data.upsertProducts.products).toEqual([]);
    expect(data.upsertProducts.errors).toEqual([
      {
        code: 'UNKNOWN_PRODUCT',
        message: 'Row 1, component 1: unknown product "CAT-WHITE-ROSA": did you mean CAT-WHITE-ROSE or CAT-RED-ROSE?',
        row: 1,
        field: 'recipe.1.component',
      },
    ]);
    expect(await countRows(t.orm, 'product')).toBe(before);

    // A code both stored and in the list is suggested once.
    const again = await t.ok(UPSERT, {
      input: [product('CAT-BQT-3', 'FINISHED', { recipe: [{ component: 'CAT-RED-ROSA', units: '6' }] }), product('CAT-RED-ROSE', 'LIVE')],
    });
    expect(again.upsertProducts.errors.map((e: any) => e.message)).toEqual(['Row 1, component 1: unknown product "CAT-RED-ROSA": did you mean CAT-RED-ROSE?']);
  });

  it('refuses a cycle of recipes, in the list or through a stored recipe, naming the path; writes nothing', async () => {
    const before = await countRows(t.orm, 'product');
    const inList = await t.ok(UPSERT, {
      input: [
        product('CYC-A', 'FINISHED', { recipe: [{ component: 'CYC-B', units: '1' }] }),
        product('CYC-B', 'FINISHED', { recipe: [{ component: 'CYC-A', units: '1' }] }),
      ],
    });
    expect(inList.upsertProducts.errors.map((e: any) => [e.code, e.row, e.field, e.message])).toEqual([
      ['RECIPE_CYCLE', 1, 'recipe', 'Row 1: CYC-A uses CYC-B uses CYC-A: a recipe cannot contain its own product, not even through another recipe'],
      ['RECIPE_CYCLE', 2, 'recipe', 'Row 2: CYC-B uses CYC-A uses CYC-B: a recipe cannot contain its own product, not even through another recipe'],
    ]);
    expect(await countRows(t.orm, 'product')).toBe(before);

    // Stored: CAT-BQT-1 uses CAT-RED-ROSE; a new gift set uses CAT-BQT-1, and then CAT-RED-ROSE may not become one using the set.
    const gift = await t.ok(UPSERT, { input: [product('CAT-GIFT', 'FINISHED', { recipe: [{ component: 'CAT-BQT-1', units: '1' }] })] });
    expect(gift.upsertProducts.errors).toEqual([]);
    const back = await t.ok(UPSERT, { input: [{ code: 'CAT-BQT-1', recipe: [{ component: 'CAT-GIFT', units: '1' }] }] });
    expect(back.upsertProducts.errors.map((e: any) => e.message)).toEqual([
      'Row 1: CAT-BQT-1 uses CAT-GIFT uses CAT-BQT-1: a recipe cannot contain its own product, not even through another recipe',
    ]);
    const stored = await t.ok(`{ products(filter: { text: "CAT-BQT-1" }) { nodes { recipe { component { code } } } } }`);
    expect(stored.products.nodes[0].recipe.map((r: any) => r.component.code)).toEqual(['CAT-RED-ROSE', 'CAT-EUCALYPTUS', 'VASE-20']);
  });
});

describe('cycleFrom', () => {
  const uses = new Map([
    ['A', ['B', 'X']],
    ['B', ['C']],
    ['C', ['A']],
    ['D', ['B']],
    ['E', ['E2']],
  ]);
  it('finds the path back to the start, and none when the recipes only lead elsewhere', () => {
    expect(cycleFrom('A', uses)).toEqual(['A', 'B', 'C', 'A']);
    expect(cycleFrom('D', uses)).toBeNull();
    expect(cycleFrom('E', uses)).toBeNull();
    expect(cycleFrom('Z', uses)).toBeNull();
  });
});
