// The customer invoice documents, one printable sheet per invoice: the task pane's Open as a sheet
// and stemline-sheet invoice. Each front end writes the sheets its own way (the Excel adapter, or
// cli/printable-workbook.ts). The seller comes with each invoice (Invoice.seller), so a CUSTOMER token
// prints its own invoices without reading the settings.
import { INVOICE_DOCUMENT, INVOICE_DOCUMENTS } from '../api/documents';
import type { InvoiceDocumentQuery } from '../api/generated/operations';
import { customerInvoiceSheet, type CustomerInvoice } from '../sheets/customer-invoice.document';
import type { PrintableSheet } from '../sheets/printable-sheet';
import { pullPages, type Page } from '../sheets/pull';
import type { Api, WorkflowContext } from './table-io';

export interface InvoiceDocuments {
  /** The invoices found, in the order asked (or of the truck date), each with its sheet. */
  invoices: Array<{ number: string; sheet: PrintableSheet }>;
  /** Numbers asked for that the server does not know (or does not show this token). */
  missing: string[];
  /** With a truck date: invoices of that day left out because they are void. */
  void: number;
}

/** The invoices named, by number. */
export async function invoiceDocumentsByNumber(api: Api, numbers: string[]): Promise<InvoiceDocuments> {
  const found: CustomerInvoice[] = [];
  const missing: string[] = [];
  for (const raw of numbers) {
    const number = raw.trim();
    const data = await api.request<InvoiceDocumentQuery>(INVOICE_DOCUMENT, { number });
    if (data.invoice) found.push(data.invoice);
    else missing.push(number);
  }
  return { invoices: found.map((invoice) => ({ number: invoice.number, sheet: customerInvoiceSheet(invoice) })), missing, void: 0 };
}

/** Every invoice of a truck date (an ISO date) that is not void. */
export async function invoiceDocumentsOfTruckDate(ctx: Pick<WorkflowContext, 'api' | 'onProgress' | 'signal'>, truckDate: string): Promise<InvoiceDocuments> {
  const filter = { truckDateFrom: truckDate, truckDateTo: truckDate };
  const pulled = await pullPages<CustomerInvoice>(
    async (after) => (await ctx.api.request<Record<string, Page<CustomerInvoice>>>(INVOICE_DOCUMENTS, { filter, first: 500, after })).invoices,
    ctx.onProgress,
    ctx.signal,
  );
  const kept = pulled.nodes.filter((invoice) => invoice.status !== 'VOID');
  return {
    invoices: kept.map((invoice) => ({ number: invoice.number, sheet: customerInvoiceSheet(invoice) })),
    missing: [],
    void: pulled.nodes.length - kept.length,
  };
}
