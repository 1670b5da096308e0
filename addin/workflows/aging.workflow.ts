// Pulls the receivables aging for a day (and a customer) and lays it out as a printable sheet.
import { RECEIVABLES_AGING } from '../api/documents';
import type { ReceivablesAgingQuery } from '../api/generated/operations';
import { agingSheet } from '../sheets/aging.document';
import type { PrintableSheet } from '../sheets/printable-sheet';

export interface AgingApi {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** The aging on `asOf` (ISO date), of every customer or one, as a sheet, with how many customers it lists. */
export async function agingDocument(api: AgingApi, asOf: string, customer?: string | null): Promise<{ sheet: PrintableSheet; customers: number }> {
  const data = await api.request<ReceivablesAgingQuery>(RECEIVABLES_AGING, { asOf, customer: customer ?? null });
  return { sheet: agingSheet(data.receivablesAging), customers: data.receivablesAging.customers.length };
}
