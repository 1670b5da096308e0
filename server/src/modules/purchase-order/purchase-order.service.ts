import { LockMode, type EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal } from '../../common/decimal';
import { dateRange } from '../../common/list-filters';
import { paginate, type PageArgs } from '../../common/pagination';
import { checkReference, filterDocumentId, filterReferenceId, loadReferences, type ReferenceLookup } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { RowValidator } from '../../common/row-validator';
import { saveDocuments, type DocumentSpec } from '../../common/save-documents';
import { inTransaction } from '../../common/transaction';
import { userError, type UserError } from '../../common/user-error';
import type { PurchaseOrderFilter, PurchaseOrderInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { LocationSchema, type Location } from '../location/location.entity';
import { checkDate } from '../prebook/order-line.validation';
import { PrebookLineSchema, PrebookSchema, type PrebookLine } from '../prebook/prebook.entity';
import { purchasedByPrebookLine } from '../prebook/prebook.repository';
import { stillToBuy } from '../prebook/prebook.service';
import { ProductSchema, type Product } from '../product/product.entity';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { lockPrebookLines } from '../prebook/prebook.repository';
import { PurchaseOrderLineLinkSchema, PurchaseOrderLineSchema, PurchaseOrderSchema, type PurchaseOrder } from './purchase-order.entity';
import { markPurchaseOrdersReceived, updatePurchaseOrderStatusesFromBoxes } from './purchase-order.repository';
import { writeJournal } from '../idempotency/idempotency.service';

export interface LinkValues {
  prebookLine: PrebookLine;
  boxes: number | null;
  units: number | null;
}

export interface PurchaseOrderLineValues {
  product: Product;
  boxType: BoxType;
  boxes: number;
  unitsPerBox: number;
  unitCost: string;
  links: LinkValues[];
}

export interface PurchaseOrderValues {
  vendor: Vendor;
  customer: Customer | null;
  location: Location;
  shipDate: string;
  portOfOrigin: string;
  lines: PurchaseOrderLineValues[];
}

export const POPULATE_PURCHASE_ORDER = [
  'vendor',
  'customer',
  'location',
  'lines',
  'lines.product',
  'lines.boxType',
  'lines.links',
  'lines.links.prebookLine',
  'lines.links.prebookLine.prebook',
] as const;

/** What is still to buy of each prebook line, as the push consumes it (boxes or units). */
class NeedLedger {
  constructor(private readonly remaining: Map<number, number>) {}

  static async load(em: EntityManager, lines: PrebookLine[], excludePurchaseOrderIds: number[]): Promise<NeedLedger> {
    const purchased = await purchasedByPrebookLine(
      em,
      lines.map((l) => l.id),
    );
    const own = excludePurchaseOrderIds.length
      ? await em.find(PurchaseOrderLineLinkSchema, {
          purchaseOrderLine: { purchaseOrder: { $in: excludePurchaseOrderIds, status: { $ne: 'CANCELLED' } } },
          prebookLine: { $in: lines.map((l) => l.id) },
        })
      : [];
    const remaining = new Map<number, number>();
    for (const line of lines) {
      remaining.set(line.id, stillToBuy(line, purchased.get(line.id) ?? { boxes: 0, units: 0 }));
    }
    for (const link of own) {
      const id = link.prebookLine.id;
      remaining.set(id, (remaining.get(id) ?? 0) + (link.boxes ?? link.units ?? 0));
    }
    return new NeedLedger(remaining);
  }

  left(line: PrebookLine): number {
    return Math.max(0, this.remaining.get(line.id) ?? 0);
  }

  take(line: PrebookLine, quantity: number): void {
    this.remaining.set(line.id, this.left(line) - quantity);
  }
}

interface PurchaseOrderPrepared {
  vendors: ReferenceLookup<Vendor>;
  customers: ReferenceLookup<Customer>;
  locations: ReferenceLookup<Location>;
  products: ReferenceLookup<Product>;
  boxTypes: ReferenceLookup<BoxType>;
  prebookLines: Map<string, PrebookLine>;
  prebookLinesByNumber: Map<string, PrebookLine[]>;
  ledger: NeedLedger;
}

function validateLink(
  v: RowValidator,
  input: PurchaseOrderInput['lines'][number],
  line: Omit<PurchaseOrderLineValues, 'links'>,
  customer: Customer | null,
  prepared: PurchaseOrderPrepared,
): LinkValues | null | undefined {
  let prebookLine: PrebookLine | undefined;
  if (input.prebookLine != null) {
    prebookLine = prepared.prebookLines.get(String(input.prebookLine));
    if (!prebookLine) return v.fail('NOT_FOUND', 'prebookLine', `no prebook line ${input.prebookLine}`);
  } else if (input.prebook?.trim()) {
    const number = input.prebook.trim().toUpperCase();
    const candidates = prepared.prebookLinesByNumber.get(number);
    if (!candidates) return v.fail('NOT_FOUND', 'prebook', `no prebook ${number}`);
    prebookLine = candidates.find((c) => c.product.id === line.product.id && !c.unableToSource && prepared.ledger.left(c) > 0);
    if (!prebookLine) return v.fail('NOT_FOUND', 'prebook', `${number} has no line of ${line.product.code} still to buy`);
  } else {
    return null;
  }
  const prebook = prebookLine.prebook;
  const where = `${prebook.number} line ${prebookLine.lineNo}`;
  if (prebook.status !== 'OPEN') return v.fail('INVALID_STATUS', 'prebookLine', `${prebook.number} is ${prebook.status}`);
  if (prebookLine.unableToSource) return v.fail('INVALID_STATUS', 'prebookLine', `${where} is marked unable to source`);
  if (prebookLine.product.id !== line.product.id)
    return v.fail('INVALID_VALUE', 'product', `${where} sells ${prebookLine.product.code}, not ${line.product.code}`);
  if (customer && customer.id !== prebook.customer.id) {
    return v.fail('INVALID_VALUE', 'customer', `the PO is for ${customer.code} but ${prebook.number} is ${prebook.customer.code}'s`);
  }
  const left = prepared.ledger.left(prebookLine);
  if (prebookLine.sellBy === 'BOX') {
    if (prebookLine.unitsPerBox !== line.unitsPerBox || prebookLine.boxType.id !== line.boxType.id) {
      return v.fail('INVALID_VALUE', 'unitsPerBox', `${where} is sold in ${prebookLine.boxType.code} boxes of ${prebookLine.unitsPerBox}`);
    }
    if (line.boxes > left) return v.fail('INVALID_VALUE', 'boxes', `${where} needs only ${left} more box(es)`);
    prepared.ledger.take(prebookLine, line.boxes);
    return { prebookLine, boxes: line.boxes, units: null };
  }
  if (left === 0) return v.fail('NOTHING_TO_PURCHASE', 'prebookLine', `${where} has nothing left to buy`);
  const units = Math.min(left, line.boxes * line.unitsPerBox);
  prepared.ledger.take(prebookLine, units);
  return { prebookLine, boxes: null, units };
}

function validatePurchaseOrder(
  v: RowValidator,
  input: PurchaseOrderInput,
  existing: PurchaseOrder | undefined,
  prepared: PurchaseOrderPrepared,
): PurchaseOrderValues | undefined {
  if (existing && existing.status !== 'OPEN')
    v.fail('INVALID_STATUS', 'number', `${existing.number} is ${existing.status}; only OPEN purchase orders can change`);
  const vendor = checkReference(v, 'vendor', input.vendor, prepared.vendors, { label: 'vendor', unknown: 'UNKNOWN_VENDOR', required: true });
  // On an update, an omitted customer or port keeps its stored value; null clears the customer and gives the vendor's default port.
  const customer =
    existing && input.customer === undefined
      ? (existing.customer ?? null)
      : input.customer?.trim()
        ? checkReference(v, 'customer', input.customer, prepared.customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true })
        : null;
  const location = checkReference(v, 'location', input.location, prepared.locations, { label: 'location', unknown: 'UNKNOWN_LOCATION', required: true });
  const shipDate = checkDate(v, 'shipDate', input.shipDate, true);
  const port =
    existing && input.portOfOrigin === undefined
      ? existing.portOfOrigin
      : input.portOfOrigin?.trim()
        ? v.code('portOfOrigin', input.portOfOrigin)
        : vendor?.defaultPortOfOrigin;
  if (vendor && !port && !input.portOfOrigin?.trim()) v.fail('REQUIRED', 'portOfOrigin', `portOfOrigin is required: vendor ${vendor.code} has no default port`);
  if (input.lines.length === 0) v.fail('REQUIRED', 'lines', 'a purchase order needs at least one line');

  const lines: PurchaseOrderLineValues[] = [];
  input.lines.forEach((lineInput, index) => {
    const lv = v.nested(`lines.${index + 1}`, `line ${index + 1}`);
    const product = checkReference(lv, 'product', lineInput.product, prepared.products, {
      label: 'product',
      unknown: 'UNKNOWN_PRODUCT',
      ambiguous: 'AMBIGUOUS_PRODUCT',
      required: true,
    });
    const boxType = lineInput.boxType?.trim()
      ? checkReference(lv, 'boxType', lineInput.boxType, prepared.boxTypes, { label: 'box type', unknown: 'UNKNOWN_BOX_TYPE', required: true })
      : product?.defaultBoxType;
    const boxes = lv.integer('boxes', lineInput.boxes, { required: true, min: 1, max: 1_000_000 });
    const unitsPerBox =
      lineInput.unitsPerBox == null ? product?.defaultUnitsPerBox : lv.integer('unitsPerBox', lineInput.unitsPerBox, { required: true, min: 1, max: 100_000 });
    const unitCost = lv.decimal('unitCost', lineInput.unitCost, { required: true, min: 0, max: 1e9, maxScale: 4 });
    if (boxes && unitsPerBox) lv.boxUnits(boxes, unitsPerBox);
    if (!lv.ok || !product || !boxType || !boxes || !unitsPerBox || !unitCost) return;
    const line = { product, boxType, boxes, unitsPerBox, unitCost };
    const link = validateLink(lv, lineInput, line, customer ?? null, prepared);
    if (link === undefined) return;
    lines.push({ ...line, links: link ? [link] : [] });
  });
  if (!v.ok || !vendor || customer === undefined || !location || !shipDate || !port) return undefined;
  return { vendor, customer, location, shipDate, portOfOrigin: port, lines };
}

