import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { documentProperties, money } from '../../common/entity-properties';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CustomerSchema } from '../customer/customer.entity';
import { ProductSchema } from '../product/product.entity';

/** Which sales a list prices: prebook lines, open-market sales (allocation, fill), prebooks generated from standing orders. */
export const PRICE_LIST_KINDS = ['PREBOOK', 'OPEN_MARKET', 'STANDING_ORDER'] as const;
export type PriceListKind = (typeof PRICE_LIST_KINDS)[number];

/**
 * A list of prices by product (and, optionally, box type) for one kind of sale: the MASTER list of its
 * kind, or a list assigned to customers (a customer has at most one list per kind). Seasons inside it
 * (Valentine's, Mother's Day) hold prices of their own for their dates.
 */
export const PriceListSchema = defineEntity({
  name: 'PriceList',
  // At most one master list per kind, even under concurrent saves.
  indexes: [
    {
      name: 'price_list_master_kind_unique',
      expression: 'create unique index "price_list_master_kind_unique" on "price_list" ("kind") where "master"',
    },
  ],
  properties: {
    id: p.integer().primary(),
    code: p.string().length(40).unique(),
    name: p.string().length(200),
    kind: p.enum([...PRICE_LIST_KINDS]),
    /** The master list of its kind (at most one per kind): what a customer without a list of that kind pays. */
    master: p.boolean().default(false),
    customers: () => p.oneToMany(PriceListCustomerSchema).mappedBy('priceList').orphanRemoval(),
    seasons: () => p.oneToMany(PriceSeasonSchema).mappedBy('priceList').orderBy({ fromDate: 'asc' }).orphanRemoval(),
    prices: () => p.oneToMany(PriceListPriceSchema).mappedBy('priceList').orphanRemoval(),
    ...documentProperties(),
  },
});
export type PriceList = InferEntity<typeof PriceListSchema>;

/** A customer assigned to a list; the kind is kept here so that a customer has at most one list per kind. */
export const PriceListCustomerSchema = defineEntity({
  name: 'PriceListCustomer',
  uniques: [{ properties: ['customer', 'kind'] }],
  properties: {
    id: p.integer().primary(),
    priceList: () => p.manyToOne(PriceListSchema).index(),
    customer: () => p.manyToOne(CustomerSchema),
    kind: p.enum([...PRICE_LIST_KINDS]),
  },
});
export type PriceListCustomer = InferEntity<typeof PriceListCustomerSchema>;

/** A season of a list: its dates (inclusive) and its own prices, which win over the list's for those dates. */
export const PriceSeasonSchema = defineEntity({
  name: 'PriceSeason',
  uniques: [{ properties: ['priceList', 'name'] }],
  properties: {
    id: p.integer().primary(),
    priceList: () => p.manyToOne(PriceListSchema),
    name: p.string().length(100),
    fromDate: p.date(),
    toDate: p.date(),
  },
});
export type PriceSeason = InferEntity<typeof PriceSeasonSchema>;

/** One price of a list (season null) or of one of its seasons: per product, for any box type (null) or one. */
export const PriceListPriceSchema = defineEntity({
  name: 'PriceListPrice',
  indexes: [{ properties: ['product'] }],
  properties: {
    id: p.integer().primary(),
    priceList: () => p.manyToOne(PriceListSchema).index(),
    season: () => p.manyToOne(PriceSeasonSchema).nullable().index().deleteRule('cascade'),
    product: () => p.manyToOne(ProductSchema),
    boxType: () => p.manyToOne(BoxTypeSchema).nullable(),
    price: money(),
  },
});
export type PriceListPrice = InferEntity<typeof PriceListPriceSchema>;
