import type { EntityManager } from '@mikro-orm/postgresql';
import { sameDecimal } from '../../common/decimal';
import { checkReference, loadReferences, type ReferenceLookup } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import type { RowValidator } from '../../common/row-validator';
import { saveDocuments, type DocumentSpec } from '../../common/save-documents';
import type { PurchaseOrderInput } from '../../generated/graphql';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { writeJournal } from '../idempotency/idempotency.service';
import { LocationSchema, type Location } from '../location/location.entity';
import { checkDate } from '../prebook/order-line.validation';
import { PrebookLineSchema, PrebookSchema, type PrebookLine } from '../prebook/prebook.entity';
import { lockPrebookLines, purchasedByPrebookLine } from '../prebook/prebook.repository';
import { stillToBuy } from '../prebook/prebook.service';
import { ProductSchema, type Product } from '../product/product.entity';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { PurchaseOrderLineLinkSchema, PurchaseOrderSchema, type PurchaseOrder } from './purchase-order.entity';
import {
  addPurchaseOrderLines,
  createPurchaseOrder,
  lockPurchaseOrders,
  POPULATE_PURCHASE_ORDER,
  type LinkValues,
  type PurchaseOrderLineValues,
  type PurchaseOrderValues,
} from './purchase-order.service';

// savePurchaseOrders, the purchase orders sheet's push: creates and updates purchase orders by number,
// each line optionally buying for a prebook line (what that line still needs, never more).

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
      ['defaultBoxType'],
    );
    const existing = numbers.length ? await lockPurchaseOrders(em, { number: { $in: numbers } }) : [];

    const lineIds = lines.map((l) => Number(l.prebookLine)).filter((id) => Number.isSafeInteger(id) && id > 0);
    const prebookNumbers = [...new Set(lines.map((l) => l.prebook?.trim().toUpperCase()).filter((n): n is string => !!n))];
    const byNumber = prebookNumbers.length ? await em.find(PrebookSchema, { number: { $in: prebookNumbers } }, { populate: ['lines'] }) : [];
    const allIds = [...new Set([...lineIds, ...byNumber.flatMap((p) => p.lines.getItems().map((l) => l.id))])];
    await lockPrebookLines(em, allIds);
    const prebookLines = await em.find(
      PrebookLineSchema,
      { id: { $in: allIds } },
      { populate: ['prebook', 'prebook.customer', 'product', 'boxType'], refresh: true },
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
  reload: (em, ids) => em.find(PurchaseOrderSchema, { id: { $in: ids } }, { populate: POPULATE_PURCHASE_ORDER }),
};

export async function savePurchaseOrders(ctx: RequestContext, input: PurchaseOrderInput[], idempotencyKey?: string | null, dryRun = false) {
  const { documents, ...rest } = await saveDocuments(ctx, purchaseOrderSpec, input, idempotencyKey, { dryRun });
  return { purchaseOrders: documents, ...rest };
}
