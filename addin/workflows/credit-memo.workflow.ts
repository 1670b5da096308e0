// The credit memo documents, one printable sheet per credit (and the farm claim sheets, one per VC-…
// claim): the task pane's Open credit memo / Open claim sheet and stemline-sheet credit. The seller comes with each credit (Credit.seller), so a CUSTOMER token prints
// its own credits without reading the settings.
import { CREDIT_MEMO_DOCUMENT, FARM_CLAIM_DOCUMENT } from '../api/documents';
import type { CreditMemoDocumentQuery, FarmClaimDocumentQuery } from '../api/generated/operations';
import { GraphQLRequestError } from '../api/graphql-client';
import { creditMemoSheet } from '../sheets/credit-memo.document';
import { farmClaimSheet } from '../sheets/farm-claim.document';
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

/** Farm claim numbers (VC-…) as opposed to customer credit numbers (CR-…). */
export const isFarmClaimNumber = (number: string) => /^VC-/i.test(number.trim());

/** The farm claims named (VC-…), by number, each with its claim sheet. Staff only: a token that may not read them is refused in words. */
export async function farmClaimDocuments(api: Api, numbers: string[]): Promise<CreditMemoDocuments> {
  const credits: CreditMemoDocuments['credits'] = [];
  const missing: string[] = [];
  for (const raw of numbers) {
    const number = raw.trim();
    const data = await api.request<FarmClaimDocumentQuery>(FARM_CLAIM_DOCUMENT, { number }).catch((error: unknown) => {
      if (error instanceof GraphQLRequestError && error.code === 'FORBIDDEN')
        throw new Error(`farm claim sheets are for staff tokens; this token may not read ${number} (${error.message})`);
      throw error;
    });
    if (data.vendorCredit) credits.push({ number: data.vendorCredit.number, sheet: farmClaimSheet(data.vendorCredit, data.settings) });
    else missing.push(number);
  }
  return { credits, missing };
}

/** Credit memos (CR-…) and farm claim sheets (VC-…), in the order asked. */
export async function creditDocuments(api: Api, numbers: string[]): Promise<CreditMemoDocuments> {
  const credits: CreditMemoDocuments['credits'] = [];
  const missing: string[] = [];
  for (const number of numbers) {
    const found = await (isFarmClaimNumber(number) ? farmClaimDocuments : creditMemoDocuments)(api, [number]);
    credits.push(...found.credits);
    missing.push(...found.missing);
  }
  return { credits, missing };
}
