import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { checkReference, loadReferences, type ReferenceLookup } from '../../common/references';
import { MAX_LINE_UNITS, type RowValidator } from '../../common/row-validator';
import { isIsoDate } from '../../common/scalars';
import { markUnknown } from '../../common/suggestions';
import { BoxTypeSchema, type BoxType } from '../box-type/box-type.entity';
import { CarrierSchema, type Carrier } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema, type Customer, type ShipTo } from '../customer/customer.entity';
import { ProductSchema, type Product } from '../product/product.entity';
import { VendorSchema, type Vendor } from '../vendor/vendor.entity';
import { SELL_BY, type SellBy } from './prebook.entity';

/** A sales line as prebooks and standing orders take it. */
export interface OrderLineInput {
  product: string;
  sellBy?: string | null;
  boxType?: string | null;
  boxes?: number | null;
  unitsPerBox?: number | null;
  units?: number | null;
  price?: string | null;
  cost?: string | null;
  vendor?: string | null;
  vendorCost?: string | null;
}

export interface OrderLineValues {
  product: Product;
  sellBy: SellBy;
  boxType: BoxType;
  boxes: number | null;
  unitsPerBox: number;
  units: number;
  price: string | null;
  cost: string | null;
  vendor: Vendor | null;
  vendorCost: string | null;
}

type Lookup<T> = ReferenceLookup<T>;

/** Every master-data reference of a push, loaded with one query per kind. */
export interface OrderReferences {
  customers: Lookup<Customer>;
  carriers: Lookup<Carrier>;
  products: Lookup<Product>;
  boxTypes: Lookup<BoxType>;
  vendors: Lookup<Vendor>;
}

export interface OrderHeaderInput {
  customer: string;
  shipTo?: string | null;
  carrier: string;
  vendor?: string | null;
  lines: OrderLineInput[];
}

