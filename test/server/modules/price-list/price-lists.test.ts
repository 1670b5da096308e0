import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const LIST_FIELDS = `code name kind master version customers { code } prices { product { code } boxType { code } price }
  seasons { name from to prices { product { code } price } }`;
const SAVE = `mutation($input: [PriceListInput!]!) { savePriceLists(input: $input) { priceLists { ${LIST_FIELDS} } errors { code message row field } } }`;
const SAVE_PREBOOKS = `mutation($input: [PrebookInput!]!) {
  savePrebooks(input: $input) { prebooks { number version lines { id lineNo product { code } price priceSource } } errors { code message row field } }
}`;
const PRICE_FOR = `query($customer: String, $product: String!, $boxType: String, $date: Date!, $kind: PriceListKind) {
  priceFor(customer: $customer, product: $product, boxType: $boxType, date: $date, kind: $kind) { price source priceList season }
}`;
const APPLY = `mutation($filter: ApplyPriceListsFilter, $dryRun: Boolean) {
  applyPriceLists(filter: $filter, dryRun: $dryRun) { lines { lineKind number lineNo customer product truckDate kind price source } stillPending dryRun errors { code } }
}`;

async function token(t: TestServer, role: string, customer?: string): Promise<string> {
  const data = await t.ok(`mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret errors { message } } }`, {
    input: { name: `${role} ${customer ?? ''}`.trim(), role, customer: customer ?? null },
  });
  return data.createApiToken.secret;
}

const rose = (price: string) => ({ product: 'ROSE-FREEDOM-50', price });
const prebook = (customer: string, truckDate: string, lines: Array<Record<string, unknown>>) => ({ customer, carrier: 'ARMELLINI', truckDate, lines });

