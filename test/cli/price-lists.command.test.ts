// The PriceLists table with stemline-sheet: pulled, edited and pushed back; errors on the row and column at fault.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCliWorkspace, runCli, startCliWorkspace } from '../support/cli-workspace';
import { readSheet, writeSheet } from '../support/xlsx';
import type { TestServer } from '../support/test-server';

const LIST = `query($code: String!) { priceList(code: $code) { code prices { product { code } boxType { code } price } seasons { name from to prices { product { code } price } } } }`;

/** Sets cells of data row n (1 = first under the header) of a table's sheet. */
async function edit(file: string, table: string, row: number, values: Record<string, ExcelJS.CellValue>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(table)!;
  const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  for (const [column, value] of Object.entries(values)) sheet.getRow(row + 1).getCell(header.indexOf(column)).value = value;
  await workbook.xlsx.writeFile(file);
}

describe('stemline-sheet price lists', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('stemline-price-lists-'));
    const saved = await t.ok(`mutation($input: [PriceListInput!]!) { savePriceLists(input: $input) { errors { message } } }`, {
      input: [
        { code: 'MASTER-PB', name: 'Master', kind: 'PREBOOK', master: true, prices: [{ product: 'ROSE-FREEDOM-50', price: '0.70' }] },
        {
          code: 'BLOOMS-SO',
          name: 'Blooms',
          kind: 'STANDING_ORDER',
          customers: ['BLOOMS'],
          prices: [{ product: 'ROSE-FREEDOM-50', price: '0.65' }],
          seasons: [{ name: 'Valentine', from: '2028-02-01', to: '2028-02-14', prices: [{ product: 'ROSE-FREEDOM-50', price: '0.85' }] }],
        },
      ],
    });
    expect(saved.savePriceLists.errors).toEqual([]);
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('pulls every list, one row per price, and pushes the edits back: each list saved whole', async () => {
    const file = path.join(dir, 'prices.xlsx');
    const pulled = await runCli(['pull', 'price-lists', '--out', file, ...args]);
    expect(pulled.code).toBe(0);
    const rows = await readSheet(file, 'PriceLists');
    expect(rows.map((r) => [r.List, r.Season, r.Product, r['Box Type'], r.Price, r.Status])).toEqual([
      ['BLOOMS-SO', null, 'ROSE-FREEDOM-50', null, 0.65, 'OK'],
      ['BLOOMS-SO', 'Valentine', 'ROSE-FREEDOM-50', null, 0.85, 'OK'],
      ['MASTER-PB', null, 'ROSE-FREEDOM-50', null, 0.7, 'OK'],
    ]);
    expect(String(rows[1].From)).toContain('2028');

    await edit(file, 'PriceLists', 3, { Price: 0.72 });
    await edit(file, 'PriceLists', 4, { List: 'MASTER-PB', Product: 'CARN-WHITE', 'Box Type': 'HB', Price: 0.25 });
    const pushed = await runCli(['push', 'price-lists', file, ...args]);
    expect(pushed.code).toBe(0);
    expect((await readSheet(file, 'PriceLists')).map((r) => [r.List, r.Status, r.Message])).toEqual([
      ['BLOOMS-SO', 'OK', 'saved: list BLOOMS-SO'],
      ['BLOOMS-SO', 'OK', 'saved: list BLOOMS-SO'],
      ['MASTER-PB', 'OK', 'saved: list MASTER-PB'],
      ['MASTER-PB', 'OK', 'saved: list MASTER-PB'],
    ]);
    const master = await t.ok(LIST, { code: 'MASTER-PB' });
    expect(master.priceList.prices).toEqual([
      { product: { code: 'CARN-WHITE' }, boxType: { code: 'HB' }, price: '0.25' },
      { product: { code: 'ROSE-FREEDOM-50' }, boxType: null, price: '0.72' },
    ]);
    const blooms = await t.ok(LIST, { code: 'BLOOMS-SO' });
    expect(blooms.priceList.seasons).toEqual([
      { name: 'Valentine', from: '2028-02-01', to: '2028-02-14', prices: [{ product: { code: 'ROSE-FREEDOM-50' }, price: '0.85' }] },
    ]);
  });

  it('names the row and column of each error, and leaves a refused list as it was while the others are saved', async () => {
    const file = path.join(dir, 'bad.xlsx');
    await writeSheet(file, 'PriceLists', [
      { List: 'BLOOMS-SO', Product: 'ROSE-FREEDOM-50', Price: 0.6 },
      { List: 'BLOOMS-SO', Product: 'NOPE', Price: 1 },
      { List: 'MASTER-PB', Product: 'ROSE-FREEDOM-50', Price: 'cheap' },
      { List: 'NEW-LIST', Product: 'ROSE-FREEDOM-50', Price: 1 },
      { List: 'BLOOMS-SO', Season: 'Mothers Day', From: '2028-05-01', Product: 'ROSE-FREEDOM-50', Price: 0.9 },
    ]);
    const pushed = await runCli(['push', 'price-lists', file, ...args]);
    expect(pushed.code).not.toBe(0);
    const rows = await readSheet(file, 'PriceLists');
    expect(rows.map((r) => r.Status)).toEqual(['ERROR', 'ERROR', 'ERROR', 'ERROR', 'ERROR']);
    expect(rows[4].Message).toBe('To: To is required for season "Mothers Day"');
    expect(rows[0].Message).toBe('not saved: list BLOOMS-SO has an error on row 6');
    expect(rows[2].Message).toMatch(/^Price: /);
    expect(rows[3].Message).toMatch(/^Name: |^List: /);
    // Nothing of the refused lists changed.
    expect((await t.ok(LIST, { code: 'BLOOMS-SO' })).priceList.prices).toEqual([{ product: { code: 'ROSE-FREEDOM-50' }, boxType: null, price: '0.65' }]);
    expect((await t.ok(LIST, { code: 'NEW-LIST' })).priceList).toBeNull();

    await writeSheet(file, 'PriceLists', [
      { List: 'BLOOMS-SO', Product: 'NOPE', Price: 1 },
      { List: 'MASTER-PB', Product: 'ROSE-FREEDOM-50', Price: 0.75 },
    ]);
    expect((await runCli(['push', 'price-lists', file, ...args])).code).not.toBe(0);
    const second = await readSheet(file, 'PriceLists');
    expect(second.map((r) => [r.Status, r.Message])).toEqual([
      ['ERROR', 'Product: unknown product "NOPE"'],
      ['OK', 'saved: list MASTER-PB'],
    ]);
    expect((await t.ok(LIST, { code: 'MASTER-PB' })).priceList.prices).toEqual([{ product: { code: 'ROSE-FREEDOM-50' }, boxType: null, price: '0.75' }]);
  });
});
