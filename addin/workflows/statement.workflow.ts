// The statements of customers for a period, one printable sheet each: the task pane's Open statements and
// stemline-sheet statement. A CUSTOMER token gets its own only (another customer is unknown to it).
import { STATEMENT_DOCUMENT } from '../api/documents';
import type { StatementDocumentQuery } from '../api/generated/operations';
import { statementSheet } from '../sheets/statement.document';
import type { PrintableSheet } from '../sheets/printable-sheet';
import type { Api } from './table-io';

export type StatementKind = 'BALANCE_FORWARD' | 'OPEN_ITEMS';

/** The statement of each customer named (codes or exact names), in the order asked, each with its sheet and closing balance. */
export async function statementDocuments(
  api: Api,
  customers: string[],
  period: { from?: string | null; to: string; type: StatementKind },
): Promise<Array<{ customer: string; closingBalance: string; sheet: PrintableSheet }>> {
  const out: Array<{ customer: string; closingBalance: string; sheet: PrintableSheet }> = [];
  for (const customer of [...new Set(customers.map((c) => c.trim()).filter(Boolean))]) {
    const data = await api.request<StatementDocumentQuery>(STATEMENT_DOCUMENT, { customer, from: period.from || null, to: period.to, type: period.type });
    out.push({ customer: data.statement.customer.code, closingBalance: data.statement.closingBalance, sheet: statementSheet(data.statement) });
  }
  return out;
}
