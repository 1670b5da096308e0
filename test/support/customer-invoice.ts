// A customer invoice and seller for the invoice document's tests.
import type { CustomerInvoice, InvoiceSeller } from '../../addin/sheets/customer-invoice.document';

export const SELLER: InvoiceSeller = {
  name: 'Stemline Flowers & Co.',
  address: '8400 NW 25th Street\nDoral, FL 33122',
  phone: '+1 305 555 0100',
  taxId: '65-1234567',
  timeZone: 'America/New_York',
};

/** An invoice of `lines` lines of 4 boxes of 100 stems at 0.85; line 4 (when there) has its price pending. */
export function sampleInvoice(lines: number): CustomerInvoice {
  const priced = Array.from({ length: lines }, (_, i) => i).filter((i) => i !== 3).length;
  return {
    number: 'INV-000042',
    status: 'PENDING',
    truckDate: '2027-02-10',
    customerPo: 'FM-7781-VALENTINE',
    // 23:30 UTC is still Feb 9 in Miami: the invoice date is the company's.
    createdAt: '2027-02-09T23:30:00.000Z',
    confirmedAt: null,
    total: (priced * 340).toFixed(2),
    pricePending: lines > 3,
    customer: {
      code: 'FRESHMART',
      name: 'FreshMart Supermarkets',
      billingAddress: 'Accounts Payable\n1200 Market Street\nAtlanta, GA 30303',
      paymentTermsDays: 30,
    },
    shipTo: { code: 'DC-ATL', name: 'FreshMart Atlanta DC', address: '455 Distribution Way\nAtlanta, GA 30336' },
    carrier: { code: 'ARMELLINI', name: 'Armellini Express Lines' },
    lines: Array.from({ length: lines }, (_, i) => ({
      lineNo: i + 1,
      product: { code: `ROSE-FREEDOM-${50 + i}`, name: `Rose Freedom ${50 + i}cm`, unit: 'STEM' },
      boxes: 4,
      units: 400,
      unitPrice: i === 3 ? null : '0.8500',
      amount: i === 3 ? null : '340.00',
    })),
    seller: SELLER,
  };
}