function lineSignature(
  lines: Array<
    Pick<PurchaseOrderLineValues, 'boxes' | 'unitsPerBox' | 'unitCost'> & {
      product: { id: number };
      boxType: { id: number };
      links: Array<{ prebookLine: { id: number }; boxes?: number | null; units?: number | null }>;
    }
  >,
): string {
  return JSON.stringify(
    lines.map((l) => [
      l.product.id,
      l.boxType.id,
      l.boxes,
      l.unitsPerBox,
      Number(l.unitCost),
      l.links.map((k) => [k.prebookLine.id, k.boxes ?? null, k.units ?? null]),
    ]),
  );
}

/** Adds lines (and their prebook links) to a purchase order. */
export function addPurchaseOrderLines(em: EntityManager, purchaseOrder: PurchaseOrder, lines: PurchaseOrderLineValues[]): void {
  let lineNo = Math.max(0, ...purchaseOrder.lines.getItems().map((l) => l.lineNo));
  for (const { links, ...values } of lines) {
    const line = em.create(PurchaseOrderLineSchema, { ...values, purchaseOrder, lineNo: ++lineNo } as never);
    purchaseOrder.lines.add(line);
    for (const link of links) line.links.add(em.create(PurchaseOrderLineLinkSchema, { ...link, purchaseOrderLine: line } as never));
  }
}

