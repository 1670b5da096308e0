import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal } from '../../common/decimal';
import { forbidden } from '../../common/graphql-errors';
import { databaseId, dateRange, ownCustomerId, ownDocuments, scopeToCustomer } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { RowValidator } from '../../common/row-validator';
import { saveDocuments, type DocumentSpec } from '../../common/save-documents';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { PrebookFilter, PrebookInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { VendorSchema } from '../vendor/vendor.entity';
import {
  checkDate,
  checkShipTo,
  loadOrderReferences,
  validateOrderLine,
  withStoredValues,
  type OrderLineValues,
  type OrderReferences,
} from './order-line.validation';
import { PrebookLineSchema, PrebookSchema, type Prebook, type PrebookLine } from './prebook.entity';
import type { NewPrebookView } from './prebook.view';
import { writeJournal } from '../idempotency/idempotency.service';
import { insertPrebooks, purchasedByPrebookLine, type NewPrebookRow } from './prebook.repository';
import type { PurchasedQuantity } from '../../common/loaders';
import { loadPriceBook } from '../price-list/price-list.repository';
import type { PriceBook, PriceSource } from '../price-list/price-precedence';
import { foundIds, priceFromLists, priceListKind } from './prebook-prices';

export interface PrebookValues {
  customer: Customer;
  shipTo: Prebook['shipTo'];
  carrier: Prebook['carrier'];
  truckDate: string;
  customerPo: string | null;
  holiday: boolean;
  lines: Array<OrderLineValues & { existing?: PrebookLine; priceSource?: PriceSource | null }>;
}

const POPULATE_PREBOOK = ['customer', 'shipTo', 'carrier', 'lines', 'lines.product', 'lines.boxType', 'lines.vendor', 'standingOrder'] as const;

/** Locks the prebooks (FOR UPDATE) so version checks and status changes apply one at a time, then loads their lines. */
async function lockPrebooks(em: EntityManager, where: object): Promise<Prebook[]> {
  const prebooks = await em.find(PrebookSchema, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
  await em.populate(prebooks, POPULATE_PREBOOK, { refresh: true });
  return prebooks;
}

/** Lines sold by the box count boxes; lines sold by the unit count units. */
export function orderedQuantity(line: Pick<PrebookLine, 'sellBy' | 'boxes' | 'units'>): number {
  return line.sellBy === 'BOX' ? (line.boxes ?? 0) : line.units;
}

/**
 * What is still to buy of a line, in its own measure: what it ordered less what purchase orders that are
 * not cancelled hold for it (negative when they hold more). purchaseNeeds computes the same in SQL, to
 * filter and page (purchase-order.repository.ts).
 */
export function stillToBuy(line: Pick<PrebookLine, 'sellBy' | 'boxes' | 'units'>, purchased: PurchasedQuantity): number {
  return orderedQuantity(line) - (line.sellBy === 'BOX' ? purchased.boxes : purchased.units);
}

function sameLine(line: PrebookLine, values: OrderLineValues): Array<keyof OrderLineValues> {
  const changed: Array<keyof OrderLineValues> = [];
  if (line.product.id !== values.product.id) changed.push('product');
  if (line.sellBy !== values.sellBy) changed.push('sellBy');
  if (line.boxType.id !== values.boxType.id) changed.push('boxType');
  if (line.boxes !== values.boxes) changed.push('boxes');
  if (line.unitsPerBox !== values.unitsPerBox) changed.push('unitsPerBox');
  if (line.units !== values.units) changed.push('units');
  if (!sameDecimal(line.cost, values.cost)) changed.push('cost');
  if ((line.vendor?.id ?? null) !== (values.vendor?.id ?? null)) changed.push('vendor');
  if (!sameDecimal(line.vendorCost, values.vendorCost)) changed.push('vendorCost');
  if (!sameDecimal(line.price, values.price)) changed.push('price');
  return changed;
}

function validatePrebook(
  v: RowValidator,
  input: PrebookInput,
  existing: Prebook | undefined,
  lockedLineIds: Set<number>,
  refs: OrderReferences,
): PrebookValues | undefined {
  if (existing) {
    if (existing.status !== 'OPEN') v.fail('INVALID_STATUS', 'number', `${existing.number} is ${existing.status}; reopen it before changing it`);
  }
  const customer = checkReference(v, 'customer', input.customer, refs.customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
  if (customer && !existing && customer.creditHold) v.fail('CREDIT_HOLD', 'customer', `customer ${customer.code} is on credit hold: no new prebooks`);
  // On an update, an omitted optional field keeps its stored value; null clears it.
  const keepShipTo = existing && input.shipTo === undefined && customer?.id === existing.customer.id;
  const shipTo = keepShipTo ? (existing.shipTo ?? null) : checkShipTo(v, customer, input.shipTo);
  const carrier = checkReference(v, 'carrier', input.carrier, refs.carriers, { label: 'carrier', unknown: 'UNKNOWN_CARRIER', required: true });
  const truckDate = checkDate(v, 'truckDate', input.truckDate, true);
  const customerPo =
    existing && input.customerPo === undefined
      ? (existing.customerPo ?? null)
      : input.customerPo?.trim()
        ? v.text('customerPo', input.customerPo, { required: false, max: 60 })
        : null;
  const holiday = input.holiday === undefined ? (existing?.holiday ?? false) : (input.holiday ?? false);

  const existingLines = new Map((existing?.lines.getItems() ?? []).map((line) => [String(line.id), line]));
  const hasLockedLines = [...existingLines.values()].some((line) => lockedLineIds.has(line.id));
  if (existing && hasLockedLines) {
    const locked = (field: string, what: string) => v.fail('LOCKED_BY_PO', field, `${what} cannot change: lines of ${existing.number} are on a purchase order`);
    if (customer && customer.id !== existing.customer.id) locked('customer', 'the customer');
    if (carrier && carrier.id !== existing.carrier.id) locked('carrier', 'the carrier');
    if (truckDate && truckDate !== existing.truckDate) locked('truckDate', 'the truck date');
  }

  if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'a prebook needs at least one line');
  const kept = new Set<string>();
  const lines: PrebookValues['lines'] = [];
  input.lines.forEach((lineInput, index) => {
    const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
    let line: PrebookLine | undefined;
    if (lineInput.id != null) {
      line = existingLines.get(String(lineInput.id));
      if (!line) lv.fail('NOT_FOUND', 'id', `line id ${lineInput.id} is not a line of ${existing?.number ?? 'this new prebook'}`);
      else if (kept.has(String(lineInput.id))) lv.fail('DUPLICATE_DOCUMENT', 'id', `line id ${lineInput.id} is listed twice`);
      kept.add(String(lineInput.id));
    }
    const values = validateOrderLine(lv, line ? withStoredValues(lineInput, line) : lineInput, refs);
    if (values && line && lockedLineIds.has(line.id)) {
      const changed = sameLine(line, values).filter((f) => f !== 'price');
      // Name the fields the call sent; a field that only follows them (units from boxes) is not the caller's.
      const sent = changed.filter((f) => lineInput[f as keyof typeof lineInput] !== undefined);
      for (const field of sent.length ? sent : changed) {
        lv.fail('LOCKED_BY_PO', field, `line ${line.lineNo} is on a purchase order: only its price can change`);
      }
    }
    if (values) lines.push({ ...values, existing: line });
  });
  for (const [id, line] of existingLines) {
    if (!kept.has(id) && lockedLineIds.has(line.id)) {
      v.fail('LOCKED_BY_PO', 'lines', `line ${line.lineNo} (${line.product.code}) is on a purchase order and cannot be removed`);
    }
  }
  if (!v.ok || !customer || !carrier || !truckDate || shipTo === undefined) return undefined;
  return { customer, shipTo, carrier, truckDate, customerPo: customerPo ?? null, holiday, lines };
}

function applyLine(em: EntityManager, prebook: Prebook, lineNo: number, values: PrebookValues['lines'][number], line?: PrebookLine): boolean {
  const fields = {
    priceSource: values.priceSource ?? null,
    product: values.product,
    sellBy: values.sellBy,
    boxType: values.boxType,
    boxes: values.boxes,
    unitsPerBox: values.unitsPerBox,
    units: values.units,
    price: values.price,
    cost: values.cost,
    vendor: values.vendor,
    vendorCost: values.vendorCost,
  };
  if (!line) {
    prebook.lines.add(em.create(PrebookLineSchema, { ...fields, prebook, lineNo, unableToSource: false }));
    return true;
  }
  const changed = sameLine(line, values).length > 0 || (line.priceSource ?? null) !== fields.priceSource;
  if (changed) {
    Object.assign(line, fields);
    // Keep the stored text when only the notation changed (12.5 vs 12.5000).
    if (sameDecimal(line.price, values.price)) line.price = values.price;
  }
  return changed;
}

/** A prebook's header fields from its validated values: what an update compares and sets, and what a new prebook holds. */
function prebookHeader(values: PrebookValues) {
  return {
    customer: values.customer,
    shipTo: values.shipTo,
    carrier: values.carrier,
    truckDate: values.truckDate,
    customerPo: values.customerPo,
    holiday: values.holiday,
  };
}

/** Writes a valid document to an existing prebook; returns whether anything changed. */
function applyPrebook(em: EntityManager, prebook: Prebook, values: PrebookValues): boolean {
  let changed = false;
  const header = prebookHeader(values);
  if (
    prebook.customer?.id !== header.customer.id ||
    (prebook.shipTo?.id ?? null) !== (header.shipTo?.id ?? null) ||
    prebook.carrier?.id !== header.carrier.id ||
    prebook.truckDate !== header.truckDate ||
    (prebook.customerPo ?? null) !== header.customerPo ||
    prebook.holiday !== header.holiday
  ) {
    Object.assign(prebook, header);
    changed = true;
  }
  const kept = new Set(values.lines.map((line) => line.existing?.id).filter(Boolean));
  // Line numbers are never reused, even for removed lines.
  let nextLineNo = Math.max(0, ...prebook.lines.getItems().map((line) => line.lineNo)) + 1;
  for (const line of prebook.lines.getItems()) {
    if (!kept.has(line.id)) {
      prebook.lines.remove(line);
      changed = true;
    }
  }
  for (const line of values.lines) {
    const lineNo = line.existing?.lineNo ?? nextLineNo++;
    if (applyLine(em, prebook, lineNo, line, line.existing)) changed = true;
  }
  // Line changes bump the prebook's version too, so a stale sheet is always detected.
  if (changed) prebook.updatedAt = new Date();
  return changed;
}

/** New prebooks as insertPrebooks writes them: lines numbered from 1 in the order sent. */
function newPrebookRow(number: string, values: PrebookValues, documentId: string | null): NewPrebookRow {
  return {
    number,
    documentId,
    customerId: values.customer.id,
    shipToId: values.shipTo?.id ?? null,
    carrierId: values.carrier.id,
    truckDate: values.truckDate,
    customerPo: values.customerPo,
    holiday: values.holiday,
    lines: values.lines.map((line, i) => ({
      lineNo: i + 1,
      productId: line.product.id,
      sellBy: line.sellBy,
      boxTypeId: line.boxType.id,
      boxes: line.boxes,
      unitsPerBox: line.unitsPerBox,
      units: line.units,
      price: line.price,
      cost: line.cost,
      vendorId: line.vendor?.id ?? null,
      vendorCost: line.vendorCost,
      priceSource: line.priceSource ?? null,
    })),
  };
}

/** A new prebook as the API shows it: the row insertPrebooks wrote, its validated values and the ids it was given. */
function newPrebookView(row: NewPrebookRow, values: PrebookValues, inserted: { id: number; lineIds: number[] }, at: Date): NewPrebookView {
  const prebook: NewPrebookView = {
    id: inserted.id,
    number: row.number,
    ...prebookHeader(values),
    source: 'PREBOOK',
    standingOrder: null,
    status: 'OPEN',
    version: 1,
    createdAt: at,
    updatedAt: at,
    lines: [],
  };
  prebook.lines = values.lines.map((line, n) => ({
    id: inserted.lineIds[n],
    lineNo: row.lines[n].lineNo,
    prebook,
    product: line.product,
    sellBy: line.sellBy,
    boxType: line.boxType,
    boxes: line.boxes,
    unitsPerBox: line.unitsPerBox,
    units: line.units,
    price: line.price,
    cost: line.cost,
    vendor: line.vendor,
    vendorCost: line.vendorCost,
    priceSource: line.priceSource ?? null,
    unableToSource: false,
    createdAt: at,
    updatedAt: at,
  }));
  return prebook;
}

const prebookSpec: DocumentSpec<PrebookInput, Prebook, PrebookValues, { refs: OrderReferences; lockedLineIds: Set<number>; book: PriceBook }, NewPrebookView> =
  {
    operation: 'savePrebooks',
    prefix: 'PB',
    auditEntity: 'Prebook',
    journal: writeJournal,
    label: 'prebook',
    lineIds: true,
    async prepare(em, input, numbers) {
      const existing = numbers.length ? await lockPrebooks(em, { number: { $in: numbers } }) : [];
      // Omitted fields of existing lines take their stored box type and vendor: load those references too.
      const storedLines = new Map(existing.flatMap((p) => p.lines.getItems()).map((l) => [String(l.id), l]));
      const merged = input.map((doc) => ({
        ...doc,
        lines: doc.lines.map((l) => {
          const stored = l.id != null ? storedLines.get(String(l.id)) : undefined;
          return stored ? withStoredValues(l, stored) : l;
        }),
      }));
      const refs = await loadOrderReferences(em, merged);
      const purchased = await purchasedByPrebookLine(
        em,
        existing.flatMap((p) => p.lines.getItems().map((l) => l.id)),
      );
      const lockedLineIds = new Set([...purchased].filter(([, q]) => q.boxes > 0 || q.units > 0).map(([id]) => id));
      // The lists that may price lines sent without a price: one statement for the whole push.
      const unpriced = merged.filter((doc) => doc.lines.some((l) => l.price == null));
      const book = await loadPriceBook(
        em,
        [...new Set(['PREBOOK' as const, ...existing.map(priceListKind)])],
        foundIds(
          refs.customers,
          unpriced.map((doc) => doc.customer),
        ),
        foundIds(
          refs.products,
          unpriced.flatMap((doc) => doc.lines.filter((l) => l.price == null).map((l) => l.product)),
        ),
      );
      return { prepared: { refs, lockedLineIds, book }, existing: new Map(existing.map((p) => [p.number, p])) };
    },
    validate: (v, input, existing, { refs, lockedLineIds, book }) => priceFromLists(validatePrebook(v, input, existing, lockedLineIds, refs), existing, book),
    async insertNew(em, documents) {
      const at = new Date();
      const rows = documents.map(({ number, values, documentId }) => newPrebookRow(number, values, documentId));
      const inserted = await insertPrebooks(em, rows, at);
      return documents.map(({ values }, i) => newPrebookView(rows[i], values, inserted[i], at));
    },
    update: (em, prebook, values) => applyPrebook(em, prebook, values),
    // A replay's documents, loaded relation by relation (select-in): joined, every line would carry and hydrate its
    // prebook's header columns again (1.7 s for 5,000 lines against 0.5 s).
    reload: (em, ids) => em.find(PrebookSchema, { id: { $in: ids } }, { populate: POPULATE_PREBOOK, strategy: 'select-in' }),
  };

export async function savePrebooks(ctx: RequestContext, input: PrebookInput[], idempotencyKey?: string | null, dryRun = false) {
  const { documents, ...rest } = await saveDocuments(ctx, prebookSpec, input, idempotencyKey, { dryRun });
  return { prebooks: documents, ...rest };
}

export async function listPrebooks(ctx: RequestContext, filter: PrebookFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer', { onlyId: ownCustomerId(ctx) });
  if (filter?.vendor) {
    // Vendors are the purchase side: a CUSTOMER token may not even ask which of its lines name one.
    if (ownCustomerId(ctx) !== undefined) throw forbidden('filter.vendor is for staff roles only: vendors are not shown to CUSTOMER tokens');
    where.lines = { vendor: await filterReferenceId(ctx.em, VendorSchema, filter.vendor, 'filter.vendor') };
  }
  if (filter?.truckDateFrom || filter?.truckDateTo) where.truckDate = dateRange(filter.truckDateFrom, filter.truckDateTo);
  if (filter?.status) where.status = filter.status;
  if (filter?.source) where.source = filter.source;
  if (filter?.number) where.id = await filterDocumentId(ctx.em, PrebookSchema, filter.number, 'filter.number', ownDocuments(ctx));
  scopeToCustomer(ctx, where);
  // Prebooks alone: lines, customers, carriers, ... are read when a client asks for them, for the whole page
  // at once (prebook-lines.loader.ts, the Prebook resolvers).
  return paginate(ctx.em, PrebookSchema, where, page, { key: 'id' });
}

/** One prebook by number; a CUSTOMER token finds only its own (another customer's is null, like a missing one). */
export async function findPrebook(ctx: RequestContext, number: string): Promise<Prebook | null> {
  const where: Record<string, unknown> = { number: number.trim().toUpperCase() };
  scopeToCustomer(ctx, where);
  return ctx.em.findOne(PrebookSchema, where, { populate: POPULATE_PREBOOK });
}

/** One prebook line by id, with its prebook; a CUSTOMER token finds only its own customer's lines. */
export async function findPrebookLine(ctx: RequestContext, id: string): Promise<PrebookLine | null> {
  const lineId = databaseId(id);
  if (lineId === null) return null;
  const where: Record<string, unknown> = {};
  scopeToCustomer(ctx, where);
  const line = await ctx.em.findOne(
    PrebookLineSchema,
    { id: lineId, ...(where.customer !== undefined ? { prebook: { customer: where.customer } } : {}) },
    {
      populate: ['prebook', 'prebook.customer', 'product', 'boxType', 'vendor'],
    },
  );
  return line as PrebookLine | null;
}

const TRANSITIONS = {
  cancel: { from: ['OPEN', 'CLOSED'], to: 'CANCELLED', done: 'cancelled' },
  close: { from: ['OPEN'], to: 'CLOSED', done: 'closed' },
  reopen: { from: ['CLOSED', 'CANCELLED'], to: 'OPEN', done: 'reopened' },
} as const;

/** cancelPrebook, closePrebook, reopenPrebook. */
export async function changePrebookStatus(
  ctx: RequestContext,
  number: string,
  action: keyof typeof TRANSITIONS,
): Promise<{ prebook: Prebook | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const [prebook] = await lockPrebooks(em, { number: number.trim().toUpperCase() });
    if (!prebook) return { prebook: null, errors: [userError('NOT_FOUND', `no prebook ${number}`, undefined, 'number')] };
    const rule = TRANSITIONS[action];
    if (!(rule.from as readonly string[]).includes(prebook.status)) {
      return { prebook, errors: [userError('INVALID_STATUS', `${prebook.number} is ${prebook.status}; it cannot be ${rule.done}`, undefined, 'number')] };
    }
    prebook.status = rule.to;
    recordAudit(em, ctx.actor, action, 'Prebook', prebook.id, { number: prebook.number, status: rule.to });
    await em.flush();
    return { prebook, errors: [] };
  });
}

export async function setUnableToSource(ctx: RequestContext, ids: string[], value: boolean): Promise<{ prebookLines: PrebookLine[]; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const numericIds = ids.map(Number).filter(Number.isSafeInteger);
    const lines = await em.find(PrebookLineSchema, { id: { $in: numericIds } }, { populate: ['prebook', 'product', 'boxType', 'vendor'] });
    const found = new Set(lines.map((line) => String(line.id)));
    const errors = ids.flatMap((id, i) =>
      found.has(String(Number(id))) ? [] : [userError('NOT_FOUND', `Row ${i + 1}: no prebook line ${id}`, i + 1, 'prebookLineIds')],
    );
    if (errors.length) return { prebookLines: [], errors };
    for (const line of lines) {
      if (line.unableToSource !== value) {
        line.unableToSource = value;
        recordAudit(em, ctx.actor, value ? 'unable-to-source' : 'able-to-source', 'PrebookLine', line.id);
      }
    }
    await em.flush();
    return { prebookLines: lines, errors: [] };
  });
}
