/** The buyer's tables (DESIGN.md section 6): exact visible columns, then hidden bookkeeping columns. */
export const TABLE_COLUMNS = {
  Prebooks: [
    'Prebook #',
    'Ref',
    'Customer',
    'Ship To',
    'Carrier',
    'Truck Date',
    'Customer PO',
    'Holiday',
    'Product',
    'Sell By',
    'Box Type',
    'Boxes',
    'Units/Box',
    'Units',
    'Price',
    'Cost',
    'Vendor',
    'Vendor Cost',
    'Status',
    'Message',
  ],
  PurchaseOrders: [
    'PO #',
    'Ref',
    'Vendor',
    'Customer',
    'Location',
    'Ship Date',
    'Port',
    'Product',
    'Box Type',
    'Boxes',
    'Units/Box',
    'Unit Cost',
    'Prebook #',
    'Status',
    'Message',
  ],
  Shipments: ['PO #', 'PO Line', 'Product', 'Boxes', 'AWB', 'Ship Date', 'Arrival Date', 'Port', 'Freight', 'Labels', 'Status', 'Message'],
  Staging: [
    'Label',
    'PO #',
    'AWB',
    'Arrival',
    'Vendor',
    'Product',
    'Box Type',
    'Units',
    'Received',
    'Port',
    'Landed Cost',
    'Customer',
    'Prebook #',
    'Confirm',
    'Result',
    'Invoice #',
    'Message',
  ],
  Invoices: [
    'Invoice #',
    'Customer',
    'Ship To',
    'Carrier',
    'Truck Date',
    'Customer PO',
    'Status',
    'Pick Ticket',
    'Product',
    'Boxes',
    'Units',
    'Unit Price',
    'Amount',
    'Unit Cost',
    'GPM %',
  ],
  Production: [
    'Run #',
    'Finished Product',
    'Component',
    'Required',
    'Transferred',
    'Short/Over',
    'Est. Unit Cost',
    'Actual Unit Cost',
    'Est. GPM %',
    'Actual GPM %',
    'Transferred Cost',
  ],
} as const;

/**
 * Hidden columns after the visible ones: the version read with a document, the server's line id, what
 * was last pushed, and a new document's own id (given on its first push, kept until it has a number:
 * a retried push of the same rows is the same document, identical rows of another file are another).
 */
export const HIDDEN_COLUMNS = {
  Prebooks: ['Version', 'Line Id', 'Pushed', 'Document Id'],
  PurchaseOrders: ['Version', 'Pushed', 'Document Id'],
  Shipments: [],
  Staging: [],
  Invoices: [],
  Production: [],
} as const;

export type TableName = keyof typeof TABLE_COLUMNS;

export function allColumns(table: TableName): string[] {
  return [...TABLE_COLUMNS[table], ...HIDDEN_COLUMNS[table]];
}

/** Excel number formats per column: dates, money, whole numbers. */
export const COLUMN_FORMATS: Record<string, string> = {
  'Truck Date': 'yyyy-mm-dd',
  'Ship Date': 'yyyy-mm-dd',
  Arrival: 'yyyy-mm-dd',
  'Arrival Date': 'yyyy-mm-dd',
  Freight: '#,##0.00',
  Boxes: '0',
  'Units/Box': '0',
  Units: '0',
  Price: '#,##0.00##',
  Cost: '#,##0.00##',
  'Vendor Cost': '#,##0.00##',
  'Unit Cost': '#,##0.00##',
  'Unit Price': '#,##0.00##',
  'Landed Cost': '#,##0.00##',
  Amount: '#,##0.00',
  'GPM %': '0.00',
  Required: '0.##',
  Transferred: '0',
  'Short/Over': '+0.##;-0.##;0',
  'Est. Unit Cost': '#,##0.00##',
  'Actual Unit Cost': '#,##0.00##',
  'Est. GPM %': '0.00',
  'Actual GPM %': '0.00',
  'Transferred Cost': '#,##0.00',
};

/** Cell values as both Excel (Office.js) and exceljs give them. */
export type CellValue = string | number | boolean | Date | null | undefined;

/** A table row keyed by column name, with its 1-based position among the table's data rows. */
export interface SheetRow {
  row: number;
  /** The Excel row number the buyer sees (the header's row + `row`); unknown means a header on row 1. */
  sheetRow?: number;
  values: Record<string, CellValue>;
}

/** The row number a message names: the one at the left of the sheet, not the position among the data rows. */
export function excelRow(row: SheetRow): number {
  return row.sheetRow ?? row.row + 1;
}

/** What the tool writes back into a row. */
export type RowUpdate = Record<string, CellValue>;

/** `headerRow` is the Excel row number of the table's header (1 when the table starts at the top of its sheet). */
export function rowsFromValues(table: TableName, header: CellValue[], data: CellValue[][], headerRow = 1): SheetRow[] {
  const names = header.map((h) => String(h ?? '').trim());
  const columns = allColumns(table);
  return data
    .map((cells, index) => {
      const values: Record<string, CellValue> = {};
      for (let i = 0; i < names.length; i++) values[names[i]] = cells[i] ?? null;
      return { row: index + 1, sheetRow: headerRow + index + 1, values };
    })
    .filter((row) => columns.some((column) => !isBlank(row.values[column])));
}

/**
 * Lays out rows given in the standard column order (allColumns) under a table's
 * actual header, by header name as reads match them (trimmed): a buyer may
 * reorder the columns or insert columns of their own, and each value still
 * lands under its own header. The buyer's own columns are left blank (null).
 * A table that lacks one of the visible columns of the contract is refused
 * before anything is written; a missing hidden bookkeeping column is skipped.
 */
export function rowsForHeader(table: TableName, header: CellValue[], rows: CellValue[][]): CellValue[][] {
  const names = header.map((h) => String(h ?? '').trim());
  const missing = (TABLE_COLUMNS[table] as readonly string[]).filter((column) => !names.includes(column));
  if (missing.length)
    throw new Error(
      `The ${table} table lacks the column(s) ${missing.join(', ')}: add them back (header names are the sheet's contract), then pull again. Nothing was written.`,
    );
  const standard = allColumns(table);
  const source = names.map((name) => standard.indexOf(name));
  return rows.map((cells) => source.map((from) => (from < 0 ? null : (cells[from] ?? null))));
}

export function isBlank(value: CellValue): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}
