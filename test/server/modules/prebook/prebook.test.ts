import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const PREBOOK_FIELDS = `number version status customer { code } shipTo { code } carrier { code } truckDate customerPo holiday source
  lines { id lineNo product { code } sellBy boxType { code } boxes unitsPerBox units price cost vendor { code } vendorCost ordered purchased billed needed lockedByPo }`;
const SAVE = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) {
    prebooks { ${PREBOOK_FIELDS} }
    results { index ref number version status }
    errors { code message row field }
    replayed
  }
}`;

const freshmartRoses = {
  ref: 'A',
  customer: 'FRESHMART',
  shipTo: 'DC-ATL',
  carrier: 'ARMELLINI',
  truckDate: '2027-02-10',
  customerPo: 'FM-7781',
  holiday: true,
  lines: [
    { product: 'ROSE-FREEDOM-50', boxes: 4, unitsPerBox: 100, price: '0.85', cost: '0.52', vendor: 'ROSAS', vendorCost: '0.38' },
    { product: 'carnation white fancy', sellBy: 'UNIT', units: 750 },
  ],
};

describe('prebooks', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  it('creates prebooks with sequential readable numbers, lines by box and by unit, and a pending price', async () => {
    const data = await t.ok(SAVE, {
      input: [
        freshmartRoses,
        {
          ref: 'B',
          customer: 'Blooms Florist',
          carrier: 'FEDEX',
          truckDate: '2027-02-11',
          lines: [{ product: 'BQT-SPRING', boxes: 2, unitsPerBox: 8, price: '0.00', cost: '9.40' }],
        },
      ],
    });
    const { prebooks, results, errors } = data.savePrebooks;
    expect(errors).toEqual([]);
    expect(results).toEqual([
      { index: 1, ref: 'A', number: 'PB-000001', version: 1, status: 'SAVED' },
      { index: 2, ref: 'B', number: 'PB-000002', version: 1, status: 'SAVED' },
    ]);
    const [first, second] = prebooks;
    expect(first).toMatchObject({
      status: 'OPEN',
      source: 'PREBOOK',
      customer: { code: 'FRESHMART' },
      shipTo: { code: 'DC-ATL' },
      truckDate: '2027-02-10',
      holiday: true,
    });
    expect(first.lines[0]).toMatchObject({
      lineNo: 1,
      sellBy: 'BOX',
      boxType: { code: 'QB' },
      boxes: 4,
      unitsPerBox: 100,
      units: 400,
      price: '0.85',
      cost: '0.52',
      vendor: { code: 'ROSAS' },
      vendorCost: '0.38',
      ordered: 4,
      purchased: 0,
      billed: 0,
      needed: 4,
      lockedByPo: false,
    });
    expect(first.lines[1]).toMatchObject({
      lineNo: 2,
      product: { code: 'CARN-WHITE' },
      sellBy: 'UNIT',
      boxType: { code: 'HB' },
      boxes: null,
      unitsPerBox: 500,
      units: 750,
      price: null,
      ordered: 750,
      needed: 750,
    });
    expect(second.lines[0]).toMatchObject({ price: '0.00', cost: '9.40' });
  });

  it('rejects a bad prebook row by row and field, saves the good one of the same push, writes nothing for the bad one', async () => {
    const prebooksBefore = await countRows(t.orm, 'prebook');
    const linesBefore = await countRows(t.orm, 'prebook_line');
    const data = await t.ok(SAVE, {
      input: [
        {
          customer: 'NOBODY',
          shipTo: 'DC-X',
          carrier: 'PIGEON',
          truckDate: '2027-02-30',
          lines: [
            { product: 'TULIP' },
            { product: 'ROSE-FREEDOM-50', boxes: 0, unitsPerBox: 100 },
            { product: 'ROSE-FREEDOM-50', boxes: 3 },
            { product: 'ROSE-FREEDOM-50', sellBy: 'UNIT', units: -5, price: '-1', cost: '-0.5' },
            { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, boxType: 'XXL', vendor: 'NOFARM' },
          ],
        },
        {
          customer: 'FRESHMART',
          shipTo: 'Orlando DC',
          carrier: 'ARMELLINI',
          truckDate: '2027-02-12',
          lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12, cost: '1.10' }],
        },
        { customer: 'FRESHMART', shipTo: 'DC-NOPE', carrier: 'ARMELLINI', truckDate: '2027-02-12', lines: [] },
      ],
    });
    const { results, errors } = data.savePrebooks;
    expect(results.map((r: any) => r.status)).toEqual(['ERROR', 'SAVED', 'ERROR']);
    expect(errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'customer', 'UNKNOWN_CUSTOMER'],
      [1, 'carrier', 'UNKNOWN_CARRIER'],
      [1, 'truckDate', 'INVALID_DATE'],
      [1, 'lines.1.product', 'UNKNOWN_PRODUCT'],
      [1, 'lines.1.boxes', 'REQUIRED'],
      [1, 'lines.2.boxes', 'INVALID_VALUE'],
      [1, 'lines.4.units', 'INVALID_VALUE'],
      [1, 'lines.4.price', 'INVALID_VALUE'],
      [1, 'lines.4.cost', 'INVALID_VALUE'],
      [1, 'lines.5.boxType', 'UNKNOWN_BOX_TYPE'],
      [1, 'lines.5.vendor', 'UNKNOWN_VENDOR'],
      [3, 'shipTo', 'UNKNOWN_SHIP_TO'],
      [3, 'lines', 'REQUIRED'],
    ]);
    expect(errors[3].message).toBe('Row 1, line 1: unknown product "TULIP"');
    expect(errors[2].message).toBe('Row 1: truckDate "2027-02-30" is not a date: 2027-02 has 28 days');
    expect(await countRows(t.orm, 'prebook')).toBe(prebooksBefore + 1);
    expect(await countRows(t.orm, 'prebook_line')).toBe(linesBefore + 1);
    expect(data.savePrebooks.prebooks[0]).toMatchObject({ number: 'PB-000003', shipTo: { code: 'DC-ORL' } });
  });

  it('refuses new prebooks for a customer on credit hold', async () => {
    const data = await t.ok(SAVE, {
      input: [{ customer: 'HOLDCO', carrier: 'FEDEX', truckDate: '2027-02-10', lines: [{ product: 'VASE-20', boxes: 1, unitsPerBox: 12 }] }],
    });
    expect(data.savePrebooks.errors).toEqual([
      { code: 'CREDIT_HOLD', message: 'Row 1: customer HOLDCO is on credit hold: no new prebooks', row: 1, field: 'customer' },
    ]);
  });

  it("takes the product's units per box and box type for a line sold by the box that leaves them blank", async () => {
    const data = await t.ok(SAVE, {
      input: [{ customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-03-01', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 3 }] }],
    });
    expect(data.savePrebooks.errors).toEqual([]);
    expect(data.savePrebooks.prebooks[0].lines[0]).toMatchObject({ sellBy: 'BOX', boxType: { code: 'QB' }, boxes: 3, unitsPerBox: 100, units: 300 });
    await t.ok(`mutation { cancelPrebook(number: "${data.savePrebooks.prebooks[0].number}") { errors { code } } }`);
  });

  it('checks documents in a dry run with every error of each, and writes, numbers and remembers nothing', async () => {
    const prebooksBefore = await countRows(t.orm, 'prebook');
    const DRY = `mutation($input: [PrebookInput!]!, $key: String) {
      savePrebooks(input: $input, idempotencyKey: $key, dryRun: true) { prebooks { number } results { index number version status } errors { code row field } replayed }
    }`;
    const input = [
      {
        customer: 'FRESHMART',
        carrier: 'ARMELLINI',
        truckDate: '2026-02-30',
        lines: [
          { product: 'TULIP', boxes: -3 },
          { product: 'ROSE-FREEDOM-50', boxes: 2 },
        ],
      },
      { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-03-02', lines: [{ product: 'VASE-20', boxes: 1 }] },
    ];
    const data = await t.ok(DRY, { input, key: 'dry-1' });
    expect(data.savePrebooks.results.map((r: any) => [r.index, r.number, r.status])).toEqual([
      [1, null, 'ERROR'],
      [2, null, 'VALID'],
    ]);
    expect(data.savePrebooks.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [1, 'truckDate', 'INVALID_DATE'],
      [1, 'lines.1.product', 'UNKNOWN_PRODUCT'],
      [1, 'lines.1.boxes', 'INVALID_VALUE'],
    ]);
    expect(data.savePrebooks.prebooks).toEqual([]);
    expect(await countRows(t.orm, 'prebook')).toBe(prebooksBefore);
    // The key of a dry run is not kept: a real save with it saves.
    const saved = await t.ok(SAVE, { input: [input[1]], key: 'dry-1' });
    expect(saved.savePrebooks).toMatchObject({ replayed: false, results: [{ status: 'SAVED' }] });
    await t.ok(`mutation { cancelPrebook(number: "${saved.savePrebooks.results[0].number}") { errors { code } } }`);
  });

  it('updates by number and version, keeps line ids, and refuses a stale version without changing anything', async () => {
    const { prebooks } = await t.ok(`{ prebooks(filter: { number: "PB-000001" }) { nodes { ${PREBOOK_FIELDS} } } }`);
    const [pb] = prebooks.nodes;
    const update = {
      number: pb.number,
      version: pb.version,
      customer: 'FRESHMART',
      shipTo: 'DC-ATL',
      carrier: 'ARMELLINI',
      truckDate: '2027-02-10',
      customerPo: 'FM-7781',
      holiday: true,
      lines: [
        { id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', boxes: 6, unitsPerBox: 100, price: '0.85', cost: '0.52', vendor: 'ROSAS', vendorCost: '0.38' },
        { product: 'VASE-20', boxes: 1, unitsPerBox: 12 },
      ],
    };
    const saved = await t.ok(SAVE, { input: [update] });
    expect(saved.savePrebooks.results[0]).toMatchObject({ status: 'SAVED', version: 2 });
    const lines = saved.savePrebooks.prebooks[0].lines;
    expect(lines.map((l: any) => [l.id === pb.lines[0].id, l.lineNo, l.product.code, l.boxes])).toEqual([
      [true, 1, 'ROSE-FREEDOM-50', 6],
      [false, 3, 'VASE-20', 1],
    ]);

    const stale = await t.ok(SAVE, { input: [{ ...update, lines: [{ ...update.lines[0], boxes: 99 }] }] });
    expect(stale.savePrebooks.results[0]).toMatchObject({ status: 'STALE', version: 2 });
    expect(stale.savePrebooks.errors[0]).toMatchObject({ code: 'STALE_VERSION', row: 1, field: 'version' });
    const after = await t.ok(`{ prebooks(filter: { number: "PB-000001" }) { nodes { version lines { boxes } } } }`);
    expect(after.prebooks.nodes[0]).toEqual({ version: 2, lines: [{ boxes: 6 }, { boxes: 1 }] });

    const again = await t.ok(SAVE, {
      input: [
        {
          ...update,
          version: 2,
          lines: [
            { ...update.lines[0], price: '0.8500' },
            { id: lines[1].id, product: 'VASE-20', boxes: 1, unitsPerBox: 12 },
          ],
        },
      ],
    });
    expect(again.savePrebooks.results[0]).toMatchObject({ status: 'UNCHANGED', version: 2 });
  });

  it('returns the first result for a retried idempotency key and refuses the key with another payload', async () => {
    const input = [{ customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-03-01', lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 }] }];
    const first = await t.ok(SAVE, { input, key: 'push-42' });
    const rows = await countRows(t.orm, 'prebook');
    const second = await t.ok(SAVE, { input, key: 'push-42' });
    expect(second.savePrebooks.replayed).toBe(true);
    expect(second.savePrebooks.results).toEqual(first.savePrebooks.results);
    expect(second.savePrebooks.prebooks.map((p: any) => p.number)).toEqual(first.savePrebooks.prebooks.map((p: any) => p.number));
    expect(await countRows(t.orm, 'prebook')).toBe(rows);

    const conflict = await t.ok(SAVE, { input: [{ ...input[0], truckDate: '2027-03-02' }], key: 'push-42' });
    expect(conflict.savePrebooks.errors[0]).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', field: 'idempotencyKey' });
    expect(await countRows(t.orm, 'prebook')).toBe(rows);
  });

  it('gives concurrent retries of one key a single write', async () => {
    const input = [{ customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-03-05', lines: [{ product: 'VASE-20', boxes: 2, unitsPerBox: 12 }] }];
    const rows = await countRows(t.orm, 'prebook');
    const results = await Promise.all(Array.from({ length: 5 }, () => t.ok(SAVE, { input, key: 'same-push' })));
    const numbers = new Set(results.map((r) => r.savePrebooks.results[0].number));
    expect(numbers.size).toBe(1);
    expect(results.filter((r) => !r.savePrebooks.replayed)).toHaveLength(1);
    expect(await countRows(t.orm, 'prebook')).toBe(rows + 1);
  });

  it('cancels, closes and reopens, refusing transitions that make no sense', async () => {
    const cancel = await t.ok(`mutation { cancelPrebook(number: "PB-000002") { prebook { status } errors { code } } }`);
    expect(cancel.cancelPrebook).toEqual({ prebook: { status: 'CANCELLED' }, errors: [] });
    const close = await t.ok(`mutation { closePrebook(number: "PB-000002") { prebook { status } errors { code message } } }`);
    expect(close.closePrebook.errors).toEqual([{ code: 'INVALID_STATUS', message: 'PB-000002 is CANCELLED; it cannot be closed' }]);
    const edit = await t.ok(SAVE, {
      input: [
        {
          number: 'PB-000002',
          version: 2,
          customer: 'BLOOMS',
          carrier: 'FEDEX',
          truckDate: '2027-02-11',
          lines: [{ product: 'BQT-SPRING', boxes: 2, unitsPerBox: 8 }],
        },
      ],
    });
    expect(edit.savePrebooks.errors.map((e: any) => e.code)).toContain('INVALID_STATUS');
    const reopen = await t.ok(`mutation { reopenPrebook(number: "pb-000002") { prebook { status lines { needed } } errors { code } } }`);
    expect(reopen.reopenPrebook.prebook).toEqual({ status: 'OPEN', lines: [{ needed: 2 }] });
    const missing = await t.ok(`mutation { cancelPrebook(number: "PB-999999") { prebook { status } errors { code } } }`);
    expect(missing.cancelPrebook).toEqual({ prebook: null, errors: [{ code: 'NOT_FOUND' }] });
  });

  it('lists by customer, truck-date range, status and number', async () => {
    const data = await t.ok(`{
      fm: prebooks(filter: { customer: "FRESHMART" }) { nodes { number } totalCount }
      range: prebooks(filter: { truckDateFrom: "2027-02-11", truckDateTo: "2027-02-12" }) { nodes { number truckDate } }
      open: prebooks(filter: { status: OPEN, customer: "BLOOMS" }) { totalCount }
    }`);
    expect(data.fm).toEqual({ nodes: [{ number: 'PB-000001' }, { number: 'PB-000003' }], totalCount: 2 });
    expect(data.range.nodes).toEqual([
      { number: 'PB-000002', truckDate: '2027-02-11' },
      { number: 'PB-000003', truckDate: '2027-02-12' },
    ]);
    expect(data.open.totalCount).toBe(3);
  });

  it('shows a CUSTOMER token only its own prebooks', async () => {
    const token = await t.ok(`mutation { createApiToken(input: { name: "portal", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`);
    const data = await t.ok(`{ all: prebooks { nodes { customer { code } } } }`, undefined, token.createApiToken.secret);
    const other = await t.gql(`{ prebooks(filter: { customer: "FRESHMART" }) { totalCount } }`, undefined, token.createApiToken.secret);
    expect(other.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
    expect(new Set(data.all.nodes.map((n: any) => n.customer.code))).toEqual(new Set(['BLOOMS']));
  });

  it('marks lines unable to source, which takes them out of what is needed', async () => {
    const { prebooks } = await t.ok(`{ prebooks(filter: { number: "PB-000003" }) { nodes { lines { id } } } }`);
    const id = prebooks.nodes[0].lines[0].id;
    const data = await t.ok(`mutation($ids: [ID!]!) { setUnableToSource(prebookLineIds: $ids) { prebookLines { unableToSource needed } errors { code } } }`, {
      ids: [id],
    });
    expect(data.setUnableToSource).toEqual({ prebookLines: [{ unableToSource: true, needed: 0 }], errors: [] });
    const bad = await t.ok(`mutation { setUnableToSource(prebookLineIds: ["424242"]) { errors { code row } } }`);
    expect(bad.setUnableToSource.errors).toEqual([{ code: 'NOT_FOUND', row: 1 }]);
  });
});
