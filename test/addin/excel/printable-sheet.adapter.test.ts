// writePrintableSheet against a recording stand-in for Office.js: the customer invoice becomes its own
// sheet, values in one 2-D range, styles and merges by range, page setup, in two syncs.
import { describe, expect, it } from 'vitest';
import { writePrintableSheet } from '../../../addin/excel/printable-sheet.adapter';
import { customerInvoiceSheet } from '../../../addin/sheets/customer-invoice.document';
import { sampleInvoice } from '../../support/customer-invoice';

/** Records every property set (by path) on every range and on the sheet, and every call. */
function recordingExcel() {
  const sets: Record<string, Record<string, unknown>> = {};
  const events: string[] = [];
  let syncs = 0;
  const recorder = (target: Record<string, unknown>, path: string): unknown =>
    new Proxy(
      {},
      {
        get(_, key: string) {
          if (key === 'getItem') return (name: string) => recorder(target, `${path}${name}.`);
          if (key === 'merge') return () => (target[`${path}merge`] = true);
          if (key === 'add') return (value: string) => ((target[`${path}add`] ??= []) as string[]).push(value);
          if (key === 'setPrintArea' || key === 'setPrintTitleRows') return (value: string) => (target[`${path}${key}`] = value);
          return recorder(target, `${path}${key}.`);
        },
        set(_, key: string, value) {
          target[`${path}${key}`] = value;
          return true;
        },
      },
    );
  const sheetProps: Record<string, unknown> = {};
  const sheet = new Proxy(
    {},
    {
      get(_, key: string) {
        if (key === 'getRange') return (address: string) => recorder((sets[address] ??= {}), '');
        if (key === 'activate') return () => events.push('activate');
        return recorder(sheetProps, `${key}.`);
      },
      set(_, key: string, value) {
        sheetProps[key] = value;
        return true;
      },
    },
  );
  const context = {
    workbook: {
      worksheets: {
        getItemOrNullObject: (name: string) => (events.push(`get ${name}`), { isNullObject: false, delete: () => events.push('delete old sheet') }),
        add: (name: string) => (events.push(`add ${name}`), sheet),
      },
    },
    sync: async () => {
      syncs++;
      events.push('sync');
    },
  };
  return { context: context as unknown as Excel.RequestContext, sets, sheetProps, events, syncs: () => syncs };
}

describe('writePrintableSheet (Office.js)', () => {
  it('replaces the invoice sheet: values, styles, merges, widths and page setup, in two syncs', async () => {
    const excel = recordingExcel();
    const printable = customerInvoiceSheet(sampleInvoice(30));
    await writePrintableSheet(excel.context, printable);
    expect(excel.events).toEqual(['get INV-000042', 'sync', 'delete old sheet', 'add INV-000042', 'activate', 'sync']);
    const area = `A1:E${printable.rows.length}`;
    expect(excel.sets[area].values).toEqual(printable.rows.map((row) => row.map((v) => v ?? '')));
    expect(excel.sets[area]).toMatchObject({ 'format.font.name': 'Arial', 'format.font.size': 10 });
    const header = printable.page.titleRows![0];
    expect(excel.sets[`A${header}:E${header}`]).toMatchObject({ 'format.font.bold': true, 'format.fill.color': '#1E5631' });
    expect(excel.sets.A1['format.columnWidth']).toBeGreaterThan(excel.sets.B1['format.columnWidth'] as number);
    for (const merge of printable.merges) expect(excel.sets[merge].merge).toBe(true);
    expect(excel.sheetProps).toMatchObject({
      showGridlines: false,
      'pageLayout.orientation': 'Portrait',
      'pageLayout.paperSize': 'Letter',
      'pageLayout.zoom': { horizontalFitToPages: 1, verticalFitToPages: 1 },
      'pageLayout.setPrintArea': area,
      'pageLayout.setPrintTitleRows': `$${header}:$${header}`,
      'pageLayout.headersFooters.defaultForAllPages.centerFooter': 'Page &P of 1',
    });
    // Every row's height is set, by runs of equal height.
    const heights: number[] = [];
    for (const [address, props] of Object.entries(excel.sets)) {
      const rows = /^(\d+):(\d+)$/.exec(address);
      if (rows) for (let r = Number(rows[1]); r <= Number(rows[2]); r++) heights[r - 1] = props['format.rowHeight'] as number;
    }
    expect(heights).toEqual(printable.rowHeights);
    expect(excel.sheetProps['horizontalPageBreaks.add']).toBeUndefined();
  });

  it('breaks a long invoice where the document says and prints its own page count', async () => {
    const excel = recordingExcel();
    const printable = customerInvoiceSheet(sampleInvoice(120));
    await writePrintableSheet(excel.context, printable);
    expect(printable.page.breaksBefore.length).toBeGreaterThan(1);
    expect(excel.sheetProps['horizontalPageBreaks.add']).toEqual(printable.page.breaksBefore.map((row) => `A${row}`));
    expect(excel.sheetProps).toMatchObject({
      'pageLayout.zoom': { horizontalFitToPages: 1, verticalFitToPages: 0 },
      'pageLayout.headersFooters.defaultForAllPages.centerFooter': `Page &P of ${printable.page.breaksBefore.length + 1}`,
    });
  });

  it('syncs twice whatever the number of lines (no sync per line)', async () => {
    const excel = recordingExcel();
    await writePrintableSheet(excel.context, customerInvoiceSheet(sampleInvoice(400)));
    expect(excel.syncs()).toBe(2);
  });
});
