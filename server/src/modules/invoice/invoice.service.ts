import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { fromScaled, roundToCents, sameDecimal, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { dateRange, ownCustomerId, ownDocuments, scopeToCustomer } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction, TransactionConflict } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { CreateInvoiceInput, InvoiceFilter, InvoicePriceInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { checkDate, checkShipTo } from '../prebook/order-line.validation';
import { lockBillableBoxes, saveBillableBoxes, type BillableBox } from '../box/billable-box';
import { insertTakes, returnTakes as returnBoxTakes, takeUnits, type PreviousState } from '../box/box-takes';
import { ProductSchema } from '../product/product.entity';
import { InvoiceLineSchema, InvoiceSchema, invoiceKindFor, isZeroPrice, type Invoice, type InvoiceLine, type InvoiceLineBox } from './invoice.entity';
import { averageCost, boxesOnLine } from './invoice-totals';
import {
  countCreditsOfInvoices,
  lockBoxesOfInvoice,
  lockInvoiceLines,
  lockLinesWithCredits,
  lockInvoicesByNumber,
  selectBoxIdsOfInvoice,
  selectProductionRunsOfInvoices,
} from './invoice.repository';
import { companyToday, getSettings } from '../settings/settings.service';
import { paymentRefusals } from './invoice-payments';
import { confirmedInvoiceLock } from './invoice-lock';
import { flushLinesChanged } from './invoice-change';

export const POPULATE_INVOICE = [
  'customer',
  'shipTo',
  'carrier',
  'lines',
  'lines.product',
  'lines.prebookLine',
  'lines.prebookLine.prebook',
  'lines.takes',
  'lines.takes.box',
] as const;

/** What lists and lookups load: the lines' takes are read only when a client asks (InvoiceLine.takes, labels). */
const POPULATE_INVOICE_READ = POPULATE_INVOICE.filter((path) => !path.startsWith('lines.takes'));

export interface InvoicePayload {
  invoice: Invoice | null;
  errors: UserError[];
}

export async function createInvoice(ctx: RequestContext, input: CreateInvoiceInput, idempotencyKey?: string | null): Promise<InvoicePayload> {
  const labelCount = input.lines.reduce((sum, line) => sum + line.labels.length, 0);
  if (labelCount > MAX_UPSERT_ITEMS)
    return { invoice: null, errors: [userError('TOO_MANY_ITEMS', `An invoice takes at most ${MAX_UPSERT_ITEMS} boxes; split it.`)] };
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ invoiceId: number | null; errors: UserError[] }>(ctx, em, 'createInvoice', idempotencyKey, input);
    if ('conflict' in claim) return { invoice: null, errors: [claim.conflict] };
    if (claim.replayed) {
      const invoice = claim.response.invoiceId ? await em.findOne(InvoiceSchema, claim.response.invoiceId, { populate: POPULATE_INVOICE }) : null;
      return { invoice, errors: claim.response.errors };
    }
    const finish = async (payload: InvoicePayload) => {
      if (claim.claimed) await storeIdempotentResponse(em, ctx, idempotencyKey!, { invoiceId: payload.invoice?.id ?? null, errors: payload.errors });
      return payload;
    };

    const v = new RowValidator(null);
    const customers = await loadReferences(em, CustomerSchema, [input.customer]);
    const carriers = await loadReferences(em, CarrierSchema, [input.carrier]);
    const customer = checkReference(v, 'customer', input.customer, customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
    if (customer?.creditHold) v.fail('CREDIT_HOLD', 'customer', `customer ${customer.code} is on credit hold: no new invoices`);
    if (customer) await em.populate(customer, ['shipTos']);
    const shipTo = checkShipTo(v, customer, input.shipTo);
    const carrier = input.carrier?.trim()
      ? checkReference(v, 'carrier', input.carrier, carriers, { label: 'carrier', unknown: 'UNKNOWN_CARRIER', required: true })
      : null;
    const truckDate = checkDate(v, 'truckDate', input.truckDate, true);
    const customerPo = input.customerPo?.trim() ? v.text('customerPo', input.customerPo, { required: false, max: 60 }) : null;
    if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'an invoice needs at least one line');

    const boxes = await lockBillableBoxes(
      em,
      input.lines.flatMap((line) => line.labels.map((l) => l.trim())),
    );
    const seen = new Set<string>();
    const lines = input.lines.map((lineInput, index) => {
      const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
      const unitPrice = lv.decimal('unitPrice', lineInput.unitPrice, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
      if (lineInput.labels.length === 0) lv.fail('REQUIRED', 'labels', 'a line needs at least one box label');
      const taken: BillableBox[] = [];
      for (const raw of lineInput.labels) {
        const label = raw.trim();
        const box = boxes.get(label);
        if (seen.has(label)) lv.fail('DUPLICATE_LABEL', 'labels', `${label} is on the invoice twice`);
        else if (!box) lv.fail('NOT_FOUND', 'labels', `no box ${label}`);
        else if (box.status !== 'IN_INVENTORY' || box.unitsRemaining === 0) lv.fail('INVALID_STATUS', 'labels', `${label} is ${box.status}, not in inventory`);
        else if (box.customer && customer && box.customer.id !== customer.id && !input.release) {
          lv.fail(
            'RESERVED_FOR_OTHER_CUSTOMER',
            'labels',
            `${label} is ${box.inventoryType === 'M' ? 'reserved' : 'assigned'} for ${box.customer.code}: send release: true to take it`,
          );
        } else if (taken.length && taken[0].productId !== box.productId) {
          lv.fail('INVALID_VALUE', 'labels', `${label} holds ${box.productCode}; this line is ${taken[0].productCode}: one product per line`);
        } else taken.push(box);
        seen.add(label);
      }
      return { unitPrice: unitPrice ?? null, taken };
    });
    if (!v.ok || !customer || !truckDate || shipTo === undefined || carrier === undefined) return finish({ invoice: null, errors: v.errors });

    const [number] = await nextDocumentNumbers(em, 'INV', 1);
    const ports = new Set(lines.flatMap((l) => l.taken.map((b) => b.portOfOrigin)));
    const invoice = em.create(InvoiceSchema, {
      number,
      customer,
      shipTo,
      carrier,
      truckDate,
      customerPo: customerPo ?? null,
      status: 'PENDING',
      source: 'MANUAL',
      kind: invoiceKindFor(
        customer,
        lines.map((l) => l.unitPrice),
      ),
      invoiceDate: await companyToday(em),
      holiday: input.holiday ?? false,
      portOfOrigin: ports.size === 1 ? [...ports][0] : null,
      pickTicketPrinted: false,
      inTransit: lines.every((l) => l.taken.every((b) => !b.received)),
      hasOpenMarket: lines.some((l) => l.taken.some((b) => b.inventoryType === 'M')),
    });
    const takes: Array<{ line: InvoiceLine; box: BillableBox; units: number; previous: PreviousState }> = [];
    lines.forEach(({ unitPrice, taken }, index) => {
      const all = taken.map((box) => ({ box, units: box.unitsRemaining }));
      const line = em.create(InvoiceLineSchema, {
        invoice,
        lineNo: index + 1,
        product: em.getReference(ProductSchema, taken[0].productId),
        unitPrice,
        priceSource: unitPrice == null ? null : 'LINE',
        inventoryType: taken[0].inventoryType ?? 'M',
        prebookLine: null,
        boxes: boxesOnLine(taken.map((box) => box.id)),
        units: all.reduce((sum, t) => sum + t.units, 0),
        unitCost: averageCost(all),
      });
      invoice.lines.add(line);
      for (const { box, units } of all) takes.push({ line, box, units, previous: takeUnits(box, units) });
    });
    await em.flush();
    await insertTakes(
      em,
      takes.map((t) => ({ lineId: t.line.id, boxId: t.box.id, units: t.units, previous: t.previous })),
    );
    await saveBillableBoxes(em, boxes.values());
    recordAudit(em, ctx.actor, 'create', 'Invoice', invoice.id, input);
    await flushLinesChanged(em, [invoice.id]);
    // The payload shows the lines with their takes, as stored.
    await em.populate(invoice, POPULATE_INVOICE, { refresh: true });
    return finish({ invoice, errors: [] });
  });
}

