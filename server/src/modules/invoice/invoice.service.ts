import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { divRound, fromScaled, toScaled } from '../../common/decimal';
import { nextDocumentNumbers } from '../../common/document-number';
import { dateRange, ownCustomerId, ownDocuments, scopeToCustomer } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS } from '../../common/upsert-by-code';
import { userError, type UserError } from '../../common/user-error';
import type { CreateInvoiceInput, InvoiceFilter, InvoicePriceInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { claimIdempotencyKey, storeIdempotentResponse } from '../idempotency/idempotency.service';
import { checkDate, checkShipTo } from '../prebook/order-line.validation';
import type { Box } from '../receiving/box.entity';
import { lockBoxes } from '../receiving/receiving.service';
import { InvoiceLineBoxSchema, InvoiceLineSchema, InvoiceSchema, invoiceKindFor, type Invoice, type InvoiceLine, type InvoiceLineBox } from './invoice.entity';
import { boxesOnLine } from './invoice-totals';
import { companyToday } from '../settings/settings.service';

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

/** Weighted average landed cost of the units taken, at 4 decimals. */
function averageCost(takes: Array<{ box: Box; units: number }>): string {
  const units = takes.reduce((sum, t) => sum + t.units, 0);
  const cost = takes.reduce((sum, t) => sum + toScaled(t.box.landedUnitCost) * BigInt(t.units), 0n);
  return fromScaled(units ? divRound(cost, BigInt(units)) : 0n, 2);
}

/**
 * Puts units of boxes on an invoice line: each take remembers the box's state
 * so a void (or an unallocation) can put it back; a box whose units are all
 * taken is INVOICED. The line's cost is the prebook line's cost when it has
 * one (the real GPM of a finished good), else the boxes' landed cost.
 */
export function takeBoxes(em: EntityManager, line: InvoiceLine, takes: Array<{ box: Box; units: number }>, prebookCost?: string | null): void {
  for (const { box, units } of takes) {
    line.takes.add(
      em.create(InvoiceLineBoxSchema, {
        invoiceLine: line,
        box,
        units,
        previousStatus: box.status,
        previousInventoryType: box.inventoryType ?? null,
        previousCustomer: box.customer ?? null,
      } as never),
    );
    box.unitsRemaining -= units;
    if (box.unitsRemaining === 0) box.status = 'INVOICED';
  }
  recomputeLine(line, prebookCost);
}

/** Units, whole boxes and unit cost of a line from all it took. */
export function recomputeLine(line: InvoiceLine, prebookCost?: string | null): void {
  const all = line.takes.getItems().map((take) => ({ box: take.box, units: take.units }));
  line.units = all.reduce((sum, t) => sum + t.units, 0);
  line.boxes = boxesOnLine(all.map((t) => t.box.id));
  line.unitCost = prebookCost ?? averageCost(all);
}

export async function createInvoice(ctx: RequestContext, input: CreateInvoiceInput, idempotencyKey?: string | null): Promise<InvoicePayload> {
  const labelCount = input.lines.reduce((sum, line) => sum + line.labels.length, 0);
  if (labelCount > MAX_UPSERT_ITEMS) return { invoice: null, errors: [userError('TOO_MANY_ITEMS', `An invoice takes at most ${MAX_UPSERT_ITEMS} boxes; split it.`)] };
  return inTransaction(ctx, async (em) => {
    const claim = await claimIdempotencyKey<{ invoiceId: number | null; errors: UserError[] }>(ctx, em, 'createInvoice', idempotencyKey, input);
    if ('conflict' in claim) return { invoice: null, errors: [claim.conflict] };
    if (claim.replayed) {
      const invoice = claim.response.invoiceId ? await em.findOne(InvoiceSchema, claim.response.invoiceId, { populate: POPULATE_INVOICE as never }) : null;
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
    if (customer) await em.populate(customer, ['shipTos'] as never);
    const shipTo = checkShipTo(v, customer, input.shipTo);
    const carrier = input.carrier?.trim() ? checkReference(v, 'carrier', input.carrier, carriers, { label: 'carrier', unknown: 'UNKNOWN_CARRIER', required: true }) : null;
    const truckDate = checkDate(v, 'truckDate', input.truckDate, true);
    const customerPo = input.customerPo?.trim() ? v.text('customerPo', input.customerPo, { required: false, max: 60 }) : null;
    if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'an invoice needs at least one line');

    const boxes = await lockBoxes(em, input.lines.flatMap((line) => line.labels.map((l) => l.trim())));
    const seen = new Set<string>();
    const lines = input.lines.map((lineInput, index) => {
      const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
      const unitPrice = lv.decimal('unitPrice', lineInput.unitPrice, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
      if (lineInput.labels.length === 0) lv.fail('REQUIRED', 'labels', 'a line needs at least one box label');
      const taken: Box[] = [];
      for (const raw of lineInput.labels) {
        const label = raw.trim();
        const box = boxes.get(label);
        if (seen.has(label)) lv.fail('DUPLICATE_LABEL', 'labels', `${label} is on the invoice twice`);
        else if (!box) lv.fail('NOT_FOUND', 'labels', `no box ${label}`);
        else if (box.status !== 'IN_INVENTORY' || box.unitsRemaining === 0) lv.fail('INVALID_STATUS', 'labels', `${label} is ${box.status}, not in inventory`);
        else if (box.customer && customer && box.customer.id !== customer.id && !input.release) {
          lv.fail('RESERVED_FOR_OTHER_CUSTOMER', 'labels', `${label} is ${box.inventoryType === 'M' ? 'reserved' : 'assigned'} for ${box.customer.code}: send release: true to take it`);
        } else if (taken.length && taken[0].product.id !== box.product.id) {
          lv.fail('INVALID_VALUE', 'labels', `${label} holds ${box.product.code}; this line is ${taken[0].product.code}: one product per line`);
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
      kind: invoiceKindFor(customer),
      invoiceDate: await companyToday(em),
      holiday: input.holiday ?? false,
      portOfOrigin: ports.size === 1 ? [...ports][0] : null,
      pickTicketPrinted: false,
      inTransit: lines.every((l) => l.taken.every((b) => !b.received)),
      hasOpenMarket: lines.some((l) => l.taken.some((b) => b.inventoryType === 'M')),
    } as never);
    lines.forEach(({ unitPrice, taken }, index) => {
      const line = em.create(InvoiceLineSchema, {
        invoice,
        lineNo: index + 1,
        product: taken[0].product,
        unitPrice,
        inventoryType: taken[0].inventoryType ?? 'M',
        prebookLine: null,
        boxes: 0,
        units: 0,
        unitCost: '0',
      } as never);
      invoice.lines.add(line);
      takeBoxes(em, line, taken.map((box) => ({ box, units: box.unitsRemaining })));
    });
    await em.flush();
    recordAudit(em, ctx.actor, 'create', 'Invoice', invoice.id, input);
    await em.flush();
    return finish({ invoice, errors: [] });
  });
}

async function lockInvoice(em: EntityManager, number: string): Promise<Invoice | null> {
  const invoice = await em.findOne(InvoiceSchema, { number: number.trim().toUpperCase() }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (invoice) await em.populate(invoice, POPULATE_INVOICE as never, { refresh: true });
  return invoice;
}

/** Runs a change on one invoice, locked, that only a PENDING invoice allows unless `statuses` says otherwise. */
async function changeInvoice(
  ctx: RequestContext,
  number: string,
  statuses: readonly Invoice['status'][],
  change: (em: EntityManager, invoice: Invoice) => Promise<UserError[]> | UserError[],
): Promise<InvoicePayload> {
  return inTransaction(ctx, async (em) => {
    const invoice = await lockInvoice(em, number);
    if (!invoice) return { invoice: null, errors: [userError('NOT_FOUND', `no invoice ${number}`, undefined, 'number')] };
    if (!statuses.includes(invoice.status)) return { invoice, errors: [userError('INVALID_STATUS', `${invoice.number} is ${invoice.status}`, undefined, 'number')] };
    const errors = await change(em, invoice);
    if (errors.length) return { invoice, errors };
    await em.flush();
    return { invoice, errors: [] };
  });
}

export function setInvoicePrices(ctx: RequestContext, number: string, prices: InvoicePriceInput[], version?: number | null) {
  return changeInvoice(ctx, number, ['PENDING'], (em, invoice) => {
    const v = new RowValidator(null);
    if (version != null && version !== invoice.version) v.fail('STALE_VERSION', 'version', `${invoice.number} was changed by someone else (version ${invoice.version}, yours ${version})`);
    const lines = new Map(invoice.lines.getItems().map((line) => [String(line.id), line]));
    const updates = prices.map((price, index) => {
      const pv = v.nested(`prices.${index + 1}`, `price ${index + 1}`);
      const line = lines.get(String(price.line));
      if (!line) pv.fail('NOT_FOUND', 'line', `${invoice.number} has no line ${price.line}`);
      const unitPrice = pv.decimal('unitPrice', price.unitPrice, { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 });
      return { line, unitPrice: unitPrice ?? null };
    });
    if (!v.ok) return v.errors;
    for (const { line, unitPrice } of updates) line!.unitPrice = unitPrice;
    invoice.updatedAt = new Date();
    recordAudit(em, ctx.actor, 'set-prices', 'Invoice', invoice.id, { prices });
    return [];
  });
}

export function confirmInvoice(ctx: RequestContext, number: string) {
  return changeInvoice(ctx, number, ['PENDING'], (em, invoice) => {
    const pending = invoice.lines.getItems().filter((line) => line.unitPrice == null);
    if (pending.length) {
      return [userError('PRICE_PENDING', `${invoice.number} cannot be confirmed: line ${pending.map((l) => l.lineNo).join(', ')} has no price (setInvoicePrices)`, undefined, 'number')];
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

/** Gives back, under lock, what invoice lines took: each box gets its units and its earlier status, type and customer. */
export async function returnTakes(em: EntityManager, takes: InvoiceLineBox[]): Promise<void> {
  const boxes = await lockBoxes(em, takes.map((take) => take.box.label));
  for (const take of takes) {
    const box = boxes.get(take.box.label)!;
    // A box still partly in inventory keeps what it is now (its rest may have been released to open
    // market since): the units rejoin it. A box the take emptied goes back to what it was before.
    if (box.unitsRemaining === 0) Object.assign(box, { status: take.previousStatus, inventoryType: take.previousInventoryType ?? null, customer: take.previousCustomer ?? null });
    box.unitsRemaining += take.units;
  }
}

/** Puts every box the invoice took back as it was before. */
export function voidInvoice(ctx: RequestContext, number: string) {
  return changeInvoice(ctx, number, ['PENDING'], async (em, invoice) => {
    const takes = invoice.lines.getItems().flatMap((line) => line.takes.getItems());
    await returnTakes(em, takes);
    invoice.status = 'VOID';
    recordAudit(em, ctx.actor, 'void', 'Invoice', invoice.id, { boxes: takes.map((t) => t.box.label) });
    return [];
  });
}

export async function listInvoices(ctx: RequestContext, filter: InvoiceFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.number) where.id = await filterDocumentId(ctx.em, InvoiceSchema, filter.number, 'filter.number', ownDocuments(ctx));
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) });
  if (filter?.status) where.status = filter.status;
  if (filter?.source) where.source = filter.source;
  if (filter?.truckDateFrom || filter?.truckDateTo) where.truckDate = dateRange(filter.truckDateFrom, filter.truckDateTo);
  scopeToCustomer(ctx, where);
  return paginate(ctx.em, InvoiceSchema, where, page, { key: 'id', populate: POPULATE_INVOICE_READ });
}

export async function findInvoice(ctx: RequestContext, number: string): Promise<Invoice | null> {
  const where: Record<string, unknown> = { number: number.trim().toUpperCase() };
  scopeToCustomer(ctx, where);
  return ctx.em.findOne(InvoiceSchema, where, { populate: POPULATE_INVOICE_READ as never });
}