describe('price lists', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const saved = await t.ok(SAVE, {
      input: [
        { code: 'MASTER-PB', name: 'Master prebook prices', kind: 'PREBOOK', master: true, prices: [rose('0.70')] },
        { code: 'MASTER-SO', name: 'Master standing-order prices', kind: 'STANDING_ORDER', master: true, prices: [rose('0.70')] },
        { code: 'MASTER-OM', name: 'Open market', kind: 'OPEN_MARKET', master: true, prices: [rose('0.90'), { product: 'CARN-WHITE', price: '0.30' }] },
        { code: 'BLOOMS-PB', name: 'Blooms prebooks', kind: 'PREBOOK', customers: ['BLOOMS'], prices: [rose('0.65')] },
        { code: 'BLOOMS-SO', name: 'Blooms standing orders', kind: 'STANDING_ORDER', customers: ['blooms florist'], prices: [rose('0.65')] },
      ],
    });
    expect(saved.savePriceLists.errors).toEqual([]);
  });
  afterAll(() => t.close());

  it('copies a Valentine season at +30 % rounded to 0.05: 0.65 becomes 0.85', async () => {
    const data = await t.ok(
      `mutation { copyPriceSeason(priceList: "BLOOMS-SO", name: "Valentine", from: "2028-02-01", to: "2028-02-14", percent: "30", rounding: FIVE_CENTS) {
        priceList { ${LIST_FIELDS} } errors { code message field } } }`,
    );
    expect(data.copyPriceSeason.errors).toEqual([]);
    expect(data.copyPriceSeason.priceList).toMatchObject({
      code: 'BLOOMS-SO',
      customers: [{ code: 'BLOOMS' }],
      prices: [{ product: { code: 'ROSE-FREEDOM-50' }, boxType: null, price: '0.65' }],
      seasons: [{ name: 'Valentine', from: '2028-02-01', to: '2028-02-14', prices: [{ product: { code: 'ROSE-FREEDOM-50' }, price: '0.85' }] }],
    });
    const overlap = await t.ok(
      `mutation { copyPriceSeason(priceList: "BLOOMS-SO", name: "Late", from: "2028-02-14", to: "2028-02-20", percent: "5", rounding: CENT) { priceList { code } errors { code field } } }`,
    );
    expect(overlap.copyPriceSeason).toEqual({ priceList: null, errors: [{ code: 'INVALID_DATE', field: 'from' }] });
  });

  it('a standing order generated for Feb 10 gets 0.85 (the season), for Feb 20 0.65 (the list); a price on its line wins', async () => {
    const so = await t.ok(`mutation($input: StandingOrderInput!) { saveStandingOrder(input: $input) { standingOrder { number } errors { code message } } }`, {
      input: {
        customer: 'BLOOMS',
        carrier: 'ARMELLINI',
        weekdays: ['THU', 'SUN'],
        startDate: '2028-02-07',
        endDate: '2028-02-21',
        lines: [
          { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 },
          { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.99' },
        ],
      },
    });
    expect(so.saveStandingOrder.errors).toEqual([]);
    const data = await t.ok(
      `mutation { generateStandingOrderPrebooks(from: "2028-02-10", to: "2028-02-20") { prebooks { truckDate lines { price priceSource } } errors { code } } }`,
    );
    const byDate = Object.fromEntries(
      data.generateStandingOrderPrebooks.prebooks.map((p: any) => [p.truckDate, p.lines.map((l: any) => `${l.price} ${l.priceSource}`)]),
    );
    expect(byDate).toEqual({
      '2028-02-10': ['0.85 CUSTOMER_SEASON', '0.99 LINE'],
      '2028-02-13': ['0.85 CUSTOMER_SEASON', '0.99 LINE'],
      '2028-02-17': ['0.65 CUSTOMER_LIST', '0.99 LINE'],
      '2028-02-20': ['0.65 CUSTOMER_LIST', '0.99 LINE'],
    });
  });

  it('prebook lines saved without a price take the PREBOOK lists: the customer list 0.65, a customer with no list the master 0.70; a typed price wins', async () => {
    const data = await t.ok(SAVE_PREBOOKS, {
      input: [
        prebook('BLOOMS', '2028-02-10', [
          { product: 'ROSE-FREEDOM-50', boxes: 1 },
          { product: 'ROSE-FREEDOM-50', boxes: 1, price: '0.99' },
          { product: 'CARN-WHITE', boxes: 1 },
        ]),
        prebook('FRESHMART', '2028-02-10', [{ product: 'ROSE-FREEDOM-50', boxes: 1 }]),
      ],
    });
    expect(data.savePrebooks.errors).toEqual([]);
    const [blooms, freshmart] = data.savePrebooks.prebooks;
    expect(blooms.lines.map((l: any) => [l.price, l.priceSource])).toEqual([
      ['0.65', 'CUSTOMER_LIST'],
      ['0.99', 'LINE'],
      [null, null],
    ]);
    expect(freshmart.lines.map((l: any) => [l.price, l.priceSource])).toEqual([['0.70', 'MASTER_LIST']]);

    // The list price sent back keeps its source; a changed price is the line's; a cleared one is priced again.
    const [a, b] = blooms.lines;
    const update = await t.ok(SAVE_PREBOOKS, {
      input: [
        {
          ...prebook('BLOOMS', '2028-02-10', []),
          number: blooms.number,
          version: blooms.version,
          lines: [
            { id: a.id, product: 'ROSE-FREEDOM-50', boxes: 1, price: '0.6500' },
            { id: b.id, product: 'ROSE-FREEDOM-50', boxes: 1, price: null },
            { id: blooms.lines[2].id, product: 'CARN-WHITE', boxes: 1 },
          ],
        },
      ],
    });
    expect(update.savePrebooks.errors).toEqual([]);
    expect(update.savePrebooks.prebooks[0].lines.map((l: any) => [l.price, l.priceSource])).toEqual([
      ['0.65', 'CUSTOMER_LIST'],
      ['0.65', 'CUSTOMER_LIST'],
      [null, null],
    ]);
    const read = await t.ok(`{ prebook(number: "${blooms.number}") { lines { price priceSource suggestedUnitPrice } } }`);
    expect(read.prebook.lines[2]).toEqual({ price: null, priceSource: null, suggestedUnitPrice: null });
  });

  it('applyPriceLists fills pending prices from the lists as they are now, never over a set price; a dry run writes nothing', async () => {
    const saved = await t.ok(SAVE, { input: [{ code: 'BLOOMS-PB', prices: [rose('0.66'), { product: 'CARN-WHITE', price: '0.20' }] }] });
    expect(saved.savePriceLists.errors).toEqual([]);
    const dry = await t.ok(APPLY, { filter: { customer: 'BLOOMS' }, dryRun: true });
    expect(dry.applyPriceLists).toMatchObject({
      dryRun: true,
      stillPending: 0,
      lines: [
        {
          lineKind: 'PREBOOK_LINE',
          lineNo: 3,
          customer: 'BLOOMS',
          product: 'CARN-WHITE',
          truckDate: '2028-02-10',
          kind: 'PREBOOK',
          price: '0.20',
          source: 'CUSTOMER_LIST',
        },
      ],
    });
    const before = await t.ok(`{ prebooks(filter: { customer: "BLOOMS", source: PREBOOK }) { nodes { version lines { price priceSource } } } }`);
    expect(before.prebooks.nodes[0].lines.map((l: any) => l.price)).toEqual(['0.65', '0.65', null]);
    const done = await t.ok(APPLY, { filter: { customer: 'BLOOMS' } });
    expect(done.applyPriceLists.lines).toHaveLength(1);
    const after = await t.ok(`{ prebooks(filter: { customer: "BLOOMS", source: PREBOOK }) { nodes { version lines { price priceSource } } } }`);
    // 0.65 set before the list changed to 0.66 stays: a set price is never overwritten.
    expect(after.prebooks.nodes[0].lines.map((l: any) => [l.price, l.priceSource])).toEqual([
      ['0.65', 'CUSTOMER_LIST'],
      ['0.65', 'CUSTOMER_LIST'],
      ['0.20', 'CUSTOMER_LIST'],
    ]);
    expect(after.prebooks.nodes[0].version).toBe(before.prebooks.nodes[0].version + 1);
    expect((await t.ok(APPLY, { filter: { customer: 'BLOOMS' } })).applyPriceLists.lines).toEqual([]);
  });

  it('open-market boxes billed by allocation take the OPEN_MARKET list; a pending invoice line is priced by applyPriceLists', async () => {
    const carnations = await stockBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.10' });
    const pb = await t.ok(SAVE_PREBOOKS, { input: [prebook('FRESHMART', '2028-03-01', [{ product: 'CARN-WHITE', boxes: 1 }])] });
    const line = pb.savePrebooks.prebooks[0].lines[0];
    expect([line.price, line.priceSource]).toEqual([null, null]);
    const allocated = await t.ok(
      `mutation($line: ID!, $labels: [String!]!) { allocate(prebookLine: $line, labels: $labels) { lines { invoiceNumbers } errors { code message } } }`,
      {
        line: line.id,
        labels: carnations,
      },
    );
    expect(allocated.allocate.errors).toEqual([]);
    const [number] = allocated.allocate.lines[0].invoiceNumbers;
    const invoice = await t.ok(`{ invoice(number: "${number}") { lines { unitPrice priceSource inventoryType } } }`);
    expect(invoice.invoice.lines).toEqual([{ unitPrice: '0.30', priceSource: 'MASTER_LIST', inventoryType: 'M' }]);

    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    const manual = await t.ok(
      `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { unitPrice priceSource } } errors { code message } } }`,
      { input: { customer: 'BLOOMS', truckDate: '2028-03-02', lines: [{ labels: roses, unitPrice: null }] } },
    );
    expect(manual.createInvoice.invoice.lines).toEqual([{ unitPrice: null, priceSource: null }]);
    const applied = await t.ok(APPLY, { filter: { truckDateFrom: '2028-03-02', truckDateTo: '2028-03-02' } });
    expect(applied.applyPriceLists.lines).toMatchObject([
      { lineKind: 'INVOICE_LINE', kind: 'OPEN_MARKET', price: '0.90', source: 'MASTER_LIST', customer: 'BLOOMS' },
    ]);
    const priced = await t.ok(`{ invoice(number: "${manual.createInvoice.invoice.number}") { lines { unitPrice priceSource } } }`);
    expect(priced.invoice.lines).toEqual([{ unitPrice: '0.90', priceSource: 'MASTER_LIST' }]);
  });

  it('priceFor gives the price and its source; a CUSTOMER token asks for itself and reads its own lists only', async () => {
    const staff = await t.ok(PRICE_FOR, { customer: 'BLOOMS', product: 'ROSE-FREEDOM-50', date: '2028-02-10', kind: 'STANDING_ORDER' });
    expect(staff.priceFor).toEqual({ price: '0.85', source: 'CUSTOMER_SEASON', priceList: 'BLOOMS-SO', season: 'Valentine' });
    expect((await t.ok(PRICE_FOR, { customer: 'FRESHMART', product: 'ROSE-FREEDOM-50', date: '2028-02-10' })).priceFor).toEqual({
      price: '0.70',
      source: 'MASTER_LIST',
      priceList: 'MASTER-PB',
      season: null,
    });
    expect((await t.ok(PRICE_FOR, { customer: 'FRESHMART', product: 'VASE-20', date: '2028-02-10' })).priceFor).toEqual({
      price: null,
      source: null,
      priceList: null,
      season: null,
    });

    const blooms = await token(t, 'CUSTOMER', 'BLOOMS');
    const own = await t.gql(PRICE_FOR, { product: 'ROSE-FREEDOM-50', date: '2028-02-20', kind: 'STANDING_ORDER' }, blooms);
    expect(own.errors).toBeUndefined();
    expect(own.data!.priceFor).toMatchObject({ price: '0.65', source: 'CUSTOMER_LIST' });
    const other = await t.gql(PRICE_FOR, { customer: 'FRESHMART', product: 'ROSE-FREEDOM-50', date: '2028-02-20' }, blooms);
    expect(other.errors?.[0].message).toMatch(/unknown customer "FRESHMART"/);
    expect(other.data?.priceFor ?? null).toBeNull();

    const lists = await t.gql(`{ priceLists { code customers { code } } }`, undefined, blooms);
    expect(lists.data!.priceLists).toEqual([
      { code: 'BLOOMS-PB', customers: [{ code: 'BLOOMS' }] },
      { code: 'BLOOMS-SO', customers: [{ code: 'BLOOMS' }] },
    ]);
    expect((await t.gql(`{ priceList(code: "MASTER-PB") { code } }`, undefined, blooms)).data!.priceList).toBeNull();
    expect((await t.gql(`{ priceList(code: "blooms-so") { code } }`, undefined, blooms)).data!.priceList).toEqual({ code: 'BLOOMS-SO' });
    const freshmart = await token(t, 'CUSTOMER', 'FRESHMART');
    expect((await t.gql(`{ priceList(code: "BLOOMS-SO") { code } }`, undefined, freshmart)).data!.priceList).toBeNull();
    expect((await t.gql(`{ priceLists { code } }`, undefined, freshmart)).data!.priceLists).toEqual([]);
  });

  it('copyPriceList makes a new list at a percentage, rounded to the cent, with no customers', async () => {
    const data = await t.ok(
      `mutation { copyPriceList(from: "BLOOMS-SO", code: "VIP-SO", name: "VIP", percent: "10", rounding: CENT) { priceList { ${LIST_FIELDS} } errors { code } } }`,
    );
    expect(data.copyPriceList.priceList).toMatchObject({
      code: 'VIP-SO',
      name: 'VIP',
      kind: 'STANDING_ORDER',
      master: false,
      customers: [],
      prices: [{ price: '0.72' }],
      seasons: [{ name: 'Valentine', prices: [{ price: '0.94' }] }],
    });
    const again = await t.ok(
      `mutation { copyPriceList(from: "NOPE", code: "VIP-SO", percent: "10", rounding: CENT) { priceList { code } errors { code field } } }`,
    );
    expect(again.copyPriceList.errors).toEqual([
      { code: 'NOT_FOUND', field: 'from' },
      { code: 'DUPLICATE_CODE', field: 'code' },
    ]);
  });

  it('refuses a second list of a kind for a customer, a second master, overlapping seasons and unknown products, naming each field', async () => {
    const data = await t.ok(SAVE, {
      input: [
        { code: 'OTHER-PB', name: 'Other', kind: 'PREBOOK', customers: ['FRESHMART', 'BLOOMS'], prices: [{ product: 'NOPE', price: '1' }] },
        { code: 'MASTER-2', name: 'Second master', kind: 'PREBOOK', master: true },
        {
          code: 'SEASONS',
          name: 'Seasons',
          kind: 'OPEN_MARKET',
          seasons: [
            { name: 'A', from: '2028-02-01', to: '2028-02-14', prices: [] },
            { name: 'B', from: '2028-02-10', to: '2028-02-20', prices: [{ product: 'CARN-WHITE', price: '-1' }] },
          ],
        },
      ],
    });
    expect(data.savePriceLists.priceLists).toEqual([]);
    expect(data.savePriceLists.errors.map((e: any) => [e.code, e.row, e.field])).toEqual([
      ['UNKNOWN_PRODUCT', 1, 'prices.1.product'],
      ['INVALID_VALUE', 1, 'customers.2'],
      ['INVALID_VALUE', 2, 'master'],
      ['INVALID_VALUE', 3, 'seasons.2.prices.1.price'],
      ['INVALID_DATE', 3, 'seasons.2.from'],
    ]);
    expect(data.savePriceLists.errors[1].message).toBe('Row 1: customer BLOOMS already has the PREBOOK list BLOOMS-PB: a customer has one list per kind');
  });

  it('moves a customer from one list to another of the same kind in one call', async () => {
    const data = await t.ok(SAVE, {
      input: [
        { code: 'BLOOMS-PB', customers: [] },
        { code: 'BLOOMS-PB-2', name: 'Blooms, new prices', kind: 'PREBOOK', customers: ['BLOOMS'], prices: [rose('0.61')] },
      ],
    });
    expect(data.savePriceLists.errors).toEqual([]);
    expect(data.savePriceLists.priceLists.map((l: any) => [l.code, l.customers])).toEqual([
      ['BLOOMS-PB', []],
      ['BLOOMS-PB-2', [{ code: 'BLOOMS' }]],
    ]);
    expect((await t.ok(PRICE_FOR, { customer: 'BLOOMS', product: 'ROSE-FREEDOM-50', date: '2028-03-01' })).priceFor.price).toBe('0.61');
  });

  it("charges computed from an invoice's lines follow the prices applyPriceLists fills, in its transaction", async () => {
    const rule = await t.ok(
      `mutation { saveChargeRules(input: [{ code: "PCT3", name: "Handling 3 %", kind: "AUTOMATIC", customer: "BLOOMS", basis: "PERCENT_OF_SUBTOTAL", amount: "3" }]) { errors { code message } } }`,
    );
    expect(rule.saveChargeRules.errors).toEqual([]);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.40' });
    const manual = await t.ok(
      `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number charges { amount } } errors { code message } } }`,
      { input: { customer: 'BLOOMS', truckDate: '2028-03-05', lines: [{ labels: roses, unitPrice: null }] } },
    );
    expect(manual.createInvoice.errors).toEqual([]);
    const applied = await t.ok(APPLY, { filter: { truckDateFrom: '2028-03-05', truckDateTo: '2028-03-05' } });
    expect(applied.applyPriceLists.lines).toMatchObject([{ lineKind: 'INVOICE_LINE', price: '0.90', source: 'MASTER_LIST' }]);
    // 100 stems at 0.90 = 90.00; 3 % of it is 2.70.
    const invoice = await t.ok(`{ invoice(number: "${manual.createInvoice.invoice.number}") { total charges { amount } } }`);
    expect(invoice.invoice.charges).toEqual([{ amount: '2.70' }]);
  });
});
