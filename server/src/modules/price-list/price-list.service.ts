import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badRequest } from '../../common/graphql-errors';
import { ownCustomerId } from '../../common/list-filters';
import { filterReferenceId, loadReferences, type ReferenceLookup } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { normalizeCode, RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import { MAX_UPSERT_ITEMS, tooManyItems } from '../../common/upsert-by-code';
import type { UserError } from '../../common/user-error';
import type { PriceListInput, PriceListKind as PriceListKindInput } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CustomerSchema, type Customer } from '../customer/customer.entity';
import { ProductSchema } from '../product/product.entity';
import { checkPriceListContent, type PriceListValues, type PriceValues } from './price-list-input';
import {
  PriceListCustomerSchema,
  PriceListPriceSchema,
  PriceListSchema,
  PriceSeasonSchema,
  type PriceList,
  type PriceListKind,
  type PriceSeason,
} from './price-list.entity';
import { loadPriceBook } from './price-list.repository';
import { resolvePrice, type ResolvedPrice } from './price-precedence';

export const POPULATE_PRICE_LIST = ['customers', 'customers.customer', 'seasons', 'prices', 'prices.product', 'prices.boxType', 'prices.season'] as const;

/** For a CUSTOMER token, only the lists assigned to it; staff see every list. */
function scopeLists(ctx: RequestContext, where: Record<string, unknown>): Record<string, unknown> {
  const own = ownCustomerId(ctx);
  return own === undefined ? where : { ...where, customers: { customer: own } };
}

export async function listPriceLists(ctx: RequestContext, kind: PriceListKindInput | null | undefined): Promise<PriceList[]> {
  const where = scopeLists(ctx, kind ? { kind } : {});
  return ctx.em.find(PriceListSchema, where, { populate: POPULATE_PRICE_LIST, orderBy: { code: 'asc' } });
}

export async function findPriceList(ctx: RequestContext, code: string): Promise<PriceList | null> {
  return ctx.em.findOne(PriceListSchema, scopeLists(ctx, { code: normalizeCode(code) }), { populate: POPULATE_PRICE_LIST });
}

/** Whether these customer values of an input name the customer. */
function refsName(lookup: ReferenceLookup<Customer>, values: readonly string[], customerId: number): boolean {
  return values.some((value) => {
    const match = lookup(value);
    return 'found' in match && match.found.id === customerId;
  });
}

/** Adds prices to a list: its regular prices (season null) or a season's. */
function addPrices(em: EntityManager, list: PriceList, season: PriceSeason | null, prices: PriceValues[]): void {
  for (const price of prices) {
    list.prices.add(em.create(PriceListPriceSchema, { priceList: list, season, product: price.product, boxType: price.boxType, price: price.price }));
  }
}

/** Writes a valid list's content over what it holds (what the input gives; the rest is kept). */
function applyContent(em: EntityManager, list: PriceList, values: PriceListValues): void {
  if (values.customers) {
    list.customers.removeAll();
    for (const { customer } of values.customers) list.customers.add(em.create(PriceListCustomerSchema, { priceList: list, customer, kind: list.kind }));
  }
  if (values.prices) {
    for (const price of list.prices.getItems().filter((p) => p.season == null)) list.prices.remove(price);
    addPrices(em, list, null, values.prices);
  }
  if (values.seasons) {
    for (const price of list.prices.getItems().filter((p) => p.season != null)) list.prices.remove(price);
    list.seasons.removeAll();
    for (const s of values.seasons) {
      const season = em.create(PriceSeasonSchema, { priceList: list, name: s.name, fromDate: s.from, toDate: s.to });
      list.seasons.add(season);
      addPrices(em, list, season, s.prices);
    }
  }
  list.updatedAt = new Date();
}

/**
 * savePriceLists: creates or updates lists by code, each whole or not at all (a refused list changes
 * nothing; the others are saved). Lists are locked while saved; a customer has at most one list per kind
 * and a kind at most one master list (the database holds both too).
 */
