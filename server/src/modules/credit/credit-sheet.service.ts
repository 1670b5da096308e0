// saveCredits: the Credits sheet's push. Each credit (the rows of one Credit #, or of one Ref) is
// requested, or changed while PENDING, whole or not at all, by requestCredit and updateCredit
// themselves (one implementation of every credit rule); the others in the same push are independent.
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal } from '../../common/decimal';
import type { DocumentResult } from '../../common/save-documents';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { CreditLineInput, CreditSheetInput, CreditSheetLineInput } from '../../generated/graphql';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { InvoiceLineSchema, InvoiceSchema } from '../invoice/invoice.entity';
import { lockInvoiceLines } from '../invoice/invoice.repository';
import { getSettings } from '../settings/settings.service';
import { CREDIT_LINE_KINDS, CreditSchema, type Credit, type CreditLineKind } from './credit.entity';
import { checkCreditLines } from './credit-lines.service';
import { centsText } from './credit-rules';
import { POPULATE_CREDIT } from './credit-query.service';
import { customerCreditReason } from './credit-reason.service';
import { requestCredit, updateCredit, type CreditPayload } from './credit-request.service';
import { lockCreditByNumber } from './credit.repository';
import { resolveCreditLine, type InvoiceLineChoice } from './credit-sheet-lines';

