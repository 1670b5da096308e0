// The Count sheet: labels a scanner gun typed into the Label column, pushed into a physical count, and the
// count's report written back (docs/warehouse.md#the-inventory-and-count-sheets).
import { text } from './cells';
import { excelRow, type CellValue, type RowUpdate, type SheetRow } from './tables';

/** The longest label the server takes. */
export const MAX_LABEL = 60;

/** Result of a row the report added: a box expected at the location and not scanned. */
export const MISSING = 'MISSING';
/** Result of a missing box the count's close adjusted out of inventory. */
export const WRITTEN_OFF = 'WRITTEN OFF';

const upper = (value: CellValue) =>
  String(value ?? '')
    .trim()
    .toUpperCase();

/** The count the sheet's rows were last pushed into (the Count # of the lowest row that has one). */
export function countOfSheet(rows: SheetRow[]): string | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const number = text(rows[i].values['Count #']);
    if (number) return number.toUpperCase();
  }
  return null;
}

export interface Scan {
  row: number;
  label: string;
}

/**
 * The rows to send: a label not yet pushed into a count (no Count #), or one that failed (Result ERROR);
 * rows of another count and the rows the report added are left alone. A label longer than the server
 * takes is an error on its row, naming the Excel row and the column.
 */
export function scansToSend(rows: SheetRow[]): { scans: Scan[]; invalid: Map<number, RowUpdate> } {
  const scans: Scan[] = [];
  const invalid = new Map<number, RowUpdate>();
  for (const row of rows) {
    const label = text(row.values.Label);
    const result = upper(row.values.Result);
    if (result === MISSING || (text(row.values['Count #']) && result !== 'ERROR')) continue;
    if (!label) {
      invalid.set(row.row, { Result: 'ERROR', Message: `Row ${excelRow(row)}: Label is required (the box label as scanned)` });
    } else if (label.length > MAX_LABEL) {
      invalid.set(row.row, { Result: 'ERROR', Message: `Row ${excelRow(row)}: Label has ${label.length} characters, at most ${MAX_LABEL}: is it one label?` });
    } else scans.push({ row: row.row, label });
  }
  return { scans, invalid };
}

/** The clock as a Scanned At cell: the computer's local date and time, to the minute. */
export function scannedAt(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
}

/**
 * Result, Count # and Scanned At (kept when the row has one) per row sent. A label the server had already
 * (scanned earlier, or by another counter) is ALREADY SCANNED; a label twice in this push counts on its
 * first row, the others say where.
 */
export function scanUpdates(
  scans: Scan[],
  rows: SheetRow[],
  count: string,
  outcomes: Map<string, 'SCANNED' | 'ALREADY_SCANNED'>,
  now: string,
): Map<number, RowUpdate> {
  const byRow = new Map(rows.map((row) => [row.row, row]));
  const first = new Map<string, number>();
  const updates = new Map<number, RowUpdate>();
  for (const scan of scans) {
    const row = byRow.get(scan.row)!;
    const outcome = outcomes.get(scan.label);
    if (!outcome) continue;
    const at = text(row.values['Scanned At']) ? row.values['Scanned At'] : now;
    const earlier = first.get(scan.label);
    if (earlier === undefined) first.set(scan.label, excelRow(row));
    const message =
      earlier !== undefined
        ? `also scanned on row ${earlier}: counted once`
        : outcome === 'SCANNED'
          ? 'scanned'
          : 'already scanned in this count (an earlier push or another counter): counted once';
    updates.set(scan.row, {
      Result: earlier === undefined && outcome === 'SCANNED' ? 'SCANNED' : 'ALREADY SCANNED',
      'Count #': count,
      'Scanned At': at,
      Message: message,
    });
  }
  return updates;
}

export interface CountReportLine {
  label: string;
  finding: string;
  product: { code: string } | null;
  units: number | null;
  invoiceNumber: string | null;
  action: string;
}

export interface CountReportAnswer {
  count: { number: string; status: string; location: { code: string }; expectedBoxes: number; scannedLabels: number };
  matched: number;
  missing: CountReportLine[];
  unexpected: CountReportLine[];
}

