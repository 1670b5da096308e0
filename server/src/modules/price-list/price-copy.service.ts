// copyPriceList and copyPriceSeason: prices copied with a percentage change, rounded to 0.01 or 0.05.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../common/request-context';
import { normalizeCode, RowValidator } from '../../common/row-validator';
import { inTransaction } from '../../common/transaction';
import type { UserError } from '../../common/user-error';
import { recordAudit } from '../audit/audit.service';
import { PriceListPriceSchema, PriceListSchema, PriceSeasonSchema, type PriceList, type PriceListPrice, type PriceSeason } from './price-list.entity';
import { POPULATE_PRICE_LIST } from './price-list.service';
import { adjustedPrice, type PriceRounding } from './price-precedence';

interface CopyResult {
  priceList: PriceList | null;
  errors: UserError[];
}

/** The percentage, checked: -100 to 1000, at most 3 decimals. */
function checkPercent(v: RowValidator, percent: string): string | undefined {
  return v.decimal('percent', percent, { required: true, min: -100, max: 1000, maxScale: 3 }) ?? undefined;
}

/** The prices copied, changed and rounded, onto `list` (and `season`, or its regular prices). */
function copyPrices(em: EntityManager, list: PriceList, season: PriceSeason | null, from: PriceListPrice[], percent: string, rounding: PriceRounding): void {
  for (const price of from) {
    const copied = adjustedPrice(price.price, percent, rounding)!;
    list.prices.add(em.create(PriceListPriceSchema, { priceList: list, season, product: price.product, boxType: price.boxType ?? null, price: copied }));
  }
}

async function lockList(em: EntityManager, code: string): Promise<PriceList | null> {
  const list = await em.findOne(PriceListSchema, { code: normalizeCode(code) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (list) await em.populate(list, POPULATE_PRICE_LIST, { refresh: true });
  return list;
}

/** copyPriceList: a new list (no customers, not master) of the same kind, its prices and seasons changed by `percent` and rounded. */
export async function copyPriceList(
  ctx: RequestContext,
  args: { from: string; code: string; name?: string | null; percent: string; rounding: PriceRounding },
): Promise<CopyResult> {
  return inTransaction(ctx, async (em) => {
    const v = new RowValidator(null);
    const source = await lockList(em, args.from);
    if (!source) v.fail('NOT_FOUND', 'from', `no price list ${normalizeCode(args.from)}`);
    const code = v.code('code', args.code);
    if (code && (await em.count(PriceListSchema, { code }))) v.fail('DUPLICATE_CODE', 'code', `a price list ${code} exists already`);
    const name = args.name == null ? source?.name : v.text('name', args.name, { required: true });
    const percent = checkPercent(v, args.percent);
    if (!v.ok || !source || !code || !name || !percent) return { priceList: null, errors: v.errors };
    const at = new Date();
    const list = em.create(PriceListSchema, { code, name, kind: source.kind, master: false, createdAt: at, updatedAt: at });
    copyPrices(
      em,
      list,
      null,
      source.prices.getItems().filter((p) => p.season == null),
      percent,
      args.rounding,
    );
    for (const s of source.seasons.getItems()) {
      const season = em.create(PriceSeasonSchema, { priceList: list, name: s.name, fromDate: s.fromDate, toDate: s.toDate });
      list.seasons.add(season);
      copyPrices(
        em,
        list,
        season,
        source.prices.getItems().filter((p) => p.season?.id === s.id),
        percent,
        args.rounding,
      );
    }
    await em.flush();
    recordAudit(em, ctx.actor, 'copy', 'PriceList', list.id, { from: source.code, code, percent, rounding: args.rounding });
    await em.flush();
    return { priceList: list, errors: [] };
  });
}

/** copyPriceSeason: a new season of the same list from one of its seasons (or its regular prices), changed by `percent` and rounded. */
export async function copyPriceSeason(
  ctx: RequestContext,
  args: { priceList: string; fromSeason?: string | null; name: string; from: string; to: string; percent: string; rounding: PriceRounding },
): Promise<CopyResult> {
  return inTransaction(ctx, async (em) => {
    const v = new RowValidator(null);
    const list = await lockList(em, args.priceList);
    if (!list) {
      v.fail('NOT_FOUND', 'priceList', `no price list ${normalizeCode(args.priceList)}`);
      return { priceList: null, errors: v.errors };
    }
    const seasons = list.seasons.getItems();
    const sourceSeason = args.fromSeason?.trim() ? seasons.find((s) => s.name.toLowerCase() === args.fromSeason!.trim().toLowerCase()) : null;
    if (sourceSeason === undefined) v.fail('NOT_FOUND', 'fromSeason', `${list.code} has no season "${args.fromSeason}"`);
    const name = v.text('name', args.name, { required: true, max: 100 });
    if (name && seasons.some((s) => s.name.toLowerCase() === name.toLowerCase()))
      v.fail('DUPLICATE_CODE', 'name', `${list.code} has a season "${name}" already`);
    if (args.to < args.from) v.fail('INVALID_DATE', 'to', `to (${args.to}) is before from (${args.from})`);
    const overlap = seasons.find((s) => s.fromDate <= args.to && args.from <= s.toDate);
    if (overlap) v.fail('INVALID_DATE', 'from', `${args.from} to ${args.to} overlaps season "${overlap.name}" (${overlap.fromDate} to ${overlap.toDate})`);
    const percent = checkPercent(v, args.percent);
    if (!v.ok || !name || !percent || sourceSeason === undefined) return { priceList: null, errors: v.errors };
    const season = em.create(PriceSeasonSchema, { priceList: list, name, fromDate: args.from, toDate: args.to });
    list.seasons.add(season);
    copyPrices(
      em,
      list,
      season,
      list.prices.getItems().filter((p) => (p.season?.id ?? null) === (sourceSeason?.id ?? null)),
      percent,
      args.rounding,
    );
    list.updatedAt = new Date();
    await em.flush();
    recordAudit(em, ctx.actor, 'copy-season', 'PriceList', list.id, { from: sourceSeason?.name ?? null, name, percent, rounding: args.rounding });
    await em.flush();
    return { priceList: list, errors: [] };
  });
}