/** A new purchase order; `documentId` is a sheet's id of it (savePurchaseOrders), kept so a retried push finds it. */
export function createPurchaseOrder(em: EntityManager, number: string, values: PurchaseOrderValues, documentId: string | null = null): PurchaseOrder {
  const { lines, ...header } = values;
  const purchaseOrder = em.create(PurchaseOrderSchema, { ...header, number, status: 'OPEN', documentId } as never);
  addPurchaseOrderLines(em, purchaseOrder, lines);
  return purchaseOrder;
}

function updatePurchaseOrder(em: EntityManager, purchaseOrder: PurchaseOrder, values: PurchaseOrderValues): boolean {
  const { lines, ...header } = values;
  const current = purchaseOrder.lines.getItems().map((l) => ({
    product: l.product,
    boxType: l.boxType,
    boxes: l.boxes,
    unitsPerBox: l.unitsPerBox,
    unitCost: l.unitCost,
    links: l.links.getItems(),
  }));
  const headerChanged =
    purchaseOrder.vendor.id !== header.vendor.id ||
    (purchaseOrder.customer?.id ?? null) !== (header.customer?.id ?? null) ||
    purchaseOrder.location.id !== header.location.id ||
    purchaseOrder.shipDate !== header.shipDate ||
    purchaseOrder.portOfOrigin !== header.portOfOrigin;
  const linesChanged = lineSignature(current) !== lineSignature(lines) || current.some((l, i) => !sameDecimal(l.unitCost, lines[i]?.unitCost));
  if (!headerChanged && !linesChanged) return false;
  Object.assign(purchaseOrder, header);
  if (linesChanged) {
    for (const line of purchaseOrder.lines.getItems()) line.links.removeAll();
    purchaseOrder.lines.removeAll();
    addPurchaseOrderLines(em, purchaseOrder, lines);
  }
  purchaseOrder.updatedAt = new Date();
  return true;
}

