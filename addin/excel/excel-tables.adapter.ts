// The workflows' TableIO over Excel: each call is one Excel.run of the table adapter's functions.
import type { PrintableSheet } from '../sheets/printable-sheet';
import type { TableName } from '../sheets/tables';
import { MissingTableError, type TableIO } from '../workflows/table-io';
import { appendRows, createTable, readSelectedRows, readTable, removeRows, replaceRows, selectRow, writeRowUpdates } from './table.adapter';
import { writePrintableSheet } from './printable-sheet.adapter';
import { excelApiAvailable, OutsideExcelError } from './host';

/** Excel's "no such item" (a table the buyer deleted or never made) as the workflows' MissingTableError. */
function isItemNotFound(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === 'ItemNotFound' || /^ItemNotFound\b/.test(message ?? '');
}

async function run<T>(table: TableName | null, work: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  // Opened in a web browser: say where the page belongs, not "Excel is not defined".
  if (!excelApiAvailable()) throw new OutsideExcelError();
  try {
    return await Excel.run(work);
  } catch (error) {
    if (table && isItemNotFound(error)) throw new MissingTableError(table);
    throw error;
  }
}

export function excelTables(): TableIO {
  return {
    read: (table) => run(table, (context) => readTable(context, table)),
    update: (table, snapshot, updates, options) =>
      run(table, (context) => writeRowUpdates(context, table, snapshot, updates, options?.onProgress, options?.rowFills)),
    replace: (table, rows, options) => run(table, (context) => replaceRows(context, table, rows, options?.onProgress, { fills: options?.fills })),
    append: (table, rows, options) => run(table, (context) => appendRows(context, table, rows, options?.onProgress)),
    remove: (table, rows) => run(table, (context) => removeRows(context, table, rows)),
    create: (table, lists) =>
      run(null, (context) => createTable(context, table, lists)).catch((error: unknown) => {
        const { code, message } = (error ?? {}) as { code?: string; message?: string };
        if (code === 'ItemAlreadyExists' || /^ItemAlreadyExists\b/.test(message ?? '')) {
          throw new Error(`This workbook already has a ${table} sheet: use its table (Push, or Pull into it), or rename that sheet to make a new one.`);
        }
        throw error;
      }),
    select: (table, row) => run(table, (context) => selectRow(context, table, row)),
  };
}

/** The data rows of a table the user has selected (none when the selection is elsewhere). */
export function selectedRows(table: TableName) {
  return run(table, (context) => readSelectedRows(context, table));
}

/** Opens a printable document (the customer invoice) as its own sheet, ready to print. */
export function openPrintableSheet(sheet: PrintableSheet): Promise<void> {
  return run(null, (context) => writePrintableSheet(context, sheet));
}
