// Validation of savePriceLists' input: references, prices, seasons (never overlapping in a list), dates.
import { checkReference, type ReferenceLookup } from '../../common/references';
import type { RowValidator } from '../../common/row-validator';
import { isIsoDate } from '../../common/scalars';
import type { PriceListInput, PriceListPriceInput, PriceSeasonInput } from '../../generated/graphql';
import type { BoxType } from '../box-type/box-type.entity';
import type { Customer } from '../customer/customer.entity';
import type { Product } from '../product/product.entity';

export interface PriceListReferences {
  customers: ReferenceLookup<Customer>;
  products: ReferenceLookup<Product>;
  boxTypes: ReferenceLookup<BoxType>;
}

export interface PriceValues {
  product: Product;
  boxType: BoxType | null;
  price: string;
}

export interface SeasonValues {
  name: string;
  from: string;
  to: string;
  prices: PriceValues[];
}

/** A valid list's values; undefined fields keep their stored value. */
export interface PriceListValues {
  /** Each with its position in the input's customers (1-based), for errors. */
  customers?: Array<{ customer: Customer; index: number }>;
  prices?: PriceValues[];
  seasons?: SeasonValues[];
}

/** A date of the input, checked. */
export function checkIsoDate(v: RowValidator, field: string, value: string | null | undefined): string | undefined {
  const date = value?.trim() ?? '';
  if (!date) return v.fail('REQUIRED', field, `${field} is required`);
  if (!isIsoDate(date)) return v.fail('INVALID_DATE', field, `${field} "${value}" is not a date: write it as YYYY-MM-DD`);
  return date;
}

function checkPrices(v: RowValidator, input: readonly PriceListPriceInput[], refs: PriceListReferences): PriceValues[] {
  const seen = new Map<string, number>();
  const prices: PriceValues[] = [];
  input.forEach((item, i) => {
    const pv = v.nested(`prices.${i + 1}`, `price ${i + 1}`);
    const product = checkReference(pv, 'product', item.product, refs.products, {
      label: 'product',
      unknown: 'UNKNOWN_PRODUCT',
      ambiguous: 'AMBIGUOUS_PRODUCT',
      required: true,
    });
    const boxType = item.boxType?.trim()
      ? checkReference(pv, 'boxType', item.boxType, refs.boxTypes, { label: 'box type', unknown: 'UNKNOWN_BOX_TYPE', required: true })
      : null;
    const price = pv.decimal('price', item.price, { required: true, min: 0, max: 1_000_000, maxScale: 4 });
    if (product && boxType !== undefined) {
      const key = `${product.id}|${boxType?.id ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined)
        pv.fail('DUPLICATE_CODE', 'product', `${product.code}${boxType ? ` ${boxType.code}` : ''} is priced twice (also price ${first})`);
      seen.set(key, i + 1);
      if (price != null) prices.push({ product, boxType, price });
    }
  });
  return prices;
}

function checkSeasons(v: RowValidator, input: readonly PriceSeasonInput[], refs: PriceListReferences): SeasonValues[] {
  const seasons: SeasonValues[] = [];
  const names = new Map<string, number>();
  input.forEach((item, i) => {
    const sv = v.nested(`seasons.${i + 1}`, `season ${i + 1}`);
    const name = sv.text('name', item.name, { required: true, max: 100 });
    const from = checkIsoDate(sv, 'from', item.from);
    const to = checkIsoDate(sv, 'to', item.to);
    if (from && to && to < from) sv.fail('INVALID_DATE', 'to', `to (${to}) is before from (${from})`);
    if (name) {
      const first = names.get(name.toLowerCase());
      if (first !== undefined) sv.fail('DUPLICATE_CODE', 'name', `season "${name}" is also season ${first}`);
      names.set(name.toLowerCase(), i + 1);
    }
    const prices = checkPrices(sv, item.prices, refs);
    if (name && from && to && to >= from) {
      const overlap = seasons.find((s) => s.from <= to && from <= s.to);
      if (overlap) sv.fail('INVALID_DATE', 'from', `season "${name}" (${from} to ${to}) overlaps season "${overlap.name}" (${overlap.from} to ${overlap.to})`);
      else seasons.push({ name, from, to, prices });
    }
  });
  return seasons;
}

/** Checks the customers, prices and seasons of one list of the input. */
export function checkPriceListContent(v: RowValidator, input: PriceListInput, refs: PriceListReferences): PriceListValues {
  const values: PriceListValues = {};
  if (input.customers != null) {
    const customers = new Map<number, { customer: Customer; index: number }>();
    input.customers.forEach((value, i) => {
      const customer = checkReference(v, `customers.${i + 1}`, value, refs.customers, { label: 'customer', unknown: 'UNKNOWN_CUSTOMER', required: true });
      if (customer && !customers.has(customer.id)) customers.set(customer.id, { customer, index: i + 1 });
    });
    values.customers = [...customers.values()];
  }
  if (input.prices != null) values.prices = checkPrices(v, input.prices, refs);
  if (input.seasons != null) values.seasons = checkSeasons(v, input.seasons, refs);
  return values;
}