export async function savePriceLists(ctx: RequestContext, input: PriceListInput[]): Promise<{ priceLists: PriceList[]; errors: UserError[] }> {
  const lines = input.reduce((sum, list) => sum + (list.prices?.length ?? 0) + (list.seasons ?? []).reduce((n, s) => n + s.prices.length, 0), 0);
  if (input.length > MAX_UPSERT_ITEMS || lines > MAX_UPSERT_ITEMS) return { priceLists: [], errors: tooManyItems(Math.max(input.length, lines)) };
  return inTransaction(ctx, async (em) => {
    const codes = input.map((list) => normalizeCode(list.code ?? ''));
    const existing = new Map(
      (await em.find(PriceListSchema, { code: { $in: codes } }, { lockMode: LockMode.PESSIMISTIC_WRITE })).map((list) => [list.code, list]),
    );
    if (existing.size) await em.populate([...existing.values()], POPULATE_PRICE_LIST, { refresh: true });
    const prices = input.flatMap((list) => [...(list.prices ?? []), ...(list.seasons ?? []).flatMap((s) => s.prices)]);
    const refs = {
      customers: await loadReferences(
        em,
        CustomerSchema,
        input.flatMap((list) => list.customers ?? []),
      ),
      products: await loadReferences(
        em,
        ProductSchema,
        prices.map((p) => p.product),
      ),
      boxTypes: await loadReferences(
        em,
        BoxTypeSchema,
        prices.map((p) => p.boxType),
      ),
    };
    // Who holds which customer and which master today, to refuse a second list of a kind.
    const named = input
      .flatMap((list) => list.customers ?? [])
      .flatMap((value) => {
        const match = refs.customers(value);
        return 'found' in match ? [match.found.id] : [];
      });
    const assigned = named.length ? await em.find(PriceListCustomerSchema, { customer: { $in: named } }, { populate: ['priceList', 'customer'] }) : [];
    const masters = await em.find(PriceListSchema, { master: true });
    const errors: UserError[] = [];
    const valid: Array<{ list: PriceList | null; input: PriceListInput; kind: PriceListKind; values: PriceListValues }> = [];
    const seen = new Map<string, number>();
    input.forEach((item, i) => {
      const v = new RowValidator(i + 1);
      const code = v.code('code', item.code);
      const list = code ? existing.get(code) : undefined;
      if (code) {
        const first = seen.get(code);
        if (first !== undefined) v.fail('DUPLICATE_CODE', 'code', `${code} is also list ${first} of this call`);
        seen.set(code, i + 1);
      }
      if (list && item.version != null && item.version !== list.version) {
        v.fail('STALE_VERSION', 'version', `${list.code} was changed by someone else (version ${list.version}, yours ${item.version}); pull it again`);
      }
      if (!list) v.text('name', item.name, { required: true });
      else if (item.name !== undefined) v.text('name', item.name, { required: true });
      const kind = item.kind ?? list?.kind;
      if (!kind) v.fail('REQUIRED', 'kind', 'kind is required for a new list: PREBOOK, OPEN_MARKET or STANDING_ORDER');
      else if (list && kind !== list.kind) v.fail('INVALID_VALUE', 'kind', `${list.code} is a ${list.kind} list; copy it to make a list of another kind`);
      const values = checkPriceListContent(v, item, refs);
      const master = item.master ?? list?.master ?? false;
      if (kind && master) {
        const other = masters.find((m) => m.kind === kind && m.code !== code && !input.some((x) => normalizeCode(x.code) === m.code && x.master === false));
        const twice = valid.find((x) => x.kind === kind && (x.input.master ?? x.list?.master));
        if (other || twice) v.fail('INVALID_VALUE', 'master', `${other?.code ?? normalizeCode(twice!.input.code)} is already the master ${kind} list`);
      }
      for (const { customer, index } of values.customers ?? []) {
        if (!kind) break;
        // Held by another list, unless this call gives that list customers without this one.
        const held = assigned.find(
          (a) =>
            a.customer.id === customer.id &&
            a.kind === kind &&
            a.priceList.code !== code &&
            !input.some((x) => normalizeCode(x.code) === a.priceList.code && x.customers != null && !refsName(refs.customers, x.customers, customer.id)),
        );
        const inCall = valid.find((x) => x.kind === kind && x.values.customers?.some((c) => c.customer.id === customer.id));
        if (held || inCall) {
          const other = held?.priceList.code ?? inCall!.input.code;
          v.fail('INVALID_VALUE', `customers.${index}`, `customer ${customer.code} already has the ${kind} list ${other}: a customer has one list per kind`);
        }
      }
      errors.push(...v.errors);
      if (v.ok && code && kind) valid.push({ list: list ?? null, input: { ...item, code }, kind, values });
    });
    const saved: PriceList[] = [];
    for (const { list: found, input: item, kind, values } of valid) {
      const list =
        found ??
        em.create(PriceListSchema, {
          code: item.code,
          name: item.name!.trim(),
          kind,
          master: item.master ?? false,
          createdAt: new Date(),
          updatedAt: new Date(),
        });
      if (found && item.name != null) found.name = item.name.trim();
      if (item.master != null) list.master = item.master;
      applyContent(em, list, values);
      saved.push(list);
    }
    await em.flush();
    for (const list of saved) recordAudit(em, ctx.actor, 'save', 'PriceList', list.id, { code: list.code });
    await em.flush();
    return { priceLists: saved, errors };
  });
}

/** priceFor: the price the lists give a customer (a CUSTOMER token: itself) for a product on a date. */
export async function priceFor(
  ctx: RequestContext,
  args: { customer?: string | null; product: string; boxType?: string | null; date: string; kind?: PriceListKindInput | null },
): Promise<ResolvedPrice> {
  const own = ownCustomerId(ctx);
  let customerId: number;
  if (args.customer?.trim()) customerId = await filterReferenceId(ctx.em, CustomerSchema, args.customer, 'customer', { onlyId: own });
  else if (own !== undefined) customerId = own;
  else throw badRequest('customer is required: name the customer whose price you ask for');
  const productId = await filterReferenceId(ctx.em, ProductSchema, args.product, 'product');
  const boxTypeId = args.boxType?.trim() ? await filterReferenceId(ctx.em, BoxTypeSchema, args.boxType, 'boxType') : null;
  const date = args.date;
  const kind = args.kind ?? 'PREBOOK';
  const book = await loadPriceBook(ctx.em, [kind], [customerId], [productId]);
  return resolvePrice(book, { kind, customerId, productId, boxTypeId, date, linePrice: null });
}
