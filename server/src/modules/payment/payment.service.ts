// recordPayment, applyCredit and voidPayment: money received, applied to invoices under their locks (the lock
// order is receivables.repository's), and reversed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromScaled, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { checkReference, loadReferences } from '../../common/references';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { ApplyCreditInput, PaymentApplicationInput, RecordPaymentInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CreditSchema } from '../credit/credit.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { InvoiceSchema, type Invoice } from '../invoice/invoice.entity';
import { checkDate } from '../prebook/order-line.validation';
import { companyToday } from '../settings/settings.service';
import { PAYMENT_METHODS, PaymentApplicationSchema, PaymentSchema, type Payment, type PaymentApplication } from './payment.entity';
import { planApplications, type RequestedApplication } from './receivables-rules';
import { lockCreditSource, lockInvoiceIds, lockOpenInvoices, lockPaymentSource, selectAppliedInvoiceIds, type SourceRow } from './receivables.repository';

export interface PaymentPayload {
  payment: Payment | null;
  applications: PaymentApplication[];
  errors: UserError[];
}

export interface ApplyCreditPayload {
  applications: PaymentApplication[];
  unappliedAmount: string | null;
  errors: UserError[];
}

interface Stored {
  paymentId: number | null;
  applicationIds: number[];
  unapplied: string | null;
  errors: UserError[];
}

interface Outcome {
  payment: Payment | null;
  applications: PaymentApplication[];
  unapplied: string | null;
  errors: UserError[];
}

function loadPayment(em: EntityManager, id: number): Promise<Payment | null> {
  return em.findOne(PaymentSchema, id, { populate: ['customer', 'applications'], refresh: true });
}

/** Runs a receivables mutation once per idempotency key, in one transaction: a retry gets the first answer. */
function idempotent(ctx: RequestContext, operation: string, key: string | null | undefined, input: unknown, work: (em: EntityManager) => Promise<Outcome>) {
  return inTransaction(ctx, async (em): Promise<Outcome> => {
    const claim = await claimIdempotencyKey<Stored>(ctx, em, operation, key, input);
    if ('conflict' in claim) return { payment: null, applications: [], unapplied: null, errors: [claim.conflict] };
    if (claim.replayed) {
      const stored = claim.response;
      return {
        payment: stored.paymentId ? await loadPayment(em, stored.paymentId) : null,
        applications: stored.applicationIds.length
          ? await em.find(PaymentApplicationSchema, { id: { $in: stored.applicationIds } }, { orderBy: { id: 'asc' } })
          : [],
        unapplied: stored.unapplied,
        errors: stored.errors,
      };
    }
    const outcome = await work(em);
    if (claim.claimed) {
      const stored: Stored = {
        paymentId: outcome.payment?.id ?? null,
        applicationIds: outcome.applications.map((a) => a.id),
        unapplied: outcome.unapplied,
        errors: outcome.errors,
      };
      await storeIdempotentResponse(em, ctx, key!, stored);
    }
    return outcome;
  });
}

/** The remittance's lines, checked (row by row), as scaled amounts; null when none were given. */
function checkRequested(v: RowValidator, lines: ReadonlyArray<PaymentApplicationInput> | null | undefined): RequestedApplication[] | null {
  if (lines == null) return null;
  if (lines.length === 0) return null;
  const requested: RequestedApplication[] = [];
  lines.forEach((line, index) => {
    const row = new RowValidator(index + 1);
    const invoice = row.text('invoice', line.invoice, { required: true, max: 20 });
    const amount = row.decimal('amount', line.amount, { required: true, min: 0, exclusiveMin: true, max: 1e10, maxScale: 4 });
    v.errors.push(...row.errors);
    if (invoice && amount) requested.push({ invoice: invoice.toUpperCase(), amount: toScaled(amount) });
  });
  return requested;
}

/**
 * Applies up to `source`'s unapplied amount to the customer's invoices (as asked, else oldest due first): the
 * invoices are locked first, then the source (`lockSource`), and every amount is checked under those locks.
 */
