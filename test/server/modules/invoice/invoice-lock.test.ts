import { describe, expect, it } from 'vitest';
import { confirmedInvoiceLock } from '../../../../server/src/modules/invoice/invoice-lock';

const settings = { lockConfirmedInvoices: true, allowSameDayManagerEdits: true, timeZone: 'America/New_York' };
// Confirmed at 23:30 in New York on 2027-02-10 (04:30 UTC on the 11th).
const invoice = { number: 'INV-000001', status: 'CONFIRMED', confirmedAt: new Date('2027-02-11T04:30:00Z') };

describe('confirmed invoice lock', () => {
  it('never locks a pending invoice, nor anything while lockConfirmedInvoices is off', () => {
    expect(confirmedInvoiceLock({ ...invoice, status: 'PENDING' }, 'SALES', settings)).toBeNull();
    expect(confirmedInvoiceLock(invoice, 'SALES', { ...settings, lockConfirmedInvoices: false })).toBeNull();
  });

  it('lets a SALES_MANAGER or ADMIN change it on the company date it was confirmed, with allowSameDayManagerEdits', () => {
    const sameDay = new Date('2027-02-11T04:50:00Z');
    expect(confirmedInvoiceLock(invoice, 'SALES_MANAGER', settings, sameDay)).toBeNull();
    expect(confirmedInvoiceLock(invoice, 'ADMIN', settings, sameDay)).toBeNull();
    expect(confirmedInvoiceLock(invoice, 'SALES', settings, sameDay)).toBe(
      'INV-000001 is CONFIRMED (on 2027-02-10) and stays as billed (a SALES_MANAGER or ADMIN may still change it on the day it was confirmed): correct it with a credit (requestCredit)',
    );
    expect(confirmedInvoiceLock(invoice, 'SALES_MANAGER', { ...settings, allowSameDayManagerEdits: false }, sameDay)).toBe(
      'INV-000001 is CONFIRMED (on 2027-02-10) and stays as billed: correct it with a credit (requestCredit)',
    );
    // The next company day (05:10 UTC is 00:10 in New York on the 11th).
    expect(confirmedInvoiceLock(invoice, 'SALES_MANAGER', settings, new Date('2027-02-11T05:10:00Z'))).toMatch(/stays as billed/);
  });
});
