// The availability list as a printable sheet: the task pane's Availability action and stemline-sheet
// availability. Each front end writes the sheet its own way (the Excel adapter, or cli/printable-workbook.ts).
import { AVAILABILITY_DOCUMENT } from '../api/documents';
import type { AvailabilityDocumentQuery } from '../api/generated/operations';
import { availabilitySheet } from '../sheets/availability.document';
import type { PrintableSheet } from '../sheets/printable-sheet';
import type { Api } from './table-io';

/** The list priced for a customer (code or name; a CUSTOMER token: itself when left out), with its sheet. */
export async function availabilityDocument(
  api: Api,
  options: { customer?: string | null; onHandOnly?: boolean },
): Promise<{ sheet: PrintableSheet; lines: number; customer: string | null }> {
  const data = await api.request<AvailabilityDocumentQuery>(AVAILABILITY_DOCUMENT, {
    customer: options.customer?.trim() || null,
    onHandOnly: options.onHandOnly ?? false,
  });
  const list = data.availability;
  return { sheet: availabilitySheet(list), lines: list.lines.length, customer: list.customer?.code ?? null };
}
