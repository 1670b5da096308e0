import { describe, expect, it } from 'vitest';
import { placeShipmentError, prepareShipments } from '../../../addin/sheets/shipments.sheet';
import type { SheetRow } from '../../../addin/sheets/tables';

const rows = (...values: Array<Record<string, unknown>>): SheetRow[] => values.map((v, i) => ({ row: i + 1, values: v as SheetRow['values'] }));

describe('Shipments sheet', () => {
  it('makes one shipment per PO # and AWB, skipping rows an earlier push shipped', () => {
    const { shipments, updates } = prepareShipments(
      rows(
        { 'PO #': 'po-000001', 'PO Line': 1, Boxes: 2, AWB: 'A1', Labels: 'L1, L2', Freight: '40.50' },
        { 'PO #': 'PO-000001', Product: 'VASE-20', Boxes: 1, AWB: 'A1' },
        { 'PO #': 'PO-000001', 'PO Line': 1, Boxes: 1, AWB: 'A2', 'Arrival Date': '2027-03-04' },
        { 'PO #': 'PO-000001', 'PO Line': 2, Boxes: 1, AWB: 'A3', Status: 'OK' },
      ),
    );
    expect(updates.size).toBe(0);
    expect(
      shipments.map((s) => [s.purchaseOrder, s.awb, s.freight, s.arrivalDate, s.rows.map((r) => [r.row.row, r.lineNo, r.product, r.boxes, r.labels])]),
    ).toEqual([
      [
        'PO-000001',
        'A1',
        '40.50',
        null,
        [
          [1, 1, null, 2, ['L1', 'L2']],
          [2, null, 'VASE-20', 1, null],
        ],
      ],
      ['PO-000001', 'A2', null, '2027-03-04', [[3, 1, null, 1, null]]],
    ]);
  });

  it('rejects a shipment with a bad row whole, every error of the row named by its column', () => {
    const { shipments, updates } = prepareShipments(
      rows(
        { 'PO #': 'PO-000001', 'PO Line': 1, Boxes: 2, AWB: 'A1', 'Ship Date': '2027-03-01' },
        { 'PO #': 'PO-000001', Boxes: -1, AWB: 'A1', 'Ship Date': '2027-03-02' },
        { 'PO #': 'PO-000002', 'PO Line': 1, AWB: 'B1' },
      ),
    );
    expect(shipments).toEqual([]);
    expect([...updates.entries()]).toEqual([
      // Rows are named as Excel numbers them: data row 1 under a header on row 1 is row 2.
      [1, { Status: 'ERROR', Message: 'not shipped: row 3 of this shipment has an error' }],
      [2, { Status: 'ERROR', Message: 'Ship Date differs from row 2 of this shipment; PO Line (or Product) is required; Boxes must be at least 1, not -1' }],
      [3, { Status: 'ERROR', Message: 'Boxes is required' }],
    ]);
  });

  it("puts a server error on the row and column it is about, without the server's line prefix", () => {
    const [draft] = prepareShipments(rows({ 'PO #': 'PO-1', 'PO Line': 1, Boxes: 1 }, { 'PO #': 'PO-1', 'PO Line': 2, Boxes: 9 })).shipments;
    expect(placeShipmentError(draft, { field: 'lines.2.boxes', message: 'line 2: line 2 (VASE-20) has 1 of 1 boxes left to ship, not 9' })).toEqual({
      row: draft.rows[1].row,
      message: 'Boxes: line 2 (VASE-20) has 1 of 1 boxes left to ship, not 9',
    });
    expect(placeShipmentError(draft, { field: 'arrivalDate', message: 'arrivalDate 2027-01-01 is before shipDate 2027-02-01' }).message).toBe(
      'Arrival Date: arrivalDate 2027-01-01 is before shipDate 2027-02-01',
    );
  });

  it("reads Freight and Boxes typed as text by the company's decimal separator", () => {
    const comma = prepareShipments(rows({ 'PO #': 'PO-000001', 'PO Line': 1, Boxes: '1.200', Freight: '1.040,50' }), { decimalSeparator: ',' });
    expect(comma.shipments.map((s) => [s.freight, s.rows[0].boxes])).toEqual([['1040.50', 1200]]);
    const point = prepareShipments(rows({ 'PO #': 'PO-000001', 'PO Line': 1, Boxes: 2, Freight: '40,50' }));
    expect(point.updates.get(1)?.Message).toBe(
      'Freight "40,50" could be 40.5 or 4050: this company writes numbers with a decimal point (1,250.50), so type 40.5 or 4050',
    );
  });
});
