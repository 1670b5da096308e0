import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { countRows, startTestServer, type TestServer } from '../../../support/test-server';

const INVOICE_FIELDS = `number status source customer { code } truckDate pickTicketPrinted total cost gpmPercent pricePending version
  lines { id lineNo product { code } boxes units unitPrice unitCost amount cost gpmPercent inventoryType labels }`;
const CREATE = `mutation($input: CreateInvoiceInput!, $key: String) {
  createInvoice(input: $input, idempotencyKey: $key) { invoice { ${INVOICE_FIELDS} } errors { code message row field } }
}`;

async function boxStatus(t: TestServer, label: string) {
  const data = await t.ok(`{ box(label: "${label}") { status unitsRemaining inventoryType customer { code } } }`);
  return data.box;
}

describe('invoices', () => {
  let t: TestServer;
  let roses: string[];
  let components: string[];
  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    roses = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 4, unitCost: '0.40' });
    components = await stockBoxes(t, { product: 'VASE-20', boxes: 2, unitCost: '1.20', vendor: 'VASECO', customer: 'BOUQUETWORKS' });
  });
  afterAll(() => t.close());

  it('invoices inventory boxes by hand: the boxes leave inventory; totals, cost and GPM', async () => {
    const data = await t.ok(CREATE, {
      input: { customer: 'BLOOMS', carrier: 'FEDEX', truckDate: '2027-02-10', lines: [{ labels: roses.slice(0, 2), unitPrice: '0.80' }] },
    });
    expect(data.createInvoice.errors).toEqual([]);
    expect(data.createInvoice.invoice).toEqual({
      number: 'INV-000001',
      status: 'PENDING',
      source: 'MANUAL',
      customer: { code: 'BLOOMS' },
      truckDate: '2027-02-10',
      pickTicketPrinted: false,
      total: '160.00',
      cost: '80.00',
      gpmPercent: '50.00',
      pricePending: false,
      version: 1,
      lines: [
        {
          id: expect.any(String),
          lineNo: 1,
          product: { code: 'ROSE-FREEDOM-50' },
          boxes: 2,
          units: 200,
          unitPrice: '0.80',
          unitCost: '0.40',
          amount: '160.00',
          cost: '80.00',
          gpmPercent: '50.00',
          inventoryType: 'M',
          labels: roses.slice(0, 2),
        },
      ],
    });
    expect(await boxStatus(t, roses[0])).toEqual({ status: 'INVOICED', unitsRemaining: 0, inventoryType: 'M', customer: null });
    expect((await t.ok(`{ inventory(filter: { product: "ROSE-FREEDOM-50" }) { totalCount } }`)).inventory.totalCount).toBe(2);
  });

  it('keeps a 0.00 price at 0.00 for the production company, and refuses its reserved boxes to others without release', async () => {
    const refused = await t.ok(CREATE, { input: { customer: 'BLOOMS', truckDate: '2027-02-10', lines: [{ labels: [components[0]], unitPrice: '5' }] } });
    expect(refused.createInvoice.errors).toEqual([
      {
        code: 'RESERVED_FOR_OTHER_CUSTOMER',
        message: `line 1: ${components[0]} is reserved for BOUQUETWORKS: send release: true to take it`,
        row: null,
        field: 'lines.1.labels',
      },
    ]);
    const data = await t.ok(CREATE, { input: { customer: 'BOUQUETWORKS', truckDate: '2027-02-04', lines: [{ labels: components, unitPrice: '0.00' }] } });
    expect(data.createInvoice.invoice).toMatchObject({
      total: '0.00',
      cost: '28.80',
      gpmPercent: null,
      pricePending: false,
      lines: [{ unitPrice: '0.00', amount: '0.00', units: 24 }],
    });
    const confirmed = await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { invoice { status } errors { code } } }`, {
      n: data.createInvoice.invoice.number,
    });
    expect(confirmed.confirmInvoice).toEqual({ invoice: { status: 'CONFIRMED' }, errors: [] });
  });

  it('rejects bad invoices per field, writing nothing', async () => {
    const before = await countRows(t.orm, 'invoice');
    const data = await t.ok(CREATE, {
      input: { customer: 'HOLDCO', truckDate: 'tomorrow', lines: [{ labels: [roses[0], 'GHOST', roses[2], roses[2]], unitPrice: '-1' }, { labels: [] }] },
    });
    expect(data.createInvoice.errors.map((e: any) => [e.field, e.code])).toEqual([
      ['customer', 'CREDIT_HOLD'],
      ['truckDate', 'INVALID_DATE'],
      ['lines.1.unitPrice', 'INVALID_VALUE'],
      ['lines.1.labels', 'INVALID_STATUS'],
      ['lines.1.labels', 'NOT_FOUND'],
      ['lines.1.labels', 'DUPLICATE_LABEL'],
      ['lines.2.labels', 'REQUIRED'],
    ]);
    expect(await countRows(t.orm, 'invoice')).toBe(before);
    expect(await boxStatus(t, roses[2])).toMatchObject({ status: 'IN_INVENTORY', unitsRemaining: 100 });
  });

  it('leaves a null price pending: no confirmation until priced, then GPM appears', async () => {
    const data = await t.ok(CREATE, { input: { customer: 'FRESHMART', truckDate: '2027-02-11', lines: [{ labels: [roses[2]] }] } });
    const invoice = data.createInvoice.invoice;
    expect(invoice).toMatchObject({ pricePending: true, gpmPercent: null, total: '0.00', cost: '40.00', lines: [{ unitPrice: null, amount: null }] });
    const refused = await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { invoice { status } errors { code message } } }`, { n: invoice.number });
    expect(refused.confirmInvoice.errors).toEqual([
      { code: 'PRICE_PENDING', message: `${invoice.number} cannot be confirmed: line 1 has no price (setInvoicePrices)` },
    ]);
    const stale = await t.ok(`mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p, version: 7) { errors { code } } }`, {
      n: invoice.number,
      p: [{ line: invoice.lines[0].id, unitPrice: '0.5' }],
    });
    expect(stale.setInvoicePrices.errors).toEqual([{ code: 'STALE_VERSION' }]);
    const priced = await t.ok(
      `mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p, version: 1) { invoice { total gpmPercent pricePending version } errors { code } } }`,
      {
        n: invoice.number,
        p: [{ line: invoice.lines[0].id, unitPrice: '0.5' }],
      },
    );
    expect(priced.setInvoicePrices).toEqual({ invoice: { total: '50.00', gpmPercent: '20.00', pricePending: false, version: 2 }, errors: [] });
    const confirmed = await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { invoice { status } errors { code } } }`, { n: invoice.number });
    expect(confirmed.confirmInvoice.invoice.status).toBe('CONFIRMED');
    const noMore = await t.ok(`mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p) { errors { code } } }`, {
      n: invoice.number,
      p: [{ line: invoice.lines[0].id, unitPrice: '9' }],
    });
    // A confirmed invoice stays as billed (Settings.lockConfirmedInvoices): credits correct it.
    expect(noMore.setInvoicePrices.errors).toEqual([{ code: 'INVOICE_LOCKED' }]);
  });

  it('prints the pick ticket: the flag, and lines with labels', async () => {
    const data = await t.ok(`mutation { printPickTicket(number: "INV-000001") {
      invoice { pickTicketPrinted } pickTicket { invoiceNumber customer { code } truckDate lines { product { code } boxes units labels } } errors { code } } }`);
    expect(data.printPickTicket).toEqual({
      invoice: { pickTicketPrinted: true },
      pickTicket: {
        invoiceNumber: 'INV-000001',
        customer: { code: 'BLOOMS' },
        truckDate: '2027-02-10',
        lines: [{ product: { code: 'ROSE-FREEDOM-50' }, boxes: 2, units: 200, labels: roses.slice(0, 2) }],
      },
      errors: [],
    });
  });

  it('voids a pending invoice: its boxes go back to inventory as they were; confirmed invoices cannot be voided', async () => {
    const voided = await t.ok(`mutation { voidInvoice(number: "INV-000001") { invoice { status } errors { code } } }`);
    expect(voided.voidInvoice).toEqual({ invoice: { status: 'VOID' }, errors: [] });
    expect(await boxStatus(t, roses[0])).toEqual({ status: 'IN_INVENTORY', unitsRemaining: 100, inventoryType: 'M', customer: null });
    const again = await t.ok(`mutation { voidInvoice(number: "INV-000001") { errors { code } } }`);
    expect(again.voidInvoice.errors).toEqual([{ code: 'INVALID_STATUS' }]);
    const confirmed = await t.ok(`mutation { voidInvoice(number: "INV-000002") { errors { code } } }`);
    expect(confirmed.voidInvoice.errors).toEqual([{ code: 'INVOICE_LOCKED' }]);
  });

  it('lists invoices by customer, status and truck date, and shows a CUSTOMER only its own', async () => {
    const data = await t.ok(`{
      blooms: invoices(filter: { customer: "BLOOMS" }) { nodes { number status } }
      confirmed: invoices(filter: { status: CONFIRMED }) { totalCount }
      dated: invoices(filter: { truckDateFrom: "2027-02-11" }) { nodes { number } }
      one: invoice(number: "inv-000002") { customer { code } }
    }`);
    expect(data.blooms.nodes).toEqual([{ number: 'INV-000001', status: 'VOID' }]);
    expect(data.confirmed.totalCount).toBe(2);
    expect(data.dated.nodes).toEqual([{ number: 'INV-000003' }]);
    expect(data.one).toEqual({ customer: { code: 'BOUQUETWORKS' } });
    const token = await t.ok(`mutation { createApiToken(input: { name: "fm", role: "CUSTOMER", customer: "FRESHMART" }) { secret } }`);
    const seen = await t.ok(`{ invoices { nodes { number } } other: invoice(number: "INV-000002") { number } }`, undefined, token.createApiToken.secret);
    expect(seen).toEqual({ invoices: { nodes: [{ number: 'INV-000003' }] }, other: null });
  });

  it('returns the first result for a retried idempotency key', async () => {
    const input = { customer: 'BLOOMS', truckDate: '2027-02-12', lines: [{ labels: [roses[3]], unitPrice: '1' }] };
    const first = await t.ok(CREATE, { input, key: 'inv-1' });
    const again = await t.ok(CREATE, { input, key: 'inv-1' });
    expect(again.createInvoice.invoice.number).toBe(first.createInvoice.invoice.number);
    expect(again.createInvoice.errors).toEqual([]);
  });
});