/** Locks purchase orders (FOR UPDATE) and loads their lines and links. */
export async function lockPurchaseOrders(em: EntityManager, where: object): Promise<PurchaseOrder[]> {
  const purchaseOrders = await em.find(PurchaseOrderSchema, where as never, { lockMode: LockMode.PESSIMISTIC_WRITE });
  await em.populate(purchaseOrders, POPULATE_PURCHASE_ORDER as never, { refresh: true });
  return purchaseOrders;
}

/**
 * Sets the status of purchase orders from their boxes: RECEIVED once every ordered box has shipped and
 * none is left in staging; SHIPPED when all shipped; else CONFIRMED. Reads what is written: flush (or
 * save the boxes) first. Returns the orders whose status changed.
 */
export async function refreshPurchaseOrderStatuses(em: EntityManager, purchaseOrderIds: number[]): Promise<Map<number, string>> {
  if (purchaseOrderIds.length === 0) return new Map();
  const rows = await updatePurchaseOrderStatusesFromBoxes(em, purchaseOrderIds);
  return new Map(rows.map((row) => [Number(row.id), row.status]));
}

/**
 * refreshPurchaseOrderStatuses after boxes were only confirmed out of staging (confirmation, inbound
 * scans): the boxes shipped stay the same, so CONFIRMED and RECEIVED stay as they are and the one
 * change left is SHIPPED to RECEIVED when no box of the order is still staged. The same outcome,
 * without counting every box of the order on each scan. Boxes leaving staging in this transaction
 * whose new status is not written yet (leavingStagingBoxIds) count as confirmed. `unsettled` are the
 * orders left SHIPPED whose remaining staged boxes may all be leaving in concurrent transactions: pass
 * them to settlePurchaseOrderStatuses once this transaction has committed.
 */
