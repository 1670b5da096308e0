import { describe, expect, it } from 'vitest';
import {
  addressLines,
  counted,
  customerInvoiceSheet,
  invoiceTerms,
  invoiceTitle,
  printedDate,
  sheetName,
  unitTotals,
} from '../../../addin/sheets/customer-invoice.document';
import { INVOICE_DOCUMENT, INVOICE_DOCUMENTS } from '../../../addin/api/documents';
import { cellStyles, pageBreaks, PAPER_HEIGHT, rangeBounds } from '../../../addin/sheets/printable-sheet';
import { sampleInvoice } from '../../support/customer-invoice';

describe('the customer invoice document', () => {
  it('shows the seller, bill-to, ship-to, the invoice facts with terms and due date, lines and total', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(5));
    const text = sheet.rows
      .flat()
      .filter((v) => v !== null)
      .map(String);
    for (const expected of [
      'Stemline Flowers & Co.',
      '8400 NW 25th Street',
      'Doral, FL 33122',
      'Phone +1 305 555 0100',
      'Tax ID 65-1234567',
      'DRAFT — NOT AN INVOICE',
      'INV-000042',
      'Feb 9, 2027',
      'Net 30',
      'Mar 11, 2027',
      'FM-7781-VALENTINE',
      'Feb 10, 2027',
      'Armellini Express Lines',
      'FreshMart Supermarkets',
      '1200 Market Street',
      'Atlanta, GA 30303',
      'FreshMart Atlanta DC',
      '455 Distribution Way',
      'Rose Freedom 50cm (ROSE-FREEDOM-50)',
      'price pending',
    ]) {
      expect(text).toContain(expected);
    }
    const header = sheet.rows.findIndex((row) => row[0] === 'Product');
    expect(sheet.rows[header]).toEqual(['Product', 'Boxes', 'Units', 'Unit price', 'Amount']);
    expect(sheet.rows[header + 1]).toEqual(['Rose Freedom 50cm (ROSE-FREEDOM-50)', 4, 400, 0.85, 340]);
    expect(sheet.rows[header + 4]).toEqual(['Rose Freedom 53cm (ROSE-FREEDOM-53)', 4, 400, 'price pending', 'price pending']);
    expect(sheet.rows[header + 6]).toEqual(['5 lines · 20 boxes', null, null, 'Total', 1360]);
    expect(sheet.rows[header + 7][0]).toBe('2,000 stems');
    expect(String(sheet.rows[header + 8][0])).toContain('1 line with price pending is not in the total; it will be invoiced once priced.');
    expect(JSON.stringify(sheet.rows)).not.toContain('(s)');
    expect(sheet.rows.every((row) => row.length === sheet.columnWidths.length)).toBe(true);
  });

  it('has no cost and no margin', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(3));
    const text = JSON.stringify(sheet.rows).toLowerCase();
    for (const word of ['cost', 'gpm', 'margin', 'landed']) expect(text).not.toContain(word);
  });

  it('prints list prices as prices, never where they came from (a price source is for staff: the Invoices sheet)', () => {
    for (const query of [INVOICE_DOCUMENT, INVOICE_DOCUMENTS]) expect(query).not.toMatch(/priceSource|priceList|season/);
    const text = JSON.stringify(customerInvoiceSheet(sampleInvoice(3)).rows);
    expect(text).not.toMatch(/[Pp]rice [Ss]ource|CUSTOMER_|MASTER_|SUGGESTED/);
  });

  it('prints portrait, one page wide, the line header repeated, inside a print area, with page X of Y', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(40));
    const header = sheet.rows.findIndex((row) => row[0] === 'Product') + 1;
    expect(sheet.page).toMatchObject({
      orientation: 'portrait',
      fitToPagesWide: 1,
      titleRows: [header, header],
      footer: { center: 'Page &P of 1', right: 'Stemline Flowers && Co.' },
    });
    expect(sheet.rowHeights).toHaveLength(sheet.rows.length);
    expect(rangeBounds(sheet.page.area)).toEqual({ top: 0, left: 0, bottom: sheet.rows.length - 1, right: 4 });
    // Styles stay inside the grid; the line header is bold on a dark fill.
    const styles = cellStyles(sheet);
    expect([...styles.keys()].every((key) => Number(key.split(',')[0]) < sheet.rows.length && Number(key.split(',')[1]) < 5)).toBe(true);
    expect(styles.get(`${header - 1},0`)).toMatchObject({ bold: true, fill: '#1E5631' });
    // The number of style ranges does not grow with the lines (only pending lines have their own).
    expect(customerInvoiceSheet(sampleInvoice(400)).styles.length).toBe(sheet.styles.length);
  });

  it('dates the invoice in the company time zone and counts the due date from it', () => {
    const invoice = sampleInvoice(1);
    expect(invoiceTerms(invoice, 'America/New_York')).toEqual({ invoiceDate: '2027-02-09', terms: 'Net 30', dueDate: '2027-03-11' });
    expect(invoiceTerms(invoice, 'UTC').invoiceDate).toBe('2027-02-09');
    expect(invoiceTerms({ ...invoice, confirmedAt: '2027-02-12T15:00:00Z' }, 'Europe/Madrid').invoiceDate).toBe('2027-02-12');
    expect(invoiceTerms({ ...invoice, customer: { ...invoice.customer, paymentTermsDays: 0 } }, 'UTC')).toMatchObject({
      terms: 'Due on receipt',
      dueDate: '2027-02-09',
    });
    expect(invoiceTerms(invoice, 'Not/AZone').invoiceDate).toBe('2027-02-09');
    expect(printedDate('2027-12-01')).toBe('Dec 1, 2027');
    expect(sheetName('INV:1/2')).toBe('INV-1-2');
  });

  it('says when there is no ship-to, and marks a void invoice', () => {
    const sheet = customerInvoiceSheet({ ...sampleInvoice(1), shipTo: null, status: 'VOID' });
    const text = sheet.rows.flat();
    expect(text).toContain('Same as bill to');
    expect(text).toContain('INVOICE (VOID)');
  });

  it('counts in words without "(s)", and totals the units per unit of measure', () => {
    expect([counted(1, 'line'), counted(3, 'line'), counted(1, 'box', 'boxes'), counted(2, 'box', 'boxes'), counted(1300, 'stem')]).toEqual([
      '1 line',
      '3 lines',
      '1 box',
      '2 boxes',
      '1,300 stems',
    ]);
    const [a, b, c] = sampleInvoice(3).lines;
    const lines = [
      { ...a, units: 500 },
      { ...b, product: { ...b.product, unit: 'EACH' }, units: 48 },
      { ...c, units: 300 },
      { ...c, product: { ...c.product, unit: 'BUNCH' }, units: 1 },
    ];
    expect(unitTotals(lines)).toBe('800 stems · 1 bunch · 48 each');
    const sheet = customerInvoiceSheet({ ...sampleInvoice(3), lines: lines.slice(0, 3).map((line, i) => ({ ...line, lineNo: i + 1, boxes: 1 })) });
    const totals = sheet.rows.findIndex((row) => row[3] === 'Total');
    expect(sheet.rows[totals][0]).toBe('3 lines · 3 boxes');
    expect(sheet.rows[totals + 1][0]).toBe('800 stems · 48 each');
  });

  it('marks a pending invoice with a price missing as a draft in its title, and only that one', () => {
    const pending = sampleInvoice(5);
    expect(invoiceTitle(pending)).toBe('DRAFT — NOT AN INVOICE');
    expect(customerInvoiceSheet(pending).rows[0]).toContain('DRAFT — NOT AN INVOICE');
    expect(customerInvoiceSheet(pending).page.footer.left).toBe('INV-000042 · DRAFT');
    expect(invoiceTitle({ status: 'PENDING', pricePending: false })).toBe('INVOICE');
    expect(invoiceTitle({ status: 'CONFIRMED', pricePending: false })).toBe('INVOICE');
    expect(invoiceTitle({ status: 'VOID', pricePending: true })).toBe('INVOICE (VOID)');
    expect(customerInvoiceSheet(sampleInvoice(3)).rows.flat()).toContain('INVOICE');
    expect(JSON.stringify(customerInvoiceSheet(sampleInvoice(3)).rows)).not.toContain('DRAFT');
  });

  it('prints up to about 40 lines on one page, scaled to fit; longer invoices break their own pages and count them', () => {
    for (const lines of [1, 30, 40]) {
      const sheet = customerInvoiceSheet(sampleInvoice(lines));
      expect(sheet.page, `${lines} lines`).toMatchObject({ fitToPagesTall: 1, breaksBefore: [], footer: { center: 'Page &P of 1' } });
    }
    const printable = PAPER_HEIGHT.letter - (0.6 + 0.7) * 72;
    for (const lines of [45, 53, 54, 55, 70, 110, 400]) {
      const sheet = customerInvoiceSheet(sampleInvoice(lines));
      const { breaksBefore, titleRows } = sheet.page;
      expect(sheet.page.fitToPagesTall).toBe(0);
      expect(sheet.page.footer.center).toBe(`Page &P of ${breaksBefore.length + 1}`);
      const header = titleRows![0] - 1;
      const totals = sheet.rows.findIndex((row) => row[3] === 'Total');
      const starts = [0, ...breaksBefore.map((row) => row - 1)];
      starts.forEach((start, page) => {
        const end = page + 1 < starts.length ? starts[page + 1] : sheet.rows.length;
        // A page at 100 % holds what the document puts on it (the header row repeated on later pages), so no renderer adds a page.
        const height = sheet.rowHeights.slice(start, end).reduce((a, b) => a + b, 0) + (page ? sheet.rowHeights[header] : 0);
        expect(height, `${lines} lines, page ${page + 1}`).toBeLessThanOrEqual(printable);
        expect(start === 0 || start > header, 'a later page starts with a line').toBe(true);
      });
      // The last page has the totals and at least three lines above them.
      const lastStart = starts.at(-1)!;
      expect(totals - lastStart, `${lines} lines`).toBeGreaterThanOrEqual(lastStart ? 3 : 0);
    }
  });

  it('breaks pages between lines, keeping the totals with the last lines', () => {
    // Heading rows 0-1 (header row 1), lines 2-11 of 10 pt, totals 12-13.
    const heights = [20, 10, ...Array(10).fill(10), 10, 10];
    expect(pageBreaks(heights, { headerRow: 1, firstLine: 2, lastLine: 11, keep: 3, height: 200 })).toEqual([]);
    // 60 pt a page: the heading and 3 lines; the header row and 4 lines; the header row, the last 3 lines and the totals.
    expect(pageBreaks(heights, { headerRow: 1, firstLine: 2, lastLine: 11, keep: 3, height: 60 })).toEqual([5, 9]);
    // No lines: the totals follow the heading.
    expect(pageBreaks([20, 10, 10], { headerRow: 1, firstLine: 2, lastLine: 1, keep: 3, height: 60 })).toEqual([]);
  });

  it('keeps the heading on the first page whatever the addresses: at most six lines each, none lost', () => {
    const many = Array.from({ length: 40 }, (_, i) => `Line ${i + 1}`).join('\n');
    expect(addressLines(many)).toHaveLength(6);
    expect(addressLines(many)[5]).toBe(Array.from({ length: 35 }, (_, i) => `Line ${i + 6}`).join(', '));
    expect(addressLines(' a \n\n b ')).toEqual(['a', 'b']);
    const invoice = sampleInvoice(120);
    const sheet = customerInvoiceSheet({ ...invoice, seller: { ...invoice.seller, address: many }, customer: { ...invoice.customer, billingAddress: many } });
    const header = sheet.page.titleRows![0] - 1;
    const printable = PAPER_HEIGHT.letter - (0.6 + 0.7) * 72;
    expect(sheet.rowHeights.slice(0, sheet.page.breaksBefore[0] - 1).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(printable);
    expect(sheet.page.breaksBefore[0] - 1).toBeGreaterThan(header);
  });
});

describe('charges on the customer invoice document', () => {
  it('prints the subtotal, each charge and the total under the lines; without charges, the total alone', () => {
    const invoice = {
      ...sampleInvoice(3),
      subtotal: '1020.00',
      total: '1053.00',
      charges: [
        { description: 'Fuel surcharge', amount: '18.00' },
        { description: 'Handling', amount: '15.00' },
      ],
    };
    const rows = customerInvoiceSheet(invoice).rows;
    const at = (label: string) => rows.find((row) => row.includes(label))!;
    expect(at('Subtotal').slice(3)).toEqual(['Subtotal', 1020]);
    expect(at('Fuel surcharge').slice(1)).toEqual(['Fuel surcharge', null, null, 18]);
    expect(at('Handling').slice(1)).toEqual(['Handling', null, null, 15]);
    expect(at('Total').slice(3)).toEqual(['Total', 1053]);
    expect(rows.indexOf(at('Subtotal'))).toBeLessThan(rows.indexOf(at('Fuel surcharge')));
    expect(rows.indexOf(at('Handling'))).toBeLessThan(rows.indexOf(at('Total')));
    expect(customerInvoiceSheet(sampleInvoice(3)).rows.some((row) => row.includes('Subtotal'))).toBe(false);
  });
});
