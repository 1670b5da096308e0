// The statement of a customer (PDF): ADMIN, SALES, SALES_MANAGER and ACCOUNTING print any; a CUSTOMER token
// only its own (another's answers as unknown, 404); BUYER and WAREHOUSE none.
import { STATEMENT_ROLES } from '../common/authorization';
import type { RequestContext } from '../common/request-context';
import { customerStatement } from '../modules/statement/statement.service';
import { DocumentError, type DocumentPlan } from './documents.service';

export async function statementDocument(ctx: RequestContext, customer: string, args: { from?: string; to?: string; type?: string }): Promise<DocumentPlan> {
  if (!STATEMENT_ROLES.includes(ctx.actor.role))
    throw new DocumentError(403, 'FORBIDDEN', `Role ${ctx.actor.role} may not print statements; it needs ${STATEMENT_ROLES.join(' or ')}`);
  if (!args.to) throw new DocumentError(400, 'REQUIRED', 'Give the period: /documents/statements/CUSTOMER?from=2027-05-01&to=2027-05-31 [&type=open-items]');
  const kind = (args.type ?? 'balance-forward').trim().toLowerCase().replace(/_/g, '-');
  if (kind !== 'balance-forward' && kind !== 'open-items')
    throw new DocumentError(400, 'INVALID_VALUE', `type must be balance-forward or open-items, not "${args.type}"`);
  const statement = await customerStatement(ctx, customer, args.from || null, args.to, kind === 'open-items' ? 'OPEN_ITEMS' : 'BALANCE_FORWARD');
  const { customer: found, seller, ...rest } = statement;
  const data = {
    ...rest,
    customer: { code: found.code, name: found.name, billingAddress: found.billingAddress ?? null, paymentTermsDays: found.paymentTermsDays },
  };
  const filename = `statement-${found.code.replace(/[^A-Za-z0-9._-]+/g, '_')}-${statement.to}.pdf`;
  return { contentType: 'application/pdf', filename, count: 1, job: { document: 'statement', seller, data } };
}
