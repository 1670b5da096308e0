// Whether the task pane is inside Excel: Office.js's own answer, and no answer at all.
import { afterEach, describe, expect, it } from 'vitest';
import { detectExcelHost, excelApiAvailable, OUTSIDE_EXCEL_MESSAGE, OutsideExcelError } from '../../../addin/excel/host';

const globals = globalThis as unknown as { Office?: unknown; Excel?: unknown };

describe('detectExcelHost', () => {
  afterEach(() => {
    delete globals.Office;
    delete globals.Excel;
  });

  it('is false without Office.js (a plain web browser where it did not load)', async () => {
    expect(await detectExcelHost()).toBe(false);
    expect(excelApiAvailable()).toBe(false);
  });

  it('is false when Office.js says it is in no host, or in another Office application', async () => {
    for (const host of [null, 'Word']) {
      globals.Office = { onReady: (callback: (info: unknown) => void) => (callback({ host, platform: null }), Promise.resolve({ host, platform: null })) };
      expect(await detectExcelHost()).toBe(false);
    }
  });

  it('is true in Excel, with the Excel API there', async () => {
    globals.Office = { onReady: (callback: (info: unknown) => void) => callback({ host: 'Excel' }) };
    globals.Excel = { run: async () => undefined };
    expect(await detectExcelHost()).toBe(true);
  });

  it('gives up when Office.js never answers', async () => {
    globals.Office = { onReady: () => new Promise(() => undefined) };
    expect(await detectExcelHost(20)).toBe(false);
  });

  it('says where the page belongs', () => {
    expect(new OutsideExcelError().message).toBe(OUTSIDE_EXCEL_MESSAGE);
    expect(OUTSIDE_EXCEL_MESSAGE).toContain("open it from Excel's Stemline button");
  });
});
