// Charges on the customer invoice document (stemline-sheet invoice, printed by LibreOffice) and in the
// Invoices sheet (stemline-sheet pull invoices); FOB prices for a customer with showFobPrice.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { pdfText, renderPdf } from '../../scripts/libreoffice';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import { stockBoxes } from '../support/receiving';
import type { TestServer } from '../support/test-server';
import { readSheet } from '../support/xlsx';

const CREATE = `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { invoice { number total charges { rule amount } } errors { message } } }`;

describe('charges on the customer invoice and the Invoices sheet (stemline-sheet)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];

  /** Two boxes of 100 roses from BOG (QB) at 0.85, on a manual invoice. */
  async function invoiceOf(customer: string): Promise<{ number: string; total: string; charges: Array<{ rule: string; amount: string }> }> {
    const labels = await stockBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.40' });
    const data = await t.ok(CREATE, {
      input: { customer, carrier: 'ARMELLINI', truckDate: '2027-02-10', lines: labels.map((label) => ({ labels: [label], unitPrice: '0.85' })) },
    });
    expect(data.createInvoice.errors).toEqual([]);
    return data.createInvoice.invoice;
  }

  async function printed(number: string): Promise<string> {
    const file = path.join(dir, `${number}.xlsx`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['invoice', number, '--out', file, ...args])).toBe(0);
    log.mockRestore();
    return pdfText(await renderPdf(file, dir));
  }

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('invoice-charges-'));
    const data = await t.ok(`mutation {
      c: upsertCustomers(input: [{ code: "FRESHMART", name: "FreshMart Supermarkets", fuelSurcharge: true }, { code: "FOBCO", name: "FOB Flowers", fuelSurcharge: true, showFobPrice: true }]) { errors { message } }
      r: saveChargeRules(input: [
        { code: "FUEL", name: "Fuel surcharge", kind: "FUEL_SURCHARGE", rates: [{ portOfOrigin: "BOG", boxType: "QB", amount: "1.50" }] }
        { code: "ORDER", name: "Order fee", kind: "AUTOMATIC", customer: "FRESHMART", basis: "PER_INVOICE", amount: "5.00" }
      ]) { errors { message } }
    }`);
    expect([...data.c.errors, ...data.r.errors]).toEqual([]);
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('prints the subtotal, each charge and the total; the Invoices sheet lists the charges after the lines', async () => {
    const invoice = await invoiceOf('FRESHMART');
    expect(invoice).toMatchObject({
      total: '178.00',
      charges: [
        { rule: 'FUEL', amount: '3.00' },
        { rule: 'ORDER', amount: '5.00' },
      ],
    });
    const text = await printed(invoice.number);
    expect(text).toMatch(/Subtotal\s+170\.00/);
    expect(text).toMatch(/Fuel surcharge\s+3\.00/);
    expect(text).toMatch(/Order fee\s+5\.00/);
    expect(text).toMatch(/Total\s+178\.00/);

    const file = path.join(dir, 'invoices.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['pull', 'invoices', '--out', file, '--customer', 'FRESHMART', ...args])).toBe(0);
    log.mockRestore();
    const rows = await readSheet(file, 'Invoices');
    expect(rows.map((r) => [r.Product ?? null, r.Amount, r.Charge ?? null])).toEqual([
      ['ROSE-FREEDOM-50', 85, null],
      ['ROSE-FREEDOM-50', 85, null],
      [null, 3, 'Fuel surcharge'],
      [null, 5, 'Order fee'],
    ]);
  });

  it('folds the fuel surcharge into the unit prices of a customer with showFobPrice: no surcharge line, the same total', async () => {
    const invoice = await invoiceOf('FOBCO');
    expect(invoice).toMatchObject({ total: '173.00', charges: [{ rule: 'FUEL', amount: '3.00' }] });
    const text = await printed(invoice.number);
    expect(text).not.toContain('Fuel surcharge');
    expect(text).not.toContain('Subtotal');
    // (85.00 + 1.50) / 100 stems a line.
    expect(text).toMatch(/0\.865\s+86\.50/);
    expect(text).toMatch(/Total\s+173\.00/);
  });
});
