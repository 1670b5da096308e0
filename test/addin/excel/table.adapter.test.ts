import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import { readTable, replaceRows, writeRowUpdates, WRITE_CHUNK_ROWS } from '../../../addin/excel/table.adapter';
import { allColumns, COLUMN_FORMATS, HIDDEN_COLUMNS } from '../../../addin/sheets/tables';

/**
 * A mocked Excel holding one table: `target` gives its headerRange, bodyRange and anything else it needs;
 * getItem must be asked for `table`, and onSync runs at every sync.
 */
function mockTableContext(
  table: string,
  target: { headerRange: unknown; bodyRange: unknown } & Record<string, unknown>,
  onSync: () => void,
): Excel.RequestContext {
  const data = {
    context: {
      workbook: {
        tables: {
          target: {
            ...target,
            getHeaderRowRange: function (this: { headerRange: unknown }) {
              return this.headerRange;
            },
            getDataBodyRange: function (this: { bodyRange: unknown }) {
              return this.bodyRange;
            },
          },
          getItem: function (this: { target: unknown }, name: string) {
            expect(name).toBe(table);
            return this.target;
          },
        },
      },
    },
  };
  const mock = new OfficeMockObject(data) as unknown as { context: Excel.RequestContext };
  const sync = mock.context.sync.bind(mock.context);
  (mock.context as { sync: () => Promise<void> }).sync = async () => {
    onSync();
    await sync();
  };
  return mock.context;
}

/** A Prebooks table in a mocked Excel: header, data rows, and a record of every range written. */
function mockExcel(rows: unknown[][]) {
  const header = allColumns('Prebooks');
  const writes: Array<{ row: number; col: number; values: unknown[][] }> = [];
  const fills: Record<number, string | null> = {};
  const syncs = { count: 0 };
  const rangeAt = (row: number, col: number) => ({
    getResizedRange: (rowsDown: number) => {
      const range = {
        set values(values: unknown[][]) {
          writes.push({ row, col, values });
        },
        format: {
          fill: {
            set color(color: string) {
              fills[row] = color;
            },
            clear: () => {
              fills[row] = null;
            },
          },
        },
      };
      void rowsDown;
      return range;
    },
  });
  // The table's header is on Excel row 3 (rowIndex is 0-based).
  const context = mockTableContext(
    'Prebooks',
    { headerRange: { values: [header], rowIndex: 2 }, bodyRange: { values: rows, getCell: (row: number, col: number) => rangeAt(row, col) } },
    () => syncs.count++,
  );
  return { context, writes, fills, syncs, header };
}

