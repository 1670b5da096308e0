// An unknown code names up to three existing codes most like it, in the payload's errors (message and
// suggestions) and in a filter's GraphQL error: found in PostgreSQL (pg_trgm, fuzzystrmatch), one statement
// for all the unknown codes of a request, never another customer's code for a CUSTOMER token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOfCodes, withSuggestions } from '../../../server/src/common/suggestions';
import { seedCatalogue } from '../../support/fixtures';
import { statementCounter, statementShape } from '../../support/statements';
import { startTestServer, type TestServer } from '../../support/test-server';

const SAVE_PREBOOKS = `mutation($input: [PrebookInput!]!, $key: String) {
  savePrebooks(input: $input, idempotencyKey: $key) { results { status } errors { code message row field suggestions } }
}`;
const SAVE_POS = `mutation($input: [PurchaseOrderInput!]!) {
  savePurchaseOrders(input: $input) { results { status } errors { code message row field suggestions } }
}`;
const UPSERT_PRODUCTS = `mutation($input: [ProductInput!]!) {
  upsertProducts(input: $input) { products { code } errors { code message row field suggestions } }
}`;

function prebook(overrides: Record<string, unknown> = {}, line: Record<string, unknown> = {}) {
  return {
    ref: 'R1',
    customer: 'FRESHMART',
    carrier: 'FEDEX',
    truckDate: '2027-03-01',
    ...overrides,
    lines: [{ product: 'ROSE-MONDIAL', boxes: 1, unitsPerBox: 100, price: '0.80', ...line }],
  };
}

describe('message helpers', () => {
  it('lists codes as a person would and leaves a message without suggestions as it is', () => {
    expect(listOfCodes([])).toBe('');
    expect(listOfCodes(['A'])).toBe('A');
    expect(listOfCodes(['A', 'B'])).toBe('A or B');
    expect(listOfCodes(['A', 'B', 'C'])).toBe('A, B or C');
    expect(withSuggestions('unknown product "X"', [])).toBe('unknown product "X"');
    expect(withSuggestions('unknown product "ROSE-MONDAL"', ['ROSE-MONDIAL'])).toBe('unknown product "ROSE-MONDAL": did you mean ROSE-MONDIAL?');
  });
});

