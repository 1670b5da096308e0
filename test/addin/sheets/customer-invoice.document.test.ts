import { describe, expect, it } from 'vitest';
import { customerInvoiceSheet, invoiceTerms, printedDate, sheetName } from '../../../addin/sheets/customer-invoice.document';
import { cellStyles, rangeBounds } from '../../../addin/sheets/printable-sheet';
import { SELLER, sampleInvoice } from '../../support/customer-invoice';

describe('the customer invoice document', () => {
  it('shows the seller, bill-to, ship-to, the invoice facts with terms and due date, lines and total', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(5), SELLER);
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
      'INVOICE',
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
    expect(sheet.rows[header + 6]).toEqual(['5 line(s)', 20, 2000, 'Total', 1360]);
    expect(String(sheet.rows[header + 7][0])).toContain('1 line(s) with price pending are not in the total');
    expect(sheet.rows.every((row) => row.length === sheet.columnWidths.length)).toBe(true);
  });

  it('has no cost and no margin', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(3), SELLER);
    const text = JSON.stringify(sheet.rows).toLowerCase();
    for (const word of ['cost', 'gpm', 'margin', 'landed']) expect(text).not.toContain(word);
  });

  it('prints portrait, one page wide, the line header repeated, inside a print area, with page X of Y', () => {
    const sheet = customerInvoiceSheet(sampleInvoice(40), SELLER);
    const header = sheet.rows.findIndex((row) => row[0] === 'Product') + 1;
    expect(sheet.page).toMatchObject({
      orientation: 'portrait',
      fitToPagesWide: 1,
      titleRows: [header, header],
      footer: { center: 'Page &P of &N', right: 'Stemline Flowers && Co.' },
    });
    expect(rangeBounds(sheet.page.area)).toEqual({ top: 0, left: 0, bottom: sheet.rows.length - 1, right: 4 });
    // Styles stay inside the grid; the line header is bold on a dark fill.
    const styles = cellStyles(sheet);
    expect([...styles.keys()].every((key) => Number(key.split(',')[0]) < sheet.rows.length && Number(key.split(',')[1]) < 5)).toBe(true);
    expect(styles.get(`${header - 1},0`)).toMatchObject({ bold: true, fill: '#1E5631' });
    // The number of style ranges does not grow with the lines (only pending lines have their own).
    expect(customerInvoiceSheet(sampleInvoice(400), SELLER).styles.length).toBe(sheet.styles.length);
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
    const sheet = customerInvoiceSheet({ ...sampleInvoice(1), shipTo: null, status: 'VOID' }, SELLER);
    const text = sheet.rows.flat();
    expect(text).toContain('Same as bill to');
    expect(text).toContain('INVOICE (VOID)');
  });
});