export async function refreshPurchaseOrderStatusesAfterConfirmation(
  em: EntityManager,
  purchaseOrderIds: number[],
  leavingStagingBoxIds: number[] = [],
): Promise<{ changed: Map<number, string>; unsettled: number[] }> {
  if (purchaseOrderIds.length === 0) return { changed: new Map(), unsettled: [] };
  const rows = await markPurchaseOrdersReceived(em, purchaseOrderIds, leavingStagingBoxIds);
  return {
    changed: new Map(rows.filter((row) => row.status === 'RECEIVED').map((row) => [Number(row.id), row.status])),
    unsettled: rows.filter((row) => row.status === 'SHIPPED' && row.others < row.cap).map((row) => Number(row.id)),
  };
}

/**
 * After the transaction that confirmed boxes out of staging has committed: marks RECEIVED the orders it
 * left unsettled whose last staged boxes were taken by transactions that committed meanwhile. Of several
 * scans of an order's last boxes, each sees the others' boxes still staged; the one that commits last
 * sees none here. Outside any transaction (a nested call leaves it to the outer one's caller).
 */
export async function settlePurchaseOrderStatuses(ctx: RequestContext, purchaseOrderIds: number[]): Promise<void> {
  if (purchaseOrderIds.length === 0 || ctx.em.isInTransaction()) return;
  await markPurchaseOrdersReceived(ctx.em.fork(), purchaseOrderIds, []);
}

/** The same for a purchase order held as an entity, which is given its new status. */
export async function refreshPurchaseOrderStatus(em: EntityManager, purchaseOrder: PurchaseOrder): Promise<void> {
  const changed = (await refreshPurchaseOrderStatuses(em, [purchaseOrder.id])).get(purchaseOrder.id);
  if (changed) await em.refresh(purchaseOrder);
}

const purchaseOrderSpec: DocumentSpec<PurchaseOrderInput, PurchaseOrder, PurchaseOrderValues, PurchaseOrderPrepared> = {
  operation: 'savePurchaseOrders',
  prefix: 'PO',
  auditEntity: 'PurchaseOrder',
  journal: writeJournal,
  label: 'purchase order',
  async prepare(em, input, numbers) {
    const lines = input.flatMap((d) => d.lines);
    // Sequential: the transaction's one connection runs one query at a time.
    const vendors = await loadReferences(
      em,
      VendorSchema,
      input.map((d) => d.vendor),
    );
    const customers = await loadReferences(
      em,
      CustomerSchema,
      input.map((d) => d.customer),
    );
    const locations = await loadReferences(
      em,
      LocationSchema,
      input.map((d) => d.location),
    );
    const products = await loadReferences(
      em,
      ProductSchema,
      lines.map((l) => l.product),
    );
    const boxTypes = await loadReferences(
      em,
      BoxTypeSchema,
      lines.map((l) => l.boxType),
    );
    await em.populate(
      lines.map((l) => products(l.product ?? '')).flatMap((m) => ('found' in m ? [m.found] : [])),
      ['defaultBoxType'] as never,
    );
    const existing = numbers.length ? await lockPurchaseOrders(em, { number: { $in: numbers } }) : [];

    const lineIds = lines.map((l) => Number(l.prebookLine)).filter((id) => Number.isSafeInteger(id) && id > 0);
    const prebookNumbers = [...new Set(lines.map((l) => l.prebook?.trim().toUpperCase()).filter((n): n is string => !!n))];
    const byNumber = prebookNumbers.length ? await em.find(PrebookSchema, { number: { $in: prebookNumbers } }, { populate: ['lines'] as never }) : [];
    const allIds = [...new Set([...lineIds, ...byNumber.flatMap((p) => p.lines.getItems().map((l) => l.id))])];
    await lockPrebookLines(em, allIds);
    const prebookLines = await em.find(
      PrebookLineSchema,
      { id: { $in: allIds } },
      { populate: ['prebook', 'prebook.customer', 'product', 'boxType'] as never, refresh: true },
    );
    const prebookLinesByNumber = new Map<string, PrebookLine[]>(byNumber.map((p) => [p.number, []]));
    for (const line of [...prebookLines].sort((a, b) => a.lineNo - b.lineNo)) prebookLinesByNumber.get(line.prebook.number)?.push(line);
    const ledger = await NeedLedger.load(
      em,
      prebookLines,
      existing.map((po) => po.id),
    );
    return {
      prepared: {
        vendors,
        customers,
        locations,
        products,
        boxTypes,
        prebookLines: new Map(prebookLines.map((l) => [String(l.id), l])),
        prebookLinesByNumber,
        ledger,
      },
      existing: new Map(existing.map((po) => [po.number, po])),
    };
  },
  validate: validatePurchaseOrder,
  create: createPurchaseOrder,
  update: updatePurchaseOrder,
  reload: (em, ids) => em.find(PurchaseOrderSchema, { id: { $in: ids } }, { populate: POPULATE_PURCHASE_ORDER as never }),
};