describe('suggestions for unknown codes', () => {
  let t: TestServer;
  let counter: ReturnType<typeof statementCounter>;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const data = await t.ok(UPSERT_PRODUCTS, {
      input: [
        { code: 'ROSE-MONDIAL', name: 'Rose Mondial 50cm', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'QB', defaultUnitsPerBox: 100 },
        { code: 'ROSE-MONDIAL-60', name: 'Rose Mondial 60cm', kind: 'LIVE', unit: 'STEM', defaultBoxType: 'QB', defaultUnitsPerBox: 100 },
      ],
    });
    expect(data.upsertProducts.errors).toEqual([]);
    counter = statementCounter(t);
  });
  afterAll(async () => {
    counter?.restore();
    await t?.close();
  });

  it('ROSE-MONDAL: did you mean ROSE-MONDIAL? in the message and as data, best first', async () => {
    const data = await t.ok(SAVE_PREBOOKS, { input: [prebook({}, { product: 'rose-mondal' })] });
    expect(data.savePrebooks.errors).toEqual([
      {
        code: 'UNKNOWN_PRODUCT',
        message: 'Row 1, line 1: unknown product "rose-mondal": did you mean ROSE-MONDIAL or ROSE-MONDIAL-60?',
        row: 1,
        field: 'lines.1.product',
        suggestions: ['ROSE-MONDIAL', 'ROSE-MONDIAL-60'],
      },
    ]);
  });

  it('a customer, ship-to, carrier and vendor typo of one push each get theirs', async () => {
    const data = await t.ok(SAVE_PREBOOKS, {
      input: [prebook({ customer: 'FRESHMRT' }), prebook({ ref: 'R2', shipTo: 'DC-ATX', carrier: 'FEDX' }, { vendor: 'ROSA', vendorCost: '0.40' })],
    });
    const errors = data.savePrebooks.errors.map((e: any) => [e.code, e.message, e.suggestions]);
    expect(errors).toEqual([
      ['UNKNOWN_CUSTOMER', 'Row 1: unknown customer "FRESHMRT": did you mean FRESHMART?', ['FRESHMART']],
      ['UNKNOWN_SHIP_TO', 'Row 2: customer FRESHMART has no ship-to "DC-ATX": did you mean DC-ATL?', ['DC-ATL']],
      ['UNKNOWN_CARRIER', 'Row 2: unknown carrier "FEDX": did you mean FEDEX?', ['FEDEX']],
      ['UNKNOWN_VENDOR', 'Row 2, line 1: unknown vendor "ROSA": did you mean ROSAS?', ['ROSAS']],
    ]);
  });

  it('a ship-to is suggested only among the ship-tos of the customer named', async () => {
    await t.ok(`mutation { upsertShipTos(input: [{ customer: "BLOOMS", code: "DC-ATX", name: "Blooms Atlanta" }]) { errors { message } } }`);
    const data = await t.ok(SAVE_PREBOOKS, { input: [prebook({ customer: 'BLOOMS', shipTo: 'DC-ATL' })] });
    expect(data.savePrebooks.errors.map((e: any) => e.suggestions)).toEqual([['DC-ATX']]);
  });

  it('nonsense gets no suggestion, and the message stays as it was', async () => {
    const data = await t.ok(SAVE_PREBOOKS, { input: [prebook({}, { product: 'XQZWV-KKK' })] });
    expect(data.savePrebooks.errors).toEqual([
      { code: 'UNKNOWN_PRODUCT', message: 'Row 1, line 1: unknown product "XQZWV-KKK"', row: 1, field: 'lines.1.product', suggestions: [] },
    ]);
  });

  it('box type and location on purchase orders', async () => {
    const data = await t.ok(SAVE_POS, {
      input: [
        {
          ref: 'P1',
          vendor: 'ROSAS',
          location: 'MIAM',
          shipDate: '2027-03-01',
          lines: [{ product: 'ROSE-MONDIAL', boxType: 'QBB', boxes: 1, unitCost: '0.30' }],
        },
      ],
    });
    expect(data.savePurchaseOrders.errors.map((e: any) => [e.code, e.message])).toEqual([
      ['UNKNOWN_LOCATION', 'Row 1: unknown location "MIAM": did you mean MIA?'],
      ['UNKNOWN_BOX_TYPE', 'Row 1, line 1: unknown box type "QBB": did you mean QB?'],
    ]);
  });

  it('master-data upserts: a product recipe component and default box type', async () => {
    const data = await t.ok(UPSERT_PRODUCTS, {
      input: [
        {
          code: 'BQT-MONDIAL',
          name: 'Mondial bouquet',
          kind: 'FINISHED',
          unit: 'EACH',
          defaultBoxType: 'HBB',
          defaultUnitsPerBox: 8,
          recipe: [{ component: 'ROSE-MONDAL', units: '12' }],
        },
      ],
    });
    expect(data.upsertProducts.errors.map((e: any) => [e.code, e.message])).toEqual([
      ['UNKNOWN_PRODUCT', 'Row 1, component 1: unknown product "ROSE-MONDAL": did you mean ROSE-MONDIAL or ROSE-MONDIAL-60?'],
      ['UNKNOWN_BOX_TYPE', 'Row 1: unknown box type "HBB": did you mean HB?'],
    ]);
  });

  it('createInvoice', async () => {
    const data = await t.ok(
      `mutation { createInvoice(input: { customer: "BLOMS", carrier: "ARMELINI", truckDate: "2027-03-01", lines: [{ labels: ["B-999999"] }] }) { errors { code message suggestions } } }`,
    );
    expect(data.createInvoice.errors.slice(0, 2)).toEqual([
      { code: 'UNKNOWN_CUSTOMER', message: 'unknown customer "BLOMS": did you mean BLOOMS?', suggestions: ['BLOOMS'] },
      { code: 'UNKNOWN_CARRIER', message: 'unknown carrier "ARMELINI": did you mean ARMELLINI?', suggestions: ['ARMELLINI'] },
    ]);
  });

  it('standing orders: customer, ship-to and product', async () => {
    const data = await t.ok(`mutation($i: StandingOrderInput!) { saveStandingOrder(input: $i) { errors { code message suggestions } } }`, {
      i: {
        customer: 'FRESHMART',
        shipTo: 'DC-ORX',
        carrier: 'ARMELLINI',
        weekdays: ['MON'],
        startDate: '2027-01-04',
        lines: [{ product: 'ROSE-MONDAL', boxes: 1, unitsPerBox: 100, price: '0.80' }],
      },
    });
    expect(data.saveStandingOrder.errors).toEqual([
      { code: 'UNKNOWN_SHIP_TO', message: 'customer FRESHMART has no ship-to "DC-ORX": did you mean DC-ORL?', suggestions: ['DC-ORL'] },
      {
        code: 'UNKNOWN_PRODUCT',
        message: 'line 1: unknown product "ROSE-MONDAL": did you mean ROSE-MONDIAL or ROSE-MONDIAL-60?',
        suggestions: ['ROSE-MONDIAL', 'ROSE-MONDIAL-60'],
      },
    ]);
  });

  it('a replayed push answers with the same suggestions', async () => {
    const input = [prebook({ ref: 'OK' }), prebook({ ref: 'BAD' }, { product: 'ROSE-MONDAL' })];
    const first = await t.ok(SAVE_PREBOOKS, { input, key: 'suggest-replay' });
    const again = await t.ok(SAVE_PREBOOKS, { input, key: 'suggest-replay' });
    expect(first.savePrebooks.errors[0].suggestions).toEqual(['ROSE-MONDIAL', 'ROSE-MONDIAL-60']);
    expect(again.savePrebooks.errors).toEqual(first.savePrebooks.errors);
  });

  it('a filter naming an unknown code: a GraphQL error with the suggestions in its message and extensions', async () => {
    const result = await t.gql(`{ prebooks(filter: { customer: "FRESHMRT" }) { totalCount } }`);
    expect(result.errors?.[0]).toMatchObject({
      message: 'unknown customer "FRESHMRT" in filter.customer: did you mean FRESHMART?',
      extensions: { code: 'UNKNOWN_CUSTOMER', suggestions: ['FRESHMART'] },
    });
  });

  it("a CUSTOMER token is never suggested another customer's code, only its own", async () => {
    const token = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
    const other = await t.gql(`{ invoices(filter: { customer: "FRESHMRT" }) { totalCount } }`, {}, token);
    expect(other.errors?.[0]).toMatchObject({ message: 'unknown customer "FRESHMRT" in filter.customer', extensions: { code: 'UNKNOWN_CUSTOMER' } });
    expect(other.errors?.[0].extensions).not.toHaveProperty('suggestions');
    const own = await t.gql(`{ prebooks(filter: { customer: "BLOOMZ" }) { totalCount } }`, {}, token);
    expect(own.errors?.[0]).toMatchObject({
      message: 'unknown customer "BLOOMZ" in filter.customer: did you mean BLOOMS?',
      extensions: { suggestions: ['BLOOMS'] },
    });
  });

  it('one statement finds the suggestions of every unknown code of a push, however many; none when all are known', async () => {
    const push = (count: number, unknown: boolean) =>
      Array.from({ length: count }, (_, i) =>
        prebook(
          { ref: `S${i}`, customer: unknown ? `FRESHMRT${i}` : 'FRESHMART', carrier: unknown ? 'FEDX' : 'FEDEX' },
          { product: unknown ? `ROSE-MONDAL-${i}` : 'ROSE-MONDIAL' },
        ),
      );
    const small = await counter.measure(SAVE_PREBOOKS, { input: push(2, true) });
    const large = await counter.measure(SAVE_PREBOOKS, { input: push(200, true) });
    expect(large.data.savePrebooks.errors).toHaveLength(600);
    expect(large.data.savePrebooks.errors[599].message).toMatch(/unknown product "ROSE-MONDAL-199"/);
    expect(small.data.savePrebooks.errors[2].suggestions).toContain('ROSE-MONDIAL');
    expect(large.statements.map(statementShape)).toEqual(small.statements.map(statementShape));
    expect(small.statements.filter((s) => s.includes('levenshtein'))).toHaveLength(1);

    const known = await counter.measure(SAVE_PREBOOKS, { input: push(2, false) });
    expect(known.data.savePrebooks.errors).toEqual([]);
    expect(known.statements.filter((s) => s.includes('levenshtein'))).toEqual([]);
  });
});
