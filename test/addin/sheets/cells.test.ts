import { describe, expect, it } from 'vitest';
import { date, decimal, integer, yesNo, type CellError } from '../../../addin/sheets/cells';
import { fingerprint, groupRows, preparePush, rowProblems, sheetMessage } from '../../../addin/sheets/documents';
import { prebookSheet } from '../../../addin/sheets/prebooks.sheet';
import { purchaseOrderSheet } from '../../../addin/sheets/purchase-orders.sheet';
import type { SheetRow } from '../../../addin/sheets/tables';

describe('sheet cells', () => {
  it('reads dates from Excel serials, Date objects and text, and names bad ones', () => {
    const errors: CellError[] = [];
    expect(date(46428, 'Truck Date', errors)).toBe('2027-02-10');
    expect(date(new Date('2027-02-10T00:00:00Z'), 'Truck Date', errors)).toBe('2027-02-10');
    expect(date('2027-2-3', 'Truck Date', errors)).toBe('2027-02-03');
    expect(date('2027/02/10', 'Truck Date', errors)).toBe('2027-02-10');
    expect(date('2027-02-10T00:00:00Z', 'Truck Date', errors)).toBe('2027-02-10');
    expect(errors).toEqual([]);
    expect(date('soon', 'Truck Date', errors)).toBeNull();
    expect(errors).toEqual([{ column: 'Truck Date', message: 'Truck Date "soon" is not a date: type it as YYYY-MM-DD, or use an Excel date' }]);
  });

  it('reads day/month/year and month/day/year text when only one reading is a date, and refuses an ambiguous one naming both', () => {
    const errors: CellError[] = [];
    expect(date('2/14/2027', 'Truck Date', errors)).toBe('2027-02-14');
    expect(date('14/2/2027', 'Truck Date', errors)).toBe('2027-02-14');
    expect(date('14.02.2027', 'Truck Date', errors)).toBe('2027-02-14');
    expect(date('5/5/2027', 'Truck Date', errors)).toBe('2027-05-05');
    expect(date('10 Feb 2027', 'Truck Date', errors)).toBe('2027-02-10');
    expect(date('Feb 10, 2027', 'Truck Date', errors)).toBe('2027-02-10');
    expect(errors).toEqual([]);
    expect(date('03/04/2026', 'Truck Date', errors)).toBeNull();
    expect(errors.pop()).toEqual({
      column: 'Truck Date',
      message: 'Truck Date "03/04/2026" could be 4 March 2026 (month/day) or 3 April 2026 (day/month): type it as 2026-03-04 or 2026-04-03',
    });
    expect(date('2026-02-30', 'Truck Date', errors)).toBeNull();
    expect(date('14/14/2026', 'Ship Date', errors)).toBeNull();
    expect(date('2026-14-12', 'Ship Date', errors)).toBeNull();
    expect(date(-5, 'Ship Date', errors)).toBeNull();
    expect(errors.map((e) => e.message)).toEqual([
      'Truck Date "2026-02-30" is not a date: 2026-02 has 28 days',
      'Ship Date "14/14/2026" is not a date: neither month/day nor day/month is a real date',
      'Ship Date "2026-14-12" is not a date: there is no month 14',
      'Ship Date "-5" is not a date: not an Excel date number',
    ]);
  });

  it('reads money exactly and whole numbers strictly', () => {
    const errors: CellError[] = [];
    expect(decimal(0.1 + 0.2, 'Price', errors)).toBe('0.3');
    expect(decimal('$1,234.50', 'Price', errors)).toBe('1234.50');
    expect(integer('1,200', 'Boxes', errors)).toBe(1200);
    expect(errors).toEqual([]);
    expect(integer(2.5, 'Boxes', errors)).toBeNull();
    expect(decimal('abc', 'Price', errors)).toBeNull();
    expect(errors.map((e) => e.column)).toEqual(['Boxes', 'Price']);
    // Beyond what GraphQL's Int and the Decimal scalar take, a value is a cell error, never a failed request.
    expect(integer(3e9, 'Boxes', errors)).toBeNull();
    expect(decimal('0.123456789012', 'Price', errors)).toBeNull();
    expect(decimal(1e21, 'Price', errors)).toBeNull();
    expect(errors.map((e) => e.column)).toEqual(['Boxes', 'Price', 'Boxes', 'Price', 'Price']);
    expect(['Yes', 'x', true, 'no', null, 0].map((v) => yesNo(v, 'Holiday', errors))).toEqual([true, true, true, false, false, false]);
  });
});

