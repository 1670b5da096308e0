// The availability list: open-market stock offered for sale, on hand and in transit, priced for a customer
// (docs/sales-and-accounting.md#availability-lists).
import { divRound, fromScaled, toScaled } from '../../common/decimal';
import { ownCustomerId } from '../../common/list-filters';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { today } from '../../common/today';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { LocationSchema } from '../location/location.entity';
import { loadPriceBook } from '../price-list/price-list.repository';
import { emptyPriceBook } from '../price-list/price-precedence';
import { ProductSchema } from '../product/product.entity';
import { requestSettings } from '../settings/settings.service';
import { availabilityPrice, type AvailabilityPriceSource } from './availability-price';
import { selectAvailability } from './availability.repository';

export interface AvailabilityArrivalView {
  arrivalDate: string;
  boxes: number;
  units: number;
}

export interface AvailabilityLineView {
  product: number;
  boxType: string;
  onHandBoxes: number;
  onHandUnits: number;
  inTransit: AvailabilityArrivalView[];
  totalBoxes: number;
  totalUnits: number;
  unitPrice: string | null;
  priceSource: AvailabilityPriceSource | null;
  /** The season whose list price applies; null otherwise. */
  priceSeason: string | null;
  averageUnitCost: string;
}

export interface AvailabilityView {
  customer: Customer | null;
  asOf: string;
  onHandOnly: boolean;
  lines: AvailabilityLineView[];
}

export interface AvailabilityArgs {
  customer?: string | null;
  onHandOnly?: boolean | null;
  product?: string | null;
  location?: string | null;
}

/**
 * Open-market stock offered for sale by product and box type, priced for a customer. A CUSTOMER token is
 * always priced as itself: naming another customer answers as an unknown one.
 */
export async function availability(ctx: RequestContext, args: AvailabilityArgs): Promise<AvailabilityView> {
  const em = ctx.em;
  const settings = await requestSettings(em);
  const own = ownCustomerId(ctx);
  const customerId = args.customer?.trim() ? await filterReferenceId(em, CustomerSchema, args.customer, 'customer', { onlyId: own }) : own;
  const customer = customerId === undefined ? null : await em.findOne(CustomerSchema, customerId);
  const asOf = today(settings);
  const onHandOnly = args.onHandOnly ?? false;
  const rows = await selectAvailability(em, {
    today: asOf,
    timeZone: settings.timeZone,
    onHandOnly,
    productId: args.product?.trim() ? await filterReferenceId(em, ProductSchema, args.product, 'product') : undefined,
    locationId: args.location?.trim() ? await filterReferenceId(em, LocationSchema, args.location, 'location') : undefined,
  });
  const lines = new Map<string, AvailabilityLineView & { cost: bigint; boxTypeId: number }>();
  for (const row of rows) {
    const key = `${row.product_id}\t${row.box_type_code}`;
    let line = lines.get(key);
    if (!line) {
      line = {
        product: Number(row.product_id),
        boxType: row.box_type_code,
        onHandBoxes: 0,
        onHandUnits: 0,
        inTransit: [],
        totalBoxes: 0,
        totalUnits: 0,
        unitPrice: null,
        priceSource: null,
        priceSeason: null,
        averageUnitCost: '0',
        cost: 0n,
        boxTypeId: Number(row.box_type_id),
      };
      lines.set(key, line);
    }
    const boxes = Number(row.boxes);
    const units = Number(row.units);
    if (row.arrival_date === null) {
      line.onHandBoxes += boxes;
      line.onHandUnits += units;
    } else line.inTransit.push({ arrivalDate: row.arrival_date, boxes, units });
    line.totalBoxes += boxes;
    line.totalUnits += units;
    line.cost += toScaled(row.cost);
  }
  const codes = new Map((await em.find(ProductSchema, { id: { $in: [...lines.values()].map((l) => l.product) } })).map((p) => [p.id, p.code]));
  const targetGpm = customer?.targetGpm ?? settings.targetGpm;
  // The customer's and the master OPEN_MARKET lists of every product offered, in one statement; seasons by the as-of date.
  const productIds = [...new Set([...lines.values()].map((l) => l.product))];
  const book = customer ? await loadPriceBook(em, ['OPEN_MARKET'], [customer.id], productIds) : emptyPriceBook();
  const views = [...lines.values()].map(({ cost, boxTypeId, ...line }): AvailabilityLineView => {
    const averageUnitCost = fromScaled(line.totalUnits ? divRound(cost, BigInt(line.totalUnits)) : 0n, 2);
    const price = customer
      ? availabilityPrice({ book, customerId: customer.id, productId: line.product, boxTypeId, date: asOf, averageUnitCost, targetGpm })
      : null;
    return { ...line, averageUnitCost, unitPrice: price?.price ?? null, priceSource: price?.source ?? null, priceSeason: price?.season ?? null };
  });
  views.sort((a, b) => (codes.get(a.product) ?? '').localeCompare(codes.get(b.product) ?? '') || a.boxType.localeCompare(b.boxType));
  return { customer, asOf, onHandOnly, lines: views };
}
