// savePayments: the Payments sheet's push. Each payment (the rows of one Payment #, or of one Ref) is recorded
// by recordPayment itself (one implementation of every payment rule), whole or not at all; the others in the same
// push are independent. A payment recorded is posted: pushed again unchanged it is UNCHANGED, edited it is refused.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal, toScaled } from '../../common/decimal';
import type { DocumentResult } from '../../common/save-documents';
import { checkReference, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { PaymentApplicationInput, PaymentMethod, PaymentSheetInput, RecordPaymentInput } from '../../generated/graphql';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { checkDate } from '../prebook/order-line.validation';
import { PAYMENT_METHODS, PaymentSchema, type Payment } from './payment.entity';
import { countingApplications } from './payment-query.service';
import { recordPayment, type PaymentPayload } from './payment.service';
import { planApplications } from './receivables-rules';
import { lockOpenInvoices } from './receivables.repository';

export interface SavePaymentsResult {
  payments: Payment[];
  results: DocumentResult[];
  errors: UserError[];
  replayed: boolean;
}

interface StoredResponse {
  ids: number[];
  results: DocumentResult[];
  errors: UserError[];
}

/** The longest client document id kept. */
const MAX_DOCUMENT_ID = 64;
const POPULATE = ['customer', 'applications', 'applications.invoice', 'applications.credit', 'applications.payment'] as const;

/** Thrown inside a payment's savepoint to roll back what a refused payment wrote (its idempotency claim). */
class Refused extends Error {
  constructor(readonly payload: PaymentPayload) {
    super('refused');
  }
}

/** A payment of the sheet as recordPayment's input: its rows with an Invoice # are the remittance; `positions[i]` is application i's line (1-based). */
function inputOf(doc: PaymentSheetInput): { input: RecordPaymentInput; positions: number[] } {
  const applications: PaymentApplicationInput[] = [];
  const positions: number[] = [];
  doc.lines.forEach((line, index) => {
    if (!line.invoice?.trim() && line.applied == null) return;
    applications.push({ invoice: line.invoice?.trim() ?? '', amount: line.applied ?? '' });
    positions.push(index + 1);
  });
  const method = doc.method?.trim().toUpperCase() ?? '';
  return {
    input: {
      customer: doc.customer?.trim() ?? '',
      date: doc.date?.trim() || null,
      amount: doc.amount ?? '',
      method: method as PaymentMethod,
      reference: doc.reference?.trim() || null,
      applications: applications.length ? applications : null,
    },
    positions,
  };
}

/** An error of recordPayment as an error of the push's `index`th payment, its field in the sheet's terms (lines.N.invoice, lines.N.applied). */
function inDocument(error: UserError, index: number, positions: number[]): UserError {
  let field = error.field ?? null;
  if (error.row != null && (field === 'invoice' || field === 'amount')) {
    const line = positions[error.row - 1] ?? 1;
    field = `lines.${line}.${field === 'amount' ? 'applied' : 'invoice'}`;
  } else if (field === 'applications') field = 'applied';
  return { ...error, row: index, field, message: `Row ${index}: ${error.message}` };
}

/** Whether a recorded payment already is what the sheet says (its rows pulled, or pushed, and sent back unedited). */
function samePayment(payment: Payment, doc: PaymentSheetInput, input: RecordPaymentInput): string | null {
  const differs: string[] = [];
  const customer = input.customer.toUpperCase();
  if (customer && customer !== payment.customer.code.toUpperCase() && customer !== payment.customer.name.toUpperCase()) differs.push('Customer');
  if (input.date && input.date !== payment.paymentDate) differs.push('Date');
  if (doc.amount != null && !sameDecimal(payment.amount, doc.amount)) differs.push('Amount');
  if (input.method && input.method !== payment.method) differs.push('Method');
  if ((input.reference ?? '') !== payment.reference) differs.push('Reference');
  // Rows naming invoices must be its applications; rows without any are the payment alone.
  if (input.applications) {
    const stored = new Map<string, bigint>();
    for (const a of countingApplications(payment)) stored.set(a.invoice.number, (stored.get(a.invoice.number) ?? 0n) + toScaled(a.amount));
    const sheet = new Map<string, bigint>();
    for (const a of input.applications) {
      const number = a.invoice.toUpperCase();
      sheet.set(number, (sheet.get(number) ?? 0n) + (/^-?\d+(\.\d+)?$/.test(String(a.amount)) ? toScaled(String(a.amount)) : -1n));
    }
    if (stored.size !== sheet.size || [...sheet].some(([number, amount]) => stored.get(number) !== amount)) differs.push('Invoice #/Applied');
  }
  return differs.length ? differs.join(', ') : null;
}

/** A dry run's checks of one new payment, as recordPayment makes them, writing nothing (no number is taken). */
async function checkOnly(em: EntityManager, v: RowValidator, input: RecordPaymentInput, positions: number[]): Promise<void> {
  const customers = await loadReferences(em, CustomerSchema, [input.customer]);
  const customer = checkReference(v, 'customer', input.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true }) as
    Customer | undefined;
  if (input.date != null) checkDate(v, 'date', input.date, true);
  const amount = v.decimal('amount', input.amount, { required: true, min: 0, exclusiveMin: true, max: 1e10, maxScale: 2 });
  v.oneOf('method', input.method, PAYMENT_METHODS, { required: true });
  v.optionalText('reference', input.reference, { max: 100 });
  if (!customer || !input.applications) return;
  const requested = input.applications.flatMap((line, i) => {
    const row = v.nested(`lines.${positions[i]}`, `line ${positions[i]}`);
    const invoice = row.text('invoice', line.invoice, { required: true, max: 20 });
    const applied = row.decimal('applied', line.amount, { required: true, min: 0, exclusiveMin: true, max: 1e10, maxScale: 4 });
    return invoice && applied ? [{ invoice: invoice.toUpperCase(), amount: toScaled(applied), position: positions[i] }] : [];
  });
  const open = (await lockOpenInvoices(em, customer.id, [...new Set(requested.map((r) => r.invoice))]))
    .filter((row) => toScaled(row.open) > 0n)
    .map((row) => ({ id: Number(row.id), number: row.number, dueDate: row.due_date, open: toScaled(row.open) }));
  const plan = planApplications(amount ? toScaled(amount) : 10n ** 20n, open, requested);
  for (const error of plan.errors) {
    const position = error.row ? requested[error.row - 1].position : null;
    const field = position ? `lines.${position}.${error.field === 'amount' ? 'applied' : 'invoice'}` : 'applied';
    v.fail(error.code, field, error.message);
  }
}