export interface SaveCreditsResult {
  credits: Credit[];
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

/** Thrown inside a credit's savepoint to roll back what a refused credit wrote (its idempotency claim). */
class Refused extends Error {
  constructor(readonly payload: CreditPayload) {
    super('refused');
  }
}

/** An error of requestCredit or updateCredit (no row) as an error of the push's `index`th credit. */
function inRow(error: UserError, index: number): UserError {
  const message = error.message.startsWith('line ') ? `Row ${index}, ${error.message}` : `Row ${index}: ${error.message}`;
  return { ...error, message, row: index };
}

/** A new credit's document id already used by an earlier push with other rows: said in the sheet's words. */
function alreadySaved(error: UserError): UserError {
  if (error.code !== 'IDEMPOTENCY_CONFLICT') return error;
  return {
    ...error,
    field: 'documentId',
    message:
      'an earlier push of these rows saved this credit, but its answer never reached the sheet and the rows changed since: pull the credits of this customer (the saved one is there) and make your edits on it',
  };
}

/** What the push reads before any credit: the credits it changes and every line of the invoices it names, locked in one order. */
interface Prepared {
  credits: Map<string, Credit>;
  invoices: Map<string, { id: number; number: string }>;
  lines: Map<number, InvoiceLineChoice[]>;
}

async function prepare(em: EntityManager, input: CreditSheetInput[]): Promise<Prepared> {
  const numbers = [...new Set(input.map((doc) => doc.number?.trim().toUpperCase()).filter((n): n is string => !!n))].sort();
  // Credits first, then invoice lines, each in one order: as updateCredit locks them, so two pushes wait rather than deadlock.
  for (const number of numbers) await lockCreditByNumber(em, number);
  const credits = numbers.length ? await em.find(CreditSchema, { number: { $in: numbers } }, { populate: POPULATE_CREDIT, refresh: true }) : [];
  const invoiceNumbers = [...new Set(input.map((doc) => doc.invoice?.trim().toUpperCase()).filter((n): n is string => !!n))];
  const invoices = invoiceNumbers.length ? await em.find(InvoiceSchema, { number: { $in: invoiceNumbers } }) : [];
  const invoiceIds = [...new Set([...invoices.map((i) => i.id), ...credits.flatMap((c) => (c.invoice ? [c.invoice.id] : []))])];
  await lockInvoiceLines(em, { invoiceIds });
  const lines = invoiceIds.length
    ? await em.find(InvoiceLineSchema, { invoice: { $in: invoiceIds } }, { populate: ['product'], orderBy: { lineNo: 'asc' } })
    : [];
  const byInvoice = new Map<number, InvoiceLineChoice[]>();
  for (const line of lines) {
    const list = byInvoice.get(line.invoice.id) ?? [];
    list.push({ id: line.id, lineNo: line.lineNo, productCode: line.product.code, productName: line.product.name });
    byInvoice.set(line.invoice.id, list);
  }
  return {
    credits: new Map(credits.map((c) => [c.number, c])),
    invoices: new Map([...invoices, ...credits.flatMap((c) => (c.invoice ? [c.invoice] : []))].map((i) => [i.number, { id: i.id, number: i.number }])),
    lines: byInvoice,
  };
}

/** A credit of the sheet read into requestCredit's lines, its invoice lines found by product; `bad`: the lines (0-based) that could not be read. */
function linesOf(v: RowValidator, doc: CreditSheetInput, credit: Credit | undefined, prepared: Prepared): { lines: CreditLineInput[]; bad: Set<number> } {
  const invoiceNumber = doc.invoice?.trim().toUpperCase() || null;
  if (credit) {
    const stored = credit.invoice?.number ?? null;
    if (invoiceNumber !== stored)
      v.fail('INVALID_VALUE', 'invoice', `${credit.number} credits ${stored ?? 'no invoice'}: a saved credit's invoice does not change`);
    const customer = doc.customer?.trim().toUpperCase();
    if (customer && customer !== credit.customer.code.toUpperCase() && customer !== credit.customer.name.toUpperCase())
      v.fail('INVALID_VALUE', 'customer', `${credit.number} is ${credit.customer.code}'s credit: a saved credit's customer does not change`);
  }
  const invoice = invoiceNumber ? prepared.invoices.get(invoiceNumber) : undefined;
  if (invoiceNumber && !invoice && !credit) v.fail('NOT_FOUND', 'invoice', `no invoice ${doc.invoice?.trim()}`);
  if (doc.lines.length === 0) v.fail('REQUIRED', 'lines', 'a credit needs at least one line');
  const bad = new Set<number>();
  const lines = doc.lines.map((line: CreditSheetLineInput, index) => {
    const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
    const before = v.errors.length;
    const kind = line.kind?.trim().toUpperCase() ?? '';
    if (!kind) lv.fail('REQUIRED', 'kind', `kind is required (${CREDIT_LINE_KINDS.join(', ')})`);
    else if (!(CREDIT_LINE_KINDS as readonly string[]).includes(kind))
      lv.fail('INVALID_VALUE', 'kind', `kind "${line.kind?.trim()}" is not one of ${CREDIT_LINE_KINDS.join(', ')}`);
    let invoiceLine: string | null = null;
    if (line.product?.trim() || line.invoiceLine != null) {
      if (!invoice) {
        if (!invoiceNumber) lv.fail('REQUIRED', 'product', `${line.product?.trim() ?? 'the line'} is on an invoice: name its Invoice #`);
      } else {
        const found = resolveCreditLine(invoice.number, prepared.lines.get(invoice.id) ?? [], line);
        if (typeof found === 'number') invoiceLine = String(found);
        else lv.fail(found.code, 'product', found.message);
      }
    }
    if (v.errors.length > before) bad.add(index);
    return {
      kind: kind as CreditLineKind,
      invoiceLine,
      units: line.units ?? null,
      amountPerUnit: line.amountPerUnit ?? null,
      amount: line.amount ?? null,
      restock: line.restock ?? false,
    } satisfies CreditLineInput;
  });
  return { lines, bad };
}

/**
 * A dry run's checks of one credit, as a save would make them, writing nothing (no number is taken): the
 * limits of every line that could be read, even when others could not, so one push tells every error.
 */
async function checkOnly(
  em: EntityManager,
  v: RowValidator,
  doc: CreditSheetInput,
  credit: Credit | undefined,
  read: ReturnType<typeof linesOf>,
  prepared: Prepared,
) {
  if (credit && credit.status !== 'PENDING') v.fail('INVALID_STATUS', 'number', `${credit.number} is ${credit.status}: only a pending credit changes`);
  if (!doc.reason?.trim()) {
    if ((await getSettings(em)).creditReasonRequired)
      v.fail('REQUIRED', 'reason', 'a credit needs a reason (see creditReasons): Settings.creditReasonRequired is on');
  } else {
    const reason = await customerCreditReason(em, doc.reason);
    if (typeof reason === 'string') v.fail('UNKNOWN_CREDIT_REASON', 'reason', reason);
  }
  const invoiceNumber = credit?.invoice?.number ?? doc.invoice?.trim().toUpperCase();
  const invoice = invoiceNumber ? (prepared.invoices.get(invoiceNumber) ?? null) : null;
  const positions = read.lines.map((_, i) => i).filter((i) => !read.bad.has(i));
  if (positions.length === 0) return;
  const checked = new RowValidator(null);
  await checkCreditLines(
    em,
    checked,
    positions.map((i) => read.lines[i]),
    { expectedInvoice: invoice, exceptCreditId: credit?.id ?? null },
  );
  // Back to the lines' own numbers in the document.
  for (const error of checked.errors) {
    const at = /^lines\.(\d+)\.(.+)$/.exec(error.field ?? '');
    if (!at) continue;
    const line = positions[Number(at[1]) - 1] + 1;
    v.nested(`lines.${line}`, `line ${line}`).fail(error.code, at[2], error.message.replace(/^line \d+: /, ''));
  }
}

/**
 * Whether a saved credit already is what the sheet says (its rows pulled and pushed back unedited): then
 * nothing is sent, whatever its status, so an approved credit pulled with the pending ones is no error.
 */
function sameCredit(credit: Credit, doc: CreditSheetInput, lines: readonly CreditLineInput[]): boolean {
  const stored = [...credit.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  if ((credit.reason?.code ?? '') !== (doc.reason?.trim().toUpperCase() ?? '') || credit.notes !== (doc.notes?.trim() ?? '')) return false;
  if (stored.length !== lines.length) return false;
  return lines.every((line, i) => {
    const was = stored[i];
    if (was.kind !== line.kind || was.restock !== (line.restock ?? false) || String(was.invoiceLine?.id ?? '') !== String(line.invoiceLine ?? '')) return false;
    if (line.kind === 'AMOUNT') return line.amount != null && sameDecimal(was.amount, centsText(line.amount));
    if (line.units != null ? was.units !== line.units : line.kind === 'QUANTITY') return false;
    return line.kind === 'QUANTITY' || sameDecimal(was.amountPerUnit, line.amountPerUnit);
  });
}

/** One credit of the push, saved in its own savepoint: refused, nothing of it stays. */
async function saveOne(
  ctx: RequestContext,
  em: EntityManager,
  doc: CreditSheetInput,
  credit: Credit | undefined,
  lines: CreditLineInput[],
): Promise<CreditPayload> {
  const reason = doc.reason?.trim() || null;
  const notes = doc.notes?.trim() || null;
  try {
    return await em.transactional(async (inner) => {
      const work = { ...ctx, em: inner as EntityManager };
      const payload = credit
        ? await updateCredit(work, credit.number, { reason, notes, lines }, doc.version, null)
        : // A new credit's document id keys its request: the same rows pushed again (their answer lost) find it, never a second one.
          await requestCredit(
            work,
            { customer: doc.customer, invoice: doc.invoice, reason, notes, lines },
            doc.documentId ? `sheet:${doc.documentId.trim()}` : null,
          );
      if (payload.errors.length) throw new Refused(payload);
      return payload;
    });
  } catch (error) {
    if (error instanceof Refused) return error.payload;
    throw error;
  }
}

/** saveCredits: every credit checked on its own and saved whole or not at all; a retried push (same key) writes nothing twice. */
export async function saveCredits(ctx: RequestContext, input: CreditSheetInput[], idempotencyKey?: string | null, dryRun = false): Promise<SaveCreditsResult> {
  const lineCount = input.reduce((sum, doc) => sum + doc.lines.length, 0);
  if (input.length > MAX_UPSERT_ITEMS || lineCount > MAX_UPSERT_ITEMS) {
    const message = `A call takes at most ${MAX_UPSERT_ITEMS} lines; this one has ${lineCount} in ${input.length} credits. Split it.`;
    return { credits: [], results: [], errors: [userError('TOO_MANY_ITEMS', message)], replayed: false };
  }
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<StoredResponse>(ctx, em, 'saveCredits', dryRun ? null : idempotencyKey, input);
    if ('conflict' in claim) return { credits: [], results: [], errors: [claim.conflict], replayed: false };
    if (claim.replayed) {
      const { ids, results, errors } = claim.response;
      const found = new Map((await em.find(CreditSchema, { id: { $in: ids } }, { populate: POPULATE_CREDIT })).map((c) => [c.id, c]));
      return { credits: ids.flatMap((id) => found.get(id) ?? []), results, errors, replayed: true };
    }
    const prepared = await prepare(em, input);
    const work = { ...ctx, em };
    const results: DocumentResult[] = [];
    const errors: UserError[] = [];
    const credits: Credit[] = [];
    const seen = new Map<string, number>();
    for (const [i, doc] of input.entries()) {
      const index = i + 1;
      const v = new RowValidator(index);
      const number = doc.number?.trim().toUpperCase() || null;
      const credit = number ? prepared.credits.get(number) : undefined;
      const result: DocumentResult = { index, ref: doc.ref ?? null, number, version: credit?.version ?? null, status: 'ERROR' };
      results.push(result);
      const key = number ? `#${number}` : doc.documentId?.trim() ? `id:${doc.documentId.trim()}` : null;
      if (key && seen.has(key)) v.fail('DUPLICATE_DOCUMENT', number ? 'number' : 'documentId', `the same credit as row ${seen.get(key)} of this push`);
      if (key) seen.set(key, index);
      if ((doc.documentId?.trim().length ?? 0) > MAX_DOCUMENT_ID)
        v.fail('INVALID_VALUE', 'documentId', `documentId is longer than ${MAX_DOCUMENT_ID} characters`);
      if (number && !credit) v.fail('NOT_FOUND', 'number', `no credit ${number}`);
      else if (credit && doc.version == null) v.fail('REQUIRED', 'version', `version is required to change ${credit.number}`);
      else if (credit && doc.version !== credit.version) {
        v.fail('STALE_VERSION', 'version', `${credit.number} was changed by someone else (version ${credit.version}, yours ${doc.version}); pull it again`);
        result.status = 'STALE';
      }
      const read = result.status === 'STALE' ? undefined : linesOf(v, doc, credit, prepared);
      if (read && dryRun) await checkOnly(em, v, doc, credit, read, prepared);
      const lines = read?.lines;
      if (!v.ok || !lines) {
        errors.push(...v.errors);
        continue;
      }
      if (dryRun) {
        result.status = 'VALID';
        continue;
      }
      if (credit && sameCredit(credit, doc, lines)) {
        result.status = 'UNCHANGED';
        credits.push(credit);
        continue;
      }
      const started = new Date();
      const payload = await saveOne(work, em, doc, credit, lines);
      if (payload.errors.length) {
        errors.push(...payload.errors.map((error) => inRow(alreadySaved(error), index)));
        if (payload.errors.some((error) => error.code === 'STALE_VERSION')) result.status = 'STALE';
        continue;
      }
      const saved = payload.credit!;
      // A new credit requested before this push began: an earlier push of the same rows saved it (found by its document id).
      const earlier = !credit && saved.requestedAt < started;
      Object.assign(result, { number: saved.number, version: saved.version, status: earlier ? 'UNCHANGED' : 'SAVED' });
      credits.push(saved);
    }
    if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { ids: credits.map((c) => c.id), results, errors } satisfies StoredResponse);
    return { credits, results, errors, replayed: false };
  });
}
