// Stock reports: the boxes past their category's maximum age (the proposal to dump) and the shrink report.
import { paginate, type PageArgs } from '../../common/pagination';
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { today } from '../../common/today';
import { badRequest } from '../../common/graphql-errors';
import type { AgedStockFilter, InventoryAdjustmentFilter } from '../../generated/graphql';
import { BoxSchema } from '../box/box.entity';
import { LocationSchema, type Location } from '../location/location.entity';
import { ProductSchema } from '../product/product.entity';
import { POPULATE_BOX } from '../receiving/staging-inventory.service';
import { requestSettings } from '../settings/settings.service';
import { shrinkFigures, sumDecimals, type ShrinkFigures } from './shrink';
import { selectAgedBoxIds, selectShrinkSums } from './stock.repository';
import { InventoryAdjustmentSchema, type AdjustmentReason } from './stock.entity';

/** Boxes in inventory past their category's maxAgeDays today: to be dumped, not sold. */
export async function listAgedStock(ctx: RequestContext, filter: AgedStockFilter | null | undefined, page: PageArgs) {
  const settings = await requestSettings(ctx.em);
  const ids = await selectAgedBoxIds(ctx.em, {
    today: today(settings),
    timeZone: settings.timeZone,
    locationId: filter?.location ? await filterReferenceId(ctx.em, LocationSchema, filter.location, 'filter.location') : undefined,
    productId: filter?.product ? await filterReferenceId(ctx.em, ProductSchema, filter.product, 'filter.product') : undefined,
  });
  return paginate(ctx.em, BoxSchema, { id: { $in: ids } }, page, { key: 'id', populate: [...POPULATE_BOX] });
}

/** Inventory adjustments, newest first. */
export async function listInventoryAdjustments(ctx: RequestContext, filter: InventoryAdjustmentFilter | null | undefined, page: PageArgs) {
  const box: Record<string, unknown> = {};
  if (filter?.label) box.label = filter.label.trim();
  if (filter?.location) box.location = await filterReferenceId(ctx.em, LocationSchema, filter.location, 'filter.location');
  const where: Record<string, unknown> = Object.keys(box).length ? { box } : {};
  if (filter?.reason) where.reason = filter.reason;
  if (filter?.count) where.count = { number: filter.count.trim().toUpperCase() };
  return paginate(ctx.em, InventoryAdjustmentSchema, where, page, { key: 'id', direction: 'desc', populate: ['box'] });
}

export interface ShrinkReportView extends ShrinkFigures {
  from: string;
  to: string;
  location: Location | null;
  received: { units: number; value: string };
  sold: { units: number; value: string };
  revenue: string;
  losses: Array<{ reason: AdjustmentReason; units: number; value: string }>;
  lossesTotal: { units: number; value: string };
}

/** Stock received, sold and lost between two company dates, the shrink percentages and the margin after losses. */
export async function shrinkReport(ctx: RequestContext, from: string, to: string, locationName: string | null | undefined): Promise<ShrinkReportView> {
  if (to < from) throw badRequest(`to (${to}) is before from (${from})`);
  const settings = await requestSettings(ctx.em);
  const locationId = locationName ? await filterReferenceId(ctx.em, LocationSchema, locationName, 'location') : undefined;
  const sums = await selectShrinkSums(ctx.em, { from, to, timeZone: settings.timeZone, locationId });
  const money = (value: string) => sumDecimals([value]);
  const losses = sums.losses.map((loss) => ({ ...loss, value: money(loss.value) }));
  const lossesTotal = { units: losses.reduce((sum, loss) => sum + loss.units, 0), value: sumDecimals(losses.map((loss) => loss.value)) };
  return {
    from,
    to,
    location: locationId === undefined ? null : await ctx.em.findOneOrFail(LocationSchema, locationId),
    received: { units: sums.receivedUnits, value: money(sums.receivedValue) },
    sold: { units: sums.soldUnits, value: money(sums.soldCost) },
    revenue: money(sums.revenue),
    losses,
    lossesTotal,
    ...shrinkFigures({
      receivedUnits: sums.receivedUnits,
      receivedValue: sums.receivedValue,
      soldCost: sums.soldCost,
      revenue: sums.revenue,
      lossUnits: lossesTotal.units,
      lossValue: lossesTotal.value,
    }),
  };
}
