import type { EntityManager } from '@mikro-orm/postgresql';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { checkReference, loadReferences } from '../../common/references';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { RequestCreditInput, UpdateCreditInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { InvoiceSchema } from '../invoice/invoice.entity';
import { companyToday, getSettings } from '../settings/settings.service';
import { CreditSchema, type Credit, type CreditReason } from './credit.entity';
import { checkCreditLines, setCreditLines } from './credit-lines.service';
import { customerCreditReason } from './credit-reason.service';
import { lockCreditByNumber } from './credit.repository';
import { loadCredit, POPULATE_CREDIT } from './credit-query.service';

export interface CreditPayload {
  credit: Credit | null;
  errors: UserError[];
}

/** The stored answer of an idempotent credit mutation: the credit's id and the errors. */
interface StoredCreditPayload {
  creditId: number | null;
  errors: UserError[];
}

/**
 * Runs a credit mutation once per idempotency key, in one transaction: a retry with the same key gets
 * the first answer (the credit as it is now) and writes nothing twice.
 */
export function idempotentCreditChange(
  ctx: RequestContext,
  operation: string,
  key: string | null | undefined,
  input: unknown,
  work: (em: EntityManager) => Promise<CreditPayload>,
): Promise<CreditPayload> {
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<StoredCreditPayload>(ctx, em, operation, key, input);
    if ('conflict' in claim) return { credit: null, errors: [claim.conflict] };
    if (claim.replayed) return { credit: claim.response.creditId ? await loadCredit(em, claim.response.creditId) : null, errors: claim.response.errors };
    const payload = await work(em);
    if (claim.claimed) await storeIdempotentResponse(em, ctx, key!, { creditId: payload.credit?.id ?? null, errors: payload.errors });
    return payload;
  });
}

/** The reason a credit names, or undefined after recording why it cannot be used (required while Settings.creditReasonRequired). */
async function checkReason(em: EntityManager, v: RowValidator, value: string | null | undefined, required: boolean): Promise<CreditReason | null | undefined> {
  if (!value?.trim()) {
    if (required) return v.fail('REQUIRED', 'reason', 'a credit needs a reason (see creditReasons): Settings.creditReasonRequired is on');
    return null;
  }
  const reason = await customerCreditReason(em, value);
  if (typeof reason === 'string') return v.fail('UNKNOWN_CREDIT_REASON', 'reason', reason);
  return reason;
}

