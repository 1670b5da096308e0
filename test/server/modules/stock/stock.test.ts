import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setCompanyClock } from '../../../../server/src/common/today';
import { seedCatalogue } from '../../../support/fixtures';
import { checkBoxInvariants } from '../../../support/invariants';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { shipBoxes } from './stock-support';

const BOX = `query($label: String!) { box(label: $label) { label status arrivalDate ageDays ageBand aged unitsRemaining } }`;
const AGED = `query($filter: AgedStockFilter) { agedStock(filter: $filter) { totalCount nodes { label ageDays aged product { code category { code maxAgeDays } } } } }`;
const ADJUST = `mutation($input: [AdjustInventoryInput!]!) { adjustInventory(input: $input) {
  adjustments { label units value reason unitsRemaining boxStatus countNumber } errors { code message row field }
} }`;
const at = (date: string) => setCompanyClock(() => new Date(`${date}T12:00:00Z`));

describe('perishable stock: categories, age, aged stock and adjustments', () => {
  let t: TestServer;
  let roses: string[];
  let vases: string[];
  let inTransit: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const categories = await t.ok(`mutation { upsertProductCategories(input: [
      { code: "roses", name: "Roses", maxAgeDays: 7 }, { code: "HARD", name: "Hard goods" }
    ]) { productCategories { code name maxAgeDays } errors { code } } }`);
    expect(categories.upsertProductCategories).toEqual({
      productCategories: [
        { code: 'ROSES', name: 'Roses', maxAgeDays: 7 },
        { code: 'HARD', name: 'Hard goods', maxAgeDays: null },
      ],
      errors: [],
    });
    await t.ok(
      `mutation { upsertProducts(input: [{ code: "ROSE-FREEDOM-50", category: "Roses" }, { code: "VASE-20", category: "HARD" }]) { errors { code } } }`,
    );
    roses = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.50', arrivalDate: '2027-02-01' });
    vases = await shipBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '2.00', arrivalDate: '2027-02-01' });
    inTransit = await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.50', arrivalDate: '2027-02-05', confirm: false });
  });
  afterEach(() => setCompanyClock(null));
  afterAll(() => t.close());

  it('puts products in categories by code or name; an unknown one is refused, an empty one removes it', async () => {
    const unknown = await t.ok(`mutation { upsertProducts(input: [{ code: "VASE-20", category: "TULIPS" }]) { errors { code field } } }`);
    expect(unknown.upsertProducts.errors).toEqual([{ code: 'UNKNOWN_PRODUCT_CATEGORY', field: 'category' }]);
    await t.ok(`mutation { upsertProducts(input: [{ code: "BQT-SPRING", category: "HARD" }]) { errors { code } } }`);
    const removed = await t.ok(`mutation { upsertProducts(input: [{ code: "BQT-SPRING", category: "" }]) { products { category { code } } } }`);
    expect(removed.upsertProducts.products).toEqual([{ category: null }]);
    const listed = await t.ok(
      `{ products(filter: { text: "ROSE-FREEDOM" }) { nodes { code category { code maxAgeDays } } } productCategories { totalCount } }`,
    );
    expect(listed).toEqual({
      products: { nodes: [{ code: 'ROSE-FREEDOM-50', category: { code: 'ROSES', maxAgeDays: 7 } }] },
      productCategories: { totalCount: 2 },
    });
  });

  it('ages a box in transit negatively: arriving Feb 5, as of Feb 1, age −4 and no band', async () => {
    at('2027-02-01');
    const data = await t.ok(BOX, { label: inTransit[0] });
    expect(data.box).toMatchObject({ status: 'STAGED', arrivalDate: '2027-02-05', ageDays: -4, ageBand: null, aged: false });
  });

  it('bands the inventory by age (1-4, 5-9, 10+ by default) and proposes boxes past their category’s maximum for dump', async () => {
    at('2027-02-08');
    const young = await t.ok(`{ inventory { nodes { label ageDays ageBand aged } } }`);
    expect(young.inventory.nodes).toEqual([
      { label: roses[0], ageDays: 7, ageBand: '5-9', aged: false },
      { label: roses[1], ageDays: 7, ageBand: '5-9', aged: false },
      { label: vases[0], ageDays: 7, ageBand: '5-9', aged: false },
    ]);
    expect((await t.ok(AGED)).agedStock.totalCount).toBe(0);

    // Category maximum 7 days: a box aged 8 is aged. The vase's category has no maximum.
    at('2027-02-09');
    const aged = await t.ok(AGED);
    expect(aged.agedStock).toEqual({
      totalCount: 2,
      nodes: roses.map((label) => ({ label, ageDays: 8, aged: true, product: { code: 'ROSE-FREEDOM-50', category: { code: 'ROSES', maxAgeDays: 7 } } })),
    });
    expect((await t.ok(AGED, { filter: { location: 'NYC' } })).agedStock.totalCount).toBe(0);
    expect((await t.ok(AGED, { filter: { product: 'VASE-20' } })).agedStock.totalCount).toBe(0);
    at('2027-02-12');
    expect((await t.ok(BOX, { label: vases[0] })).box).toMatchObject({ ageDays: 11, ageBand: '10+', aged: false });
  });

  it('takes the age bands from the settings, refusing bands that do not grow', async () => {
    const bad = await t.ok(
      `mutation { updateSettings(input: { ageBands: [{ name: "old", maxDays: null }, { name: "fresh", maxDays: 3 }] }) { errors { code field } } }`,
    );
    expect(bad.updateSettings.errors).toEqual([{ code: 'INVALID_VALUE', field: 'ageBands' }]);
    const good = await t.ok(`mutation { updateSettings(input: { ageBands: [{ name: "fresh", maxDays: 3 }, { name: "old", maxDays: null }] }) {
      settings { ageBands { name maxDays } } errors { code } } }`);
    expect(good.updateSettings.settings.ageBands).toEqual([
      { name: 'fresh', maxDays: 3 },
      { name: 'old', maxDays: null },
    ]);
    at('2027-02-05');
    expect((await t.ok(BOX, { label: vases[0] })).box.ageBand).toBe('old');
    await t.ok(
      `mutation { updateSettings(input: { ageBands: [{ name: "1-4", maxDays: 4 }, { name: "5-9", maxDays: 9 }, { name: "10+" }] }) { errors { code } } }`,
    );
  });

  it('refuses a whole list when one item is wrong: staged, invoiced, unknown, both quantities, too many units, a bad reason, a label twice', async () => {
    const [sold] = await shipBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '2.00' });
    await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { errors { code } } }`, {
      i: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: [sold], unitPrice: '5.00' }] },
    });
    const data = await t.ok(ADJUST, {
      input: [
        { label: roses[0], unitsRemoved: 10, reason: 'DUMP' },
        { label: inTransit[0], unitsRemoved: 1, reason: 'DUMP' },
        { label: sold, unitsRemoved: 1, reason: 'DUMP' },
        { label: 'NO-SUCH-BOX', unitsRemoved: 1, reason: 'DUMP' },
        { label: roses[1], unitsRemoved: 1, countedUnits: 5, reason: 'DUMP' },
        { label: vases[0], unitsRemoved: 13, reason: 'DUMP' },
        { label: vases[0], countedUnits: 12, reason: 'DUMP' },
        { label: roses[1], unitsRemoved: 1, reason: 'LOST' },
        { label: roses[0], unitsRemoved: 1, reason: 'DUMP' },
      ],
    });
    expect(data.adjustInventory.adjustments).toEqual([]);
    expect(data.adjustInventory.errors.map((e: any) => [e.row, e.code, e.field])).toEqual([
      [5, 'INVALID_VALUE', 'unitsRemoved'],
      [7, 'DUPLICATE_LABEL', 'label'],
      [8, 'INVALID_VALUE', 'reason'],
      [9, 'DUPLICATE_LABEL', 'label'],
    ]);
    // Once each item is valid on its own, the boxes are checked under their locks.
    const locked = await t.ok(ADJUST, {
      input: [
        { label: roses[0], unitsRemoved: 10, reason: 'DUMP' },
        { label: inTransit[0], unitsRemoved: 1, reason: 'DUMP' },
        { label: sold, unitsRemoved: 1, reason: 'DUMP' },
        { label: 'NO-SUCH-BOX', unitsRemoved: 1, reason: 'DUMP' },
        { label: vases[0], unitsRemoved: 13, reason: 'DUMP' },
        { label: roses[1], countedUnits: 100, reason: 'DUMP' },
      ],
    });
    expect(locked.adjustInventory.adjustments).toEqual([]);
    expect(locked.adjustInventory.errors.map((e: any) => [e.row, e.code])).toEqual([
      [2, 'BOX_NOT_ADJUSTABLE'],
      [3, 'BOX_NOT_ADJUSTABLE'],
      [4, 'UNKNOWN_BOX'],
      [5, 'EXCEEDS_UNITS'],
      [6, 'INVALID_VALUE'],
    ]);
    expect(locked.adjustInventory.errors[0].message).toMatch(/staged/);
    expect(locked.adjustInventory.errors[1].message).toMatch(/invoiced/);
    expect((await t.ok(BOX, { label: roses[0] })).box.unitsRemaining).toBe(100);
  });

  it('records an adjustment in the audit trail and the change feed; a box at 0 units is VOID and no longer adjustable', async () => {
    let cursor: string | null = null;
    for (;;) {
      const page: any = await t.ok(`query($after: String) { changes(after: $after, first: 1000) { pageInfo { hasNextPage endCursor } } }`, { after: cursor });
      cursor = page.changes.pageInfo.endCursor ?? cursor;
      if (!page.changes.pageInfo.hasNextPage) break;
    }
    const data = await t.ok(ADJUST, { input: [{ label: vases[0], countedUnits: 0, reason: 'DONATION', note: 'church' }] });
    expect(data.adjustInventory.adjustments).toEqual([
      { label: vases[0], units: 12, value: '24.00', reason: 'DONATION', unitsRemaining: 0, boxStatus: 'VOID', countNumber: null },
    ]);
    const feed = await t.ok(`query($after: String) { changes(after: $after, types: [BOX]) { nodes { type key change } } }`, { after: cursor });
    expect(feed.changes.nodes).toEqual([{ type: 'BOX', key: vases[0], change: 'UPDATED' }]);
    const audit = await t.ok(`{ auditEvents(filter: { entity: "Box", action: "adjust" }) { nodes { actor payload } } }`);
    expect(audit.auditEvents.nodes[0].payload).toEqual({ label: vases[0], units: 12, reason: 'DONATION', note: 'church', count: null, unitsRemaining: 0 });
    const again = await t.ok(ADJUST, { input: [{ label: vases[0], unitsRemoved: 1, reason: 'DUMP' }] });
    expect(again.adjustInventory.errors.map((e: any) => e.code)).toEqual(['BOX_NOT_ADJUSTABLE']);
    expect((await t.ok(`{ inventory(filter: { product: "VASE-20" }) { totalCount } }`)).inventory.totalCount).toBe(0);
    // A void box is neither received nor shipped by a scan.
    const scan = `mutation($labels: [String!]!, $kind: ScanKind!) { scanBoxes(labels: $labels, kind: $kind) { results { outcome box { status shippedOutAt } } } }`;
    for (const kind of ['INBOUND', 'OUTBOUND'])
      expect((await t.ok(scan, { labels: [vases[0]], kind })).scanBoxes.results).toEqual([
        { outcome: 'VOID_BOX', box: { status: 'VOID', shippedOutAt: null } },
      ]);
    await checkBoxInvariants(t.orm);
  });

  it('adjusts once for a retried call with the same idempotency key', async () => {
    const call = `mutation($input: [AdjustInventoryInput!]!, $key: String) { adjustInventory(input: $input, idempotencyKey: $key) {
      adjustments { label units unitsRemaining } errors { code } replayed } }`;
    const input = [{ label: roses[1], unitsRemoved: 5, reason: 'SAMPLE' }];
    const first = await t.ok(call, { input, key: 'sample-1' });
    const retry = await t.ok(call, { input, key: 'sample-1' });
    expect(first.adjustInventory).toEqual({ adjustments: [{ label: roses[1], units: 5, unitsRemaining: 95 }], errors: [], replayed: false });
    expect(retry.adjustInventory).toMatchObject({ adjustments: [{ label: roses[1], units: 5 }], errors: [], replayed: true });
    expect((await t.ok(BOX, { label: roses[1] })).box.unitsRemaining).toBe(95);
    const other = await t.ok(call, { input: [{ ...input[0], unitsRemoved: 6 }], key: 'sample-1' });
    expect(other.adjustInventory.errors).toEqual([{ code: 'IDEMPOTENCY_CONFLICT' }]);
  });
});
