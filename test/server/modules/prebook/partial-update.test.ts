import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prebookSheet } from '../../../../addin/sheets/prebooks.sheet';
import { seedCatalogue } from '../../../support/fixtures';
import { startTestServer, type TestServer } from '../../../support/test-server';

const LINE_FIELDS = 'id product { code } sellBy boxType { code } boxes unitsPerBox units price cost vendor { code } vendorCost';
const SAVE = `mutation($input: [PrebookInput!]!) {
  savePrebooks(input: $input) {
    prebooks { number version shipTo { code } customerPo holiday lines { ${LINE_FIELDS} } }
    results { status }
    errors { code field message }
  }
}`;
const CREATE_PO = `mutation($input: CreatePurchaseOrdersFromPrebooksInput!) { createPurchaseOrdersFromPrebooks(input: $input) { errors { code message } } }`;

const header = { customer: 'FRESHMART', carrier: 'ARMELLINI', truckDate: '2027-04-10' };
const roses = { product: 'ROSE-FREEDOM-50', boxes: 4, unitsPerBox: 100, price: '0.85', cost: '0.52', vendor: 'ROSAS', vendorCost: '0.38' };

describe('partial updates of prebooks', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
  });
  afterAll(() => t.close());

  async function create(lines: object[], extra: object = {}) {
    const data = await t.ok(SAVE, { input: [{ ...header, ...extra, lines }] });
    expect(data.savePrebooks.errors).toEqual([]);
    return data.savePrebooks.prebooks[0];
  }
  async function onPurchaseOrder(lineId: string) {
    const data = await t.ok(CREATE_PO, { input: { location: 'MIA', prebookLines: [{ id: lineId }] } });
    expect(data.createPurchaseOrdersFromPrebooks.errors).toEqual([]);
  }

  it('changes only the price of a line on a PO without resending cost, vendor and vendor cost', async () => {
    const pb = await create([roses]);
    await onPurchaseOrder(pb.lines[0].id);
    const data = await t.ok(SAVE, {
      input: [{ ...header, number: pb.number, version: pb.version, lines: [{ id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', price: '0.95' }] }],
    });
    expect(data.savePrebooks.errors).toEqual([]);
    expect(data.savePrebooks.results).toEqual([{ status: 'SAVED' }]);
    expect(data.savePrebooks.prebooks[0].lines[0]).toMatchObject({
      sellBy: 'BOX',
      boxes: 4,
      unitsPerBox: 100,
      units: 400,
      price: '0.95',
      cost: '0.52',
      vendor: { code: 'ROSAS' },
      vendorCost: '0.38',
    });
  });

  it('names only the fields the call changes in LOCKED_BY_PO: boxes, not the units derived from them', async () => {
    const pb = await create([roses]);
    await onPurchaseOrder(pb.lines[0].id);
    const data = await t.ok(SAVE, {
      input: [{ ...header, number: pb.number, version: pb.version, lines: [{ id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', boxes: 5 }] }],
    });
    expect(data.savePrebooks.errors.map((e: any) => [e.code, e.field])).toEqual([['LOCKED_BY_PO', 'lines.1.boxes']]);
    // Sending a locked field with its stored value is no change.
    const same = await t.ok(SAVE, {
      input: [{ ...header, number: pb.number, version: pb.version, lines: [{ id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', boxes: 4, cost: '0.5200' }] }],
    });
    expect(same.savePrebooks.errors).toEqual([]);
    expect(same.savePrebooks.results).toEqual([{ status: 'UNCHANGED' }]);
    // An explicit null on a locked field is a change and is refused on that field only.
    const cleared = await t.ok(SAVE, {
      input: [{ ...header, number: pb.number, version: pb.version, lines: [{ id: pb.lines[0].id, product: 'ROSE-FREEDOM-50', vendor: null }] }],
    });
    expect(cleared.savePrebooks.errors.map((e: any) => [e.code, e.field])).toEqual([['LOCKED_BY_PO', 'lines.1.vendor']]);
  });

  it('keeps omitted fields and clears those sent as null, on the header and on a line', async () => {
    const pb = await create([roses, { product: 'CARN-WHITE', units: 300, price: '0.20' }], { shipTo: 'DC-ATL', customerPo: 'FM-1', holiday: true });
    const [rose, carnation] = pb.lines;
    const kept = await t.ok(SAVE, {
      input: [
        {
          ...header,
          number: pb.number,
          version: pb.version,
          lines: [
            { id: rose.id, product: 'ROSE-FREEDOM-50', cost: '0.60' },
            { id: carnation.id, product: 'CARN-WHITE', units: 350 },
          ],
        },
      ],
    });
    expect(kept.savePrebooks.errors).toEqual([]);
    const afterKeep = kept.savePrebooks.prebooks[0];
    expect(afterKeep).toMatchObject({ shipTo: { code: 'DC-ATL' }, customerPo: 'FM-1', holiday: true });
    expect(afterKeep.lines[0]).toMatchObject({ boxes: 4, unitsPerBox: 100, price: '0.85', cost: '0.60', vendor: { code: 'ROSAS' }, vendorCost: '0.38' });
    expect(afterKeep.lines[1]).toMatchObject({ sellBy: 'UNIT', units: 350, price: '0.20' });

    const cleared = await t.ok(SAVE, {
      input: [
        {
          ...header,
          number: pb.number,
          version: afterKeep.version,
          shipTo: null,
          customerPo: null,
          lines: [
            { id: rose.id, product: 'ROSE-FREEDOM-50', price: null, cost: null, vendor: null, vendorCost: null },
            { id: carnation.id, product: 'CARN-WHITE', price: null },
          ],
        },
      ],
    });
    expect(cleared.savePrebooks.errors).toEqual([]);
    const afterClear = cleared.savePrebooks.prebooks[0];
    expect(afterClear).toMatchObject({ shipTo: null, customerPo: null, holiday: true });
    expect(afterClear.lines[0]).toMatchObject({ boxes: 4, unitsPerBox: 100, price: null, cost: null, vendor: null, vendorCost: null });
    expect(afterClear.lines[1]).toMatchObject({ units: 350, price: null });
  });

  it('still needs the required fields of a new line, on an existing prebook too', async () => {
    const pb = await create([roses]);
    const data = await t.ok(SAVE, {
      input: [
        { ...header, number: pb.number, version: pb.version, lines: [{ id: pb.lines[0].id, product: 'ROSE-FREEDOM-50' }, { product: 'ROSE-FREEDOM-50' }] },
      ],
    });
    expect(data.savePrebooks.errors.map((e: any) => [e.code, e.field])).toEqual([['REQUIRED', 'lines.2.boxes']]);
  });

  it('a sheet row sends every column, so blank cells still clear or default as the sheet contract says', async () => {
    const pb = await create([{ ...roses, unitsPerBox: 80 }]);
    const line = prebookSheet.parseLine(
      { row: 1, values: { 'Line Id': pb.lines[0].id, Product: 'ROSE-FREEDOM-50', Boxes: 4, Price: '0.85', Cost: '', Vendor: null, 'Vendor Cost': null } },
      [],
    );
    for (const column of ['sellBy', 'boxType', 'unitsPerBox', 'units', 'cost', 'vendor', 'vendorCost'] as const) expect(line[column]).toBeNull();
    const data = await t.ok(SAVE, { input: [{ ...header, number: pb.number, version: pb.version, shipTo: null, customerPo: null, lines: [line] }] });
    expect(data.savePrebooks.errors).toEqual([]);
    // Blank Units/Box takes the product's default (100), blank Cost, Vendor and Vendor Cost clear.
    expect(data.savePrebooks.prebooks[0].lines[0]).toMatchObject({ boxes: 4, unitsPerBox: 100, units: 400, cost: null, vendor: null, vendorCost: null });
  });
});