/**
 * The report in the sheet: each scanned row of the count gets Result OK (in inventory here) or what was
 * found (STAGED, INVOICED, SHIPPED, VOID, OTHER_LOCATION, UNKNOWN) with what to do in Message; the rows an
 * earlier report added for missing boxes go, and one row per box missing now is added (Result MISSING).
 * `updates` may already hold the scan results of this push: the report adds to them.
 */
export function reportRows(
  rows: SheetRow[],
  report: CountReportAnswer,
  updates: Map<number, RowUpdate>,
): { updates: Map<number, RowUpdate>; remove: number[]; append: CellValue[][] } {
  const number = report.count.number;
  const unexpected = new Map(report.unexpected.map((line) => [line.label.toUpperCase(), line]));
  const remove: number[] = [];
  const merged = new Map(updates);
  for (const row of rows) {
    const update = merged.get(row.row) ?? {};
    const count = upper(update['Count #'] ?? row.values['Count #']);
    const result = upper(update.Result ?? row.values.Result);
    if (count !== number) continue;
    if (result === MISSING) {
      remove.push(row.row);
      continue;
    }
    if (result === 'ERROR' || result === WRITTEN_OFF) continue;
    const label = text(row.values.Label)?.toUpperCase() ?? '';
    const line = unexpected.get(label);
    const scan = update.Message && !String(update.Message).startsWith('scanned') ? `${String(update.Message)}. ` : '';
    if (line) {
      const invoice = line.invoiceNumber ? ` (${line.invoiceNumber})` : '';
      merged.set(row.row, {
        ...update,
        Result: line.finding,
        Product: line.product?.code ?? null,
        Units: line.units,
        Message: `${scan}${line.action}${invoice}`,
      });
    } else merged.set(row.row, { ...update, Result: 'OK', Message: `${scan}in inventory at ${report.count.location.code}` });
  }
  const append = report.missing.map((line) => [line.label, null, MISSING, number, line.product?.code ?? null, line.units, line.action]);
  return { updates: merged, remove, append };
}

/** What the report says, in a sentence. */
export function reportText(report: CountReportAnswer): string {
  const { count } = report;
  const closed = count.status === 'CLOSED' ? ' (closed)' : '';
  return `${count.number}${closed} at ${count.location.code}: ${count.expectedBoxes} box(es) expected, ${count.scannedLabels} label(s) scanned; ${report.matched} in place, ${report.missing.length} missing, ${report.unexpected.length} unexpected.`;
}

export interface WrittenOff {
  label: string;
  units: number;
  reason: string;
}

/**
 * After a close that adjusted the missing boxes: their MISSING rows say so (Result WRITTEN OFF), and a box
 * adjusted without a row in the sheet (its report never written here) gets one.
 */
export function writtenOffRows(rows: SheetRow[], number: string, adjustments: WrittenOff[]): { updates: Map<number, RowUpdate>; append: CellValue[][] } {
  const byLabel = new Map(adjustments.map((a) => [a.label.toUpperCase(), a]));
  const updates = new Map<number, RowUpdate>();
  const seen = new Set<string>();
  for (const row of rows) {
    const label = text(row.values.Label)?.toUpperCase() ?? '';
    const adjusted = byLabel.get(label);
    if (!adjusted || upper(row.values['Count #']) !== number || upper(row.values.Result) !== MISSING) continue;
    seen.add(label);
    updates.set(row.row, {
      Result: WRITTEN_OFF,
      Units: 0,
      Message: `not found: ${adjusted.units} unit(s) adjusted out as ${adjusted.reason} when ${number} was closed`,
    });
  }
  const append = adjustments
    .filter((a) => !seen.has(a.label.toUpperCase()))
    .map((a) => [a.label, null, WRITTEN_OFF, number, null, 0, `not found: ${a.units} unit(s) adjusted out as ${a.reason} when ${number} was closed`]);
  return { updates, append };
}
