import { date, decimal, DEFAULT_PARSE_OPTIONS, integer, text, type CellError, type ParseOptions } from './cells';
import { excelRow, isBlank, type RowUpdate, type SheetRow } from './tables';

/** One shipment to send: the rows of one PO and AWB not shipped yet. */
export interface ShipmentDraft {
  purchaseOrder: string;
  awb: string | null;
  shipDate: string | null;
  arrivalDate: string | null;
  portOfOrigin: string | null;
  freight: string | null;
  rows: Array<{ row: SheetRow; lineNo: number | null; product: string | null; boxes: number; labels: string[] | null }>;
}

/** Columns every row of one shipment must agree on. */
const HEADER_COLUMNS = ['Ship Date', 'Arrival Date', 'Port', 'Freight'];

/** Server field of shipPurchaseOrder to the Shipments column that holds it. */
export const SHIPMENT_FIELD_COLUMNS: Record<string, string> = {
  purchaseOrder: 'PO #',
  awb: 'AWB',
  shipDate: 'Ship Date',
  arrivalDate: 'Arrival Date',
  portOfOrigin: 'Port',
  freight: 'Freight',
  freightPerBox: 'Freight',
  lines: 'PO Line',
  poLine: 'PO Line',
  boxes: 'Boxes',
  labels: 'Labels',
};

const cell = (row: SheetRow, column: string) => {
  const value = row.values[column];
  return isBlank(value) ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).trim();
};

/** A row's Status OK means an earlier push shipped it: it is never sent again. */
export function alreadyShipped(row: SheetRow): boolean {
  return cell(row, 'Status').toUpperCase() === 'OK';
}

/**
 * Groups the rows not shipped yet into shipments (one per PO # and AWB) and
 * checks what can be checked without the server; a shipment with a bad row is
 * not sent, and each of its rows says why.
 */
export function prepareShipments(
  rows: SheetRow[],
  options: ParseOptions = DEFAULT_PARSE_OPTIONS,
): { shipments: ShipmentDraft[]; updates: Map<number, RowUpdate> } {
  const updates = new Map<number, RowUpdate>();
  const groups = new Map<string, SheetRow[]>();
  for (const row of rows.filter((r) => !alreadyShipped(r))) {
    const key = `${cell(row, 'PO #').toUpperCase()}\n${cell(row, 'AWB')}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const shipments: ShipmentDraft[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    const messages = new Map<number, string[]>();
    const note = (row: SheetRow, errors: CellError[]) => {
      if (errors.length) messages.set(row.row, [...(messages.get(row.row) ?? []), ...errors.map((e) => e.message)]);
    };
    const headerErrors: CellError[] = [];
    const purchaseOrder = text(first.values['PO #']);
    if (!purchaseOrder) headerErrors.push({ column: 'PO #', message: 'PO # is required' });
    const draft: ShipmentDraft = {
      purchaseOrder: purchaseOrder?.toUpperCase() ?? '',
      awb: text(first.values.AWB),
      shipDate: date(first.values['Ship Date'], 'Ship Date', headerErrors),
      arrivalDate: date(first.values['Arrival Date'], 'Arrival Date', headerErrors),
      portOfOrigin: text(first.values.Port),
      freight: decimal(first.values.Freight, 'Freight', headerErrors, options),
      rows: [],
    };
    note(first, headerErrors);
    for (const row of group) {
      const errors: CellError[] = [];
      if (row !== first) {
        for (const column of HEADER_COLUMNS) {
          if (cell(row, column) !== '' && cell(row, column) !== cell(first, column))
            errors.push({ column, message: `${column} differs from row ${excelRow(first)} of this shipment` });
        }
      }
      const lineNo = integer(row.values['PO Line'], 'PO Line', errors, options);
      const product = text(row.values.Product);
      if (lineNo === null && !product) errors.push({ column: 'PO Line', message: 'PO Line (or Product) is required' });
      const boxes = integer(row.values.Boxes, 'Boxes', errors, options);
      if (boxes === null) {
        if (isBlank(row.values.Boxes)) errors.push({ column: 'Boxes', message: 'Boxes is required' });
      } else if (boxes < 1) errors.push({ column: 'Boxes', message: `Boxes must be at least 1, not ${boxes}` });
      const labelText = text(row.values.Labels);
      const labels = labelText ? labelText.split(/[\s,;]+/).filter(Boolean) : null;
      note(row, errors);
      draft.rows.push({ row, lineNo, product, boxes: boxes ?? 0, labels });
    }
    if (messages.size) {
      rejectShipment(updates, group, messages);
      continue;
    }
    shipments.push(draft);
  }
  return { shipments, updates };
}

/** Every row of a rejected shipment gets ERROR: its own messages, or which row sank it. */
export function rejectShipment(updates: Map<number, RowUpdate>, rows: SheetRow[], messages: Map<number, string[]>): void {
  const first = rows.find((row) => messages.has(row.row)) ?? rows[0];
  for (const row of rows) {
    updates.set(row.row, {
      Status: 'ERROR',
      Message: messages.get(row.row)?.join('; ') ?? `not shipped: row ${excelRow(first)} of this shipment has an error`,
    });
  }
}

/** The column a shipPurchaseOrder error is about (lines.N.boxes -> row N of the shipment, Boxes). */
export function placeShipmentError(draft: ShipmentDraft, error: { message: string; field: string | null }): { row: SheetRow; message: string } {
  const match = /^lines\.(\d+)\.(\w+)/.exec(error.field ?? '');
  const row = match ? (draft.rows[Number(match[1]) - 1]?.row ?? draft.rows[0].row) : draft.rows[0].row;
  const column = SHIPMENT_FIELD_COLUMNS[match ? match[2] : (error.field ?? '').split('.')[0]];
  const text = error.message.replace(/^line \d+: /, '');
  return { row, message: column && !text.toLowerCase().startsWith(column.toLowerCase()) ? `${column}: ${text}` : text };
}
