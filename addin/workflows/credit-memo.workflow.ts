// The credit memo documents, one printable sheet per credit: the task pane's Open credit memo and
// stemline-sheet credit. The seller comes with each credit (Credit.seller), so a CUSTOMER token prints
// its own credits without reading the settings.
import { CREDIT_MEMO_DOCUMENT } from '../api/documents';
import type { CreditMemoDocumentQuery } from '../api/generated/operations';
import { creditMemoSheet } from '../sheets/credit-memo.document';
import type { PrintableSheet } from '../sheets/printable-sheet';
import type { Api } from './table-io';

export interface CreditMemoDocuments {
  /** The credits found, in the order asked, each with its sheet. */
  credits: Array<{ number: string; sheet: PrintableSheet }>;
  /** Numbers asked for that the server does not know (or does not show this token). */
  missing: string[];
}

/** The credits named, by number. */
export async function creditMemoDocuments(api: Api, numbers: string[]): Promise<CreditMemoDocuments> {
  const credits: CreditMemoDocuments['credits'] = [];
  const missing: string[] = [];
  for (const raw of numbers) {
    const number = raw.trim();
    const data = await api.request<CreditMemoDocumentQuery>(CREDIT_MEMO_DOCUMENT, { number });
    if (data.credit) credits.push({ number: data.credit.number, sheet: creditMemoSheet(data.credit) });
    else missing.push(number);
  }
  return { credits, missing };
}