export async function savePurchaseOrders(ctx: RequestContext, input: PurchaseOrderInput[], idempotencyKey?: string | null, dryRun = false) {
  const { documents, ...rest } = await saveDocuments(ctx, purchaseOrderSpec, input, idempotencyKey, { dryRun });
  return { purchaseOrders: documents, ...rest };
}

export async function listPurchaseOrders(ctx: RequestContext, filter: PurchaseOrderFilter | null | undefined, page: PageArgs) {
  const where: Record<string, unknown> = {};
  const refId = <T extends { id: number; code: string; name: string }>(entity: EntityName<T>, value: string, path: string) =>
    filterReferenceId(ctx.em, entity, value, path);
  if (filter?.number) where.id = await filterDocumentId(ctx.em, PurchaseOrderSchema, filter.number, 'filter.number');
  if (filter?.vendor) where.vendor = await refId(VendorSchema, filter.vendor, 'filter.vendor');
  if (filter?.customer) where.customer = await refId(CustomerSchema, filter.customer, 'filter.customer');
  if (filter?.location) where.location = await refId(LocationSchema, filter.location, 'filter.location');
  if (filter?.status) where.status = filter.status;
  if (filter?.shipDateFrom || filter?.shipDateTo) where.shipDate = dateRange(filter.shipDateFrom, filter.shipDateTo);
  return paginate(ctx.em, PurchaseOrderSchema, where, page, { key: 'id', populate: [...POPULATE_PURCHASE_ORDER] });
}

/** One purchase order by number (staff only: a PO carries vendors and costs). */
export async function findPurchaseOrder(ctx: RequestContext, number: string): Promise<PurchaseOrder | null> {
  return ctx.em.findOne(PurchaseOrderSchema, { number: number.trim().toUpperCase() }, { populate: POPULATE_PURCHASE_ORDER as never });
}

const TRANSITIONS = {
  confirm: { from: ['OPEN'], to: 'CONFIRMED', done: 'confirmed' },
  cancel: { from: ['OPEN', 'CONFIRMED'], to: 'CANCELLED', done: 'cancelled' },
} as const;

export async function changePurchaseOrderStatus(
  ctx: RequestContext,
  number: string,
  action: keyof typeof TRANSITIONS,
): Promise<{ purchaseOrder: PurchaseOrder | null; errors: UserError[] }> {
  return inTransaction(ctx, async (em) => {
    const [purchaseOrder] = await lockPurchaseOrders(em, { number: number.trim().toUpperCase() });
    if (!purchaseOrder) return { purchaseOrder: null, errors: [userError('NOT_FOUND', `no purchase order ${number}`, undefined, 'number')] };
    const rule = TRANSITIONS[action];
    if (!(rule.from as readonly string[]).includes(purchaseOrder.status)) {
      return {
        purchaseOrder,
        errors: [userError('INVALID_STATUS', `${purchaseOrder.number} is ${purchaseOrder.status}; it cannot be ${rule.done}`, undefined, 'number')],
      };
    }
    purchaseOrder.status = rule.to;
    recordAudit(em, ctx.actor, action, 'PurchaseOrder', purchaseOrder.id, { number: purchaseOrder.number, status: rule.to });
    await em.flush();
    return { purchaseOrder, errors: [] };
  });
}
