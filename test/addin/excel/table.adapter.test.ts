import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import { readTable, writeRowUpdates, WRITE_CHUNK_ROWS } from '../../../addin/excel/table.adapter';
import { allColumns } from '../../../addin/sheets/tables';

/** A Prebooks table in a mocked Excel: header, data rows, and a record of every range written. */
function mockExcel(rows: unknown[][]) {
  const header = allColumns('Prebooks');
  const writes: Array<{ row: number; values: unknown[][] }> = [];
  const fills: Record<number, string | null> = {};
  const syncs = { count: 0 };
  const rangeAt = (row: number) => ({
    getResizedRange: (rowsDown: number) => {
      const range = {
        set values(values: unknown[][]) {
          writes.push({ row, values });
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
  const data = {
    context: {
      workbook: {
        tables: {
          prebooks: {
            headerRange: { values: [header] },
            bodyRange: { values: rows, getCell: (row: number) => rangeAt(row) },
            getHeaderRowRange: function (this: { headerRange: unknown }) {
              return this.headerRange;
            },
            getDataBodyRange: function (this: { bodyRange: unknown }) {
              return this.bodyRange;
            },
          },
          getItem: function (this: { prebooks: unknown }, name: string) {
            expect(name).toBe('Prebooks');
            return this.prebooks;
          },
        },
      },
    },
  };
  const mock = new OfficeMockObject(data as never) as unknown as { context: Excel.RequestContext };
  const sync = mock.context.sync.bind(mock.context);
  (mock.context as { sync: () => Promise<void> }).sync = async () => {
    syncs.count++;
    await sync();
  };
  return { context: mock.context, writes, fills, syncs, header };
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
  });

  it('writes Status, Message and # back as whole 2-D arrays in chunks, highlighting error rows, one sync per chunk', async () => {
    const count = WRITE_CHUNK_ROWS + 20;
    const header = allColumns('Prebooks');
    const rows = Array.from({ length: count }, (_, i) => header.map((c) => (c === 'Customer' ? `C${i}` : '')));
    const excel = mockExcel(rows);
    const snapshot = await readTable(excel.context, 'Prebooks');
    const updates = new Map([
      [1, { Status: 'OK', Message: 'saved', 'Prebook #': 'PB-000001' }],
      [count, { Status: 'ERROR', Message: 'Product: unknown product "X"' }],
    ]);
    await writeRowUpdates(excel.context, 'Prebooks', snapshot, updates);
    expect(excel.syncs.count).toBe(1 + 2);
    expect(excel.writes.map((w) => [w.row, w.values.length])).toEqual([
      [0, WRITE_CHUNK_ROWS],
      [WRITE_CHUNK_ROWS, 20],
    ]);
    const first = excel.writes[0].values[0];
    expect(first[header.indexOf('Prebook #')]).toBe('PB-000001');
    expect(first[header.indexOf('Status')]).toBe('OK');
    expect(first[header.indexOf('Customer')]).toBe('C0');
    const last = excel.writes[1].values[19];
    expect(last[header.indexOf('Message')]).toBe('Product: unknown product "X"');
    expect(excel.fills).toEqual({ 0: null, [count - 1]: '#FDE2E1' });
  });
});

describe('invoice sheet layout', () => {
  it('lays out header, lines and totals for printing', async () => {
    const { invoiceSheetValues } = await import('../../../addin/excel/table.adapter');
    const values = invoiceSheetValues({
      number: 'INV-000001',
      status: 'PENDING',
      customer: { code: 'FRESHMART', name: 'FreshMart' },
      shipTo: null,
      carrier: { name: 'Armellini' },
      truckDate: '2027-02-10',
      customerPo: 'FM-1',
      total: '85.00',
      cost: '52.00',
      gpmPercent: '38.82',
      pricePending: false,
      lines: [{ lineNo: 1, product: { code: 'ROSE', name: 'Rose' }, boxes: 1, units: 100, unitPrice: '0.85', amount: '85.00', unitCost: '0.52', cost: '52.00', gpmPercent: '38.82' }],
    });
    expect(values[0][0]).toBe('Invoice INV-000001');
    expect(values[5]).toEqual(['Line', 'Product', 'Boxes', 'Units', 'Unit price', 'Amount', 'Cost', 'GPM %']);
    expect(values[6]).toEqual([1, 'Rose (ROSE)', 1, 100, 0.85, 85, 52, 38.82]);
    expect(values.at(-1)).toEqual(['', 'Total', '', '', '', 85, 52, 38.82]);
    expect(values.every((row) => row.length === 8)).toBe(true);
  });
});

describe('creating and refilling tables (office-addin-mock)', () => {
  it('creates a table with the exact columns, formats, hidden columns and list validation from a hidden Lists sheet', async () => {
    const { createTable } = await import('../../../addin/excel/table.adapter');
    const ranges: Record<string, { values?: unknown; numberFormat?: unknown; columnHidden?: boolean; rule?: unknown }> = {};
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
        },
      };
    };
    const table = { name: '', getHeaderRowRange: () => range('header') };
    const lists = { visibility: '', getRange: (address: string) => range(`Lists!${address}`) };
    const data = {
      context: {
        workbook: {
          worksheets: {
            missing: { isNullObject: true },
            add: (name: string) =>
              name === 'Lists'
                ? lists
                : { getRange: (address: string) => range(address), tables: { add: (address: string) => ((ranges.tableAddress = { values: address }), table) }, activate: () => undefined },
            getItemOrNullObject: function (this: { missing: unknown }) {
              return this.missing;
            },
          },
        },
      },
    };
    (globalThis as { Excel?: unknown }).Excel = { SheetVisibility: { hidden: 'Hidden' } };
    const mock = new OfficeMockObject(data as never) as unknown as { context: Excel.RequestContext };
    await createTable(mock.context, 'Prebooks', { Customer: ['BLOOMS', 'FRESHMART'], 'Sell By': ['BOX', 'UNIT'] });
    const columns = allColumns('Prebooks');
    expect(table.name).toBe('Prebooks');
    expect(ranges.header.values).toEqual([columns]);
    expect(ranges.tableAddress.values).toBe('A1:V1');
    expect(ranges['F:F'].numberFormat).toEqual([['yyyy-mm-dd']]);
    expect(ranges['O:O'].numberFormat).toEqual([['#,##0.00##']]);
    expect(['T:T', 'U:U', 'V:V'].map((c) => ranges[c].columnHidden)).toEqual([true, true, true]);
    expect(lists.visibility).toBe('Hidden');
    expect(ranges['Lists!A1:A3'].values).toEqual([['Customer'], ['BLOOMS'], ['FRESHMART']]);
    expect(ranges['C2:C10000'].rule).toEqual({ list: { inCellDropDown: true, source: '=Lists!$A$2:$A$3' } });
    expect(ranges['J2:J10000'].rule).toEqual({ list: { inCellDropDown: true, source: '=Lists!$B$2:$B$3' } });
  });
});

