import { ownCustomerId } from '../../common/list-filters';
import type { Resolvers } from '../../generated/graphql';
import type { PriceListPrice } from './price-list.entity';
import { applyPriceLists } from './price-apply.service';
import { copyPriceList, copyPriceSeason } from './price-copy.service';
import { findPriceList, listPriceLists, priceFor, savePriceLists } from './price-list.service';

/** Prices by product code, then box type (for every box type first). */
function sortPrices(prices: PriceListPrice[]): PriceListPrice[] {
  return prices.sort((a, b) => a.product.code.localeCompare(b.product.code) || (a.boxType?.code ?? '').localeCompare(b.boxType?.code ?? ''));
}

export const priceListResolvers: Resolvers = {
  Query: {
    priceLists: (_, { kind }, ctx) => listPriceLists(ctx, kind),
    priceList: (_, { code }, ctx) => findPriceList(ctx, code),
    priceFor: (_, args, ctx) => priceFor(ctx, args),
  },
  Mutation: {
    savePriceLists: (_, { input }, ctx) => savePriceLists(ctx, input),
    copyPriceList: (_, args, ctx) => copyPriceList(ctx, args),
    copyPriceSeason: (_, args, ctx) => copyPriceSeason(ctx, args),
    applyPriceLists: (_, { filter, dryRun }, ctx) => applyPriceLists(ctx, filter, dryRun ?? false),
  },
  PriceList: {
    customers: (list, _, ctx) => {
      const own = ownCustomerId(ctx);
      return list.customers
        .getItems()
        .map((c) => c.customer)
        .filter((c) => own === undefined || c.id === own)
        .sort((a, b) => a.code.localeCompare(b.code));
    },
    prices: (list) => sortPrices(list.prices.getItems().filter((p) => p.season == null)),
    seasons: (list) => [...list.seasons.getItems()].sort((a, b) => a.fromDate.localeCompare(b.fromDate)),
  },
  PriceSeason: {
    from: (season) => season.fromDate,
    to: (season) => season.toDate,
    prices: (season) => sortPrices(season.priceList.prices.getItems().filter((p) => p.season?.id === season.id)),
  },
  PriceListPrice: {
    boxType: (price) => price.boxType ?? null,
  },
  PriceQuote: {
    priceList: (quote) => quote.listCode,
  },
};