/** One new payment of the push, recorded in its own savepoint: refused, nothing of it stays. */
async function recordOne(ctx: RequestContext, em: EntityManager, doc: PaymentSheetInput, input: RecordPaymentInput): Promise<PaymentPayload> {
  try {
    return await em.transactional(async (inner) => {
      // A new payment's document id keys its recording: the same rows pushed again (their answer lost) find it, never a second one.
      const payload = await recordPayment({ ...ctx, em: inner as EntityManager }, input, doc.documentId ? `sheet:${doc.documentId.trim()}` : null);
      if (payload.errors.length) throw new Refused(payload);
      return payload;
    });
  } catch (error) {
    if (error instanceof Refused) return error.payload;
    throw error;
  }
}

/** An earlier push's payment found by its document id, but the rows changed since: said in the sheet's words. */
function alreadyRecorded(error: UserError): UserError {
  if (error.code !== 'IDEMPOTENCY_CONFLICT') return error;
  return {
    ...error,
    field: 'documentId',
    message:
      'an earlier push of these rows recorded this payment, but its answer never reached the sheet and the rows changed since: pull the payments of this customer (the recorded one is there)',
  };
}

/** savePayments: every payment checked on its own and recorded whole or not at all; a retried push (same key, or same document ids) records nothing twice. */
export async function savePayments(
  ctx: RequestContext,
  input: PaymentSheetInput[],
  idempotencyKey?: string | null,
  dryRun = false,
): Promise<SavePaymentsResult> {
  const lineCount = input.reduce((sum, doc) => sum + Math.max(1, doc.lines.length), 0);
  if (input.length > MAX_UPSERT_ITEMS || lineCount > MAX_UPSERT_ITEMS) {
    const message = `A call takes at most ${MAX_UPSERT_ITEMS} rows; this one has ${lineCount} in ${input.length} payments. Split it.`;
    return { payments: [], results: [], errors: [userError('TOO_MANY_ITEMS', message)], replayed: false };
  }
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<StoredResponse>(ctx, em, 'savePayments', dryRun ? null : idempotencyKey, input);
    if ('conflict' in claim) return { payments: [], results: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const { ids, results, errors } = claim.response;
      const found = new Map((await em.find(PaymentSchema, { id: { $in: ids } }, { populate: POPULATE })).map((p) => [p.id, p]));
      return { payments: ids.flatMap((id) => found.get(id) ?? []), results, errors, replayed: true };
    }
    const numbers = [...new Set(input.map((doc) => doc.number?.trim().toUpperCase()).filter((n): n is string => !!n))];
    const existing = new Map(
      (numbers.length ? await em.find(PaymentSchema, { number: { $in: numbers } }, { populate: POPULATE, refresh: true }) : []).map((p) => [p.number, p]),
    );
    const results: DocumentResult[] = [];
    const errors: UserError[] = [];
    const payments: Payment[] = [];
    const seen = new Map<string, number>();
    for (const [i, doc] of input.entries()) {
      const index = i + 1;
      const v = new RowValidator(index);
      const number = doc.number?.trim().toUpperCase() || null;
      const payment = number ? existing.get(number) : undefined;
      const result: DocumentResult = { index, ref: doc.ref ?? null, number, version: payment?.version ?? null, status: 'ERROR' };
      results.push(result);
      const key = number ? `#${number}` : doc.documentId?.trim() ? `id:${doc.documentId.trim()}` : null;
      if (key && seen.has(key)) v.fail('DUPLICATE_DOCUMENT', number ? 'number' : 'documentId', `the same payment as row ${seen.get(key)} of this push`);
      if (key) seen.set(key, index);
      if ((doc.documentId?.trim().length ?? 0) > MAX_DOCUMENT_ID)
        v.fail('INVALID_VALUE', 'documentId', `documentId is longer than ${MAX_DOCUMENT_ID} characters`);
      const { input: recorded, positions } = inputOf(doc);
      if (number && !payment) v.fail('NOT_FOUND', 'number', `no payment ${number}`);
      if (payment) {
        const differs = samePayment(payment, doc, recorded);
        if (differs)
          v.fail(
            'INVALID_STATUS',
            'number',
            `${payment.number} is ${payment.status === 'POSTED' ? 'posted' : 'void'}: a recorded payment is not edited (${differs} differ). Void it and record it again, or apply its unapplied amount with applyCredit`,
          );
      }
      if (!payment && dryRun) await checkOnly(em, v, recorded, positions);
      if (!v.ok) {
        errors.push(...v.errors);
        continue;
      }
      if (payment) {
        Object.assign(result, { status: 'UNCHANGED', number: payment.number, version: payment.version });
        payments.push(payment);
        continue;
      }
      if (dryRun) {
        result.status = 'VALID';
        continue;
      }
      const started = new Date();
      const payload = await recordOne(ctx, em, doc, recorded);
      if (payload.errors.length) {
        errors.push(...payload.errors.map((error) => inDocument(alreadyRecorded(error), index, positions)));
        continue;
      }
      const saved = (await em.findOne(PaymentSchema, payload.payment!.id, { populate: POPULATE, refresh: true }))!;
      // Recorded before this push began: an earlier push of the same rows recorded it (found by its document id).
      Object.assign(result, { number: saved.number, version: saved.version, status: saved.createdAt < started ? 'UNCHANGED' : 'SAVED' });
      payments.push(saved);
    }
    if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { ids: payments.map((p) => p.id), results, errors } satisfies StoredResponse);
    return { payments, results, errors, replayed: false };
  });
}