describe('Excel table adapter (office-addin-mock)', () => {
  it('reads header and rows in one sync', async () => {
    const header = allColumns('Prebooks');
    const row = header.map((c) => (c === 'Customer' ? 'FRESHMART' : c === 'Boxes' ? 4 : ''));
    const excel = mockExcel([row, header.map(() => '')]);
    const snapshot = await readTable(excel.context, 'Prebooks');
    expect(excel.syncs.count).toBe(1);
    expect(snapshot.rows).toHaveLength(1);
    expect(snapshot.rows[0].values.Customer).toBe('FRESHMART');
    expect(snapshot.rows[0].values.Boxes).toBe(4);
    // Messages name the row Excel shows: data row 1 under a header on row 3 is row 4.
    expect(snapshot.rows[0].sheetRow).toBe(4);
    expect(snapshot.headerRow).toBe(3);
  });

  it('adds the columns the tool writes into (Prebook #, Status, Message, then the hidden ones) to a table made by hand without them', async () => {
    const header = allColumns('Prebooks').filter((c) => !['Prebook #', 'Status', 'Message', ...HIDDEN_COLUMNS.Prebooks].includes(c));
    const rows = [header.map((c) => (c === 'Customer' ? 'FRESHMART' : ''))];
    const hidden: string[] = [];
    const headerRange = { values: [header], rowIndex: 0 };
    const bodyRange = { values: rows };
    let syncs = 0;
    const context = mockTableContext(
      'Prebooks',
      {
        headerRange,
        bodyRange,
        columns: {
          add: (_index: unknown, _values: unknown, name: string) => {
            header.push(name);
            rows.forEach((row) => row.push(''));
            return {
              getRange: () => ({
                set columnHidden(on: boolean) {
                  if (on) hidden.push(name);
                },
              }),
            };
          },
        },
      },
      () => syncs++,
    );
    const snapshot = await readTable(context, 'Prebooks');
    expect(snapshot.header.slice(-3 - HIDDEN_COLUMNS.Prebooks.length)).toEqual(['Prebook #', 'Status', 'Message', ...HIDDEN_COLUMNS.Prebooks]);
    expect(hidden).toEqual([...HIDDEN_COLUMNS.Prebooks]);
    expect(snapshot.rows[0].values.Customer).toBe('FRESHMART');
    expect(snapshot.rows[0].values).toHaveProperty('Status', '');
    expect(syncs).toBe(3);
  });

  it('writes back only the columns the server answers in (a column array per chunk), highlighting error rows, one sync per chunk', async () => {
    const count = WRITE_CHUNK_ROWS + 20;
    const header = allColumns('Prebooks');
    const rows = Array.from({ length: count }, (_, i) => header.map((c) => (c === 'Customer' ? `C${i}` : c === 'Status' ? 'OLD' : '')));
    const excel = mockExcel(rows);
    const snapshot = await readTable(excel.context, 'Prebooks');
    const updates = new Map([
      [1, { Status: 'OK', Message: 'saved', 'Prebook #': 'PB-000001' }],
      [count, { Status: 'ERROR', Message: 'Product: unknown product "X"' }],
    ]);
    await writeRowUpdates(excel.context, 'Prebooks', snapshot, updates);
    expect(excel.syncs.count).toBe(1 + 2);
    const col = (name: string) => header.indexOf(name);
    // Customer (and every column the buyer fills, formulas included) is never written.
    expect(excel.writes.map((w) => [w.row, w.col, w.values.length]).sort()).toEqual(
      [
        [0, col('Status'), WRITE_CHUNK_ROWS],
        [0, col('Message'), WRITE_CHUNK_ROWS],
        [0, col('Prebook #'), WRITE_CHUNK_ROWS],
        [WRITE_CHUNK_ROWS, col('Status'), 20],
        [WRITE_CHUNK_ROWS, col('Message'), 20],
        [WRITE_CHUNK_ROWS, col('Prebook #'), 20],
      ].sort(),
    );
    const written = (row: number, name: string) => {
      const write = excel.writes.find((w) => w.col === col(name) && w.row <= row && row < w.row + w.values.length)!;
      return write.values[row - write.row][0];
    };
    expect(written(0, 'Prebook #')).toBe('PB-000001');
    expect(written(0, 'Status')).toBe('OK');
    expect(written(1, 'Status')).toBe('OLD');
    expect(written(count - 1, 'Message')).toBe('Product: unknown product "X"');
    expect(excel.writes.every((w) => w.values.every((cells) => cells.length === 1))).toBe(true);
    expect(excel.fills).toEqual({ 0: null, [count - 1]: '#FDE2E1' });
  });
});

describe('bookkeeping columns a table lacks (office-addin-mock)', () => {
  it("adds a missing hidden column (a new document's Document Id) at the table's right, hidden, before writing it", async () => {
    const header = allColumns('Prebooks').filter((c) => c !== 'Document Id');
    const rows = [header.map((c) => (c === 'Ref' ? 'A' : ''))];
    const writes: Array<{ col: number; values: unknown[][] }> = [];
    const added: Array<{ name: string; hidden: boolean }> = [];
    const context = mockTableContext(
      'Prebooks',
      {
        headerRange: { values: [header], rowIndex: 0 },
        bodyRange: {
          values: rows,
          getCell: (_row: number, col: number) => ({
            getResizedRange: () => ({
              set values(values: unknown[][]) {
                writes.push({ col, values });
              },
            }),
          }),
        },
        columns: {
          add: (_index: unknown, _values: unknown, name: string) => {
            const column = { name, hidden: false };
            added.push(column);
            header.push(name);
            rows.forEach((row) => row.push(''));
            return {
              getRange: () => ({
                set columnHidden(hidden: boolean) {
                  column.hidden = hidden;
                },
              }),
            };
          },
        },
      },
      () => undefined,
    );
    const width = header.length;
    const snapshot = await readTable(context, 'Prebooks');
    await writeRowUpdates(context, 'Prebooks', snapshot, new Map([[1, { 'Document Id': 'doc-a' }]]));
    // Added once (as the table is read), never again as it is written.
    expect(added).toEqual([{ name: 'Document Id', hidden: true }]);
    expect(writes).toEqual([{ col: width, values: [['doc-a']] }]);
    expect(snapshot.header.at(-1)).toBe('Document Id');
  });
});

