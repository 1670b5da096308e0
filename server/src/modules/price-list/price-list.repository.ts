// The SQL of price lists: the lists that may price a set of lines (one statement), and the pending prices
// applyPriceLists reads and fills on prebook and invoice lines.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import type { PriceListKind } from './price-list.entity';
import { customerListKey, emptyPriceBook, priceKey, type PriceBook } from './price-precedence';

interface BookRow {
  list_id: number;
  code: string;
  kind: PriceListKind;
  master: boolean;
  customer_id: number | null;
  season_id: number | null;
  season_name: string | null;
  from_date: string | null;
  to_date: string | null;
  product_id: number;
  box_type_id: number | null;
  price: string;
}

/**
 * The lists of these kinds that may price these customers' lines of these products, in one statement:
 * each kind's master list and the customers' own lists, with their prices (regular and seasonal) of the
 * products. A list with no price for any of the products is not read (it prices none of them).
 */
export async function loadPriceBook(
  em: EntityManager,
  kinds: readonly PriceListKind[],
  customerIds: readonly number[],
  productIds: readonly number[],
): Promise<PriceBook> {
  const book = emptyPriceBook();
  if (kinds.length === 0 || productIds.length === 0) return book;
  const rows = await em.execute<BookRow[]>(
    `select pl.id as list_id, pl.code, pl.kind, pl.master, plc.customer_id, s.id as season_id, s.name as season_name,
            to_char(s.from_date, 'YYYY-MM-DD') as from_date, to_char(s.to_date, 'YYYY-MM-DD') as to_date,
            pp.product_id, pp.box_type_id, pp.price::text as price
       from price_list pl
       left join price_list_customer plc on plc.price_list_id = pl.id and plc.customer_id = any(?::int[])
       join price_list_price pp on pp.price_list_id = pl.id and pp.product_id = any(?::int[])
       left join price_season s on s.id = pp.season_id
      where pl.kind = any(?::text[]) and (pl.master or plc.customer_id is not null)`,
    [pgIntArray([...new Set(customerIds)]), pgIntArray([...new Set(productIds)]), pgArray([...new Set(kinds)])],
  );
  for (const row of rows) {
    const listId = Number(row.list_id);
    let list = book.lists.get(listId);
    if (!list) {
      list = { id: listId, code: row.code, seasons: [] };
      book.lists.set(listId, list);
    }
    if (row.master) book.masters.set(row.kind, listId);
    if (row.customer_id != null) book.customerLists.set(customerListKey(row.kind, Number(row.customer_id)), listId);
    const seasonId = row.season_id == null ? null : Number(row.season_id);
    if (seasonId != null && !list.seasons.some((s) => s.id === seasonId)) {
      list.seasons.push({ id: seasonId, name: row.season_name!, from: row.from_date!, to: row.to_date! });
    }
    book.prices.set(priceKey(listId, seasonId, Number(row.product_id), row.box_type_id == null ? null : Number(row.box_type_id)), row.price);
  }
  return book;
}

/** A line whose price is pending, as applyPriceLists reads it. */
export interface PendingPriceRow {
  id: number;
  line_no: number;
  number: string;
  customer_id: number;
  customer_code: string;
  product_id: number;
  product_code: string;
  box_type_id: number | null;
  truck_date: string;
  /** PREBOOK or STANDING_ORDER (the prebook's source); null for an invoice line of no prebook line. */
  prebook_source: string | null;
  /** Invoice lines: P, S or M; null for prebook lines. */
  inventory_type: string | null;
}

export interface PendingFilter {
  customerId: number | null;
  from: string | null;
  to: string | null;
}

