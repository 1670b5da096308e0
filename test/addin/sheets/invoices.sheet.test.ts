import { describe, expect, it } from 'vitest';
import { invoiceRows, type InvoiceSummary } from '../../../addin/sheets/invoices.sheet';
import { TABLE_COLUMNS } from '../../../addin/sheets/tables';

const invoice: InvoiceSummary = {
  number: 'INV-000007',
  customer: { code: 'FRESHMART' },
  shipTo: { code: 'DC-ATL' },
  carrier: { code: 'ARMELLINI' },
  truckDate: '2027-02-10',
  customerPo: 'PO-1',
  status: 'PENDING',
  pickTicketPrinted: false,
  total: '1053.00',
  cost: '700.00',
  gpmPercent: '31.37',
  lines: [{ product: { code: 'ROSE-FREEDOM-50' }, boxes: 12, units: 1200, unitPrice: '0.85', amount: '1020.00', unitCost: '0.5833', gpmPercent: '31.37' }],
  charges: [
    { description: 'Fuel surcharge', amount: '18.00' },
    { description: 'Handling', amount: '15.00' },
  ],
};

describe('the Invoices sheet', () => {
  it('lists each line, then each charge with its description under Charge and its amount under Amount', () => {
    const columns: readonly string[] = TABLE_COLUMNS.Invoices;
    const rows = invoiceRows(invoice).map((row) => Object.fromEntries(columns.map((column, i) => [column, row[i]])));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({ 'Invoice #': 'INV-000007', Product: 'ROSE-FREEDOM-50', Amount: 1020, Charge: null });
    expect(rows[1]).toMatchObject({
      'Invoice #': 'INV-000007',
      Customer: 'FRESHMART',
      Product: null,
      Boxes: null,
      Amount: 18,
      'Unit Cost': null,
      Charge: 'Fuel surcharge',
    });
    expect(rows[2]).toMatchObject({ Amount: 15, Charge: 'Handling' });
    expect(invoiceRows({ ...invoice, charges: [] })).toHaveLength(1);
  });
});
