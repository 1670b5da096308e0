import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const REQUEST = `mutation($input: RequestCreditInput!) { requestCredit(input: $input) { credit { number } errors { code message } } }`;
const REPORT = `{ gpmReport { revenue credits cost margin creditsByReason { reason { code } amount } rows { customer { code } product { code } revenue credits cost margin gpmPercent } } }`;

describe('gpmReport with credits', () => {
  let t: TestServer;
  let invoice: { number: string; lines: Array<{ id: string }> };

  async function credit(input: Record<string, unknown>, approve: boolean): Promise<string> {
    const data = await t.ok(REQUEST, { input });
    expect(data.requestCredit.errors).toEqual([]);
    const { number } = data.requestCredit.credit;
    if (approve) expect((await t.ok(`mutation { approveCredit(number: "${number}") { errors { code } } }`)).approveCredit.errors).toEqual([]);
    return number;
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    const roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    const created = await t.ok(`mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number lines { id } } } }`, {
      input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: roses, unitPrice: '0.80' }] },
    });
    invoice = created.createInvoice.invoice;
  });
  afterAll(() => t.close());

  it('counts PENDING credits nowhere: revenue 320.00 of 4 × 100 × 0.80', async () => {
    await credit({ invoice: invoice.number, reason: 'QUALITY', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lines[0].id, units: 50 }] }, false);
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toMatchObject({ revenue: '320.00', credits: '0.00', cost: '160.00', creditsByReason: [] });
    expect(gpmReport.rows[0]).toMatchObject({ revenue: '320.00', credits: '0.00', margin: '160.00', gpmPercent: '50.00' });
  });

  it('takes APPROVED credits off revenue: the line credits from its row, flat amounts from the total, by reason', async () => {
    await credit({ invoice: invoice.number, reason: 'DAMAGED', lines: [{ kind: 'QUANTITY', invoiceLine: invoice.lines[0].id, units: 100 }] }, true);
    await credit({ customer: 'BLOOMS', reason: 'OTHER', notes: 'freight', lines: [{ kind: 'AMOUNT', amount: '10' }] }, true);
    const { gpmReport } = await t.ok(REPORT);
    expect(gpmReport).toEqual({
      revenue: '230.00',
      credits: '90.00',
      cost: '160.00',
      margin: '70.00',
      creditsByReason: [
        { reason: { code: 'DAMAGED' }, amount: '80.00' },
        { reason: { code: 'OTHER' }, amount: '10.00' },
      ],
      rows: [
        {
          customer: { code: 'BLOOMS' },
          product: { code: 'ROSE-FREEDOM-50' },
          revenue: '240.00',
          credits: '80.00',
          cost: '160.00',
          margin: '80.00',
          gpmPercent: '33.33',
        },
      ],
    });
    const product = await t.ok(`{ gpmReport(filter: { product: "ROSE-FREEDOM-50" }) { revenue credits } }`);
    expect(product.gpmReport).toEqual({ revenue: '240.00', credits: '80.00' });
  });
});
