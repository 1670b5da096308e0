// The production scenario again, the buyer's way: .xlsx workbooks through the sheet command-line tool.
// What no sheet covers is done where it happens in real life: the vendors' shipments and the warehouse's
// inbound scans (GraphQL, as a farm portal or scanner would), the 0.00 component invoice to the production
// company and the late price (GraphQL, as the billing clerk would).
// Same numbers as production-of-finished-goods.test.ts: bouquet cost 6.50, FRESHMART 800 at 10.00, BLOOMS 160 unpriced.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { isoDate } from '../support/billing';
import { seedCatalogue } from '../support/fixtures';
import { checkBoxInvariants, checkNoOverbilling } from '../support/invariants';
import { startTestServer, type TestServer } from '../support/test-server';
import { fillColumn, readSheet, writeSheet } from '../support/xlsx';

const TRUCK_DATE = isoDate(10);

describe('production of finished goods, driven by .xlsx workbooks (scenario)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  const file = (name: string) => path.join(dir, name);

  async function shipAll(poNumber: string, freightPerBox: string | null): Promise<number> {
    const po = await t.ok(`query($n: String) { purchaseOrders(filter: { number: $n }) { nodes { lines { id boxes } } } }`, { n: poNumber });
    const data = await t.ok(`mutation($i: ShipPurchaseOrderInput!) { shipPurchaseOrder(input: $i) { boxes { label } errors { message } } }`, {
      i: { purchaseOrder: poNumber, freightPerBox, lines: po.purchaseOrders.nodes[0].lines.map((l: any) => ({ poLine: l.id, boxes: l.boxes })) },
    });
    expect(data.shipPurchaseOrder.errors).toEqual([]);
    return data.shipPurchaseOrder.boxes.length;
  }

  /** Pulls staging for some POs into a workbook, marks every row Confirm, confirms (or previews), returns the rows. */
  async function confirmStagingSheet(name: string, poNumbers: string[], preview = false) {
    const out = file(name);
    for (const po of poNumbers) {
      // One workbook per PO keeps the example simple; a buyer would filter by vendor or date the same way.
      const perPo = poNumbers.length === 1 ? out : `${out}.${po}.xlsx`;
      expect(await main(['pull', 'staging', '--out', perPo, '--po', po, ...args])).toBe(0);
    }
    const files = poNumbers.length === 1 ? [out] : poNumbers.map((po) => `${out}.${po}.xlsx`);
    const rows = [];
    for (const f of files) {
      await fillColumn(f, 'Staging', 'Confirm', 'x');
      expect(await main(['confirm', f, ...(preview ? ['--preview'] : []), ...args])).toBe(0);
      rows.push(...(await readSheet(f, 'Staging')));
    }
    return rows;
  }

  beforeAll(async () => {
    t = await startTestServer();
    await seedCatalogue(t);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-scenario-'));
    args = ['--server', t.url, '--token', t.adminToken];
  });
  afterAll(async () => {
    await t.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs from prebook to a billed, consolidated invoice with its GPM', async () => {
    // (1) Prebooks of finished goods, one priced and one not.
    const base = { Carrier: 'ARMELLINI', 'Truck Date': TRUCK_DATE, Product: 'BQT-SPRING', 'Units/Box': 8, Cost: 6.5 };
    await writeSheet(file('prebooks.xlsx'), 'Prebooks', [
      { ...base, Ref: 'A', Customer: 'FRESHMART', 'Ship To': 'DC-ATL', 'Customer PO': 'FM-SPRING-1', Boxes: 100, Price: 10 },
      { ...base, Ref: 'B', Customer: 'BLOOMS', Carrier: 'FEDEX', Boxes: 20 },
    ]);
    expect(await main(['push', 'prebooks', file('prebooks.xlsx'), ...args])).toBe(0);
    const prebookRows = await readSheet(file('prebooks.xlsx'), 'Prebooks');
    expect(prebookRows.map((r) => r.Status)).toEqual(['OK', 'OK']);
    const [priced, unpriced] = prebookRows.map((r) => String(r['Prebook #']));

    // (2) Standalone component POs with the production company as customer.
    const components = { Customer: 'BOUQUETWORKS', Location: 'MIA', 'Ship Date': isoDate(3) };
    await writeSheet(file('components.xlsx'), 'PurchaseOrders', [
      { ...components, Ref: 'roses', Vendor: 'ROSAS', Product: 'ROSE-FREEDOM-50', Boxes: 96, 'Unit Cost': 0.35 },
      { ...components, Ref: 'vases', Vendor: 'VASECO', Product: 'VASE-20', Boxes: 80, 'Unit Cost': 1 },
    ]);
    expect(await main(['push', 'purchase-orders', file('components.xlsx'), ...args])).toBe(0);
    const componentPos = (await readSheet(file('components.xlsx'), 'PurchaseOrders')).map((r) => String(r['PO #']));
    expect(new Set(componentPos).size).toBe(2);

    // (3) The vendors ship; the buyer confirms the staging sheet: inventory assigned to the production company.
    expect((await shipAll(componentPos[0], '5.00')) + (await shipAll(componentPos[1], null))).toBe(176);
    const confirmedComponents = await confirmStagingSheet('components-staging.xlsx', componentPos);
    expect(confirmedComponents).toHaveLength(176);
    expect(new Set(confirmedComponents.map((r) => `${r.Result} ${r.Customer}`))).toEqual(new Set(['CONFIRMED BOUQUETWORKS']));
    expect(new Set(confirmedComponents.map((r) => `${r.Product} ${r['Landed Cost']}`))).toEqual(new Set(['ROSE-FREEDOM-50 0.4', 'VASE-20 1']));

    // (4) The components go to the production company at 0.00.
    const stock = await t.ok(`{ inventory(filter: { customer: "BOUQUETWORKS" }, first: 1000) { nodes { label product { code } } } }`);
    const labelsOf = (code: string) => stock.inventory.nodes.filter((b: any) => b.product.code === code).map((b: any) => b.label);
    const zero = await t.ok(`mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { number total cost } errors { message } } }`, {
      i: {
        customer: 'BOUQUETWORKS',
        truckDate: isoDate(4),
        lines: ['ROSE-FREEDOM-50', 'VASE-20'].map((code) => ({ labels: labelsOf(code), unitPrice: '0.00' })),
      },
    });
    expect(zero.createInvoice.invoice).toMatchObject({ total: '0.00', cost: '4800.00' });
    expect((await t.ok(`{ inventory { totalCount } }`)).inventory.totalCount).toBe(0);

    // (5) The finished-goods PO, from the prebooks by their numbers, the production company as vendor at labour cost.
    const finished = { Vendor: 'BOUQUETWORKS', Location: 'MIA', 'Ship Date': isoDate(8), Product: 'BQT-SPRING', 'Units/Box': 8, 'Unit Cost': 1.5 };
    await writeSheet(file('bouquets.xlsx'), 'PurchaseOrders', [
      { ...finished, Ref: 'bqt', Boxes: 100, 'Prebook #': priced },
      { ...finished, Ref: 'bqt', Boxes: 20, 'Prebook #': unpriced },
    ]);
    expect(await main(['push', 'purchase-orders', file('bouquets.xlsx'), ...args])).toBe(0);
    const [finishedPo] = new Set((await readSheet(file('bouquets.xlsx'), 'PurchaseOrders')).map((r) => String(r['PO #'])));
    expect((await t.ok(`{ purchaseNeeds { totalCount } }`)).purchaseNeeds.totalCount).toBe(0);

    // (6) Bouquet Works ships, the warehouse scans them in, the buyer previews then confirms from the sheet.
    expect(await shipAll(finishedPo, null)).toBe(120);
    const labels = (
      await t.ok(`query($p: String) { staging(filter: { purchaseOrder: $p }, first: 1000) { nodes { label } } }`, { p: finishedPo })
    ).staging.nodes.map((b: any) => b.label);
    await t.ok(`mutation($l: [String!]!) { scanBoxes(labels: $l, kind: INBOUND) { results { outcome } } }`, { l: labels });

    const preview = await confirmStagingSheet('bouquets-staging.xlsx', [finishedPo], true);
    expect(new Set(preview.map((r) => `${r.Result} ${r.Customer} ${r['Invoice #']}`))).toEqual(
      new Set(['WOULD BILL FRESHMART (new invoice 1)', 'WOULD BILL BLOOMS (new invoice 2)']),
    );
    expect(await t.ok(`{ invoices { totalCount } }`)).toEqual({ invoices: { totalCount: 1 } });

    const billed = await confirmStagingSheet('bouquets-staging.xlsx', [finishedPo]);
    expect(billed.every((r) => r.Result === 'BILLED')).toBe(true);
    const invoiceOf = (customer: string) => [...new Set(billed.filter((r) => r.Customer === customer).map((r) => r['Invoice #']))];
    expect(invoiceOf('FRESHMART')).toHaveLength(1);
    expect(invoiceOf('BLOOMS')).toHaveLength(1);

    expect(await main(['pull', 'invoices', '--out', file('invoices.xlsx'), '--from', TRUCK_DATE, '--to', TRUCK_DATE, ...args])).toBe(0);
    let invoices = await readSheet(file('invoices.xlsx'), 'Invoices');
    const row = (customer: string) => invoices.find((r) => r.Customer === customer)!;
    expect(invoices).toHaveLength(2);
    expect(row('FRESHMART')).toMatchObject({
      'Invoice #': invoiceOf('FRESHMART')[0],
      'Customer PO': 'FM-SPRING-1',
      Boxes: 100,
      Units: 800,
      'Unit Price': 10,
      Amount: 8000,
      'Unit Cost': 6.5,
    });
    expect(Number(row('FRESHMART')['GPM %'])).toBeCloseTo(35, 2);
    expect(row('BLOOMS')).toMatchObject({ Boxes: 20, Units: 160, 'Unit Price': null, Amount: null, 'Unit Cost': 6.5, 'GPM %': null });

    // The late price, then the sheet shows BLOOMS's GPM too: (1,440 - 1,040) / 1,440.
    const pending = await t.ok(`query($n: String) { invoices(filter: { number: $n }) { nodes { lines { id } } } }`, { n: invoiceOf('BLOOMS')[0] });
    await t.ok(`mutation($n: String!, $p: [InvoicePriceInput!]!) { setInvoicePrices(number: $n, prices: $p) { errors { message } } }`, {
      n: invoiceOf('BLOOMS')[0],
      p: pending.invoices.nodes[0].lines.map((l: any) => ({ line: l.id, unitPrice: '9.00' })),
    });
    expect(await main(['pull', 'invoices', '--out', file('invoices.xlsx'), '--customer', 'BLOOMS', ...args])).toBe(0);
    invoices = await readSheet(file('invoices.xlsx'), 'Invoices');
    expect(row('BLOOMS')).toMatchObject({ 'Unit Price': 9, Amount: 1440 });
    expect(Number(row('BLOOMS')['GPM %'])).toBeCloseTo(27.78, 2);

    await checkBoxInvariants(t.orm);
    await checkNoOverbilling(t.orm);
  }, 120_000);
});