export async function loadOrderReferences(em: EntityManager, documents: OrderHeaderInput[]): Promise<OrderReferences> {
  const lines = documents.flatMap((d) => d.lines);
  // One after the other: they share the transaction's connection, which runs one query at a time.
  const customers = await loadReferences(
    em,
    CustomerSchema,
    documents.map((d) => d.customer),
  );
  const carriers = await loadReferences(
    em,
    CarrierSchema,
    documents.map((d) => d.carrier),
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
  const vendors = await loadReferences(
    em,
    VendorSchema,
    lines.map((l) => l.vendor),
  );
  // Each record once: populating the product of each of 5,000 lines cost more than all the queries.
  const found = <T>(lookup: Lookup<T>, values: Array<string | null | undefined>) => [
    ...new Set(values.map((value) => lookup(value ?? '')).flatMap((m) => ('found' in m ? [m.found] : []))),
  ];
  // Ship-tos only of the customers whose documents name one (checkShipTo); most pushes name none.
  const shipping = found(
    customers,
    documents.filter((d) => d.shipTo?.trim()).map((d) => d.customer),
  );
  if (shipping.length) await em.populate(shipping, ['shipTos']);
  const foundProducts = found(
    products,
    lines.map((l) => l.product),
  );
  await em.populate(foundProducts, ['defaultBoxType']);
  return { customers, carriers, products, boxTypes, vendors };
}

export function checkDate(v: RowValidator, field: string, value: string | null | undefined, required: boolean): string | null | undefined {
  if (!value?.trim()) return required ? v.fail('REQUIRED', field, `${field} is required`) : null;
  const date = value.trim();
  if (!isIsoDate(date)) {
    const days = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const month = days ? Number(days[2]) : 0;
    const why = !days
      ? 'write it as YYYY-MM-DD'
      : month < 1 || month > 12
        ? `there is no month ${month}`
        : `${days[1]}-${days[2]} has ${new Date(Date.UTC(Number(days[1]), month, 0)).getUTCDate()} days`;
    return v.fail('INVALID_DATE', field, `${field} "${value}" is not a date: ${why}`);
  }
  return date;
}

export function checkShipTo(v: RowValidator, customer: Customer | undefined, value: string | null | undefined): ShipTo | null | undefined {
  if (!value?.trim()) return null;
  if (!customer) return undefined;
  const wanted = value.trim();
  const shipTos = customer.shipTos.getItems();
  const byCode = shipTos.find((s) => s.code === wanted.toUpperCase());
  const byName = shipTos.filter((s) => s.name.toLowerCase() === wanted.toLowerCase());
  if (byCode) return byCode;
  if (byName.length === 1) return byName[0];
  v.fail('UNKNOWN_SHIP_TO', 'shipTo', `customer ${customer.code} has no ship-to "${value}"`);
  markUnknown(v.errors[v.errors.length - 1], { entity: ShipToSchema as EntityName<never>, value, within: { column: 'customer_id', id: customer.id } });
  return undefined;
}

/** What a stored line holds, as input: the values an omitted field keeps. */
export interface StoredOrderLine {
  sellBy: SellBy;
  boxType: { code: string };
  boxes?: number | null;
  unitsPerBox: number;
  units: number;
  price?: string | null;
  cost?: string | null;
  vendor?: { code: string } | null;
  vendorCost?: string | null;
}

/**
 * The input of a change to a stored line: an omitted (undefined) field keeps its
 * stored value, an explicit null clears it (or takes its default). Units of a line
 * sold by the box follow its boxes, so they are never taken from the stored line.
 */
export function withStoredValues<L extends OrderLineInput>(input: L, stored: StoredOrderLine): L {
  const keep = <T>(given: T | undefined, value: T): T => (given === undefined ? value : given);
  const given = input.sellBy?.trim().toUpperCase();
  const sellBy = given || (input.boxes != null ? 'BOX' : input.units != null ? 'UNIT' : stored.sellBy);
  const byBox = sellBy === 'BOX';
  return {
    ...input,
    sellBy: keep(input.sellBy, sellBy),
    boxType: keep(input.boxType, stored.boxType.code),
    boxes: byBox ? keep(input.boxes, stored.sellBy === 'BOX' ? (stored.boxes ?? null) : undefined) : input.boxes,
    unitsPerBox: keep(input.unitsPerBox, stored.unitsPerBox),
    units: byBox ? input.units : keep(input.units, stored.sellBy === 'UNIT' ? stored.units : undefined),
    price: keep(input.price, stored.price ?? null),
    cost: keep(input.cost, stored.cost ?? null),
    vendor: keep(input.vendor, stored.vendor?.code ?? null),
    vendorCost: keep(input.vendorCost, stored.vendorCost ?? null),
  };
}

const money = { required: false, nullable: true, min: 0, max: 1e9, maxScale: 4 } as const;

/** Validates one sales line; returns its values, or undefined when a field is wrong. */
export function validateOrderLine(v: RowValidator, line: OrderLineInput, refs: OrderReferences): OrderLineValues | undefined {
  const product = checkReference(v, 'product', line.product, refs.products, {
    label: 'product',
    unknown: 'UNKNOWN_PRODUCT',
    ambiguous: 'AMBIGUOUS_PRODUCT',
    required: true,
  });
  const sellByGiven = line.sellBy?.trim() ? v.oneOf('sellBy', line.sellBy, SELL_BY, { required: true }) : undefined;
  const sellBy: SellBy = sellByGiven ?? (line.boxes != null || line.units == null ? 'BOX' : 'UNIT');
  const boxType = line.boxType?.trim()
    ? checkReference(v, 'boxType', line.boxType, refs.boxTypes, { label: 'box type', unknown: 'UNKNOWN_BOX_TYPE', required: true })
    : product?.defaultBoxType;

  let boxes: number | null = null;
  let unitsPerBox: number | null | undefined;
  let units: number | null | undefined;
  if (sellBy === 'BOX') {
    boxes = v.integer('boxes', line.boxes, { required: true, min: 1, max: 1_000_000 }) ?? null;
    // Left out, a line sold by the box takes the product's units per box, as its box type.
    unitsPerBox = line.unitsPerBox == null ? product?.defaultUnitsPerBox : v.integer('unitsPerBox', line.unitsPerBox, { required: true, min: 1, max: 100_000 });
    if (line.units != null && boxes && unitsPerBox && line.units !== boxes * unitsPerBox) {
      v.fail('INVALID_VALUE', 'units', `units ${line.units} is not boxes x units per box (${boxes * unitsPerBox}); leave it empty for a line sold by the box`);
    }
    units = boxes && unitsPerBox ? v.boxUnits(boxes, unitsPerBox) : undefined;
  } else {
    units = v.integer('units', line.units, { required: true, min: 1, max: MAX_LINE_UNITS });
    if (line.boxes != null) v.fail('INVALID_VALUE', 'boxes', 'a line sold by the unit takes units, not boxes');
    unitsPerBox = line.unitsPerBox == null ? product?.defaultUnitsPerBox : v.integer('unitsPerBox', line.unitsPerBox, { required: true, min: 1, max: 100_000 });
  }
  const price = v.decimal('price', line.price, money);
  const cost = v.decimal('cost', line.cost, money);
  const vendorCost = v.decimal('vendorCost', line.vendorCost, money);
  const vendor = line.vendor?.trim()
    ? checkReference(v, 'vendor', line.vendor, refs.vendors, { label: 'vendor', unknown: 'UNKNOWN_VENDOR', required: true })
    : null;

  if (!v.ok || !product || !boxType || !unitsPerBox || !units || vendor === undefined) return undefined;
  return { product, sellBy, boxType, boxes, unitsPerBox, units, price: price ?? null, cost: cost ?? null, vendor, vendorCost: vendorCost ?? null };
}
