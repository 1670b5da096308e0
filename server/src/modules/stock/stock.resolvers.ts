import { requiredRelation } from '../../common/required-relation';
import type { Resolvers } from '../../generated/graphql';
import { LocationSchema } from '../location/location.entity';
import { ProductSchema } from '../product/product.entity';
import { adjustInventory } from './adjust-inventory.service';
import { closeCount, countReport, countScan, startCount } from './count.service';
import { listAgedStock, listInventoryAdjustments, shrinkReport } from './stock-reports.service';
import { CountSchema } from './stock.entity';
import { selectCountSizes } from './stock.repository';
import { recordShipmentCosts, shipmentCosts } from './shipment-costs.service';
import { availability } from './availability.service';

export const stockResolvers: Resolvers = {
  Query: {
    agedStock: (_, { filter, first, after }, ctx) => listAgedStock(ctx, filter, { first, after }),
    inventoryAdjustments: (_, { filter, first, after }, ctx) => listInventoryAdjustments(ctx, filter, { first, after }),
    countReport: (_, { count }, ctx) => countReport(ctx, count),
    shrinkReport: (_, { from, to, location }, ctx) => shrinkReport(ctx, from, to, location),
    shipmentCosts: (_, { awb }, ctx) => shipmentCosts(ctx, awb),
    availability: (_, args, ctx) => availability(ctx, args),
  },
  Mutation: {
    adjustInventory: (_, { input, idempotencyKey }, ctx) => adjustInventory(ctx, input, idempotencyKey),
    startCount: (_, { location }, ctx) => startCount(ctx, location),
    countScan: (_, { count, labels }, ctx) => countScan(ctx, count, labels),
    closeCount: (_, { count, options }, ctx) => closeCount(ctx, count, options),
    recordShipmentCosts: (_, { awb, input }, ctx) => recordShipmentCosts(ctx, awb, input),
  },
  InventoryAdjustment: {
    label: (adjustment) => adjustment.box.label,
    product: (adjustment, _, ctx) => requiredRelation('InventoryAdjustment.product', ctx.loaders.reference(ProductSchema)(adjustment.box.product)),
    location: (adjustment, _, ctx) => requiredRelation('InventoryAdjustment.location', ctx.loaders.reference(LocationSchema)(adjustment.box.location)),
    countNumber: async (adjustment, _, ctx) => (await ctx.loaders.reference(CountSchema)(adjustment.count))?.number ?? null,
    unitsRemaining: (adjustment) => adjustment.box.unitsRemaining,
    boxStatus: (adjustment) => adjustment.box.status,
  },
  Count: {
    location: (count, _, ctx) => requiredRelation('Count.location', ctx.loaders.reference(LocationSchema)(count.location)),
    expectedBoxes: async (count, _, ctx) => (await selectCountSizes(ctx.em, [count.id])).get(count.id)?.expected ?? 0,
    scannedLabels: async (count, _, ctx) => (await selectCountSizes(ctx.em, [count.id])).get(count.id)?.scanned ?? 0,
  },
  CountReportLine: {
    product: (line, _, ctx) => ctx.loaders.reference(ProductSchema)(line.product),
  },
  ShipmentCostBox: {
    product: (box, _, ctx) =>
      requiredRelation('ShipmentCostBox.product', ctx.loaders.reference(ProductSchema)(ctx.em.getReference(ProductSchema, box.product))),
  },
  AvailabilityLine: {
    product: (line, _, ctx) =>
      requiredRelation('AvailabilityLine.product', ctx.loaders.reference(ProductSchema)(ctx.em.getReference(ProductSchema, line.product))),
  },
};