async function applySource(
  ctx: RequestContext,
  em: EntityManager,
  customerId: number,
  requested: RequestedApplication[] | null,
  lockSource: () => Promise<{ available: bigint; payment: Payment | null; creditId: number | null }>,
): Promise<{ applications: PaymentApplication[]; left: bigint; errors: UserError[] }> {
  const invoices = await lockOpenInvoices(em, customerId, requested ? [...new Set(requested.map((r) => r.invoice))] : null);
  const { available, payment, creditId } = await lockSource();
  const open = invoices
    .filter((row) => toScaled(row.open) > 0n)
    .map((row) => ({ id: Number(row.id), number: row.number, dueDate: row.due_date, open: toScaled(row.open) }));
  const plan = planApplications(available, open, requested);
  if (plan.errors.length) return { applications: [], left: available, errors: plan.errors.map((e) => userError(e.code, e.message, e.row, e.field)) };
  const appliedBy = actorLabel(ctx.actor);
  const appliedAt = new Date();
  const applications = plan.applications.map((planned) =>
    em.create(PaymentApplicationSchema, {
      payment,
      credit: creditId ? em.getReference(CreditSchema, creditId) : null,
      invoice: em.getReference(InvoiceSchema, planned.invoiceId),
      amount: fromScaled(planned.amount),
      appliedBy,
      appliedAt,
    }),
  );
  await em.flush();
  return { applications, left: plan.left, errors: [] };
}

/** recordPayment: a POSTED payment, applied as the remittance says or oldest due first; the rest stays unapplied. */
export async function recordPayment(ctx: RequestContext, input: RecordPaymentInput, idempotencyKey?: string | null): Promise<PaymentPayload> {
  const outcome = await idempotent(ctx, 'recordPayment', idempotencyKey, input, async (em) => {
    const v = new RowValidator(null);
    const customers = await loadReferences(em, CustomerSchema, [input.customer]);
    const customer = checkReference(v, 'customer', input.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true }) as
      Customer | undefined;
    const date = input.date == null ? await companyToday(em) : checkDate(v, 'date', input.date, true);
    const amount = v.decimal('amount', input.amount, { required: true, min: 0, exclusiveMin: true, max: 1e10, maxScale: 2 });
    const method = v.oneOf('method', input.method, PAYMENT_METHODS, { required: true });
    const reference = v.optionalText('reference', input.reference, { max: 100 }) ?? '';
    const requested = checkRequested(v, input.applications);
    if (!v.ok || !customer || !date || !amount || !method) return { payment: null, applications: [], unapplied: null, errors: v.errors };
    const [number] = await nextDocumentNumbers(em, 'PMT', 1);
    const payment = em.create(PaymentSchema, {
      number,
      customer,
      paymentDate: date,
      amount,
      method,
      reference,
      status: 'POSTED',
      recordedBy: actorLabel(ctx.actor),
    });
    const applied = await applySource(ctx, em, customer.id, requested, async () => ({ available: toScaled(amount), payment, creditId: null }));
    if (applied.errors.length) {
      // Nothing is written: the payment waits for a remittance that adds up.
      em.remove(payment);
      return { payment: null, applications: [], unapplied: null, errors: applied.errors };
    }
    await em.flush();
    recordAudit(em, ctx.actor, 'record', 'Payment', payment.id, input);
    await em.flush();
    return { payment: await loadPayment(em, payment.id), applications: applied.applications, unapplied: fromScaled(applied.left), errors: [] };
  });
  return { payment: outcome.payment, applications: outcome.applications, errors: outcome.errors };
}