/** Lines of OPEN prebooks whose price is pending, by prebook number and line number. */
export async function selectPendingPrebookLines(em: EntityManager, filter: PendingFilter): Promise<PendingPriceRow[]> {
  return em.execute<PendingPriceRow[]>(
    `select l.id, l.line_no, p.number, p.customer_id, c.code as customer_code, l.product_id, pr.code as product_code, l.box_type_id,
            to_char(p.truck_date, 'YYYY-MM-DD') as truck_date, p.source as prebook_source, null as inventory_type
       from prebook_line l
       join prebook p on p.id = l.prebook_id
       join customer c on c.id = p.customer_id
       join product pr on pr.id = l.product_id
      where l.price is null and p.status = 'OPEN'
        and (?::int is null or p.customer_id = ?::int)
        and (?::date is null or p.truck_date >= ?::date) and (?::date is null or p.truck_date <= ?::date)
      order by p.number, l.line_no`,
    [filter.customerId, filter.customerId, filter.from, filter.from, filter.to, filter.to],
  );
}

/** Lines of PENDING invoices whose unit price is pending, by invoice number and line number, with their prebook line's box type. */
export async function selectPendingInvoiceLines(em: EntityManager, filter: PendingFilter): Promise<PendingPriceRow[]> {
  return em.execute<PendingPriceRow[]>(
    `select l.id, l.line_no, i.number, i.customer_id, c.code as customer_code, l.product_id, pr.code as product_code, pl.box_type_id,
            to_char(i.truck_date, 'YYYY-MM-DD') as truck_date, p.source as prebook_source, l.inventory_type
       from invoice_line l
       join invoice i on i.id = l.invoice_id
       join customer c on c.id = i.customer_id
       join product pr on pr.id = l.product_id
       left join prebook_line pl on pl.id = l.prebook_line_id
       left join prebook p on p.id = pl.prebook_id
      where l.unit_price is null and i.status = 'PENDING'
        and (?::int is null or i.customer_id = ?::int)
        and (?::date is null or i.truck_date >= ?::date) and (?::date is null or i.truck_date <= ?::date)
      order by i.number, l.line_no`,
    [filter.customerId, filter.customerId, filter.from, filter.from, filter.to, filter.to],
  );
}

export interface PriceFill {
  id: number;
  price: string;
  source: string;
}

/**
 * Writes list prices into prebook lines still pending (never over a price set meanwhile), and a new
 * version on their prebooks, in one statement; returns how many lines it priced.
 */
export async function fillPrebookLinePrices(em: EntityManager, fills: readonly PriceFill[], at: Date): Promise<number> {
  if (fills.length === 0) return 0;
  const rows = await em.execute<{ count: string }[]>(
    `with x as (select * from unnest(?::int[], ?::numeric[], ?::text[]) as x(id, price, source)),
     priced as (
       update prebook_line l set price = x.price, price_source = x.source, updated_at = ?::timestamptz
         from x where l.id = x.id and l.price is null
       returning l.prebook_id
     ), bumped as (
       update prebook p set version = p.version + 1, updated_at = ?::timestamptz where p.id in (select prebook_id from priced) returning p.id
     )
     select count(*) as count from priced`,
    [pgArray(fills.map((f) => f.id)), pgArray(fills.map((f) => f.price)), pgArray(fills.map((f) => f.source)), at, at],
  );
  return Number(rows[0]?.count ?? 0);
}

/** The same for lines of PENDING invoices: their unit price, and a new version on their invoices; returns the invoices changed. */
export async function fillInvoiceLinePrices(em: EntityManager, fills: readonly PriceFill[], at: Date): Promise<number[]> {
  if (fills.length === 0) return [];
  const rows = await em.execute<{ id: number }[]>(
    `with x as (select * from unnest(?::int[], ?::numeric[], ?::text[]) as x(id, price, source)),
     priced as (
       update invoice_line l set unit_price = x.price, price_source = x.source
         from x, invoice i
        where l.id = x.id and l.unit_price is null and i.id = l.invoice_id and i.status = 'PENDING'
       returning l.invoice_id
     ), bumped as (
       update invoice i set version = i.version + 1, updated_at = ?::timestamptz where i.id in (select invoice_id from priced) returning i.id
     )
     select id from bumped`,
    [pgArray(fills.map((f) => f.id)), pgArray(fills.map((f) => f.price)), pgArray(fills.map((f) => f.source)), at],
  );
  return rows.map((row) => Number(row.id));
}
