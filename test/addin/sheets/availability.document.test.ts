// The availability list as a printable sheet (pure): a row per product and box type, each further arrival on a
// row of its own, the header repeated on every page, page X of Y with its own Y, and nothing but prices.
import { describe, expect, it } from 'vitest';
import { availabilitySheet, priceBasis, type AvailabilityList } from '../../../addin/sheets/availability.document';

const list = (lines: number, arrivals = 1): AvailabilityList => ({
  customer: { code: 'BLOOMS', name: 'Blooms Florist' },
  asOf: '2027-02-10',
  onHandOnly: false,
  seller: { name: 'Stemline Demo Flowers, Inc.', address: '8400 NW 25th Street\nDoral, FL 33122', phone: '+1 305 555 0100' },
  lines: Array.from({ length: lines }, (_, i) => ({
    product: { code: `P-${i + 1}`, name: `Product ${i + 1}`, unit: 'STEM' },
    boxType: 'QB',
    onHandBoxes: i,
    onHandUnits: i * 100,
    inTransit: Array.from({ length: arrivals }, (__, a) => ({ arrivalDate: `2027-02-1${a + 1}`, boxes: 1, units: 100 })),
    unitPrice: '0.52',
    priceSource: 'CUSTOMER_LIST',
    priceSeason: null,
  })),
});

describe('availabilitySheet', () => {
  it('puts each product on a row, further arrivals on rows of their own under it', () => {
    const sheet = availabilitySheet(list(1, 2));
    const header = sheet.rows.findIndex((row) => row[0] === 'Product');
    expect(sheet.rows[header + 1]).toEqual(['Product 1 (P-1)', 'QB', 0, 0, 'Feb 11, 2027', 1, 100, 0.52, 'Your price']);
    expect(sheet.rows[header + 2]).toEqual([null, null, null, null, 'Feb 12, 2027', 1, 100, null, null]);
    expect(sheet.rows.flat()).toContain('Blooms Florist (BLOOMS)');
    expect(sheet.name).toBe('Availability BLOOMS');
    expect(sheet.page).toMatchObject({ orientation: 'portrait', fitToPagesWide: 1, breaksBefore: [], footer: { center: 'Page &P of 1' } });
  });

  it('says where each price comes from in words a customer reads, in a Price basis column after the price', () => {
    const sheet = availabilitySheet(list(1, 1));
    const header = sheet.rows.findIndex((row) => row[0] === 'Product');
    expect(sheet.rows[header].slice(-2)).toEqual(['Price / unit', 'Price basis']);
    expect(priceBasis('CUSTOMER_SEASON', 'Valentine')).toBe('Your Valentine price');
    expect(priceBasis('CUSTOMER_LIST', null)).toBe('Your price');
    expect(priceBasis('MASTER_SEASON', 'Valentine')).toBe('Valentine price');
    expect(priceBasis('MASTER_LIST', null)).toBe('List price');
    expect(priceBasis('SUGGESTED', null)).toBe('Quote');
    expect(priceBasis(null, null)).toBeNull();
  });

  it('breaks a long list into pages it counts itself, the header row repeated on each', () => {
    const sheet = availabilitySheet(list(120));
    const header = sheet.rows.findIndex((row) => row[0] === 'Product');
    const { breaksBefore, titleRows, footer } = sheet.page;
    expect(breaksBefore.length).toBeGreaterThanOrEqual(2);
    expect(footer.center).toBe(`Page &P of ${breaksBefore.length + 1}`);
    expect(titleRows).toEqual([header + 1, header + 1]);
    // Every break starts on a product row (1-based rows), never on the heading.
    for (const row of breaksBefore) expect(row - 1).toBeGreaterThan(header);
  });

  it('says so when nothing is offered, and never shows a cost', () => {
    const sheet = availabilitySheet(list(0));
    expect(sheet.rows.flat()).toContain('Nothing is available right now.');
    expect(sheet.rows.flat().some((cell) => /cost|margin|vendor/i.test(String(cell)))).toBe(false);
  });
});