async function lockInvoice(em: EntityManager, number: string): Promise<Invoice | null> {
  const invoice = await em.findOne(InvoiceSchema, { number: number.trim().toUpperCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (invoice) await em.populate(invoice, POPULATE_INVOICE, { refresh: true });
  return invoice;
}

/** Runs a change on one invoice, locked, that only a PENDING invoice allows unless `statuses` says otherwise. */
async function changeInvoice(
  ctx: RequestContext,
  number: string,
  statuses: readonly Invoice['status'][],
  change: (em: EntityManager, invoice: Invoice) => Promise<UserError[]> | UserError[],
  options: { boxesFirst?: boolean } = {},
): Promise<InvoicePayload> {
  return inTransaction(ctx, async (em) => {
    // A change that gives boxes back locks them before the invoice, as billing does (the lock order, billing.repository.ts).
    const boxesLocked = options.boxesFirst ? new Set(await lockBoxesOfInvoice(em, number.trim().toUpperCase())) : null;
    const invoice = await lockInvoice(em, number);
    if (!invoice) return { invoice: null, errors: [userError('NOT_FOUND', `no invoice ${number}`, undefined, 'number')] };
    // Boxes that joined the invoice while its lock was awaited (a billing or a merge committed meanwhile) would be
    // locked after it: run again, locking them first, rather than risk a deadlock with a scan of one of them.
    if (boxesLocked && (await selectBoxIdsOfInvoice(em, invoice.id)).some((id) => !boxesLocked.has(id)))
      throw new TransactionConflict(`${invoice.number} took more boxes while its lock was awaited`);
    if (!statuses.includes(invoice.status))
      return { invoice, errors: [userError('INVALID_STATUS', `${invoice.number} is ${invoice.status}`, undefined, 'number')] };
    const errors = await change(em, invoice);
    if (errors.length) return { invoice, errors };
    await em.flush();
    return { invoice, errors: [] };
  });
}

/**
 * setInvoicePrices: the prices of a PENDING invoice, or of a CONFIRMED one while it is not locked
 * (invoice-lock.ts); a locked one may still have a pending price set, once.
 */
export function setInvoicePrices(ctx: RequestContext, number: string, prices: InvoicePriceInput[], version?: number | null) {
  return changeInvoice(ctx, number, ['PENDING', 'CONFIRMED'], async (em, invoice) => {
    const v = new RowValidator(null);
    if (version != null && version !== invoice.version)
      v.fail('STALE_VERSION', 'version', `${invoice.number} was changed by someone else (version ${invoice.version}, yours ${version})`);
    const lock = confirmedInvoiceLock(invoice, ctx.actor.role, await getSettings(em));
    const lines = new Map(invoice.lines.getItems().map((line) => [String(line.id), line]));
    const updates = prices.map((price, index) => {
      const pv = v.nested(`prices.${index + 1}`, `price ${index + 1}`);
      const line = lines.get(String(price.line));
      if (!line) pv.fail('NOT_FOUND', 'line', `${invoice.number} has no line ${price.line}`);
      const unitPrice = pv.decimal('unitPrice', price.unitPrice, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
      if (line && invoice.status === 'CONFIRMED') {
        if (lock && (line.unitPrice != null || unitPrice == null)) pv.fail('INVOICE_LOCKED', 'unitPrice', lock);
        else if (unitPrice == null) pv.fail('INVALID_VALUE', 'unitPrice', `${invoice.number} is CONFIRMED: its prices cannot become pending again`);
      }
      return { line, unitPrice: unitPrice ?? null };
    });
    // A transfer stays at 0.00: priced, it would be a sale counted nowhere (gpmReport keeps transfers out of revenue).
    if (v.ok && invoice.kind === 'TRANSFER')
      updates.forEach(({ line, unitPrice }, index) => {
        if (line && !isZeroPrice(unitPrice))
          v.fail(
            'TRANSFER_PRICED',
            `prices.${index + 1}.unitPrice`,
            `${invoice.number} is a transfer of components to ${invoice.customer.code}, at 0.00: void it and invoice the boxes as a sale with their price`,
          );
      });
    // A price never falls below what credits already take off its line (their lines are locked, then read).
    const credits = await lockLinesWithCredits(em, { lineIds: updates.flatMap(({ line }) => (line ? [line.id] : [])) });
    const creditedByLine = new Map(credits.map((credit) => [credit.lineId, credit.amount]));
    updates.forEach(({ line, unitPrice }, index) => {
      const credited = line && creditedByLine.get(line.id);
      if (!line || !credited) return;
      const amount = unitPrice == null ? null : roundToCents(toScaled(unitPrice) * BigInt(line.units));
      if (amount === null || amount < toScaled(credited))
        v.nested(`prices.${index + 1}`, `price ${index + 1}`).fail(
          'CREDIT_AMOUNT_EXCEEDED',
          'unitPrice',
          `${invoice.number} line ${line.lineNo} has ${fromScaled(toScaled(credited))} on credits: ${unitPrice == null ? 'it cannot become pending' : `at ${unitPrice} it would bill ${fromScaled(amount!)}`}`,
        );
    });
    if (v.ok) v.errors.push(...(await paymentRefusals(em, invoice, updates)));
    if (!v.ok) return v.errors;
    // A price set here is the line's (LINE); the same price sent back keeps where it came from.
    for (const { line, unitPrice } of updates)
      Object.assign(line!, { unitPrice, priceSource: sameDecimal(line!.unitPrice, unitPrice) ? line!.priceSource : unitPrice && 'LINE' });
    invoice.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'set-prices', 'Invoice', invoice.id, { prices });
    await flushLinesChanged(em, [invoice.id]); // its charges follow its prices, in this transaction
    return [];
  });
}

export function confirmInvoice(ctx: RequestContext, number: string) {
  return changeInvoice(ctx, number, ['PENDING'], (em, invoice) => {
    const pending = invoice.lines.getItems().filter((line) => line.unitPrice == null);
    if (pending.length) {
      return [
        userError(
          'PRICE_PENDING',
          `${invoice.number} cannot be confirmed: line ${pending.map((l) => l.lineNo).join(', ')} has no price (setInvoicePrices)`,
          undefined,
          'number',
        ),
      ];
    }
    Object.assign(invoice, { status: 'CONFIRMED', confirmedAt: new Date() });
    recordAudit(em, ctx.actor, 'confirm', 'Invoice', invoice.id);
    return [];
  });
}

export function printPickTicket(ctx: RequestContext, number: string) {
  return changeInvoice(ctx, number, ['PENDING', 'CONFIRMED'], (em, invoice) => {
    if (!invoice.pickTicketPrinted) {
      invoice.pickTicketPrinted = true;
      recordAudit(em, ctx.actor, 'print-pick-ticket', 'Invoice', invoice.id);
    }
    return [];
  });
}

/** Gives back, under the boxes' locks, what invoice lines took: each box gets its units and its earlier status, type and customer. */
export async function returnTakes(em: EntityManager, takes: InvoiceLineBox[]): Promise<void> {
  await returnBoxTakes(
    em,
    takes.map((take) => ({
      label: take.box.label,
      units: take.units,
      previous: {
        status: take.previousStatus,
        inventoryType: take.previousInventoryType ?? null,
        customer: take.previousCustomer ? { id: take.previousCustomer.id, code: take.previousCustomer.code ?? '' } : null,
      },
    })),
  );
}

/** Puts every box the invoice took back as it was before: a PENDING invoice, or a CONFIRMED one while it is not locked and has no credits. */
export function voidInvoice(ctx: RequestContext, number: string) {
  return changeInvoice(
    ctx,
    number,
    ['PENDING', 'CONFIRMED'],
    async (em, invoice) => {
      const lock = confirmedInvoiceLock(invoice, ctx.actor.role, await getSettings(em));
      if (lock) return [userError('INVOICE_LOCKED', lock, undefined, 'number')];
      await lockInvoiceLines(em, { invoiceIds: [invoice.id] });
      const credits = (await countCreditsOfInvoices(em, [invoice.id])).get(invoice.id) ?? 0;
      if (credits > 0)
        return [
          userError(
            'INVALID_STATUS',
            `${invoice.number} has ${credits} pending or approved credit(s): void them (voidCredit) before the invoice`,
            undefined,
            'number',
          ),
        ];
      const paid = await paymentRefusals(em, invoice, null);
      if (paid.length) return paid;
      const takes = invoice.lines.getItems().flatMap((line) => line.takes.getItems());
      await returnTakes(em, takes);
      invoice.status = 'VOID';
      recordAudit(em, ctx.actor, 'void', 'Invoice', invoice.id, { boxes: takes.map((t) => t.box.label) });
      await flushLinesChanged(em, [invoice.id]);
      return [];
    },
    { boxesFirst: true },
  );
}

export async function listInvoices(ctx: RequestContext, filter: InvoiceFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, InvoiceSchema, filter.number, 'filter.number', ownDocuments(ctx));
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) });
  if (filter?.status) where.status = filter.status;
  if (filter?.source) where.source = filter.source;
  if (filter?.truckDateFrom || filter?.truckDateTo) where.truckDate = dateRange(filter.truckDateFrom, filter.truckDateTo);
  scopeToCustomer(ctx, where);
  // Invoices alone: lines, customers, carriers, ... are read when a client asks for them (or a total), for the
  // whole page at once (invoice-lines.loader.ts, the Invoice resolvers).
  return paginate(ctx.em, InvoiceSchema, where, page, { key: 'id' });
}

