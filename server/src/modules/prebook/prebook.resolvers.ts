import type { PurchasedQuantity } from '../../common/loaders';
import type { RequestContext } from '../../common/request-context';
import { requiredRelation } from '../../common/required-relation';
import type { Resolvers } from '../../generated/graphql';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { StandingOrderSchema } from './standing-order.entity';
import { suggestedUnitPrice } from './suggested-price';
import { ProductSchema } from '../product/product.entity';
import { VendorSchema } from '../vendor/vendor.entity';
import {
  changePrebookStatus,
  findPrebook,
  findPrebookLine,
  listPrebooks,
  orderedQuantity,
  savePrebooks,
  setUnableToSource,
  stillToBuy,
} from './prebook.service';
import { knownQuantity, linesOfPrebook, quantitiesAsked } from './prebook-lines.loader';
import type { PrebookLineModel } from './prebook.view';

/** A quantity of a line: at once when it was read with its page, else through the request's loader. */
function quantity(ctx: RequestContext, kind: 'purchased' | 'billed', line: PrebookLineModel): PurchasedQuantity | Promise<PurchasedQuantity> {
  return knownQuantity(ctx, kind, line.id) ?? ctx.loaders[kind].load(line.id);
}

/** A quantity in the line's own measure: boxes for lines sold by the box, units otherwise. */
function measured(ctx: RequestContext, kind: 'purchased' | 'billed', line: PrebookLineModel): number | Promise<number> {
  const inMeasure = (q: PurchasedQuantity) => (line.sellBy === 'BOX' ? q.boxes : q.units);
  const found = quantity(ctx, kind, line);
  return found instanceof Promise ? found.then(inMeasure) : inMeasure(found);
}

function needed(ctx: RequestContext, line: PrebookLineModel): number | Promise<number> {
  if (line.unableToSource || line.prebook.status !== 'OPEN') return 0;
  const still = (q: PurchasedQuantity) => Math.max(0, stillToBuy(line, q));
  const found = quantity(ctx, 'purchased', line);
  return found instanceof Promise ? found.then(still) : still(found);
}

function lockedByPo(ctx: RequestContext, line: PrebookLineModel): boolean | Promise<boolean> {
  const found = measured(ctx, 'purchased', line);
  return found instanceof Promise ? found.then((n) => n > 0) : found > 0;
}

export const prebookResolvers: Resolvers = {
  Query: {
    prebooks: (_, { filter, first, after }, ctx) => listPrebooks(ctx, filter, { first, after }),
    prebook: (_, { number }, ctx) => findPrebook(ctx, number),
    prebookLine: (_, { id }, ctx) => findPrebookLine(ctx, id),
  },
  Mutation: {
    savePrebooks: (_, { input, idempotencyKey, dryRun }, ctx) => savePrebooks(ctx, input, idempotencyKey, dryRun ?? false),
    cancelPrebook: (_, { number }, ctx) => changePrebookStatus(ctx, number, 'cancel'),
    closePrebook: (_, { number }, ctx) => changePrebookStatus(ctx, number, 'close'),
    reopenPrebook: (_, { number }, ctx) => changePrebookStatus(ctx, number, 'reopen'),
    setUnableToSource: (_, { prebookLineIds, unableToSource }, ctx) => setUnableToSource(ctx, prebookLineIds, unableToSource ?? true),
  },
  Prebook: {
    lines: (prebook, _, ctx, info) => linesOfPrebook(ctx, prebook, quantitiesAsked(info)),
    lineIds: async (prebook, _, ctx) => (await linesOfPrebook(ctx, prebook)).map((line) => String(line.id)),
    // A list reads prebooks alone: their customers, ship-tos, carriers and standing orders are loaded for the whole page at once.
    customer: (prebook, _, ctx) => requiredRelation('Prebook.customer', ctx.loaders.reference(CustomerSchema)(prebook.customer)),
    shipTo: (prebook, _, ctx) => ctx.loaders.reference(ShipToSchema)(prebook.shipTo),
    carrier: (prebook, _, ctx) => requiredRelation('Prebook.carrier', ctx.loaders.reference(CarrierSchema)(prebook.carrier)),
    standingOrderNumber: async (prebook, _, ctx) => (await ctx.loaders.reference(StandingOrderSchema)(prebook.standingOrder))?.number ?? null,
  },
  PrebookLine: {
    prebookNumber: (line) => line.prebook.number,
    // Invoices and boxes populate their prebook lines, not each line's product, box type and vendor.
    product: (line, _, ctx) => requiredRelation('PrebookLine.product', ctx.loaders.reference(ProductSchema)(line.product)),
    boxType: (line, _, ctx) => requiredRelation('PrebookLine.boxType', ctx.loaders.reference(BoxTypeSchema)(line.boxType)),
    vendor: (line, _, ctx) => ctx.loaders.reference(VendorSchema)(line.vendor),
    ordered: (line) => orderedQuantity(line),
    purchased: (line, _, ctx) => measured(ctx, 'purchased', line),
    billed: (line, _, ctx) => measured(ctx, 'billed', line),
    needed: (line, _, ctx) => needed(ctx, line),
    lockedByPo: (line, _, ctx) => lockedByPo(ctx, line),
    suggestedUnitPrice: (line, _, ctx) => suggestedUnitPrice(ctx, line.price, line.cost, line.prebook.customer),
  },
};
