import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { nextDocumentNumbers } from '../../common/document-number.repository';
import { databaseId } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { RowValidator } from '../../common/row-validator';
import { saveDocuments, type DocumentSpec } from '../../common/save-documents';
import { inTransaction } from '../../common/transaction';
import { userError, type ErrorCode, type UserError } from '../../common/user-error';
import type { StandingOrderFilter, StandingOrderInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { checkDate, checkShipTo, loadOrderReferences, validateOrderLine, type OrderLineValues, type OrderReferences } from '../prebook/order-line.validation';
import { PrebookLineSchema, PrebookSchema, type Prebook } from '../prebook/prebook.entity';
import { getSettings } from '../settings/settings.service';
import { addDays, daysBetween } from '../../common/dates';
import { scheduledDates } from './schedule';
import { today } from '../../common/today';
import { StandingOrderLineSchema, StandingOrderSchema, WEEKDAYS, type StandingOrder, type Weekday } from '../prebook/standing-order.entity';
import { loadPriceBook } from '../price-list/price-list.repository';
import { resolvePrice } from '../price-list/price-precedence';
import { writeJournal } from '../idempotency/idempotency.service';

interface StandingOrderValues {
  customer: Customer;
  shipTo: StandingOrder['shipTo'];
  carrier: StandingOrder['carrier'];
  customerPo: string | null;
  weekdays: Weekday[];
  everyWeeks: number;
  startDate: string;
  endDate: string | null;
  holiday: boolean;
  active: boolean;
  lines: OrderLineValues[];
}

const POPULATE = ['customer', 'shipTo', 'carrier', 'lines', 'lines.product', 'lines.boxType', 'lines.vendor'] as const;
const MAX_GENERATION_DAYS = 366;

function validateStandingOrder(
  v: RowValidator,
  input: StandingOrderInput,
  existing: StandingOrder | undefined,
  refs: OrderReferences,
): StandingOrderValues | undefined {
  const customer = checkReference(v, 'customer', input.customer, refs.customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
  if (customer && !existing && customer.creditHold) v.fail('CREDIT_HOLD', 'customer', `customer ${customer.code} is on credit hold: no new standing orders`);
  const shipTo = checkShipTo(v, customer, input.shipTo);
  const carrier = checkReference(v, 'carrier', input.carrier, refs.carriers, { label: 'carrier', unknown: 'UNKNOWN_CARRIER', required: true });
  const customerPo = input.customerPo?.trim() ? v.text('customerPo', input.customerPo, { required: false, max: 60 }) : null;
  const weekdays = [
    ...new Set(input.weekdays.map((day, i) => v.nested(`weekdays.${i + 1}`, `weekday ${i + 1}`).oneOf('day', day.slice(0, 3), WEEKDAYS, { required: true }))),
  ];
  if (input.weekdays.length === 0) v.fail('REQUIRED', 'weekdays', 'name at least one truck day (MON ... SUN)');
  const everyWeeks = v.integer('everyWeeks', input.everyWeeks ?? 1, { required: true, min: 1, max: 52 });
  const startDate = checkDate(v, 'startDate', input.startDate, true);
  const endDate = checkDate(v, 'endDate', input.endDate, false);
  if (startDate && endDate && endDate < startDate) v.fail('INVALID_DATE', 'endDate', `endDate ${endDate} is before startDate ${startDate}`);
  if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'a standing order needs at least one line');
  const lines = input.lines.map((line, i) => validateOrderLine(v.nested(`lines.${i + 1}`, `line ${i + 1}`), line, refs));
  if (!v.ok || !customer || !carrier || !startDate || !everyWeeks || shipTo === undefined) return undefined;
  return {
    customer,
    shipTo,
    carrier,
    customerPo: customerPo ?? null,
    weekdays: weekdays.filter((d): d is (typeof WEEKDAYS)[number] => !!d),
    everyWeeks,
    startDate,
    endDate: endDate ?? null,
    holiday: input.holiday ?? false,
    active: input.active ?? true,
    lines: lines.filter((l): l is OrderLineValues => !!l),
  };
}

function applyStandingOrder(em: EntityManager, standingOrder: StandingOrder, values: StandingOrderValues): void {
  const { lines, ...header } = values;
  Object.assign(standingOrder, header);
  standingOrder.lines.removeAll();
  lines.forEach((line, i) => standingOrder.lines.add(em.create(StandingOrderLineSchema, { ...line, standingOrder, lineNo: i + 1 })));
  standingOrder.updatedAt = new Date();
}

const standingOrderSpec: DocumentSpec<StandingOrderInput, StandingOrder, StandingOrderValues, OrderReferences> = {
  operation: 'saveStandingOrder',
  prefix: 'SO',
  auditEntity: 'StandingOrder',
  journal: writeJournal,
  label: 'standing order',
  single: true,
  async prepare(em, input, numbers) {
    const refs = await loadOrderReferences(em, input);
    const existing = numbers.length ? await em.find(StandingOrderSchema, { number: { $in: numbers } }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : [];
    await em.populate(existing, POPULATE, { refresh: true });
    return { prepared: refs, existing: new Map(existing.map((so) => [so.number, so])) };
  },
  validate: (v, input, existing, refs) => validateStandingOrder(v, input, existing, refs),
  create(em, number, values) {
    const { lines: _lines, ...header } = values;
    const standingOrder = em.create(StandingOrderSchema, { ...header, number });
    applyStandingOrder(em, standingOrder, values);
    return standingOrder;
  },
  update(em, standingOrder, values) {
    applyStandingOrder(em, standingOrder, values);
    return true;
  },
  reload: (em, ids) => em.find(StandingOrderSchema, { id: { $in: ids } }, { populate: POPULATE }),
};

export async function saveStandingOrder(ctx: RequestContext, input: StandingOrderInput, idempotencyKey?: string | null) {
  const { documents, errors, replayed } = await saveDocuments(ctx, standingOrderSpec, [input], idempotencyKey);
  return { standingOrder: documents[0] ?? null, errors, replayed };
}

export async function listStandingOrders(ctx: RequestContext, filter: StandingOrderFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  if (filter?.customer) where.customer = await filterReferenceId(ctx.em, CustomerSchema, filter.customer, 'filter.customer');
  if (filter?.active != null) where.active = filter.active;
  if (filter?.number) where.id = await filterDocumentId(ctx.em, StandingOrderSchema, filter.number, 'filter.number');
  return paginate(ctx.em, StandingOrderSchema, where, page, { key: 'id', populate: [...POPULATE] });
}

/** One standing order by id (staff only, like standingOrders). */
export async function findStandingOrder(ctx: RequestContext, id: string): Promise<StandingOrder | null> {
  const standingOrderId = databaseId(id);
  if (standingOrderId === null) return null;
  return ctx.em.findOne(StandingOrderSchema, { id: standingOrderId }, { populate: POPULATE });
}

export interface SkippedDate {
  standingOrderNumber: string;
  truckDate: string;
  code: ErrorCode;
  message: string;
}

/**
 * Creates the dated prebooks of every active standing order in [from, to].
 * Standing orders are locked while generating, and (standing order, truck
 * date) is unique, so concurrent runs never create a date twice.
 */
export async function generateStandingOrderPrebooks(
  ctx: RequestContext,
  args: { from?: string | null; to?: string | null; standingOrder?: string | null },
): Promise<{ prebooks: Prebook[]; skipped: SkippedDate[]; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const settings = await getSettings(em);
    const from = args.from ?? today(settings);
    const to = args.to ?? addDays(from, settings.standingOrderLeadDays);
    if (to < from) return { prebooks: [], skipped: [], errors: [userError('INVALID_DATE', `to (${to}) is before from (${from})`, undefined, 'to')] };
    if (daysBetween(from, to) > MAX_GENERATION_DAYS) {
      return { prebooks: [], skipped: [], errors: [userError('INVALID_VALUE', `generate at most ${MAX_GENERATION_DAYS} days at a time`, undefined, 'to')] };
    }
    const where: Record<string, unknown> = { active: true, startDate: { $lte: to }, $or: [{ endDate: null }, { endDate: { $gte: from } }] };
    if (args.standingOrder) where.number = args.standingOrder.trim().toUpperCase();
    const standingOrders = await em.find(StandingOrderSchema, where, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
    if (args.standingOrder && standingOrders.length === 0) {
      const exists = await em.count(StandingOrderSchema, { number: args.standingOrder.trim().toUpperCase() });
      if (!exists)
        return { prebooks: [], skipped: [], errors: [userError('NOT_FOUND', `no standing order ${args.standingOrder}`, undefined, 'standingOrder')] };
    }
    await em.populate(standingOrders, POPULATE, { refresh: true });
    const generated = await em.find(
      PrebookSchema,
      { standingOrder: { $in: standingOrders.map((so) => so.id) }, truckDate: { $gte: from, $lte: to } },
      { fields: ['standingOrder', 'truckDate'] },
    );
    const done = new Set(generated.map((p) => `${p.standingOrder!.id}/${p.truckDate}`));

    const skipped: SkippedDate[] = [];
    const toCreate: Array<{ standingOrder: StandingOrder; truckDate: string }> = [];
    for (const standingOrder of standingOrders) {
      for (const truckDate of scheduledDates(standingOrder, from, to)) {
        if (done.has(`${standingOrder.id}/${truckDate}`)) continue;
        if (standingOrder.customer.creditHold) {
          skipped.push({
            standingOrderNumber: standingOrder.number,
            truckDate,
            code: 'CREDIT_HOLD',
            message: `customer ${standingOrder.customer.code} is on credit hold`,
          });
          continue;
        }
        toCreate.push({ standingOrder, truckDate });
      }
    }
    const numbers = await nextDocumentNumbers(em, 'PB', toCreate.length);
    // The STANDING_ORDER lists that may price lines without a price, in one statement; each date takes its season.
    const unpriced = toCreate.filter(({ standingOrder }) => standingOrder.lines.getItems().some((line) => line.price == null));
    const book = await loadPriceBook(
      em,
      ['STANDING_ORDER'],
      unpriced.map(({ standingOrder }) => standingOrder.customer.id),
      unpriced.flatMap(({ standingOrder }) => standingOrder.lines.getItems().map((line) => line.product.id)),
    );
    const prebooks = toCreate.map(({ standingOrder, truckDate }, i) => {
      const prebook = em.create(PrebookSchema, {
        number: numbers[i],
        customer: standingOrder.customer,
        shipTo: standingOrder.shipTo ?? null,
        carrier: standingOrder.carrier,
        truckDate,
        customerPo: standingOrder.customerPo ?? null,
        holiday: standingOrder.holiday,
        source: 'STANDING_ORDER',
        standingOrder,
        status: 'OPEN',
      });
      for (const line of standingOrder.lines.getItems()) {
        const { lineNo, product, sellBy, boxType, boxes, unitsPerBox, units, cost, vendor, vendorCost } = line;
        const { price, source: priceSource } = resolvePrice(book, {
          kind: 'STANDING_ORDER',
          customerId: standingOrder.customer.id,
          productId: product.id,
          boxTypeId: boxType.id,
          date: truckDate,
          linePrice: line.price ?? null,
        });
        const values = { lineNo, product, sellBy, boxType, boxes, unitsPerBox, units, price, priceSource, cost, vendor, vendorCost };
        prebook.lines.add(em.create(PrebookLineSchema, { ...values, prebook, unableToSource: false }));
      }
      return prebook;
    });
    await em.flush();
    for (const prebook of prebooks)
      recordAudit(em, ctx.actor, 'generate', 'Prebook', prebook.id, { standingOrder: prebook.standingOrder?.number, truckDate: prebook.truckDate });
    await em.flush();
    return { prebooks, skipped, errors: [] };
  });
}
