import { bool, text } from './cells';
import type { CellValue, RowUpdate, SheetRow } from './tables';

export interface StagedBox {
  label: string;
  purchaseOrderNumber: string;
  awb: string | null;
  arrivalDate: string;
  vendor: { code: string };
  product: { code: string };
  boxType: { code: string };
  units: number;
  received: boolean;
  portOfOrigin: string;
  landedUnitCost: string;
  customer: { code: string } | null;
  demands: Array<{ prebookNumber: string; customer: { code: string } }>;
}

/** A staged box as a Staging row, in the standard column order (replaceRows lays it out under the table's own header). */
export function stagingRow(box: StagedBox): CellValue[] {
  const customers = [...new Set(box.demands.map((d) => d.customer.code))];
  return [
    box.label,
    box.purchaseOrderNumber,
    box.awb,
    box.arrivalDate,
    box.vendor.code,
    box.product.code,
    box.boxType.code,
    box.units,
    box.received ? 'Yes' : 'No',
    box.portOfOrigin,
    Number(box.landedUnitCost),
    customers.join(', ') || box.customer?.code || null,
    [...new Set(box.demands.map((d) => d.prebookNumber))].join(', ') || null,
    null,
    null,
    null,
    null,
  ];
}

/** The labels the buyer marked in the Confirm column. */
export function labelsToConfirm(rows: SheetRow[]): Array<{ row: number; label: string }> {
  return rows.filter((row) => bool(row.values.Confirm) && text(row.values.Label)).map((row) => ({ row: row.row, label: text(row.values.Label)! }));
}

/** The box labels of rows (such as the ones selected), each once, in row order. */
export function labelsOfRows(rows: SheetRow[]): string[] {
  return [...new Set(rows.flatMap((row) => (text(row.values.Label) ? [text(row.values.Label)!] : [])))];
}

export interface ConfirmResult {
  label: string;
  outcome: 'CONFIRMED' | 'ERROR';
  code: string | null;
  message: string | null;
  billing: { invoiceNumbers: string[]; issue: { code: string; message: string } | null; releasedUnits: number } | null;
}

/** Result, Invoice # and Message for each confirmed row; a preview (dry run) says what would happen. */
export function confirmUpdates(marked: Array<{ row: number; label: string }>, results: ConfirmResult[], preview: boolean): Map<number, RowUpdate> {
  const byLabel = new Map(results.map((r) => [r.label, r]));
  const updates = new Map<number, RowUpdate>();
  for (const { row, label } of marked) {
    const result = byLabel.get(label);
    if (!result) {
      updates.set(row, { Result: 'ERROR', 'Invoice #': null, Message: 'no answer for this label' });
    } else if (result.outcome === 'ERROR') {
      updates.set(row, { Result: 'ERROR', 'Invoice #': null, Message: result.message });
    } else if (result.billing?.issue) {
      updates.set(row, {
        Result: preview ? 'WOULD NOT BILL' : 'NOT BILLED',
        'Invoice #': null,
        Message: `${result.billing.issue.code}: ${result.billing.issue.message}`,
      });
    } else if (result.billing?.invoiceNumbers.length) {
      const released = result.billing.releasedUnits ? `; ${result.billing.releasedUnits} units left in inventory` : '';
      updates.set(row, {
        Result: preview ? 'WOULD BILL' : 'BILLED',
        'Invoice #': result.billing.invoiceNumbers.join(', '),
        Message: `${preview ? 'would be confirmed and billed' : 'confirmed and billed'}${released}`,
      });
    } else {
      updates.set(row, { Result: preview ? 'WOULD CONFIRM' : 'CONFIRMED', 'Invoice #': null, Message: preview ? 'would enter inventory' : 'in inventory' });
    }
  }
  return updates;
}
