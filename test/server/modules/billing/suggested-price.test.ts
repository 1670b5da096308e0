// suggestedUnitPrice: a suggestion for pending prices, cost / (1 - target GPM); never written into a price.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';
import { suggestedPrice } from '../../../../server/src/common/decimal';

describe('suggestedUnitPrice', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "40" }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it.each([
    ['0.70', '30', '1.00'],
    ['0.60', '40', '1.00'],
    ['0.40', '30', '0.57'],
    ['0.00', '30', '0.00'],
    ['1.2345', '0', '1.23'],
  ])('cost %s at a target of %s %% suggests %s', (cost, target, expected) => {
    expect(suggestedPrice(cost, target)).toBe(expected);
  });

  it("prebook lines with a pending price get one, from the customer's target or the settings'; 0.00 is a price, not pending", async () => {
    const saved = await t.ok(
      `mutation($i: [PrebookInput!]!) { savePrebooks(input: $i) { prebooks { customer { code } lines { price suggestedUnitPrice } } errors { message } } }`,
      {
        i: [
          {
            customer: 'FRESHMART',
            carrier: 'ARMELLINI',
            truckDate: '2027-04-01',
            lines: [
              { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, cost: '0.70' },
              { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, cost: '0.70', price: '0.00' },
              { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, cost: '0.70', price: '0.95' },
              { product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100 },
            ],
          },
          {
            customer: 'BLOOMS',
            carrier: 'ARMELLINI',
            truckDate: '2027-04-01',
            lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, cost: '0.60' }],
          },
        ],
      },
    );
    expect(saved.savePrebooks.prebooks.map((p: any) => p.lines)).toEqual([
      [
        { price: null, suggestedUnitPrice: '1.00' },
        { price: '0.00', suggestedUnitPrice: null },
        { price: '0.95', suggestedUnitPrice: null },
        { price: null, suggestedUnitPrice: null },
      ],
      [{ price: null, suggestedUnitPrice: '1.00' }],
    ]);
  });

  it('invoice lines with a pending price get one from their cost; the price stays pending', async () => {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40' });
    const made = await t.ok(
      `mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number lines { unitPrice unitCost suggestedUnitPrice } } errors { code } } }`,
      {
        i: { customer: 'FRESHMART', truckDate: '2027-04-02', lines: [{ labels: [labels[0]] }, { labels: [labels[1]], unitPrice: '0.00' }] },
      },
    );
    expect(made.createInvoice.invoice.lines).toEqual([
      { unitPrice: null, unitCost: '0.40', suggestedUnitPrice: '0.57' },
      { unitPrice: '0.00', unitCost: '0.40', suggestedUnitPrice: null },
    ]);
    const again = await t.ok(`{ invoice(number: "${made.createInvoice.invoice.number}") { pricePending lines { unitPrice } } }`);
    expect(again.invoice).toEqual({ pricePending: true, lines: [{ unitPrice: null }, { unitPrice: '0.00' }] });
  });
});
