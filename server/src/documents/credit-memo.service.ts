// The credit memo of a credit (PDF): staff print any; a CUSTOMER token only its own (another's answers as unknown).
import type { RequestContext } from '../common/request-context';
import { creditMemoData } from './credit-memo.repository';
import { readSeller } from './documents.repository';
import { DocumentError, type DocumentPlan } from './documents.service';

export async function creditMemoDocument(ctx: RequestContext, creditNumber: string): Promise<DocumentPlan> {
  const number = creditNumber.trim().toUpperCase();
  if (!number) throw new DocumentError(400, 'REQUIRED', 'Give the credit number: /documents/credit-memos/CR-000001');
  const found = await creditMemoData(ctx.em, number);
  if (!found || (ctx.actor.role === 'CUSTOMER' && found.customerId !== ctx.actor.customerId)) {
    throw new DocumentError(404, 'UNKNOWN_CREDIT', `No credit ${number}.`);
  }
  const { customerId: _customerId, ...memo } = found;
  const seller = await readSeller(ctx.em);
  const filename = `credit-memo-${number.replace(/[^A-Za-z0-9._-]+/g, '_')}.pdf`;
  return { contentType: 'application/pdf', filename, count: 1, job: { document: 'credit-memo', seller, memo } };
}
