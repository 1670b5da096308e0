import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const UPSERT = `mutation($input: [CustomerInput!]!) {
  upsertCustomers(input: $input) {
    customers { code name kind creditHold creditLimit openBalance targetGpm consolidateInvoicesOnAutoBilling excludedFromAutoBilling shipTos { code name address } }
    errors { code message row field }
  }
}`;
const SHIP_TOS = `mutation($input: [CustomerShipToInput!]!) {
  upsertShipTos(input: $input) { customers { code shipTos { code name } } errors { code message row field } }
}`;

describe('customers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it('creates customers with ship-tos and defaults', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        {
          code: 'FRESHMART',
          name: 'FreshMart Supermarkets',
          creditLimit: '25000.00',
          shipTos: [{ code: 'DC-ATL', name: 'Atlanta DC', address: '1 Peach St' }],
        },
        { code: 'SPEC', name: 'Future sales', kind: 'future_sales' },
      ],
    });
    expect(data.upsertCustomers.errors).toEqual([]);
    expect(data.upsertCustomers.customers[0]).toEqual({
      code: 'FRESHMART',
      name: 'FreshMart Supermarkets',
      kind: 'REGULAR',
      creditHold: false,
      creditLimit: '25000.00',
      openBalance: '0.00',
      targetGpm: null,
      consolidateInvoicesOnAutoBilling: false,
      excludedFromAutoBilling: false,
      shipTos: [{ code: 'DC-ATL', name: 'Atlanta DC', address: '1 Peach St' }],
    });
    expect(data.upsertCustomers.customers[1].kind).toBe('FUTURE_SALES');
  });

  it('updates by code: adds ship-tos, keeps the others, clears the credit limit with null', async () => {
    const data = await t.ok(UPSERT, {
      input: [
        {
          code: 'freshmart',
          creditLimit: null,
          creditHold: true,
          targetGpm: '35',
          shipTos: [
            { code: 'DC-ORL', name: 'Orlando DC' },
            { code: 'DC-ATL', address: '2 Peach St' },
          ],
        },
      ],
    });
    const customer = data.upsertCustomers.customers[0];
    expect(customer).toMatchObject({ name: 'FreshMart Supermarkets', creditLimit: null, creditHold: true, targetGpm: '35.00' });
    expect(customer.shipTos).toEqual([
      { code: 'DC-ATL', name: 'Atlanta DC', address: '2 Peach St' },
      { code: 'DC-ORL', name: 'Orlando DC', address: null },
    ]);
  });

  it('rejects bad items with row and nested field, writing nothing', async () => {
    const customers = await countRows(t.orm, 'customer');
    const shipTos = await countRows(t.orm, 'ship_to');
    const data = await t.ok(UPSERT, {
      input: [
        { code: 'GOOD', name: 'Good florist' },
        { code: 'BAD', name: '  ', kind: 'VIP', creditLimit: '-1', shipTos: [{ code: 'A', name: 'A' }, { code: 'a', name: 'dup' }, { code: 'NEW' }] },
      ],
    });
    expect(data.upsertCustomers.errors.map((e: any) => [e.row, e.field, e.code])).toEqual([
      [2, 'name', 'REQUIRED'],
      [2, 'kind', 'INVALID_VALUE'],
      [2, 'creditLimit', 'INVALID_VALUE'],
      [2, 'shipTos.2.code', 'DUPLICATE_CODE'],
      [2, 'shipTos.3.name', 'REQUIRED'],
    ]);
    expect(await countRows(t.orm, 'customer')).toBe(customers);
    expect(await countRows(t.orm, 'ship_to')).toBe(shipTos);
  });

  it('upserts ship-tos of existing customers and refuses a ship-to of an unknown customer', async () => {
    const bad = await t.ok(SHIP_TOS, {
      input: [
        { customer: 'FRESHMART', code: 'DC-MIA', name: 'Miami DC' },
        { customer: 'NOBODY', code: 'X', name: 'X' },
      ],
    });
    expect(bad.upsertShipTos.errors).toEqual([{ code: 'UNKNOWN_CUSTOMER', message: 'Row 2: unknown customer "NOBODY"', row: 2, field: 'customer' }]);
    expect(await countRows(t.orm, 'ship_to')).toBe(2);

    const good = await t.ok(SHIP_TOS, { input: [{ customer: 'freshmart supermarkets', code: 'DC-MIA', name: 'Miami DC' }] });
    expect(good.upsertShipTos.errors).toEqual([]);
    expect(good.upsertShipTos.customers[0].shipTos.map((s: any) => s.code)).toEqual(['DC-ATL', 'DC-MIA', 'DC-ORL']);
  });

  it('filters by text, kind and credit hold', async () => {
    const data = await t.ok(`{
      held: customers(filter: { creditHold: true }) { nodes { code } }
      future: customers(filter: { kind: FUTURE_SALES }) { nodes { code } }
      text: customers(filter: { text: "florist" }) { totalCount }
    }`);
    expect(data.held.nodes).toEqual([{ code: 'FRESHMART' }]);
    expect(data.future.nodes).toEqual([{ code: 'SPEC' }]);
    expect(data.text.totalCount).toBe(0);
  });

  it('serializes concurrent upserts of the same new code into one customer', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.ok(UPSERT, { input: [{ code: 'RACE', name: `Racer ${i}`, shipTos: [{ code: 'MAIN', name: `Main ${i}` }] }] })),
    );
    for (const result of results) expect(result.upsertCustomers.errors).toEqual([]);
    const [row] = await t.orm.em.getConnection().execute(`select count(*)::int as n from customer where code = 'RACE'`);
    expect(row.n).toBe(1);
    const [shipTo] = await t.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from ship_to s join customer c on c.id = s.customer_id where c.code = 'RACE'`);
    expect(shipTo.n).toBe(1);
  });
  it('keeps a billing address and payment terms for the customer invoice, and takes kind PRODUCTION', async () => {
    const Q = `mutation($input: [CustomerInput!]!) { upsertCustomers(input: $input) { customers { code kind billingAddress paymentTermsDays } errors { code field } } }`;
    const created = await t.ok(Q, { input: [{ code: 'BW', name: 'Bouquet Works', kind: 'production', billingAddress: ' 2100 NW 84th Ave\nDoral, FL ' }] });
    expect(created.upsertCustomers).toEqual({
      customers: [{ code: 'BW', kind: 'PRODUCTION', billingAddress: '2100 NW 84th Ave\nDoral, FL', paymentTermsDays: 30 }],
      errors: [],
    });
    const refused = await t.ok(Q, { input: [{ code: 'BW', paymentTermsDays: -1 }] });
    expect(refused.upsertCustomers.errors).toEqual([{ code: 'INVALID_VALUE', field: 'paymentTermsDays' }]);
    const cleared = await t.ok(Q, { input: [{ code: 'BW', billingAddress: null, paymentTermsDays: 15 }] });
    expect(cleared.upsertCustomers.customers).toEqual([{ code: 'BW', kind: 'PRODUCTION', billingAddress: null, paymentTermsDays: 15 }]);
  });
});
