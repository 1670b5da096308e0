// A CUSTOMER token sees its own prebooks, invoices, GPM and customer record, and nothing of anyone
// else's: not in lists, not by number, not through filters or nested fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, isoDate, prebookInStaging } from '../../support/billing';
import { seedCatalogue } from '../../support/fixtures';
import { startTestServer, type TestServer } from '../../support/test-server';

describe('what a CUSTOMER token sees', () => {
  let t: TestServer;
  let own: string;
  const documents: Record<string, { prebook: string; invoice: string }> = {};
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    for (const customer of ['FRESHMART', 'BLOOMS']) {
      const staged = await prebookInStaging(t, {
        customer,
        truckDate: isoDate(5),
        lines: [{ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price: '0.90' }],
      });
      const [result] = await confirm(t, staged.labels);
      documents[customer] = { prebook: staged.number, invoice: result.billing!.invoiceNumbers[0] };
    }
    own = (await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`)).createApiToken.secret;
  });
  afterAll(() => t.close());

  it('lists only its own records, whatever the filter', async () => {
    const data = await t.ok(
      `query($otherInvoice: String!) {
        me { role customer { code } }
        customers { nodes { code } }
        prebooks { nodes { number customer { code } lines { prebookNumber } } }
        invoices { nodes { number customer { code } lines { prebookLine { prebookNumber } } } }
        otherInvoice: invoice(number: $otherInvoice) { number }
        gpmReport { revenue rows { customer { code } } }
      }`,
      { otherInvoice: documents.BLOOMS.invoice },
      own,
    );
    expect(data.me).toEqual({ role: 'CUSTOMER', customer: { code: 'FRESHMART' } });
    expect(data.customers.nodes).toEqual([{ code: 'FRESHMART' }]);
    expect(data.prebooks.nodes).toEqual([
      { number: documents.FRESHMART.prebook, customer: { code: 'FRESHMART' }, lines: [{ prebookNumber: documents.FRESHMART.prebook }] },
    ]);
    expect(data.invoices.nodes).toEqual([
      { number: documents.FRESHMART.invoice, customer: { code: 'FRESHMART' }, lines: [{ prebookLine: { prebookNumber: documents.FRESHMART.prebook } }] },
    ]);
    expect(data.otherInvoice).toBeNull();
    expect(data.gpmReport).toEqual({ revenue: '90.00', rows: [{ customer: { code: 'FRESHMART' } }] });
    // A filter naming another customer or its documents answers as one naming nothing: unknown.
    const other = [
      [`{ prebooks(filter: { customer: "BLOOMS" }) { totalCount } }`, 'UNKNOWN_CUSTOMER'],
      [`{ prebooks(filter: { number: "${documents.BLOOMS.prebook}" }) { totalCount } }`, 'UNKNOWN_PREBOOK'],
      [`{ invoices(filter: { customer: "BLOOMS" }) { totalCount } }`, 'UNKNOWN_CUSTOMER'],
      [`{ invoices(filter: { number: "${documents.BLOOMS.invoice}" }) { totalCount } }`, 'UNKNOWN_INVOICE'],
      [`{ gpmReport(filter: { customer: "BLOOMS" }) { revenue } }`, 'UNKNOWN_CUSTOMER'],
    ];
    for (const [query, code] of other) expect((await t.gql(query, undefined, own)).errors?.[0].extensions?.code, query).toBe(code);
    // The same queries with a staff token do see BLOOMS: the filters above were real.
    const staff = await t.ok(`{ invoices(filter: { customer: "BLOOMS" }) { totalCount } gpmReport(filter: { customer: "BLOOMS" }) { revenue } }`);
    expect(staff).toEqual({ invoices: { totalCount: 1 }, gpmReport: { revenue: '90.00' } });
  });

  it('is refused the warehouse, purchasing and every write', async () => {
    for (const query of [
      `{ staging { totalCount } }`,
      `{ inventory { totalCount } }`,
      `{ purchaseOrders { totalCount } }`,
      `{ billingIssues { totalCount } }`,
      `{ box(label: "B-000001") { label } }`,
      `mutation { savePrebooks(input: []) { errors { code } } }`,
      `mutation { voidInvoice(number: "${documents.FRESHMART.invoice}") { errors { code } } }`,
    ]) {
      const result = await t.gql(query, undefined, own);
      expect(result.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
    }
  });
});
