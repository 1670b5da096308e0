// Rotation: allocate without labels, massAllocate and fillFromOpenMarket take the oldest eligible box first, then
// the one with most units; an open-market box past its category's maxAgeDays is offered to none of them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stockRotation } from '../../../../server/src/modules/billing/allocation-rules';
import { setCompanyClock } from '../../../../server/src/common/today';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const TODAY = '2027-03-10';
/** The date `days` before TODAY. */
const daysAgo = (days: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

describe('stockRotation (pure)', () => {
  const box = (id: number, arrivalDate: string, unitsRemaining: number, receivedAt: string | null = null) => ({
    id,
    arrivalDate,
    unitsRemaining,
    received: receivedAt !== null,
    receivedAt: receivedAt ? new Date(receivedAt) : null,
  });
  it.each([
    { name: 'oldest arrival first', boxes: [box(1, daysAgo(1), 100), box(2, daysAgo(6), 100)], order: [2, 1] },
    { name: 'same arrival: most units first', boxes: [box(1, daysAgo(3), 40), box(2, daysAgo(3), 100), box(3, daysAgo(3), 70)], order: [2, 3, 1] },
    { name: 'same arrival and units: by id', boxes: [box(2, daysAgo(3), 50), box(1, daysAgo(3), 50)], order: [1, 2] },
    {
      name: 'a scanned box arrived the day of its scan (company time zone), not its expected day',
      // Expected on the 9th, scanned at 02:00 UTC on the 5th: the 4th in New York, older than a box of the 7th.
      boxes: [box(1, daysAgo(3), 100), box(2, daysAgo(1), 100, `${daysAgo(5)}T02:00:00Z`)],
      order: [2, 1],
    },
  ])('$name', ({ boxes, order }) => {
    expect(stockRotation(boxes, 'America/New_York').map((b) => b.id)).toEqual(order);
  });
});

describe('rotation in allocations', () => {
  let t: TestServer;
  let product = 0;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertProductCategories(input: [{ code: "ROSES", name: "Roses", maxAgeDays: 7 }]) { errors { code } } }`);
  });
  afterEach(() => setCompanyClock(null));
  afterAll(() => t.close());

  /** A new rose product in ROSES (max 7 days), boxes of 100 stems in QB. */
  async function newProduct(): Promise<string> {
    const code = `ROT-${++product}`;
    const data = await t.ok(
      `mutation($code: String!) { upsertProducts(input: [{ code: $code, name: $code, kind: "LIVE", unit: "STEM", defaultBoxType: "QB", defaultUnitsPerBox: 100, category: "ROSES" }]) { errors { message } } }`,
      { code },
    );
    expect(data.upsertProducts.errors).toEqual([]);
    return code;
  }

  /** One box of `units` that arrived `age` days before TODAY (confirmed into inventory, or staged): its label. */
  async function boxAged(code: string, age: number, units = 100, confirm = true): Promise<string> {
    const po = await t.ok(
      `mutation($input: [PurchaseOrderInput!]!) { savePurchaseOrders(input: $input) { purchaseOrders { number lines { id } } errors { message } } }`,
      {
        input: [
          {
            vendor: 'ROSAS',
            location: 'MIA',
            shipDate: daysAgo(Math.max(age, 0) + 2),
            lines: [{ product: code, boxes: 1, unitsPerBox: units, unitCost: '0.40' }],
          },
        ],
      },
    );
    expect(po.savePurchaseOrders.errors).toEqual([]);
    const { number, lines } = po.savePurchaseOrders.purchaseOrders[0];
    const shipped = await t.ok(`mutation($input: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $input) { boxes { label } errors { message } } }`, {
      input: { purchaseOrder: number, arrivalDate: daysAgo(age), lines: [{ poLine: lines[0].id, boxes: 1 }] },
    });
    expect(shipped.shipPurchaseOrder.errors).toEqual([]);
    const label: string = shipped.shipPurchaseOrder.boxes[0].label;
    if (confirm) await t.ok(`mutation($labels: [String!]) { confirmStaging(input: { labels: $labels }) { errors { message } } }`, { labels: [label] });
    return label;
  }

  async function prebookLine(customer: string, line: Record<string, unknown>, truckDate = daysAgo(-3)): Promise<string> {
    const data = await t.ok(`mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { lines { id } } errors { message } } }`, {
      i: [{ customer, carrier: 'ARMELLINI', truckDate, lines: [line] }],
    });
    expect(data.savePrebooks.errors).toEqual([]);
    return data.savePrebooks.prebooks[0].lines[0].id;
  }

  const statusOf = async (label: string) => (await t.ok(`query($l: String!) { box(label: $l) { status unitsRemaining } }`, { l: label })).box;
  const ALLOCATION = `lines { allocated stillNeeded linkedLabels reason } errors { code message }`;

  type Case = {
    name: string;
    /** Boxes by age (days) and units; `staged` ones stay in transit. */
    boxes: Array<{ age: number; units?: number; staged?: boolean }>;
    /** How the line is filled. */
    by: 'allocate' | 'massAllocate' | 'fillFromOpenMarket';
    line: Record<string, unknown>;
    /** Indexes of the boxes taken (INVOICED or with units taken), and of those linked in transit. */
    taken: number[];
    linked?: number[];
  };
  const cases: Case[] = [
    {
      name: 'allocate without labels takes the age-6 box before the age-1 box',
      by: 'allocate',
      boxes: [{ age: 1 }, { age: 6 }],
      line: { boxes: 1 },
      taken: [1],
    },
    {
      name: 'allocate without labels, units: same age, the box with most units first',
      by: 'allocate',
      boxes: [
        { age: 3, units: 50 },
        { age: 3, units: 100 },
        { age: 3, units: 80 },
      ],
      line: { sellBy: 'UNIT', units: 60 },
      taken: [1],
    },
    { name: 'massAllocate takes the oldest two of three', by: 'massAllocate', boxes: [{ age: 2 }, { age: 5 }, { age: 4 }], line: { boxes: 2 }, taken: [1, 2] },
    {
      name: 'category max 7 days: the box aged 8 is not offered, the one aged 7 is',
      by: 'massAllocate',
      boxes: [{ age: 8 }, { age: 7 }],
      line: { boxes: 2 },
      taken: [1],
    },
    {
      name: 'fillFromOpenMarket bills what is on hand (not the box aged 9), then links the box in transit arriving first',
      by: 'fillFromOpenMarket',
      boxes: [{ age: 0 }, { age: 3 }, { age: -2, staged: true }, { age: -1, staged: true }, { age: 9 }],
      line: { boxes: 3 },
      taken: [0, 1],
      linked: [3],
    },
    {
      name: 'fillFromOpenMarket takes the age-3 box before the age-0 box',
      by: 'fillFromOpenMarket',
      boxes: [{ age: 0 }, { age: 3 }],
      line: { boxes: 1 },
      taken: [1],
    },
  ];

  it.each(cases)('$name', async ({ by, boxes, line, taken, linked = [] }) => {
    setCompanyClock(() => new Date(`${TODAY}T15:00:00Z`));
    const code = await newProduct();
    const labels: string[] = [];
    for (const box of boxes) labels.push(await boxAged(code, box.age, box.units ?? 100, !box.staged));
    const lineId = await prebookLine('BLOOMS', { product: code, unitsPerBox: 100, ...line });
    const data =
      by === 'allocate'
        ? (await t.ok(`mutation($l: ID!) { allocate(prebookLine: $l, labels: []) { ${ALLOCATION} } }`, { l: lineId })).allocate
        : by === 'massAllocate'
          ? (await t.ok(`mutation($p: String!) { massAllocate(filter: { product: $p }) { ${ALLOCATION} } }`, { p: code })).massAllocate
          : (await t.ok(`mutation($l: [ID!]!) { fillFromOpenMarket(prebookLines: $l) { ${ALLOCATION} } }`, { l: [lineId] })).fillFromOpenMarket;
    expect(data.errors).toEqual([]);
    const after = await Promise.all(labels.map(statusOf));
    const takenNow = after.flatMap((box, i) => (box.status === 'INVOICED' || box.unitsRemaining < (boxes[i].units ?? 100) ? [i] : []));
    expect(takenNow).toEqual(taken);
    expect(data.lines[0].linkedLabels).toEqual(linked.map((i) => labels[i]));
    // Whatever was past its category's maximum age is proposed for dump instead.
    const aged = await t.ok(`query($p: String!) { agedStock(filter: { product: $p }) { nodes { label ageDays } } }`, { p: code });
    expect(aged.agedStock.nodes).toEqual(boxes.flatMap((box, i) => (box.age > 7 && !box.staged ? [{ label: labels[i], ageDays: box.age }] : [])));
  });

  it('allocate without labels reports what it could not fill, and refuses a line that needs nothing', async () => {
    setCompanyClock(() => new Date(`${TODAY}T15:00:00Z`));
    const code = await newProduct();
    await boxAged(code, 2);
    const lineId = await prebookLine('BLOOMS', { product: code, boxes: 2, unitsPerBox: 100 });
    const first = await t.ok(`mutation($l: ID!) { allocate(prebookLine: $l, labels: []) { ${ALLOCATION} } }`, { l: lineId });
    expect(first.allocate).toEqual({ lines: [{ allocated: 1, stillNeeded: 1, linkedLabels: [], reason: 'NO_MATCHING_STOCK' }], errors: [] });
    const done = await prebookLine('BLOOMS', { product: code, boxes: 1, unitsPerBox: 100 });
    await boxAged(code, 1);
    await t.ok(`mutation($l: ID!) { allocate(prebookLine: $l, labels: []) { errors { code } } }`, { l: done });
    const again = await t.ok(`mutation($l: ID!) { allocate(prebookLine: $l, labels: []) { ${ALLOCATION} } }`, { l: done });
    expect(again.allocate.errors).toEqual([{ code: 'NOTHING_TO_PURCHASE', message: expect.stringContaining('needs nothing more') }]);
  });
});