describe('refilling a table (office-addin-mock)', () => {
  it('clears the old rows and adds the new ones in chunks of whole 2-D arrays', async () => {
    const { replaceRows } = await import('../../../addin/excel/table.adapter');
    const added: unknown[][][] = [];
    const state = { cleared: false, deleted: false };
    const data = {
      context: {
        workbook: {
          tables: {
            staging: {
              rows: {
                count: 3,
                add: (_index: unknown, values: unknown[][]) => {
                  added.push(values);
                },
              },
              body: {
                clear: () => {
                  state.cleared = true;
                },
                delete: () => {
                  state.deleted = true;
                },
              },
              getDataBodyRange: function (this: { body: unknown }) {
                return this.body;
              },
            },
            getItem: function (this: { staging: unknown }, name: string) {
              expect(name).toBe('Staging');
              return this.staging;
            },
          },
        },
      },
    };
    const mock = new OfficeMockObject(data as never) as unknown as { context: Excel.RequestContext };
    const rows = Array.from({ length: 1234 }, (_, i) => [`B-${i}`]);
    await replaceRows(mock.context, 'Staging', rows);
    expect(state).toEqual({ cleared: true, deleted: true });
    expect(added.map((chunk) => chunk.length)).toEqual([500, 500, 234]);
    expect(added[0][0]).toHaveLength(allColumns('Staging').length);
    expect(added[2][233][0]).toBe('B-1233');
  });
});
