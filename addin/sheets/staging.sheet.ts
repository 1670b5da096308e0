import { text, yesNo, type CellError } from './cells';
import type { CellValue, RowUpdate, SheetRow } from './tables';

export interface StagedBox {
  label: string;
  purchaseOrderNumber: string;
  awb: string | null;
  arrivalDate: string;
  /** The settings' age band of its age; null while in transit (or for a pull made before age bands). */
  ageBand?: string | null;
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
    box.ageBand ?? null,
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

/**
 * The labels the buyer marked in the Confirm column (any yes: Yes, x, ok, done, ✓ ...), and the rows
 * that cannot be read as marked or not: a Confirm that is neither yes nor blank (or no), or a marked
 * row without a Label. Such rows get Result ERROR, never a silent skip.
 */
export function labelsToConfirm(rows: SheetRow[]): { marked: Array<{ row: number; label: string }>; invalid: Map<number, RowUpdate> } {
  const marked: Array<{ row: number; label: string }> = [];
  const invalid = new Map<number, RowUpdate>();
  for (const row of rows) {
    const errors: CellError[] = [];
    const yes = yesNo(row.values.Confirm, 'Confirm', errors);
    const label = text(row.values.Label);
    if (errors.length) invalid.set(row.row, { Result: 'ERROR', 'Invoice #': null, Message: errors[0].message });
    else if (yes && !label)
      invalid.set(row.row, { Result: 'ERROR', 'Invoice #': null, Message: 'Label is required: this row is marked in Confirm but has no box label' });
    else if (yes) marked.push({ row: row.row, label: label! });
  }
  return { marked, invalid };
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
