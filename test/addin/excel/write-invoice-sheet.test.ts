// writeInvoiceSheet with office-addin-mock: one invoice becomes its own sheet, written as whole 2-D
// ranges with formats, in two syncs whatever the number of lines.
import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import { invoiceSheetValues, writeInvoiceSheet, type InvoiceDocument } from '../../../addin/excel/table.adapter';

function invoice(lines: number): InvoiceDocument {
  return {
    number: 'INV-000042',
    status: 'PENDING',
    customer: { code: 'FRESHMART', name: 'FreshMart Supermarkets' },
    shipTo: { code: 'DC-ATL', name: 'Atlanta DC' },
    carrier: { name: 'Armellini' },
    truckDate: '2027-02-10',
    customerPo: 'FM-1',
    total: '900.00',
    cost: '585.00',
    gpmPercent: '35.00',
    pricePending: false,
    lines: Array.from({ length: lines }, (_, i) => ({
      lineNo: i + 1,
      product: { code: 'BQT-SPRING', name: 'Spring bouquet' },
      boxes: 1,
      units: 8,
      unitPrice: i === 0 ? null : '10.00',
      amount: i === 0 ? null : '80.00',
      unitCost: '6.50',
      cost: '52.00',
      gpmPercent: i === 0 ? null : '35.00',
    })),
  };
}

/** A workbook with an older sheet of the same invoice, recording every range, format and sync. */
function mockWorkbook() {
  const ranges: Record<string, Record<string, unknown>> = {};
  const events: string[] = [];
  const syncs = { count: 0 };
  const range = (address: string) => {
    const record = (ranges[address] ??= {});
    return {
      set values(values: unknown[][]) {
        record.values = values;
      },
      set numberFormat(format: unknown[][]) {
        record.numberFormat = format;
      },
      format: {
        font: {
          set bold(bold: boolean) {
            record.bold = bold;
          },
          set size(size: number) {
            record.size = size;
          },
        },
        fill: {
          set color(color: string) {
            record.fill = color;
          },
        },
        autofitColumns: () => {
          record.autofit = true;
        },
      },
    };
  };
  const newSheet = { getRange: range, activate: () => events.push('activate') };
  const data = {
    context: {
      workbook: {
        worksheets: {
          old: { isNullObject: false, delete: () => events.push('delete old sheet') },
          getItemOrNullObject: function (this: { old: unknown }, name: string) {
            events.push(`get ${name}`);
            return this.old;
          },
          add: (name: string) => {
            events.push(`add ${name}`);
            return newSheet;
          },
        },
      },
    },
  };
  const mock = new OfficeMockObject(data as never) as unknown as { context: Excel.RequestContext };
  // Excel fills isNullObject at sync without a load; the mock only returns loaded properties.
  (mock.context.workbook.worksheets as unknown as { old: { load(property: string): void } }).old.load('isNullObject');
  const sync = mock.context.sync.bind(mock.context);
  (mock.context as { sync: () => Promise<void> }).sync = async () => {
    syncs.count++;
    events.push('sync');
    await sync();
  };
  return { context: mock.context, ranges, events, syncs };
}

describe('writeInvoiceSheet (office-addin-mock)', () => {
  it('replaces the invoice sheet with header, lines, totals, cost and GPM in whole ranges', async () => {
    const excel = mockWorkbook();
    await writeInvoiceSheet(excel.context, invoice(3));
    expect(excel.events).toEqual(['get INV-000042', 'sync', 'delete old sheet', 'add INV-000042', 'activate', 'sync']);
    const values = excel.ranges['A1:H11'].values as unknown[][];
    expect(values).toEqual(invoiceSheetValues(invoice(3)));
    expect(values[0][0]).toBe('Invoice INV-000042');
    expect(values[5]).toEqual(['Line', 'Product', 'Boxes', 'Units', 'Unit price', 'Amount', 'Cost', 'GPM %']);
    expect(values[6]).toEqual([1, 'Spring bouquet (BQT-SPRING)', 1, 8, '', '', 52, '']);
    expect(values[7]).toEqual([2, 'Spring bouquet (BQT-SPRING)', 1, 8, 10, 80, 52, 35]);
    expect(values[10]).toEqual(['', 'Total', '', '', '', 900, 585, 35]);
    expect(excel.ranges['E7:G11'].numberFormat).toEqual([['#,##0.00']]);
    expect(excel.ranges['A6:H6']).toMatchObject({ bold: true, fill: '#E8F5E9' });
    expect(excel.ranges['A11:H11']).toMatchObject({ bold: true });
    expect(excel.ranges['A1:H11'].autofit).toBe(true);
    // Formats and autofit go on exact ranges, never on whole columns.
    expect(Object.keys(excel.ranges).filter((address) => !/\d/.test(address))).toEqual([]);
  });

  it('syncs twice whatever the number of lines (no sync per line)', async () => {
    const excel = mockWorkbook();
    await writeInvoiceSheet(excel.context, invoice(400));
    expect(excel.syncs.count).toBe(2);
    expect((excel.ranges['A1:H408'].values as unknown[][]).length).toBe(408);
  });
});
