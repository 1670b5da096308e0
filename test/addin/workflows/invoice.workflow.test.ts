import { describe, expect, it } from 'vitest';
import { INVOICE_DOCUMENT, INVOICE_DOCUMENTS } from '../../../addin/api/documents';
import { invoiceDocumentsByNumber, invoiceDocumentsOfTruckDate } from '../../../addin/workflows/invoice.workflow';
import type { Api } from '../../../addin/workflows/table-io';
import { sampleInvoice, SELLER } from '../../support/customer-invoice';

/** An API answering the invoice document queries from a list of invoices, recording the calls. */
function fakeApi(invoices = [sampleInvoice(2), { ...sampleInvoice(1), number: 'INV-000043', status: 'VOID' }]) {
  const calls: Array<{ query: string; variables?: Record<string, unknown> }> = [];
  const api: Api = {
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      calls.push({ query, variables });
      if (query === INVOICE_DOCUMENT) return { invoice: invoices.find((i) => i.number === variables?.number) ?? null } as T;
      if (query === INVOICE_DOCUMENTS)
        return { invoices: { nodes: invoices, pageInfo: { hasNextPage: false, endCursor: null }, totalCount: invoices.length } } as T;
      throw new Error(`unexpected query ${query}`);
    },
  };
  return { api, calls };
}

describe('the customer invoice workflow', () => {
  it('builds one printable sheet per invoice named, and names the ones the server does not know', async () => {
    const { api } = fakeApi();
    const found = await invoiceDocumentsByNumber(api, [' INV-000042 ', 'INV-999999']);
    expect(found.invoices.map((i) => i.number)).toEqual(['INV-000042']);
    expect(found.missing).toEqual(['INV-999999']);
    const cells = found.invoices[0].sheet.rows.flat();
    expect(cells).toContain(SELLER.name);
    expect(cells.join(' ')).not.toMatch(/cost|gpm|margin/i);
  });

  it('takes every invoice of a truck date but the void ones', async () => {
    const { api, calls } = fakeApi();
    const found = await invoiceDocumentsOfTruckDate({ api }, '2027-02-10');
    expect(found.invoices.map((i) => i.number)).toEqual(['INV-000042']);
    expect(found.void).toBe(1);
    expect(calls.find((c) => c.query === INVOICE_DOCUMENTS)?.variables?.filter).toEqual({ truckDateFrom: '2027-02-10', truckDateTo: '2027-02-10' });
  });

  it('takes the seller from each invoice and never asks for the settings (which a CUSTOMER token may not read)', async () => {
    const { api, calls } = fakeApi();
    await invoiceDocumentsByNumber(api, ['INV-000042']);
    await invoiceDocumentsOfTruckDate({ api }, '2027-02-10');
    expect(calls.map((c) => c.query).join('\n')).not.toMatch(/\bsettings\b/);
    for (const query of [INVOICE_DOCUMENT, INVOICE_DOCUMENTS]) expect(query).toMatch(/seller \{ name address phone taxId timeZone \}/);
  });
});
