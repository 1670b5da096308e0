// An invoice to a production company (customer of kind PRODUCTION) is a transfer of components only at
// 0.00; priced, it is a sale and counts in gpmReport. No invoice total is counted nowhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirm, DEFAULT_SETTINGS, invoice, prebookInStaging, setSettings } from '../../../support/billing';
import { seedCatalogue } from '../../../support/fixtures';
import { stockBoxes } from '../../../support/receiving';
import { startTestServer, type TestServer } from '../../../support/test-server';

const CREATE = `mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number kind total lines { id } } errors { code message } } }`;
const REPORT = `query($f: GpmReportFilter) { gpmReport(filter: $f) { revenue cost rows { customer { code } product { code } units revenue } transfers { customer { code } units cost } transferCost } }`;

describe('invoices to a production company in gpmReport', () => {
  let t: TestServer;
  const companyRoses = (boxes: number) => stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes, unitCost: '0.30', customer: 'BOUQUETWORKS' });
  const create = async (customer: string, labels: string[], unitPrice: string | null, truckDate = '2027-04-01') => {
    const data = await t.ok(CREATE, { i: { customer, truckDate, lines: [{ labels, unitPrice }] } });
    expect(data.createInvoice.errors).toEqual([]);
    return data.createInvoice.invoice as { number: string; kind: string; total: string; lines: Array<{ id: string }> };
  };

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    await setSettings(t, DEFAULT_SETTINGS);
    await t.ok(`mutation { upsertCustomers(input: [{ code: "BOUQUETWORKS", kind: "PRODUCTION" }]) { errors { code } } }`);
  });
  afterAll(() => t.close());

  it('createInvoice: 100 units at 5.00 to a production company is a SALE of 500.00 that counts in revenue; at 0.00 it is a TRANSFER', async () => {
    const [sold, sent] = [await companyRoses(1), await companyRoses(1)];
    const sale = await create('BOUQUETWORKS', sold, '5.00', '2027-04-02');
    expect(sale).toMatchObject({ kind: 'SALE', total: '500.00' });
    const transfer = await create('BOUQUETWORKS', sent, '0.00', '2027-04-02');
    expect(transfer).toMatchObject({ kind: 'TRANSFER', total: '0.00' });
    const report = await t.ok(REPORT, { f: { truckDateFrom: '2027-04-02', truckDateTo: '2027-04-02' } });
    expect(report.gpmReport).toEqual({
      revenue: '500.00',
      cost: '30.00',
      rows: [{ customer: { code: 'BOUQUETWORKS' }, product: { code: 'ROSE-FREEDOM-50' }, units: 100, revenue: '500.00' }],
      transfers: [{ customer: { code: 'BOUQUETWORKS' }, units: 100, cost: '30.00' }],
      transferCost: '30.00',
    });
  });

  it('a pending price makes a sale; a transfer takes no price but 0.00 (TRANSFER_PRICED)', async () => {
    const pending = await create('BOUQUETWORKS', await companyRoses(1), null);
    expect(pending.kind).toBe('SALE');
    const transfer = await create('BOUQUETWORKS', await companyRoses(1), '0.00');
    const SET = `mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p) { invoice { total } errors { code message field } } }`;
    const priced = await t.ok(SET, { n: transfer.number, p: [{ line: transfer.lines[0].id, unitPrice: '5.00' }] });
    expect(priced.setInvoicePrices.errors.map((e: any) => [e.code, e.field])).toEqual([['TRANSFER_PRICED', 'prices.1.unitPrice']]);
    expect(priced.setInvoicePrices.errors[0].message).toContain('0.00');
    const unpriced = await t.ok(SET, { n: transfer.number, p: [{ line: transfer.lines[0].id, unitPrice: null }] });
    expect(unpriced.setInvoicePrices.errors.map((e: any) => e.code)).toEqual(['TRANSFER_PRICED']);
    const zero = await t.ok(SET, { n: transfer.number, p: [{ line: transfer.lines[0].id, unitPrice: '0.0000' }] });
    expect(zero.setInvoicePrices).toEqual({ invoice: { total: '0.00' }, errors: [] });
  });

  it('automatic billing: a priced line to a production company bills on a SALE, a 0.00 line on a TRANSFER, never on one invoice', async () => {
    const truckDate = '2027-04-03';
    const roses = (price: string) => ({ product: 'ROSE-FREEDOM-50', boxes: 1, unitsPerBox: 100, price, cost: '0.40' });
    const free = await prebookInStaging(t, { customer: 'BOUQUETWORKS', truckDate, lines: [roses('0.00')] });
    const paid = await prebookInStaging(t, { customer: 'BOUQUETWORKS', truckDate, lines: [roses('2.00')] });
    const [a] = await confirm(t, free.labels);
    const [b] = await confirm(t, paid.labels);
    expect(a.billing.invoiceNumbers).toHaveLength(1);
    expect(b.billing.invoiceNumbers).toHaveLength(1);
    expect(b.billing.invoiceNumbers).not.toEqual(a.billing.invoiceNumbers);
    const kinds = await t.ok(`query($n: String!, $m: String!) { a: invoice(number: $n) { kind total } b: invoice(number: $m) { kind total } }`, {
      n: a.billing.invoiceNumbers[0],
      m: b.billing.invoiceNumbers[0],
    });
    expect(kinds).toEqual({ a: { kind: 'TRANSFER', total: '0.00' }, b: { kind: 'SALE', total: '200.00' } });
    expect((await invoice(t, b.billing.invoiceNumbers[0])).lines).toHaveLength(1);
  });

  it('every CONFIRMED and PENDING invoice total is counted: their sum is the report’s revenue plus its transfers', async () => {
    const regular = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.30' });
    const sale = await create('FRESHMART', [regular[0]], '0.85');
    await create('BLOOMS', [regular[1]], '0.95');
    await t.ok(`mutation($n: String!) { confirmInvoice(number: $n) { errors { code } } }`, { n: sale.number });
    const all = await t.ok(`{ invoices(first: 1000) { nodes { number status kind total } } }`);
    const counted = all.invoices.nodes.filter((n: any) => n.status === 'CONFIRMED' || n.status === 'PENDING');
    expect(counted.some((n: any) => n.status === 'CONFIRMED')).toBe(true);
    // Exact cents (totals have 2 decimals).
    const cents = (amount: string) => {
      const [whole, fraction = ''] = amount.split('.');
      return BigInt(whole + (fraction + '00').slice(0, 2));
    };
    const sum = (nodes: any[]) => nodes.reduce((total: bigint, n) => total + cents(n.total), 0n);
    const report = (await t.ok(REPORT)).gpmReport;
    // A transfer is at 0.00: what the report lists apart as transfers adds nothing to the invoiced totals.
    const transfers = counted.filter((n: any) => n.kind === 'TRANSFER');
    expect(transfers.length).toBeGreaterThan(0);
    expect(sum(transfers)).toBe(0n);
    expect(sum(counted)).toBe(cents(report.revenue) + sum(transfers));
    expect(sum(counted.filter((n: any) => n.kind === 'SALE'))).toBe(cents(report.revenue));
  });
});
