// The Inventory sheet: one row per box in inventory, coloured by age band; rows with Adjust Units and a
// Reason become adjustInventory items (docs/warehouse.md#the-inventory-and-count-sheets).
import type { AdjustInventoryInput } from '../api/generated/operations';
import { integer, text, type CellError, type ParseOptions } from './cells';
import { excelRow, isBlank, type CellValue, type RowUpdate, type SheetRow } from './tables';

export interface InventoryBox {
  label: string;
  product: { code: string; category: { code: string } | null };
  boxType: { code: string };
  unitsRemaining: number;
  location: { code: string };
  arrivalDate: string;
  ageDays: number;
  ageBand: string | null;
  aged: boolean;
  received: boolean;
  inventoryType: string | null;
  customer: { code: string } | null;
  landedUnitCost: string;
}

export interface AgeBand {
  name: string;
  maxDays: number | null | undefined;
}

/** Row fills as Komet colours inventory by age: green while fresh, yellow, then red; in transit blue. */
export const AGE_FILLS = { fresh: '#C6EFCE', middle: '#FFEB9C', old: '#FFC7CE', inTransit: '#DDEBF7' } as const;

/**
 * The fill of a box's row: the first band green, the last red, any band between yellow; a box not arrived
 * yet (no band, negative age) blue. A band the settings no longer name (renamed since the pull) is left unfilled.
 */
export function ageFill(box: Pick<InventoryBox, 'ageBand' | 'ageDays'>, bands: readonly AgeBand[]): string | null {
  if (box.ageBand === null) return box.ageDays < 0 ? AGE_FILLS.inTransit : null;
  const index = bands.findIndex((band) => band.name === box.ageBand);
  if (index < 0) return null;
  if (index === 0) return AGE_FILLS.fresh;
  return index === bands.length - 1 ? AGE_FILLS.old : AGE_FILLS.middle;
}

/** The Age Band cell: the band's name, or "in transit" for a box still to arrive. */
export function ageBandCell(box: Pick<InventoryBox, 'ageBand' | 'ageDays'>): string | null {
  return box.ageBand ?? (box.ageDays < 0 ? 'in transit' : null);
}

/** A box as an Inventory row, in the standard column order. */
export function inventoryRow(box: InventoryBox): CellValue[] {
  return [
    box.label,
    box.product.code,
    box.boxType.code,
    box.unitsRemaining,
    box.location.code,
    box.arrivalDate,
    box.ageDays,
    ageBandCell(box),
    box.product.category?.code ?? null,
    box.inventoryType,
    box.customer?.code ?? null,
    Number(box.landedUnitCost),
    null,
    null,
    null,
    null,
    box.aged ? "past its category's maximum age: proposed for dump" : null,
  ];
}

export const ADJUSTMENT_REASONS = ['DUMP', 'SHRINK', 'EXPIRED', 'DONATION', 'SAMPLE', 'OTHER'] as const;

export interface AdjustmentItem {
  row: number;
  input: AdjustInventoryInput;
}

/**
 * The rows to adjust: those with Adjust Units (units taken out of the box; a number typed as text follows
 * the company's decimal separator) and a Reason. A row with only one of the two, or a value that cannot be
 * read, is an error naming its Excel row and column; rows with neither are left alone.
 */
export function adjustmentsOf(rows: SheetRow[], options: ParseOptions): { items: AdjustmentItem[]; invalid: Map<number, RowUpdate> } {
  const items: AdjustmentItem[] = [];
  const invalid = new Map<number, RowUpdate>();
  for (const row of rows) {
    const v = row.values;
    if (isBlank(v['Adjust Units']) && isBlank(v.Reason)) continue;
    const errors: CellError[] = [];
    const units = integer(v['Adjust Units'], 'Adjust Units', errors, options);
    const label = text(v.Label);
    const reason = text(v.Reason)?.toUpperCase() ?? null;
    if (!label) errors.push({ column: 'Label', message: 'Label is required: the box to adjust' });
    if (isBlank(v['Adjust Units'])) errors.push({ column: 'Adjust Units', message: 'Adjust Units is required with a Reason: the units taken out of the box' });
    else if (units !== null && units < 1) errors.push({ column: 'Adjust Units', message: `Adjust Units ${units}: the units taken out, at least 1` });
    if (!reason) errors.push({ column: 'Reason', message: `Reason is required with Adjust Units: one of ${ADJUSTMENT_REASONS.join(', ')}` });
    else if (!(ADJUSTMENT_REASONS as readonly string[]).includes(reason))
      errors.push({ column: 'Reason', message: `Reason "${text(v.Reason)}" is not one of ${ADJUSTMENT_REASONS.join(', ')}` });
    if (errors.length) {
      invalid.set(row.row, { Status: 'ERROR', Message: `Row ${excelRow(row)}: ${errors.map((e) => e.message).join('; ')}` });
      continue;
    }
    items.push({ row: row.row, input: { label: label!, unitsRemoved: units, reason: reason!, note: text(v.Note) } });
  }
  return { items, invalid };
}

export interface AdjustmentAnswer {
  adjustments: Array<{ label: string; units: number; unitsRemaining: number; boxStatus: string }>;
  errors: Array<{ code: string; message: string; row?: number | null; field?: string | null }>;
}

const FIELD_COLUMNS: Record<string, string> = { label: 'Label', unitsRemoved: 'Adjust Units', countedUnits: 'Adjust Units', reason: 'Reason', note: 'Note' };

/**
 * Status and Message per adjusted row. The server takes the list whole or not at all: refused, each row
 * the server names gets its error (by Excel row and column), every other row "not adjusted".
 */
export function adjustmentUpdates(items: AdjustmentItem[], rows: SheetRow[], answer: AdjustmentAnswer): Map<number, RowUpdate> {
  const updates = new Map<number, RowUpdate>();
  const excel = new Map(rows.map((row) => [row.row, excelRow(row)]));
  if (answer.errors.length) {
    const byItem = new Map<number, string[]>();
    for (const error of answer.errors) {
      const index = (error.row ?? 0) - 1;
      const column = FIELD_COLUMNS[(error.field ?? '').split('.').pop() ?? ''];
      const message = error.message.replace(/^Row \d+(, [^:]*)?: /, '');
      byItem.set(index, [...(byItem.get(index) ?? []), column && !message.includes(column) ? `${column}: ${message}` : message]);
    }
    const general = byItem.get(-1) ?? [];
    items.forEach((item, i) => {
      const own = byItem.get(i);
      const message = own
        ? `Row ${excel.get(item.row)}: ${own.join('; ')}`
        : general.length
          ? general.join('; ')
          : 'not adjusted: another row of this push has an error';
      updates.set(item.row, { Status: 'ERROR', Message: message });
    });
    return updates;
  }
  items.forEach((item, i) => {
    const done = answer.adjustments[i];
    if (!done) return;
    const left = done.boxStatus === 'VOID' ? 'box now VOID (no unit left)' : `${done.unitsRemaining} unit(s) left`;
    updates.set(item.row, {
      Status: 'OK',
      Message: `${done.units} unit(s) adjusted out (${item.input.reason}); ${left}`,
      Units: done.unitsRemaining,
      'Adjust Units': null,
      Reason: null,
    });
  });
  return updates;
}