describe('creating and refilling tables (office-addin-mock)', () => {
  it('creates a table with the exact columns, formats, hidden columns and list validation from a hidden Lists sheet', async () => {
    const { createTable } = await import('../../../addin/excel/table.adapter');
    const ranges: Record<string, { values?: unknown; numberFormat?: unknown; columnHidden?: boolean; rule?: unknown; errorAlert?: unknown }> = {};
    const range = (address: string) => {
      const r = (ranges[address] ??= {});
      return {
        set values(v: unknown) {
          r.values = v;
        },
        set numberFormat(v: unknown) {
          r.numberFormat = v;
        },
        set columnHidden(v: boolean) {
          r.columnHidden = v;
        },
        dataValidation: {
          clear: () => undefined,
          set rule(v: unknown) {
            r.rule = v;
          },
          set errorAlert(v: unknown) {
            r.errorAlert = v;
          },
        },
      };
    };
    const columnRanges: Record<number, { bodyNumberFormat?: unknown; columnHidden?: boolean }> = {};
    const column = (i: number) => ({
      getDataBodyRange: () => ({
        set numberFormat(v: unknown) {
          (columnRanges[i] ??= {}).bodyNumberFormat = v;
        },
      }),
      getRange: () => ({
        set columnHidden(v: boolean) {
          (columnRanges[i] ??= {}).columnHidden = v;
        },
      }),
    });
    const table = { name: '', getHeaderRowRange: () => range('header'), columns: { getItemAt: column } };
    const lists = { visibility: '', getRange: (address: string) => range(`Lists!${address}`) };
    const data = {
      context: {
        workbook: {
          worksheets: {
            missing: { isNullObject: true },
            add: (name: string) =>
              name === 'Lists'
                ? lists
                : {
                    getRange: (address: string) => range(address),
                    tables: { add: (address: string) => ((ranges.tableAddress = { values: address }), table) },
                    activate: () => undefined,
                  },
            getItemOrNullObject: function (this: { missing: unknown }) {
              return this.missing;
            },
          },
        },
      },
    };
    (globalThis as { Excel?: unknown }).Excel = { SheetVisibility: { hidden: 'Hidden' } };
    const mock = new OfficeMockObject(data) as unknown as { context: Excel.RequestContext };
    await createTable(mock.context, 'Prebooks', {
      columns: { Customer: ['BLOOMS', 'FRESHMART'], 'Sell By': ['BOX', 'UNIT'], Holiday: ['Yes', 'No'] },
      shipTosByCustomer: {},
    });
    const columns = allColumns('Prebooks');
    expect(table.name).toBe('Prebooks');
    expect(ranges.header.values).toEqual([columns]);
    expect(ranges.tableAddress.values).toBe(`A1:${String.fromCharCode(64 + columns.length)}1`);
    // Number formats go on each table column's data body (Excel extends them to new rows), never on whole sheet columns.
    expect(columnRanges[columns.indexOf('Truck Date')].bodyNumberFormat).toEqual([['yyyy-mm-dd']]);
    expect(columnRanges[columns.indexOf('Price')].bodyNumberFormat).toEqual([['#,##0.00##']]);
    expect(
      Object.keys(columnRanges)
        .filter((i) => columnRanges[Number(i)].bodyNumberFormat)
        .map((i) => columns[Number(i)]),
    ).toEqual(columns.filter((c) => COLUMN_FORMATS[c]));
    expect(Object.entries(ranges).filter(([, r]) => r.numberFormat !== undefined)).toEqual([]);
    expect(['Version', 'Line Id', 'Pushed'].map((c) => columnRanges[columns.indexOf(c)].columnHidden)).toEqual([true, true, true]);
    expect(lists.visibility).toBe('Hidden');
    expect(ranges['Lists!A1:A3'].values).toEqual([['Customer'], ['BLOOMS'], ['FRESHMART']]);
    expect(ranges['C2:C10000'].rule).toEqual({ list: { inCellDropDown: true, source: '=Lists!$A$2:$A$3' } });
    expect(ranges['J2:J10000'].rule).toEqual({ list: { inCellDropDown: true, source: '=Lists!$B$2:$B$3' } });
    // A yes/no column's drop-down lists Yes and No but does not stop x, ok or ✓ typed in.
    expect(ranges['H2:H10000'].rule).toEqual({ list: { inCellDropDown: true, source: '=Lists!$C$2:$C$3' } });
    expect(ranges['H2:H10000'].errorAlert).toMatchObject({ showAlert: false });
    expect(ranges['C2:C10000'].errorAlert).toBeUndefined();
  });
});