/** requestCredit: a PENDING credit, its lines checked under their invoice lines' locks. A CUSTOMER token credits only its own invoices. */
export function requestCredit(ctx: RequestContext, input: RequestCreditInput, idempotencyKey?: string | null): Promise<CreditPayload> {
  return idempotentCreditChange(ctx, 'requestCredit', idempotencyKey, input, async (em) => {
    const v = new RowValidator(null);
    const isCustomer = ctx.actor.role === 'CUSTOMER';
    const settings = await getSettings(em);
    const reason = await checkReason(em, v, input.reason, settings.creditReasonRequired);
    const notes = v.optionalText('notes', input.notes, { max: 1000 }) ?? '';

    let invoice: { id: number; number: string; customerId: number; status: string } | null = null;
    if (input.invoice?.trim()) {
      const found = await em.findOne(InvoiceSchema, { number: input.invoice.trim().toUpperCase() });
      // Another customer's invoice answers as a missing one to a CUSTOMER token.
      if (!found || (isCustomer && found.customer.id !== ctx.actor.customerId)) v.fail('NOT_FOUND', 'invoice', `no invoice ${input.invoice.trim()}`);
      else invoice = { id: found.id, number: found.number, customerId: found.customer.id, status: found.status };
    }
    const onlyCustomerId = isCustomer ? (ctx.actor.customerId ?? -1) : null;
    const checked = await checkCreditLines(em, v, input.lines, { expectedInvoice: invoice, exceptCreditId: null, onlyCustomerId });
    // Read again under the lines' locks: a void of the invoice either finished before or waits for this credit.
    if (invoice && (await em.findOne(InvoiceSchema, invoice.id, { refresh: true }))?.status === 'VOID') {
      v.fail('INVALID_STATUS', 'invoice', `${invoice.number} is VOID: there is nothing to credit`);
    }
    invoice ??= checked.invoice;
    if (isCustomer && invoice && invoice.customerId !== ctx.actor.customerId) {
      return {
        credit: null,
        errors: [userError('NOT_FOUND', `no invoice line ${input.lines.find((line) => line.invoiceLine)?.invoiceLine ?? ''}`, undefined, 'lines')],
      };
    }

    let customer: Customer | undefined;
    if (isCustomer) {
      // A claim is about one of its invoices: named, or the invoice of the lines it names.
      if (!invoice && !input.lines.some((line) => line.invoiceLine != null)) v.fail('REQUIRED', 'invoice', 'a claim names the invoice it is about');
      customer = (await em.findOne(CustomerSchema, ctx.actor.customerId ?? -1)) ?? undefined;
    } else if (input.customer?.trim()) {
      const customers = await loadReferences(em, CustomerSchema, [input.customer]);
      customer = checkReference(v, 'customer', input.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
    } else if (invoice) {
      customer = (await em.findOne(CustomerSchema, invoice.customerId)) ?? undefined;
    } else {
      v.fail('REQUIRED', 'customer', 'a credit without an invoice names its customer');
    }
    if (customer && invoice && customer.id !== invoice.customerId) {
      v.fail('DIFFERENT_CUSTOMER', 'customer', `${invoice.number} is not ${customer.code}'s invoice`);
    }
    if (!v.ok || !customer || reason === undefined) return { credit: null, errors: v.errors };

    const [number] = await nextDocumentNumbers(em, 'CR', 1);
    const credit = em.create(CreditSchema, {
      number,
      customer,
      invoice: invoice ? em.getReference(InvoiceSchema, invoice.id) : null,
      creditDate: await companyToday(em),
      status: 'PENDING',
      reason,
      notes,
      requestedBy: actorLabel(ctx.actor),
      requestedAt: new Date(),
    });
    setCreditLines(em, credit, checked.lines);
    await em.flush();
    recordAudit(em, ctx.actor, 'request', 'Credit', credit.id, input);
    await em.flush();
    return { credit: await loadCredit(em, credit.id), errors: [] };
  });
}

/** Locks a credit and reads it whole; a CUSTOMER token finds only its own. */
export async function lockCredit(ctx: RequestContext, em: EntityManager, number: string): Promise<Credit | null> {
  const id = await lockCreditByNumber(em, number.trim().toUpperCase());
  if (id === null) return null;
  const credit = await em.findOne(CreditSchema, id, { populate: POPULATE_CREDIT, refresh: true });
  if (!credit || (ctx.actor.role === 'CUSTOMER' && credit.customer.id !== ctx.actor.customerId)) return null;
  return credit;
}

/** updateCredit: the reason, notes or lines of a PENDING credit; new lines are checked as a request's, its old ones no longer counting. */
export function updateCredit(
  ctx: RequestContext,
  number: string,
  input: UpdateCreditInput,
  version?: number | null,
  idempotencyKey?: string | null,
): Promise<CreditPayload> {
  return idempotentCreditChange(ctx, 'updateCredit', idempotencyKey, { number, input, version }, async (em) => {
    // The credit first, then its invoice lines (requestCredit locks only lines, never a credit: no cycle).
    const credit = await lockCredit(ctx, em, number);
    if (!credit) return { credit: null, errors: [userError('NOT_FOUND', `no credit ${number}`, undefined, 'number')] };
    if (credit.status !== 'PENDING') {
      return { credit, errors: [userError('INVALID_STATUS', `${credit.number} is ${credit.status}: only a pending credit changes`, undefined, 'number')] };
    }
    const v = new RowValidator(null);
    if (version != null && version !== credit.version) {
      v.fail('STALE_VERSION', 'version', `${credit.number} was changed by someone else (version ${credit.version}, yours ${version})`);
    }
    const settings = await getSettings(em);
    const reason = input.reason === undefined ? credit.reason : await checkReason(em, v, input.reason, settings.creditReasonRequired);
    const notes = v.optionalText('notes', input.notes, { max: 1000 });
    const invoice = credit.invoice ? { id: credit.invoice.id, number: credit.invoice.number } : null;
    const onlyCustomerId = ctx.actor.role === 'CUSTOMER' ? (ctx.actor.customerId ?? -1) : null;
    const checked = input.lines ? await checkCreditLines(em, v, input.lines, { expectedInvoice: invoice, exceptCreditId: credit.id, onlyCustomerId }) : null;
    if (checked && !invoice && checked.invoice) {
      v.fail('INVALID_VALUE', 'lines', `${credit.number} is not on an invoice: its lines cannot credit invoice lines`);
    }
    if (!v.ok || reason === undefined) return { credit, errors: v.errors };
    credit.reason = reason;
    if (notes !== undefined) credit.notes = notes ?? '';
    if (checked) setCreditLines(em, credit, checked.lines);
    credit.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'update', 'Credit', credit.id, { input, version });
    await em.flush();
    return { credit: await loadCredit(em, credit.id), errors: [] };
  });
}