describe('sheet documents', () => {
  const row = (n: number, values: Record<string, unknown>): SheetRow => ({ row: n, values: values as SheetRow['values'] });

  it('groups rows by # or Ref; a row with neither is its own document', () => {
    const groups = groupRows(
      [row(1, { Ref: 'A' }), row(2, { 'Prebook #': 'PB-1' }), row(3, { Ref: 'A' }), row(4, {}), row(5, { 'Prebook #': 'pb-1' })],
      'Prebook #',
    );
    expect(groups.map((g) => g.map((r) => r.row))).toEqual([[1, 3], [2, 5], [4]]);
  });

  it('rejects a document whose rows disagree on the header, naming the row', () => {
    const base = { Ref: 'A', Customer: 'FRESHMART', Carrier: 'FEDEX', 'Truck Date': '2027-02-10', Product: 'X', Boxes: 1, 'Units/Box': 10 };
    const prepared = preparePush(prebookSheet, [row(1, base), row(2, { ...base, Carrier: 'UPS' })]);
    expect(prepared.documents).toEqual([]);
    // Rows are named as Excel numbers them: data rows 1 and 2 under a header on row 1 are rows 2 and 3.
    expect(prepared.updates.get(2)).toEqual({ Status: 'ERROR', Message: 'Carrier differs from row 2 of this document' });
    expect(prepared.updates.get(1)).toEqual({ Status: 'ERROR', Message: 'not saved: row 3 of this document has an error' });
  });

  it("puts server messages in the sheet's words: column headers, never GraphQL field names", () => {
    expect(sheetMessage(prebookSheet, 'Row 1, line 2: unitsPerBox is required', 'Units/Box')).toBe('Units/Box is required');
    expect(sheetMessage(prebookSheet, 'Row 3: truckDate "2026-14-12" is not a date: there is no month 14', 'Truck Date')).toBe(
      'Truck Date "2026-14-12" is not a date: there is no month 14',
    );
    expect(sheetMessage(prebookSheet, 'Row 1, line 1: unknown product "TULIP"', 'Product')).toBe('Product: unknown product "TULIP"');
    expect(sheetMessage(prebookSheet, 'Row 1: customer HOLDCO is on credit hold: no new prebooks', 'Customer')).toBe(
      'Customer HOLDCO is on credit hold: no new prebooks',
    );
    expect(sheetMessage(purchaseOrderSheet, 'Row 2: portOfOrigin is required: vendor X has no default port', 'Port')).toBe(
      'Port is required: vendor X has no default port',
    );
  });

  it('lists the rows in error by the row number Excel shows', () => {
    const rows = [
      { row: 1, sheetRow: 4, values: {} },
      { row: 2, sheetRow: 5, values: {} },
      { row: 3, values: {} },
    ];
    const updates = new Map([
      [1, { Status: 'OK', Message: 'saved' }],
      [2, { Status: 'ERROR', Message: 'Boxes "x" is not a whole number' }],
      [3, { Status: 'STALE', Message: 'pull it again' }],
    ]);
    expect(rowProblems(rows, updates)).toEqual([
      { row: 5, status: 'ERROR', message: 'Boxes "x" is not a whole number' },
      { row: 4, status: 'STALE', message: 'pull it again' },
    ]);
  });

  it('fingerprints the input cells only', () => {
    const a = [row(1, { Customer: 'X', Status: 'OK', Product: 'P' })];
    const b = [row(1, { Customer: 'X', Status: 'ERROR', Product: 'P' })];
    const c = [row(1, { Customer: 'X', Product: 'Q' })];
    const columns = ['Customer', 'Product'];
    expect(fingerprint(a, columns)).toBe(fingerprint(b, columns));
    expect(fingerprint(a, columns)).not.toBe(fingerprint(c, columns));
  });
});