/** applyCredit: what is left of a POSTED payment or an APPROVED credit without an invoice, applied to invoices. */
export async function applyCredit(ctx: RequestContext, input: ApplyCreditInput, idempotencyKey?: string | null): Promise<ApplyCreditPayload> {
  const outcome = await idempotent(ctx, 'applyCredit', idempotencyKey, input, async (em) => {
    const fail = (code: UserError['code'], message: string, field = 'source'): Outcome => ({
      payment: null,
      applications: [],
      unapplied: null,
      errors: [userError(code, message, undefined, field)],
    });
    const number = input.source.trim().toUpperCase();
    const v = new RowValidator(null);
    const requested = checkRequested(v, input.applications);
    if (!v.ok) return { payment: null, applications: [], unapplied: null, errors: v.errors };
    let customerId: number;
    let lockSource: () => Promise<{ available: bigint; payment: Payment | null; creditId: number | null }>;
    let sourceRow: SourceRow | null = null;
    const payment = number.startsWith('PMT-') ? await em.findOne(PaymentSchema, { number }) : null;
    const credit = number.startsWith('CR-') ? await em.findOne(CreditSchema, { number }) : null;
    if (payment) {
      customerId = payment.customer.id;
      lockSource = async () => {
        sourceRow = await lockPaymentSource(em, number);
        return { available: sourceRow?.status === 'POSTED' ? toScaled(sourceRow.unapplied) : 0n, payment, creditId: null };
      };
      if (payment.status !== 'POSTED') return fail('INVALID_STATUS', `${number} is ${payment.status}: only a POSTED payment is applied`);
    } else if (credit) {
      customerId = credit.customer.id;
      if (credit.status !== 'APPROVED') return fail('INVALID_STATUS', `${number} is ${credit.status}: only an APPROVED credit is applied`);
      if (credit.invoice) return fail('INVALID_STATUS', `${number} credits its own invoice already: only a credit without an invoice is applied to others`);
      lockSource = async () => {
        sourceRow = await lockCreditSource(em, number);
        return { available: sourceRow?.status === 'APPROVED' ? toScaled(sourceRow.unapplied) : 0n, payment: null, creditId: credit.id };
      };
    } else {
      return fail('NOT_FOUND', `no payment or credit ${input.source.trim()}`);
    }
    const applied = await applySource(ctx, em, customerId, requested, lockSource);
    if (applied.errors.length) return { payment: null, applications: [], unapplied: null, errors: applied.errors };
    recordAudit(em, ctx.actor, 'apply', payment ? 'Payment' : 'Credit', (payment ?? credit)!.id, input);
    await em.flush();
    return { payment: null, applications: applied.applications, unapplied: fromScaled(applied.left), errors: [] };
  });
  return { applications: outcome.applications, unappliedAmount: outcome.unapplied, errors: outcome.errors };
}

/** A FEE invoice of `amount`, CONFIRMED, dated today (an NSF fee). */
async function feeInvoice(em: EntityManager, customer: Customer, amount: string, today: string): Promise<Invoice> {
  const [number] = await nextDocumentNumbers(em, 'INV', 1);
  return em.create(InvoiceSchema, {
    number,
    customer,
    truckDate: today,
    status: 'CONFIRMED',
    source: 'MANUAL',
    kind: 'FEE',
    invoiceDate: today,
    holiday: false,
    pickTicketPrinted: false,
    hasOpenMarket: false,
    confirmedAt: new Date(),
    feeAmount: amount,
  });
}

/** voidPayment: a bounced check. Its applications stop counting (the invoices are open again), with an optional NSF fee invoice. */
export async function voidPayment(
  ctx: RequestContext,
  number: string,
  reason: string,
  nsfFee?: string | null,
  idempotencyKey?: string | null,
): Promise<PaymentPayload> {
  const outcome = await idempotent(ctx, 'voidPayment', idempotencyKey, { number, reason, nsfFee }, async (em) => {
    const wanted = number.trim().toUpperCase();
    const v = new RowValidator(null);
    const why = v.text('reason', reason, { required: true, max: 1000 });
    const fee = v.decimal('nsfFee', nsfFee ?? undefined, { required: false, min: 0, max: 1e6, maxScale: 2 });
    const found = await em.findOne(PaymentSchema, { number: wanted });
    if (!found) v.fail('NOT_FOUND', 'number', `no payment ${number.trim()}`);
    if (!v.ok || !found || !why) return { payment: found, applications: [], unapplied: null, errors: v.errors };
    // The lock order: the invoices its applications name, then the payment.
    await lockInvoiceIds(em, await selectAppliedInvoiceIds(em, found.id));
    await lockPaymentSource(em, wanted);
    const payment = (await loadPayment(em, found.id))!;
    if (payment.status !== 'POSTED') {
      return {
        payment,
        applications: [],
        unapplied: null,
        errors: [userError('INVALID_STATUS', `${payment.number} is ${payment.status} already`, undefined, 'number')],
      };
    }
    const now = new Date();
    Object.assign(payment, { status: 'VOID', voidReason: why, voidedBy: actorLabel(ctx.actor), voidedAt: now });
    // Marked reversed, so the change feed reports the invoices they paid as changed (open again).
    for (const application of payment.applications.getItems()) application.reversedAt = now;
    if (fee && toScaled(fee) > 0n) payment.feeInvoice = await feeInvoice(em, payment.customer, fee, await companyToday(em));
    recordAudit(em, ctx.actor, 'void', 'Payment', payment.id, { reason: why, nsfFee: fee ?? null });
    await em.flush();
    return { payment: await loadPayment(em, payment.id), applications: [], unapplied: '0.00', errors: [] };
  });
  return { payment: outcome.payment, applications: outcome.applications, errors: outcome.errors };
}