/** A table in a mocked Excel for pulls: its header, its rows, and every request queued, in order, between syncs. */
function mockPullTable(table: string, header: string[], existing: unknown[][]) {
  const events: string[] = [];
  const added: unknown[][][] = [];
  const formats: Record<number, unknown> = {};
  const context = mockTableContext(
    table,
    {
      headerRange: { values: [header], rowIndex: 0 },
      bodyRange: { values: existing, clear: () => events.push('clear'), delete: () => events.push('delete') },
      rows: {
        count: existing.length,
        add: (_index: unknown, values: unknown[][]) => {
          events.push(`add ${values.length}`);
          added.push(values);
        },
      },
      columns: {
        getItemAt: (i: number) => ({
          getDataBodyRange: () => ({
            set numberFormat(format: unknown) {
              events.push(`format ${header[i]}`);
              formats[i] = format;
            },
          }),
        }),
      },
    },
    () => events.push('sync'),
  );
  return { context, events, added, formats };
}

describe('refilling a table (office-addin-mock)', () => {
  it('reads the header with the row count, then clears the old rows and adds the new ones in chunks of whole 2-D arrays, formatting the columns with the last', async () => {
    const header = allColumns('Staging');
    const excel = mockPullTable('Staging', header, [header.map(() => 'old'), header.map(() => 'old'), header.map(() => 'old')]);
    const rows = Array.from({ length: 1234 }, (_, i) => [`B-${i}`]);
    await replaceRows(excel.context, 'Staging', rows);
    const formatted = header.filter((c) => COLUMN_FORMATS[c]).map((c) => `format ${c}`);
    expect(excel.events).toEqual(['sync', 'clear', 'delete', 'add 500', 'sync', 'add 500', 'sync', 'add 234', ...formatted, 'sync']);
    expect(excel.added[0][0]).toHaveLength(header.length);
    expect(excel.added[2][233][0]).toBe('B-1233');
  });

  it('writes each value under its own header when the buyer reordered the columns and added one of their own (left blank)', async () => {
    const standard = allColumns('Staging');
    // The buyer moved Label to the end, reversed the rest and put a Notes column of their own in the middle.
    const rest = standard.filter((c) => c !== 'Label').reverse();
    const header = [...rest.slice(0, 5), 'Notes', ...rest.slice(5), 'Label'];
    const excel = mockPullTable('Staging', header, [header.map(() => '')]);
    const row = standard.map((c) => (c === 'Units' ? 25 : c === 'Landed Cost' ? 0.41 : c === 'Confirm' ? null : `${c} value`));
    await replaceRows(excel.context, 'Staging', [row]);
    expect(excel.events.filter((e) => e === 'sync')).toHaveLength(2);
    const [written] = excel.added[0];
    expect(written).toHaveLength(header.length);
    for (const [i, column] of standard.entries()) expect(written[header.indexOf(column)], column).toBe(row[i] ?? '');
    expect(written[header.indexOf('Notes')]).toBe('');
    // Formats follow the columns to where the buyer put them.
    expect(excel.formats[header.indexOf('Landed Cost')]).toEqual([[COLUMN_FORMATS['Landed Cost']]]);
    expect(excel.formats[header.indexOf('Arrival')]).toEqual([['yyyy-mm-dd']]);
    expect(
      Object.keys(excel.formats)
        .map((i) => header[Number(i)])
        .sort(),
    ).toEqual(standard.filter((c) => COLUMN_FORMATS[c]).sort());
  });

  it("keeps the buyer's rows as they are (their own columns too) above the pulled ones when asked, and drops blank rows", async () => {
    const standard = allColumns('PurchaseOrders');
    const header = ['Buyer note', ...standard.filter((c) => c !== 'Vendor'), 'Vendor'];
    const mine = header.map((c) => (c === 'Buyer note' ? 'call Ana first' : c === 'Vendor' ? 'VASECO' : c === 'Product' ? 'VASE-20' : c === 'Boxes' ? 1 : ''));
    // A row with only a formula result in the buyer's column counts as blank: nothing of the contract is in it.
    const blank = header.map((c) => (c === 'Buyer note' ? 0 : ''));
    const excel = mockPullTable('PurchaseOrders', header, [blank, mine]);
    const need = standard.map((c) => (c === 'Ref' ? 'NEEDS-ROSAS' : c === 'Vendor' ? 'ROSAS' : c === 'Product' ? 'ROSE-FREEDOM-50' : c === 'Boxes' ? 3 : null));
    await replaceRows(excel.context, 'PurchaseOrders', [need], undefined, { keepExisting: true });
    expect(excel.events.slice(0, 4)).toEqual(['sync', 'clear', 'delete', 'add 2']);
    const [kept, pulled] = excel.added[0];
    expect(kept).toEqual(mine);
    expect([
      pulled[header.indexOf('Buyer note')],
      pulled[header.indexOf('Ref')],
      pulled[header.indexOf('Vendor')],
      pulled[header.indexOf('Product')],
      pulled[header.indexOf('Boxes')],
    ]).toEqual(['', 'NEEDS-ROSAS', 'ROSAS', 'ROSE-FREEDOM-50', 3]);
  });

  it('refuses a table that lacks a column of the contract, before writing anything', async () => {
    const header = allColumns('Invoices').filter((c) => c !== 'Amount' && c !== 'Customer');
    const excel = mockPullTable('Invoices', header, []);
    await expect(replaceRows(excel.context, 'Invoices', [allColumns('Invoices').map(() => 'x')])).rejects.toThrow(
      'The Invoices table lacks the column(s) Customer, Amount',
    );
    expect(excel.events).toEqual(['sync']);
  });
});