export async function findInvoice(ctx: RequestContext, number: string): Promise<Invoice | null> {
  const where: Record<string, unknown> = { number: number.trim().toUpperCase() };
  scopeToCustomer(ctx, where);
  return ctx.em.findOne(InvoiceSchema, where, { populate: POPULATE_INVOICE_READ });
}

/**
 * mergeInvoices(target, sources): the manual combine around the separation settings. Every line of the
 * sources moves, with the boxes it took, to the target (numbered after its lines); the sources become
 * VOID pointing at it. All must be PENDING invoices of one customer and one kind, and transfers of
 * components of one production run (or all of none): the lines move, the run's transfers hold what they
 * held. Otherwise each refused source is an error of its own (row = its position) and nothing is written.
 */
export async function mergeInvoices(ctx: RequestContext, targetNumber: string, sourceNumbers: string[]): Promise<InvoicePayload> {
  if (sourceNumbers.length > MAX_UPSERT_ITEMS)
    return { invoice: null, errors: [userError('TOO_MANY_ITEMS', `merge at most ${MAX_UPSERT_ITEMS} invoices at a time`, undefined, 'sources')] };
  return inTransaction(ctx, async (em) => {
    const normalize = (number: string) => number.trim().toUpperCase();
    const numbers = [...new Set([normalize(targetNumber), ...sourceNumbers.map(normalize)])];
    // Lock every invoice involved in id order (as voids and billing do), then read them whole.
    const locked = await lockInvoicesByNumber(em, numbers);
    const invoices = locked.length
      ? await em.find(InvoiceSchema, { id: { $in: locked.map((row) => Number(row.id)) } }, { populate: POPULATE_INVOICE, refresh: true })
      : [];
    const byNumber = new Map(invoices.map((invoice) => [invoice.number, invoice]));
    // Credits stay with the invoice and lines they credit: a source with credits does not merge.
    const ids = invoices.map((invoice) => invoice.id);
    await lockInvoiceLines(em, { invoiceIds: ids });
    const credited = await countCreditsOfInvoices(em, ids);
    const runOf = await selectProductionRunsOfInvoices(
      em,
      invoices.filter((invoice) => invoice.kind === 'TRANSFER').map((invoice) => invoice.id),
    );
    const describeRun = (invoice: Invoice) => (runOf.has(invoice.id) ? `production run ${runOf.get(invoice.id)}` : 'no production run');
    const target = byNumber.get(normalize(targetNumber));
    const errors: UserError[] = [];
    if (!target) errors.push(userError('NOT_FOUND', `no invoice ${targetNumber}`, undefined, 'target'));
    else if (target.status !== 'PENDING')
      errors.push(userError('INVALID_STATUS', `${target.number} is ${target.status}: only a pending invoice can take others`, undefined, 'target'));
    if (sourceNumbers.length === 0) errors.push(userError('REQUIRED', 'give at least one invoice to merge into the target', undefined, 'sources'));
    const seen = new Set<string>();
    const sources: Invoice[] = [];
    sourceNumbers.forEach((raw, index) => {
      const row = index + 1;
      const number = normalize(raw);
      const source = byNumber.get(number);
      const fail = (code: Parameters<typeof userError>[0], message: string) => errors.push(userError(code, `Row ${row}: ${message}`, row, 'sources'));
      if (!source) fail('NOT_FOUND', `no invoice ${raw}`);
      else if (source === target) fail('INVALID_VALUE', `${number} is the target itself`);
      else if (seen.has(number)) fail('INVALID_VALUE', `${number} is listed twice`);
      else if (source.status !== 'PENDING') fail('INVALID_STATUS', `${number} is ${source.status}: only pending invoices can be merged`);
      else if (target && source.customer.id !== target.customer.id)
        fail(
          'DIFFERENT_CUSTOMER',
          `${number} is for ${source.customer.code}, ${target.number} for ${target.customer.code}: only one customer's invoices merge`,
        );
      else if (target && source.kind !== target.kind)
        fail(
          'DIFFERENT_INVOICE_KIND',
          `${number} is a ${source.kind === 'TRANSFER' ? 'transfer of components' : 'sale'}, ${target.number} a ${target.kind === 'TRANSFER' ? 'transfer of components' : 'sale'}: a sale and a transfer never share an invoice`,
        );
      else if (target && source.kind === 'TRANSFER' && runOf.get(source.id) !== runOf.get(target.id))
        fail(
          'DIFFERENT_PRODUCTION_RUN',
          `${number} is a transfer of ${describeRun(source)}, ${target.number} of ${describeRun(target)}: only transfers of one run merge`,
        );
      else if ((credited.get(source.id) ?? 0) > 0)
        fail('INVALID_STATUS', `${number} has pending or approved credits: credits stay with their invoice (void them first to merge it)`);
      else sources.push(source);
      seen.add(number);
    });
    if (errors.length || !target) return { invoice: target ?? null, errors };

    let lineNo = target.lines.getItems().reduce((max, line) => Math.max(max, line.lineNo), 0);
    for (const source of sources) {
      for (const line of [...source.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo)) {
        // Not source.lines.remove(line): the collection removes orphans, and the line must live on.
        line.invoice = target;
        line.lineNo = ++lineNo;
        target.lines.add(line);
      }
      // What the merged invoice holds decides later consolidation: open market, one port, one transit state.
      if (source.hasOpenMarket) target.hasOpenMarket = true;
      if (target.portOfOrigin !== source.portOfOrigin) target.portOfOrigin = null;
      // The holiday flag is its box lines': a target without box lines yet takes the source's.
      if (target.inTransit == null && source.inTransit != null) target.holiday = source.holiday;
      if (target.inTransit == null) target.inTransit = source.inTransit ?? null;
      Object.assign(source, { status: 'VOID', mergedInto: target, updatedAt: new Date() });
      recordAudit(em, ctx.actor, 'merged-into', 'Invoice', source.id, { target: target.number });
    }
    target.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'merge', 'Invoice', target.id, { sources: sources.map((source) => source.number) });
    await flushLinesChanged(em, [target.id, ...sources.map((source) => source.id)]);
    return { invoice: target, errors: [] };
  });
}
