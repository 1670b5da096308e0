import { describe, expect, it } from 'vitest';
import { preparePush } from '../../../addin/sheets/documents';
import { paymentRows, paymentSheetFor, type PulledPayment } from '../../../addin/sheets/payments.sheet';
import { allColumns, type CellValue, type SheetRow } from '../../../addin/sheets/tables';

const rowOf = (row: number, values: Record<string, CellValue>): SheetRow => ({ row, values });

describe('the Payments table', () => {
  it('reads one payment per Ref, its rows with an Invoice # as the remittance, numbers typed as text by the company decimal mark', () => {
    const spec = paymentSheetFor({ decimalSeparator: ',' });
    const check = { Ref: '1001', Customer: 'BLOOMS', Date: '2027-05-15', Amount: '1.100,50', Method: 'check', Reference: 'CHK 1001' };
    const prepared = preparePush(spec, [
      rowOf(1, { ...check, 'Invoice #': 'INV-000001', Applied: '700' }),
      rowOf(2, { ...check, 'Invoice #': 'INV-000002', Applied: '400,50' }),
      rowOf(3, { Ref: 'W', Customer: 'BLOOMS', Amount: 300, Method: 'WIRE' }),
    ]);
    expect(prepared.updates.size).toBe(0);
    expect(prepared.documents.map((d) => d.input)).toEqual([
      {
        ref: '1001',
        number: null,
        version: null,
        customer: 'BLOOMS',
        date: '2027-05-15',
        amount: '1100.50',
        method: 'CHECK',
        reference: 'CHK 1001',
        lines: [
          { invoice: 'INV-000001', applied: '700' },
          { invoice: 'INV-000002', applied: '400.50' },
        ],
      },
      {
        ref: 'W',
        number: null,
        version: null,
        customer: 'BLOOMS',
        date: null,
        amount: '300',
        method: 'WIRE',
        reference: null,
        lines: [{ invoice: null, applied: null }],
      },
    ]);
  });

  it('reports every error of a payment at once by column, and rejects it whole', () => {
    const prepared = preparePush(paymentSheetFor({ decimalSeparator: '.' }), [
      rowOf(1, { Ref: 'A', Amount: '12,5', Method: 'CHEQUE', Applied: 10 }),
      rowOf(2, { Ref: 'A', Amount: '12,5', Method: 'CHEQUE', 'Invoice #': 'INV-000001' }),
      rowOf(3, { Ref: 'B', Customer: 'BLOOMS', Amount: -5, Method: 'CASH', Date: '2027-02-30' }),
    ]);
    expect(prepared.documents).toEqual([]);
    expect(prepared.updates.get(1)!.Message).toBe(
      'Customer is required; Amount "12,5" could be 12.5 or 125: this company writes numbers with a decimal point (1,250.50), so type 12.5 or 125; Method "CHEQUE" is not one of CHECK, WIRE, ACH, CARD, CASH, OTHER; Invoice #: Applied needs the invoice it pays',
    );
    expect(prepared.updates.get(2)!.Message).toBe('Applied is required: how much of INV-000001 this payment pays');
    expect(prepared.updates.get(3)!.Message).toMatch(/^Amount must be greater than 0, got -5; Date "2027-02-30" is not a date/);
  });

  it('pulls a payment as one row per invoice it pays (applications to one invoice added up), what is left in Message; one paying nothing as one row', () => {
    const payment: PulledPayment = {
      number: 'PMT-000004',
      version: 1,
      status: 'POSTED',
      customer: { code: 'BLOOMS' },
      date: '2027-05-15',
      amount: '1500.00',
      method: 'CHECK',
      reference: 'CHK 9',
      voidReason: null,
      unappliedAmount: '80.00',
      applications: [
        { invoice: { number: 'INV-000001' }, amount: '920.00', credit: null },
        { invoice: { number: 'INV-000002' }, amount: '300.10', credit: null },
        { invoice: { number: 'INV-000002' }, amount: '199.90', credit: null },
      ],
    };
    const columns = allColumns('Payments');
    const rows = paymentRows(payment).map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i]])));
    expect(rows.map((r) => [r['Payment #'], r['Invoice #'], r.Applied, r.Amount])).toEqual([
      ['PMT-000004', 'INV-000001', 920, 1500],
      ['PMT-000004', 'INV-000002', 500, 1500],
    ]);
    expect(rows[0].Message).toBe('pulled from the server: POSTED: applied to 2 invoice(s), 80.00 unapplied');
    const voided = paymentRows({ ...payment, status: 'VOID', voidReason: 'NSF', unappliedAmount: '0.00', applications: [] });
    expect(voided).toHaveLength(1);
    expect(voided[0][columns.indexOf('Invoice #')]).toBeNull();
    expect(voided[0][columns.indexOf('Message')]).toBe('pulled from the server: VOID: NSF');
  });
});