describe('appending rows (pulls of documents and needs)', () => {
  it('fills the blank rows at the end in the contract columns only, adds the rest, and never writes an existing row', async () => {
    const { appendRows } = await import('../../../addin/excel/table.adapter');
    const header = ['Total', ...allColumns('PurchaseOrders')];
    const blank = header.map(() => '');
    const mine = header.map((c) => (c === 'Ref' ? 'MINE' : c === 'Total' ? 12 : ''));
    const writes: Array<{ row: number; col: number; values: unknown[][] }> = [];
    const added: unknown[][][] = [];
    const table = {
      getHeaderRowRange: () => ({
        values: [header],
        load() {
          return this;
        },
      }),
      getDataBodyRange: () => ({
        values: [mine, blank, blank],
        load() {
          return this;
        },
        getCell: (row: number, col: number) => ({
          getResizedRange: () => ({
            set values(values: unknown[][]) {
              writes.push({ row, col, values });
            },
          }),
        }),
      }),
      rows: { add: (_: unknown, values: unknown[][]) => added.push(values) },
      columns: { getItemAt: () => ({ getDataBodyRange: () => ({ numberFormat: null }) }) },
    };
    const context = { workbook: { tables: { getItem: () => table } }, sync: async () => undefined } as unknown as Excel.RequestContext;
    const standard = (ref: string) => allColumns('PurchaseOrders').map((c) => (c === 'Ref' ? ref : c === 'Boxes' ? 1 : null));
    await appendRows(context, 'PurchaseOrders', [standard('N1'), standard('N2'), standard('N3')]);
    // Rows 1 and 2 (0-based) were blank: N1 and N2 go there, column by column, never in the buyer's Total column.
    expect(writes.every((w) => w.row === 1 && w.col > 0)).toBe(true);
    expect(writes.find((w) => w.col === header.indexOf('Ref'))!.values).toEqual([['N1'], ['N2']]);
    expect(added).toHaveLength(1);
    expect(added[0].map((r) => r[header.indexOf('Ref')])).toEqual(['N3']);
    expect(added[0][0][0]).toBe('');
  });
});
