// The availability list from the command line (stemline-sheet availability), printed by LibreOffice: priced for
// the customer, on hand and arriving, one page wide with page X of Y, and never a cost or a vendor.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/stemline-sheet';
import { setCompanyClock } from '../../server/src/common/today';
import { pdfPages, pdfPng, pdfText, renderPdf } from '../../scripts/libreoffice';
import { closeCliWorkspace, startCliWorkspace } from '../support/cli-workspace';
import type { TestServer } from '../support/test-server';
import { shipBoxes } from '../server/modules/stock/stock-support';

describe('the availability list (stemline-sheet availability, printed by LibreOffice)', () => {
  let t: TestServer;
  let dir: string;
  let args: string[];

  beforeAll(async () => {
    ({ t, dir, args } = await startCliWorkspace('availability-document-'));
    await t.ok(`mutation {
      updateSettings(input: { companyName: "Stemline Demo Flowers, Inc.", companyAddress: "8400 NW 25th Street\\nDoral, FL 33122", companyPhone: "+1 305 555 0100", timeZone: "America/New_York" }) { errors { message } }
      upsertCustomers(input: [{ code: "BLOOMS", targetGpm: "20" }]) { errors { message } }
    }`);
    // A landed cost no price can equal: 0.4137 a stem.
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 3, unitCost: '0.4137', arrivalDate: '2027-02-08' });
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 2, unitCost: '0.4137', arrivalDate: '2027-02-13', confirm: false });
    await shipBoxes(t, { product: 'ROSE-FREEDOM-50', boxes: 1, unitCost: '0.4137', arrivalDate: '2027-02-15', confirm: false });
    await shipBoxes(t, { product: 'CARN-WHITE', boxes: 2, unitCost: '0.1913', arrivalDate: '2027-02-09' });
    // Roses from BLOOMS's open-market list (0.65, its Valentine season 0.85); carnations from no list.
    const saved = await t.ok(`mutation($input: [PriceListInput!]!) { savePriceLists(input: $input) { errors { message } } }`, {
      input: [
        {
          code: 'BLOOMS-OM',
          name: 'Blooms open market',
          kind: 'OPEN_MARKET',
          customers: ['BLOOMS'],
          prices: [{ product: 'ROSE-FREEDOM-50', price: '0.65' }],
          seasons: [{ name: 'Valentine', from: '2027-02-01', to: '2027-02-14', prices: [{ product: 'ROSE-FREEDOM-50', price: '0.85' }] }],
        },
      ],
    });
    expect(saved.savePriceLists.errors).toEqual([]);
  });
  afterEach(() => {
    setCompanyClock(null);
    vi.restoreAllMocks();
  });
  afterAll(() => closeCliWorkspace(t, dir));

  it('writes the list priced for the customer, and LibreOffice prints it on one page: no cost, no vendor', async () => {
    setCompanyClock(() => new Date('2027-02-10T15:00:00Z'));
    const file = path.join(dir, 'availability.xlsx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['availability', '--customer', 'BLOOMS', '--out', file, ...args])).toBe(0);
    expect(log.mock.calls.flat().join('\n')).toContain('priced for BLOOMS, 2 products');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Availability BLOOMS']);
    const pdf = await renderPdf(file, dir);
    expect(await pdfPages(pdf)).toBe(1);
    const text = await pdfText(pdf);
    for (const expected of ['Stemline Demo Flowers, Inc.', 'AVAILABILITY', 'Blooms Florist (BLOOMS)', 'Feb 10, 2027', 'Page 1 of 1'])
      expect(text).toContain(expected);
    // Carnations: 0.1913 / 0.8 = 0.2391 -> 0.24, the suggested price (a quote); roses: BLOOMS's Valentine price.
    expect(text).toMatch(/Carnation white fancy \(CARN-WHITE\)\s+HB\s+2\s+1,000\s+0\.24\s+Quote/);
    expect(text).toMatch(/Rose Freedom 50cm \(ROSE-FREEDOM-50\)\s+QB\s+3\s+300\s+Feb 13, 2027\s+2\s+200\s+0\.85\s+Your Valentine price/);
    expect(text).toContain('Price basis');
    expect(text).toMatch(/Feb 15, 2027\s+1\s+100/);
    for (const cost of ['0.4137', '0.1913', 'ROSAS', 'Rosas']) expect(text).not.toContain(cost);
    expect(text).not.toMatch(/cost|gpm|margin|vendor/i);
    await pdfPng(pdf, 1, path.join('test-results', 'availability-list.png'));
  }, 120_000);

  it('on hand only leaves the arrivals out; no --out is a usage error', async () => {
    setCompanyClock(() => new Date('2027-02-10T15:00:00Z'));
    const file = path.join(dir, 'on-hand.xlsx');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['availability', '--customer', 'BLOOMS', '--on-hand-only', '--out', file, ...args])).toBe(0);
    const pdf = await renderPdf(file, dir);
    const text = await pdfText(pdf);
    expect(text).toContain('Stock on hand today.');
    expect(text).not.toContain('Feb 13, 2027');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['availability', '--customer', 'BLOOMS', ...args])).toBe(2);
    expect(error.mock.calls.flat().join('\n')).toContain('--out is required');
    expect(await main(['availability', '--customer', 'NOPE', '--out', path.join(dir, 'nope.xlsx'), ...args])).toBe(1);
    expect(error.mock.calls.flat().join('\n')).toMatch(/unknown customer "NOPE"/i);
  }, 120_000);
});
