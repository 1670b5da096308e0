import type { EntityManager } from '@mikro-orm/postgresql';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { userError, type UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import type { Credit, CreditStatus } from './credit.entity';
import { loadCredit } from './credit-query.service';
import { restockCredit, unrestockCredit } from './credit-restock.service';
import { idempotentCreditChange, lockCredit, type CreditPayload } from './credit-request.service';

/** Runs one step of a credit's approval on the locked credit, when its status allows it. */
function creditStep(
  ctx: RequestContext,
  operation: string,
  number: string,
  args: { reason?: string; idempotencyKey?: string | null },
  from: readonly CreditStatus[],
  step: (em: EntityManager, credit: Credit, v: RowValidator) => void | Promise<void>,
): Promise<CreditPayload> {
  return idempotentCreditChange(ctx, operation, args.idempotencyKey, { number, reason: args.reason }, async (em) => {
    const credit = await lockCredit(ctx, em, number);
    if (!credit) return { credit: null, errors: [userError('NOT_FOUND', `no credit ${number}`, undefined, 'number')] };
    if (!from.includes(credit.status)) {
      const errors: UserError[] = [
        userError('INVALID_STATUS', `${credit.number} is ${credit.status}: only a ${from.join(' or ')} credit can be changed so`, undefined, 'number'),
      ];
      return { credit, errors };
    }
    const v = new RowValidator(null);
    await step(em, credit, v);
    if (!v.ok) return { credit, errors: v.errors };
    credit.updatedAt = new Date();
    await em.flush();
    return { credit: await loadCredit(em, credit.id), errors: [] };
  });
}

/**
 * approveCredit: a PENDING credit starts to count (invoice open amount, GPM revenue). Its limits were checked
 * when requested and still hold; its restock lines return their units to stock now (refused, naming the
 * line, when their boxes left the warehouse since).
 */
export function approveCredit(ctx: RequestContext, number: string, idempotencyKey?: string | null): Promise<CreditPayload> {
  return creditStep(ctx, 'approveCredit', number, { idempotencyKey }, ['PENDING'], async (em, credit, v) => {
    await restockCredit(em, ctx, credit, v);
    if (!v.ok) return;
    Object.assign(credit, { status: 'APPROVED', approvedBy: actorLabel(ctx.actor), approvedAt: new Date() });
    recordAudit(em, ctx.actor, 'approve', 'Credit', credit.id);
  });
}

/** rejectCredit: a PENDING credit is refused, with the reason why; its units and amounts are free to credit again. */
export function rejectCredit(ctx: RequestContext, number: string, reason: string, idempotencyKey?: string | null): Promise<CreditPayload> {
  return creditStep(ctx, 'rejectCredit', number, { reason, idempotencyKey }, ['PENDING'], (em, credit, v) => {
    const why = v.text('reason', reason, { required: true, max: 1000 });
    if (!why) return;
    Object.assign(credit, { status: 'REJECTED', rejectionReason: why, closedBy: actorLabel(ctx.actor), closedAt: new Date() });
    recordAudit(em, ctx.actor, 'reject', 'Credit', credit.id, { reason: why });
  });
}

/** voidCredit: a PENDING or APPROVED credit no longer counts, with the reason why; units it returned to stock leave it again (while all still there). */
export function voidCredit(ctx: RequestContext, number: string, reason: string, idempotencyKey?: string | null): Promise<CreditPayload> {
  return creditStep(ctx, 'voidCredit', number, { reason, idempotencyKey }, ['PENDING', 'APPROVED'], async (em, credit, v) => {
    const why = v.text('reason', reason, { required: true, max: 1000 });
    if (!why) return;
    if (credit.status === 'APPROVED') await unrestockCredit(em, ctx, credit, v);
    if (!v.ok) return;
    Object.assign(credit, { status: 'VOID', voidReason: why, closedBy: actorLabel(ctx.actor), closedAt: new Date() });
    recordAudit(em, ctx.actor, 'void', 'Credit', credit.id, { reason: why });
  });
}
