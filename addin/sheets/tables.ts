/** The buyer's tables (docs/maintainers.md#the-sheets): exact visible columns, then hidden bookkeeping columns. */
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
    'Price Source',
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
    'Age Band',
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
    'Price Source',
    'Amount',
    'Unit Cost',
    'GPM %',
    'Charge',
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
  Inventory: [
    'Label',
    'Product',
    'Box Type',
    'Units',
    'Location',
    'Arrival',
    'Age',
    'Age Band',
    'Category',
    'Type',
    'Customer',
    'Landed Cost',
    'Adjust Units',
    'Reason',
    'Note',
    'Status',
    'Message',
  ],
  Count: ['Label', 'Scanned At', 'Result', 'Count #', 'Product', 'Units', 'Message'],
  Credits: [
    'Credit #',
    'Ref',
    'Customer',
    'Invoice #',
    'Product',
    'Kind',
    'Units',
    'Amount per Unit',
    'Amount',
    'Reason',
    'Restock',
    'Notes',
    'Status',
    'Message',
  ],
  PriceLists: ['List', 'Season', 'From', 'To', 'Product', 'Box Type', 'Price', 'Status', 'Message'],
  Payments: ['Payment #', 'Ref', 'Customer', 'Date', 'Amount', 'Method', 'Reference', 'Invoice #', 'Applied', 'Status', 'Message'],
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
  Inventory: [],
  Count: [],
  Credits: ['Version', 'Invoice Line', 'Pushed', 'Document Id'],
  PriceLists: [],
  Payments: ['Version', 'Pushed', 'Document Id'],
} as const;

export type TableName = keyof typeof TABLE_COLUMNS;

/**
 * The visible columns the tool writes into (the document's number, Status, Message…): a sheet made
 * by hand with only the columns a buyer types in gets them added at the right on its first read.
 */
export const WRITTEN_COLUMNS: Record<TableName, readonly string[]> = {
  // Price Source: where a price came from (the line, or a price list), written by a pull; a sheet without it gets it.
  Prebooks: ['Prebook #', 'Price Source', 'Status', 'Message'],
  PurchaseOrders: ['PO #', 'Status', 'Message'],
  Shipments: ['Labels', 'Status', 'Message'],
  // Age Band came after the first Staging sheets: a table without it gets it at its right.
  Staging: ['Result', 'Invoice #', 'Message', 'Age Band'],
  Invoices: ['Price Source'],
  Production: [],
  Inventory: ['Status', 'Message'],
  // A clerk's sheet may hold only the Label column the scanner types into.
  Count: ['Scanned At', 'Result', 'Count #', 'Product', 'Units', 'Message'],
  Credits: ['Credit #', 'Status', 'Message'],
  PriceLists: ['Status', 'Message'],
  Payments: ['Payment #', 'Status', 'Message'],
};

/** How far down a sheet (without an Excel table) its header row is looked for. */
export const HEADER_SEARCH_ROWS = 20;

/**
 * The header row of a sheet that holds a table without being an Excel table (a sheet named like the
 * table, with title rows above it, or saved as CSV): among the first rows, the one naming the most of
 * the table's columns, the first of them on a tie; undefined when no row names at least two (or,
 * with `mustName`, when the best row does not name that column). `rows[i]` is the sheet's row i + 1.
 */
export function findHeaderRow(table: TableName, rows: CellValue[][], mustName?: string): number | undefined {
  const columns = new Set<string>(allColumns(table));
  let best: { row: number; count: number } | undefined;
  rows.slice(0, HEADER_SEARCH_ROWS).forEach((cells, i) => {
    const names = new Set(cells.map((c) => (typeof c === 'string' ? c.trim() : '')).filter((c) => columns.has(c)));
    if (names.size >= 2 && (!best || names.size > best.count) && (!mustName || names.has(mustName))) best = { row: i + 1, count: names.size };
  });
  return best?.row;
}

/**
 * The contract's columns a table's header lacks, split in those the tool adds itself (what it writes
 * into: WRITTEN_COLUMNS, and the hidden ones) and those only the buyer can put back.
 */
export function missingColumns(table: TableName, header: readonly string[]): { addable: string[]; required: string[] } {
  const present = new Set(header.map((h) => h.trim()));
  const missing = (TABLE_COLUMNS[table] as readonly string[]).filter((c) => !present.has(c));
  return {
    addable: [...missing.filter((c) => WRITTEN_COLUMNS[table].includes(c)), ...(HIDDEN_COLUMNS[table] as readonly string[]).filter((c) => !present.has(c))],
    required: missing.filter((c) => !WRITTEN_COLUMNS[table].includes(c)),
  };
}

export function allColumns(table: TableName): string[] {
  return [...TABLE_COLUMNS[table], ...HIDDEN_COLUMNS[table]];
}

/** Excel number formats per column: dates, money, whole numbers. */
export const COLUMN_FORMATS: Record<string, string> = {
  'Truck Date': 'yyyy-mm-dd',
  From: 'yyyy-mm-dd',
  To: 'yyyy-mm-dd',
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
  Age: '0',
  'Adjust Units': '0',
  'Amount per Unit': '#,##0.00##',
  Date: 'yyyy-mm-dd',
  Applied: '#,##0.00',
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
  // Every row's values are copies of one object with every name already in it: an object given its names
  // one by one becomes a hash table past a dozen of them (some 1.9 KB a row of 24 columns, 190 MB for
  // 100,000 rows), while copies of one object parsed from JSON share its compact layout.
  const template = JSON.parse(JSON.stringify(Object.fromEntries(names.map((name) => [name, null])))) as Record<string, CellValue>;
  return data
    .map((cells, index) => {
      const values: Record<string, CellValue> = { ...template };
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
