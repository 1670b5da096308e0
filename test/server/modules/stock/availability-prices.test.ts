// The availability list priced from the customer's OPEN_MARKET price lists, by the one precedence, else the
// suggested price; each line says where its price comes from, and the PDF says it in a customer's words.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setCompanyClock } from '../../../../server/src/common/today';
import { seedCatalogue } from '../../../support/fixtures';
import { statementCounter } from '../../../support/statements';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { shipBoxes } from './stock-support';

const LIST = `query($customer: String) {
  availability(customer: $customer) { customer { code } asOf lines { product { code } boxType unitPrice priceSource priceSeason } }
}`;
const SAVE = `mutation($input: [PriceListInput!]!) { savePriceLists(input: $input) { errors { code message row field } } }`;
const rose = (price: string) => ({ product: 'ROSE-FREEDOM-50', price });
const valentine = (price: string) => ({ name: 'Valentine', from: '2027-02-01', to: '2027-02-14', prices: [rose(price)] });

describe('availability prices from price lists', () => {
  let t: TestServer;
  let bloomsToken: string;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "20" }, { code: "FRESHMART", targetGpm: "20" }]) { errors { code } } }`);
    // Roses (QB of 100) on hand and arriving, carnations (HB of 500) on hand, vases (FB of 12) at 5.00 on hand.
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40', arrivalDate: '2027-02-08' });
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.70', arrivalDate: '2027-02-13', confirm: false });
    await shipBoxes(t, { product: 'CARN-WHITE', boxes: 1, unitCost: '0.20', arrivalDate: '2027-02-08' });
    await shipBoxes(t, { product: 'VASE-20', boxes: 1, unitCost: '5.00', arrivalDate: '2027-02-08' });
    const saved = await t.ok(SAVE, {
      input: [
        {
          code: 'MASTER-OM',
          name: 'Open market',
          kind: 'OPEN_MARKET',
          master: true,
          // Carnations: 0.28 for every box type, 0.30 for an HB (the box type's own price wins).
          prices: [rose('0.70'), { product: 'CARN-WHITE', price: '0.28' }, { product: 'CARN-WHITE', boxType: 'HB', price: '0.30' }],
          seasons: [valentine('0.90')],
        },
        { code: 'BLOOMS-OM', name: 'Blooms open market', kind: 'OPEN_MARKET', customers: ['BLOOMS'], prices: [rose('0.65')], seasons: [valentine('0.85')] },
        // A prebook list never prices the availability list.
        { code: 'BLOOMS-PB', name: 'Blooms prebooks', kind: 'PREBOOK', customers: ['BLOOMS'], prices: [rose('0.50'), { product: 'VASE-20', price: '4.00' }] },
      ],
    });
    expect(saved.savePriceLists.errors).toEqual([]);
    bloomsToken = (await t.ok(`mutation { createApiToken(input: { name: "blooms", role: "CUSTOMER", customer: "BLOOMS" }) { secret } }`)).createApiToken.secret;
  });
  afterEach(() => setCompanyClock(null));
  afterAll(() => t.close());
  const asOf = (date: string) => setCompanyClock(() => new Date(`${date}T15:00:00Z`));
  const prices = (data: any) => data.availability.lines.map((l: any) => [l.product.code, l.boxType, l.unitPrice, l.priceSource, l.priceSeason]);

  it("prices a customer with a list from its list, its Valentine season when today falls in it, else the master's, else the suggested price", async () => {
    asOf('2027-02-10');
    expect(prices(await t.ok(LIST, { customer: 'BLOOMS' }))).toEqual([
      ['CARN-WHITE', 'HB', '0.30', 'MASTER_LIST', null],
      ['ROSE-FREEDOM-50', 'QB', '0.85', 'CUSTOMER_SEASON', 'Valentine'],
      // No OPEN_MARKET price for vases (the prebook list's 4.00 is not one): 5.00 at 20 % GPM.
      ['VASE-20', 'FB', '6.25', 'SUGGESTED', null],
    ]);
    asOf('2027-02-20');
    expect(prices(await t.ok(LIST, { customer: 'BLOOMS' }))).toEqual([
      ['CARN-WHITE', 'HB', '0.30', 'MASTER_LIST', null],
      ['ROSE-FREEDOM-50', 'QB', '0.65', 'CUSTOMER_LIST', null],
      ['VASE-20', 'FB', '6.25', 'SUGGESTED', null],
    ]);
  });

  it("chooses the season by the company's today, not the UTC date", async () => {
    await t.ok(`mutation { updateSettings(input: { timeZone: "America/New_York" }) { errors { message } } }`);
    try {
      // 03:00 UTC on Feb 15 is still Feb 14 in New York: the last day of Valentine.
      setCompanyClock(() => new Date('2027-02-15T03:00:00Z'));
      const data = await t.ok(LIST, { customer: 'BLOOMS' });
      expect(data.availability.asOf).toBe('2027-02-14');
      expect(prices(data)).toContainEqual(['ROSE-FREEDOM-50', 'QB', '0.85', 'CUSTOMER_SEASON', 'Valentine']);
      setCompanyClock(() => new Date('2027-02-15T06:00:00Z'));
      expect(prices(await t.ok(LIST, { customer: 'BLOOMS' }))).toContainEqual(['ROSE-FREEDOM-50', 'QB', '0.65', 'CUSTOMER_LIST', null]);
    } finally {
      await t.ok(`mutation { updateSettings(input: { timeZone: "UTC" }) { errors { message } } }`);
    }
  });

  it('prices a customer with no list from the master list, its season first', async () => {
    asOf('2027-02-10');
    expect(prices(await t.ok(LIST, { customer: 'FRESHMART' }))).toContainEqual(['ROSE-FREEDOM-50', 'QB', '0.90', 'MASTER_SEASON', 'Valentine']);
    asOf('2027-02-20');
    expect(prices(await t.ok(LIST, { customer: 'FRESHMART' }))).toEqual([
      ['CARN-WHITE', 'HB', '0.30', 'MASTER_LIST', null],
      ['ROSE-FREEDOM-50', 'QB', '0.70', 'MASTER_LIST', null],
      ['VASE-20', 'FB', '6.25', 'SUGGESTED', null],
    ]);
  });

  it('with no customer nothing is priced', async () => {
    asOf('2027-02-10');
    expect(prices(await t.ok(LIST, {}))).toEqual([
      ['CARN-WHITE', 'HB', null, null, null],
      ['ROSE-FREEDOM-50', 'QB', null, null, null],
      ['VASE-20', 'FB', null, null, null],
    ]);
  });

  it('reads the lists for the whole list in one statement', async () => {
    asOf('2027-02-10');
    const counter = statementCounter(t);
    try {
      const { statements } = await counter.measure(LIST, { customer: 'BLOOMS' });
      expect(statements.filter((sql) => /\bprice_list\b/.test(sql))).toHaveLength(1);
    } finally {
      counter.restore();
    }
  });

  it("a CUSTOMER token gets its own list prices, never another customer's", async () => {
    asOf('2027-02-10');
    const own = await t.ok(LIST, {}, bloomsToken);
    expect(own).toEqual(await t.ok(LIST, { customer: 'BLOOMS' }));
    const other = await t.gql(LIST, { customer: 'FRESHMART' }, bloomsToken);
    expect(other.errors?.[0].extensions?.code).toBe('UNKNOWN_CUSTOMER');
  });

  it('the PDF says where each price comes from in words a customer reads, never a cost', async () => {
    asOf('2027-02-10');
    const response = await fetch(`${t.url}/documents/availability?customer=BLOOMS`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    if (process.env.AVAILABILITY_PDF) writeFileSync(process.env.AVAILABILITY_PDF, body);
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: body, encoding: 'utf8' });
    const lines = text.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
    expect(lines.find((line) => line.startsWith('Rose Freedom 50cm'))).toBe('Rose Freedom 50cm QB 2 / 200 2027-02-13 Sat: 1 / 100 0.85');
    expect(lines.find((line) => line.startsWith('ROSE-FREEDOM-50'))).toBe('ROSE-FREEDOM-50 · STEM Your Valentine price');
    expect(lines.find((line) => line.startsWith('CARN-WHITE'))).toBe('CARN-WHITE · STEM List price');
    expect(lines.find((line) => line.startsWith('VASE-20'))).toBe('VASE-20 · EACH Quote');
    // Never a cost (0.40, 0.50, 0.70, 0.20, 5.00), a source code or a list code.
    expect(text).not.toMatch(/0\.40|0\.50|0\.70|0\.20|5\.00|MASTER|CUSTOMER_|SUGGESTED|BLOOMS-OM|MASTER-OM/);
  });
});
