// The SQL of billing runs and allocation (billing-run.ts, invoice-placement.ts, billing-write.ts, allocation.service.ts, unallocation.service.ts).
//
// THE LOCK ORDER. Every transaction that locks rows of these tables locks them in this order, each kind in
// id order, so two transactions never wait on each other in a cycle (PostgreSQL would break it with a
// "deadlock detected" error):
//   1. boxes (box.repository lockBoxRowsByLabel, lockStockBoxIds and lockBoxesOfInvoiceLine here,
//      invoice.repository lockBoxesOfInvoice);
//   2. prebook lines (prebook.repository lockPrebookLines, box.repository selectBillingLineRows with lock);
//   3. the consolidation keys' advisory locks, in key order (LOCK_KEYS here);
//   4. invoices (lockCandidateInvoices here, invoice.repository lockInvoicesByNumber, the invoice service's
//      lockInvoice); invoice lines and their takes are written only under their invoice's lock;
//   5. the charge days' advisory locks (a customer and a truck date), in key order (charge.repository
//      LOCK_CHARGE_DAYS: lockCandidateInvoices here takes them in its statement, after its invoices; every
//      other change of invoice lines after its invoices, before recomputing their charges); an invoice's
//      charges are written only under its invoice's lock and its day's.
//   6. payments and credits applied to invoices (payment/receivables.repository: an application locks the
//      invoices it may pay, step 4, then its payment or credit).
// A path that starts from an invoice (a void, an unallocation) first locks the boxes the invoice (line) took,
// then the invoice; boxes that joined it meanwhile make it run again (TransactionConflict). Never lock a kind
// after a later one: lock everything a step needs up front instead.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray, type PurchasedQuantity } from '../../common/loaders';
import { BILLED_BY_PREBOOK_LINE } from '../prebook/prebook.repository';
import { executePrepared } from '../../common/prepared-statement.repository';
import { BOX_ARRIVAL, BOX_UPDATE, boxUpdateParams, type ChangeableBox } from '../box/box.repository';
import { chargeDayKey, LOCK_CHARGE_DAYS, RECOMPUTE_CHARGES, RULES_ACTIVE, RULES_COUNT_BOXES } from '../charge/charge.repository';
import { customerExposureSql } from '../payment/receivables.repository';

/**
 * What each customer of an `?::int[]` parameter owes beyond its opening balance: its invoices' open amounts (a
 * pending price counted at cost) less the payments and credits it has not applied.
 */
const PENDING_EXPOSURE = customerExposureSql({ pendingAtCost: true });

/** Takes the transaction-scoped advisory locks of the consolidation keys of a `?::text[]` parameter, in array order (unnest yields them so); one row. */
const LOCK_KEYS = `select count(pg_advisory_xact_lock(hashtextextended(k, 0))) as locked from unnest(?::text[]) as k`;

/** What the prebook lines have billed and the customers' pending invoices amount to, as rows of kind line or customer. */
const BILLED_AND_EXPOSURE = `with billed as (${BILLED_BY_PREBOOK_LINE}), exposure as (${PENDING_EXPOSURE})
     select 'line' as kind, id, boxes::text, units::text, null::text as exposure from billed
     union all
     select 'customer', id, null, null, exposure::text from exposure`;

/**
 * What billing reads before it plans, in one statement: what the prebook lines have billed (boxes,
 * units) and what the customers' pending invoices amount to. With lockKeys, it first takes the advisory
 * locks of those consolidation keys (a scan knows them before it plans), so placing needs no round trip of
 * its own for them; the sums do not depend on them (the prebook lines are locked before).
 */
export async function selectBilledAndExposure(
  em: EntityManager,
  lineIds: number[],
  customerIds: number[],
  lockKeys: string[] = [],
): Promise<{ billed: Map<number, PurchasedQuantity>; exposure: Array<{ id: number; exposure: string }> }> {
  type Row = { kind: 'line' | 'customer'; id: number; boxes: string | null; units: string | null; exposure: string | null };
  const rows = lockKeys.length
    ? // The locks are the outer side of a lateral join that refers to them: taken first, even when nothing is billed yet.
      await executePrepared<Row>(
        em,
        `with locks as materialized (${LOCK_KEYS})
         select r.* from locks cross join lateral (${BILLED_AND_EXPOSURE}) r where locks.locked >= 0`,
        [pgArray(lockKeys), pgIntArray(lineIds), pgIntArray(customerIds)],
      )
    : await executePrepared<Row>(em, BILLED_AND_EXPOSURE, [pgIntArray(lineIds), pgIntArray(customerIds)]);
  const billed = new Map<number, PurchasedQuantity>();
  const exposure: Array<{ id: number; exposure: string }> = [];
  for (const row of rows) {
    if (row.kind === 'line') billed.set(Number(row.id), { boxes: Number(row.boxes), units: Number(row.units) });
    else exposure.push({ id: Number(row.id), exposure: row.exposure! });
  }
  return { billed, exposure };
}

/** Marks the open billing issues of the boxes of an `?::int[]` parameter resolved. */
const RESOLVE_OPEN_ISSUES = `update billing_issue set resolved_at = now() where box_id = any(?::int[]) and resolved_at is null`;

/**
 * The lines of OPEN prebooks (of `ids`, or all) that invoices do not yet bill in full (boxes for a line sold
 * by the box, units otherwise): the only ones allocation can still fill.
 */
export async function selectUnfilledLineIds(em: EntityManager, ids?: readonly number[]): Promise<number[]> {
  const rows = await em.execute<Array<{ id: number }>>(
    `select pl.id from prebook_line pl join prebook p on p.id = pl.prebook_id
      where p.status = 'OPEN' and not pl.unable_to_source and (?::int[] is null or pl.id = any(?::int[]))
        and coalesce((select case when pl.sell_by = 'BOX' then sum(il.boxes) else sum(il.units) end
                        from invoice_line il join invoice i on i.id = il.invoice_id
                       where il.prebook_line_id = pl.id and i.status <> 'VOID'), 0)
            < case when pl.sell_by = 'BOX' then coalesce(pl.boxes, 0) else pl.units end`,
    [ids ? pgIntArray(ids) : null, ids ? pgIntArray(ids) : null],
  );
  return rows.map((row) => Number(row.id));
}

/** Takes the transaction-scoped advisory locks of consolidation keys, in one statement, in array order. */
export async function lockInvoiceKeys(em: EntityManager, lockKeys: string[]): Promise<void> {
  await executePrepared(em, LOCK_KEYS, [pgArray(lockKeys)]);
}

/** The highest line number of each invoice. */
export async function selectMaxLineNos(em: EntityManager, invoiceIds: number[]): Promise<Array<{ id: number; max: number }>> {
  return executePrepared<{ id: number; max: number }>(
    em,
    `select invoice_id as id, max(line_no) as max from invoice_line where invoice_id = any(?::int[]) group by 1`,
    [pgIntArray(invoiceIds)],
  );
}

/** Marks the boxes' open billing issues resolved, in one statement. */
export async function resolveOpenIssues(em: EntityManager, boxIds: number[]): Promise<void> {
  await em.execute(RESOLVE_OPEN_ISSUES, [pgArray(boxIds)]);
}

/**
 * Locks, in id order, the stock an allocation may take: in inventory (or, for fills, staged open market) of
 * these products. An open-market box past its category's maxAgeDays on `today` is not offered (agedStock
 * proposes it for dump); a box reserved for a customer still goes to that customer.
 */
export async function lockStockBoxIds(
  em: EntityManager,
  productIds: number[],
  options: { maxAgeDays?: number | null; staged: boolean; today: string; timeZone: string },
): Promise<Array<{ id: number }>> {
  const age = options.maxAgeDays != null ? ` and b.confirmed_at >= now() - make_interval(days => ${Math.trunc(options.maxAgeDays)})` : '';
  const staged = options.staged
    ? ` or (b.status = 'STAGED' and not exists (select 1 from box_demand d where d.box_id = b.id)
          and (select po.customer_id from purchase_order_line l join purchase_order po on po.id = l.purchase_order_id where l.id = b.purchase_order_line_id) is null)`
    : '';
  return em.execute<{ id: number }[]>(
    `select b.id from box b where b.product_id = any(?::int[]) and b.units_remaining > 0
        and ((b.status = 'IN_INVENTORY'${age})${staged})
        and (b.customer_id is not null or not exists (
              select 1 from product p join product_category c on c.id = p.category_id join shipment s on s.id = b.shipment_id
               where p.id = b.product_id and c.max_age_days is not null and ?::date - ${BOX_ARRIVAL} > c.max_age_days))
      order by b.id for update`,
    [pgIntArray(productIds), options.today, options.timeZone],
  );
}

/** Labels of the customer's boxes in inventory bought for a prebook line (unlocked: the caller locks them with the boxes it was given). */
export async function selectStockLabelsOfLine(em: EntityManager, lineId: number): Promise<string[]> {
  const rows = await em.execute<{ label: string }[]>(
    `select b.label from box b where b.status = 'IN_INVENTORY' and b.units_remaining > 0 and b.inventory_type in ('P', 'S')
        and exists (select 1 from box_demand d where d.box_id = b.id and d.prebook_line_id = ?)`,
    [lineId],
  );
  return rows.map((row) => row.label);
}

/** Units of staged boxes already linked to each prebook line. */
export async function selectStagedUnitsByLine(em: EntityManager, lineIds: number[]): Promise<Array<{ id: number; units: string }>> {
  return em.execute<{ id: number; units: string }[]>(
    `select d.prebook_line_id as id, sum(d.units) as units from box_demand d join box b on b.id = d.box_id where b.status = 'STAGED' and d.prebook_line_id = any(?::int[]) group by 1`,
    [pgIntArray(lineIds)],
  );
}

/** Locks, in id order, the boxes an invoice line took (before its invoice: see the lock order above); returns their ids. */
export async function lockBoxesOfInvoiceLine(em: EntityManager, lineId: number): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(
    `select b.id from box b where b.id in (select t.box_id from invoice_line_box t where t.invoice_line_id = ?) order by b.id for update`,
    [lineId],
  );
  return rows.map((row) => Number(row.id));
}

/** The ids of the boxes an invoice line took, unlocked (read under its invoice's lock, they no longer change). */
export async function selectBoxIdsOfInvoiceLine(em: EntityManager, lineId: number): Promise<number[]> {
  const rows = await em.execute<{ id: number }[]>(`select distinct box_id as id from invoice_line_box where invoice_line_id = ?`, [lineId]);
  return rows.map((row) => Number(row.id));
}

/** Locks the invoice an invoice line is on; none when there is no such line. */
export async function lockInvoiceOfLine(em: EntityManager, lineId: number): Promise<Array<{ invoiceId: number }>> {
  return em.execute<{ invoiceId: number }[]>(
    `select i.id as "invoiceId" from invoice i join invoice_line l on l.invoice_id = i.id where l.id = ? for update of i`,
    [lineId],
  );
}

/** An invoice line a billing run adds, written with the others in one statement (writeBilling). */
export interface InvoiceLineRow {
  invoiceId: number;
  lineNo: number;
  productId: number;
  boxes: number;
  units: number;
  unitPrice: string | null;
  unitCost: string;
  prebookLineId: number;
  inventoryType: string;
  /** A list's source when a list priced the line (open market); null: its prebook line's. */
  priceSource: string | null;
}

/** An invoice billing may extend, as read under its row lock. */
export interface CandidateInvoiceRow {
  id: number;
  number: string;
  customer_id: number;
  ship_to_id: number | null;
  carrier_id: number | null;
  truck_date: string;
  customer_po: string | null;
  status: string;
  pick_ticket_printed: boolean;
  kind: 'SALE' | 'TRANSFER';
  holiday: boolean;
  port_of_origin: string | null;
  in_transit: boolean | null;
  has_open_market: boolean;
}

/**
 * Locks and reads, in id order and in one statement, the pending and confirmed invoices of these customers
 * and truck dates: a row changed while its lock was awaited is read as it now is. Then, in the same
 * statement, it takes the charge-day locks of these (customer, truck date) pairs (step 5 of the lock order),
 * so the statement that writes the run's lines recomputes their charges against what is committed.
 */
export async function lockCandidateInvoices(
  em: EntityManager,
  customerIds: number[],
  truckDates: string[],
  chargeDays: Array<{ customerId: number; truckDate: string }> = [],
): Promise<CandidateInvoiceRow[]> {
  return executePrepared<CandidateInvoiceRow>(
    em,
    `with candidates as materialized (
       select id, number, customer_id, ship_to_id, carrier_id, truck_date::text as truck_date, customer_po, status, pick_ticket_printed,
              kind, holiday, port_of_origin, in_transit, has_open_market
         from invoice where customer_id = any(?::int[]) and truck_date = any(?::date[]) and status in ('PENDING', 'CONFIRMED')
        order by id for update
     ), days as materialized (${LOCK_CHARGE_DAYS} where (select count(*) from candidates) >= 0)
     select c.* from candidates c where (select locked from days) >= 0 order by c.id`,
    [pgIntArray(customerIds), pgArray(truckDates), pgArray(chargeDays.map((d) => chargeDayKey(d.customerId, d.truckDate)))],
  );
}

/** An invoice line billing may extend, with what its stored takes add up to (units, landed cost, the boxes taken). */
export interface RunLineRow {
  id: number;
  invoice_id: number;
  line_no: number;
  product_id: number;
  prebook_line_id: number | null;
  inventory_type: string;
  unit_price: string | null;
  units: number;
  cost: string;
  box_ids: number[];
}

/** The lines of these invoices for these prebook lines, each with the totals of its takes, in one statement. */
export async function selectLinesWithTakeTotals(em: EntityManager, invoiceIds: number[], prebookLineIds: number[]): Promise<RunLineRow[]> {
  return executePrepared<RunLineRow>(
    em,
    `select l.id, l.invoice_id, l.line_no, l.product_id, l.prebook_line_id, l.inventory_type, l.unit_price::text as unit_price,
            coalesce(t.units, 0)::int as units, coalesce(t.cost, 0)::text as cost, coalesce(t.box_ids, '{}') as box_ids
       from invoice_line l
       left join lateral (
         select sum(x.units) as units, sum(b.landed_unit_cost * x.units) as cost, array_agg(distinct x.box_id) as box_ids
           from invoice_line_box x join box b on b.id = x.box_id where x.invoice_line_id = l.id
       ) t on true
      where l.invoice_id = any(?::int[]) and l.prebook_line_id = any(?::int[])
      order by l.id`,
    [pgIntArray(invoiceIds), pgIntArray(prebookLineIds)],
  );
}

/** What an invoice billing extends or makes is, besides its status: its key, and what consolidation decides by. */
export interface InvoiceHeader {
  number: string;
  customerId: number;
  shipToId: number | null;
  carrierId: number | null;
  truckDate: string;
  customerPo: string | null;
  holiday: boolean;
  portOfOrigin: string | null;
  inTransit: boolean | null;
  hasOpenMarket: boolean;
}

/** An invoice a billing run made. */
export interface NewInvoiceRow extends InvoiceHeader {
  source: string;
  kind: string;
  invoiceDate: string;
}

/** Inserts invoices in one statement, pending, version 1; their ids come back with their (unique) numbers. */
export async function insertInvoiceRows(em: EntityManager, rows: readonly NewInvoiceRow[], at: Date): Promise<Array<{ id: number; number: string }>> {
  return executePrepared<{ id: number; number: string }>(
    em,
    `insert into invoice (number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, status, pick_ticket_printed, source, kind,
                          invoice_date, holiday, port_of_origin, in_transit, has_open_market, version, created_at, updated_at)
     select x.number, x.customer_id, x.ship_to_id, x.carrier_id, x.truck_date, x.customer_po, 'PENDING', false, x.source, x.kind,
            x.invoice_date, x.holiday, x.port_of_origin, x.in_transit, x.has_open_market, 1, ?::timestamptz, ?::timestamptz
       from unnest(?::text[], ?::int[], ?::int[], ?::int[], ?::date[], ?::text[], ?::text[], ?::text[], ?::date[], ?::boolean[], ?::text[], ?::boolean[], ?::boolean[])
         as x(number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, source, kind, invoice_date, holiday, port_of_origin, in_transit, has_open_market)
     returning id, number`,
    [
      at,
      at,
      pgArray(rows.map((r) => r.number)),
      pgArray(rows.map((r) => r.customerId)),
      pgArray(rows.map((r) => r.shipToId)),
      pgArray(rows.map((r) => r.carrierId)),
      pgArray(rows.map((r) => r.truckDate)),
      pgArray(rows.map((r) => r.customerPo)),
      pgArray(rows.map((r) => r.source)),
      pgArray(rows.map((r) => r.kind)),
      pgArray(rows.map((r) => r.invoiceDate)),
      pgArray(rows.map((r) => r.holiday)),
      pgArray(rows.map((r) => r.portOfOrigin)),
      pgArray(rows.map((r) => r.inTransit)),
      pgArray(rows.map((r) => r.hasOpenMarket)),
    ],
  );
}

/** What a billing run writes at its end, besides the invoices it made. */
export interface BillingWrite {
  /** Stored lines (by id): their new totals. */
  lineTotals: ReadonlyArray<{ id: number; boxes: number; units: number; unitCost: string }>;
  /** Lines to add. */
  newLines: readonly InvoiceLineRow[];
  /** Stored invoices the run changed: what billing decides of them, and whether they take a new version. */
  invoices: ReadonlyArray<{
    id: number;
    hasOpenMarket: boolean;
    holiday: boolean;
    inTransit: boolean | null;
    portOfOrigin: string | null;
    newVersion: boolean;
  }>;
  /** The boxes billing took from, as they now are (BOX_UPDATE). */
  boxes: readonly ChangeableBox[];
  /** Boxes whose open billing issues are now resolved (they are billed). */
  resolveIssuesOfBoxIds: number[];
  /** Takes: of a stored line (lineId), or of a line added here (its invoice and line number). */
  takes: ReadonlyArray<{
    lineId: number | null;
    invoiceId: number;
    lineNo: number;
    boxId: number;
    units: number;
    previous: { status: string; inventoryType: string | null; customer: { id: number } | null };
  }>;
}

/**
 * Writes what a billing run did in one statement (one round trip while the keys' locks are held): the
 * billed boxes' open issues resolved, the boxes themselves, the stored lines' totals, the added lines,
 * the changed invoices (a new version: a client holding the old one must not set prices blind to these
 * lines) and the takes, and the charges of every invoice it changed recomputed (charge.repository
 * RECOMPUTE_CHARGES, from the lines and takes as this statement leaves them; the charge days were locked with
 * the invoices). The added lines' ids come back with their invoice and line number (unique on an invoice).
 */
export async function writeBilling(em: EntityManager, write: BillingWrite, at: Date): Promise<Array<{ id: number; invoice_id: number; line_no: number }>> {
  const { lineTotals, newLines, invoices, takes } = write;
  return executePrepared<{ id: number; invoice_id: number; line_no: number }>(
    em,
    `with resolved as (${RESOLVE_OPEN_ISSUES}), boxes as (${BOX_UPDATE}), totals as (
       update invoice_line l set boxes = x.boxes, units = x.units, unit_cost = x.unit_cost
         from unnest(?::int[], ?::int[], ?::int[], ?::numeric[]) as x(id, boxes, units, unit_cost)
        where l.id = x.id
       returning l.id, l.invoice_id, l.units
     ), added as (
       insert into invoice_line (invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type, price_source)
       select x.invoice_id, x.line_no, x.product_id, x.boxes, x.units, x.unit_price, x.unit_cost, x.prebook_line_id, x.inventory_type,
              -- A list's source when a list priced it (open market), else the source of the prebook line's price it bills at.
              case when x.unit_price is null then null
                   else coalesce(x.price_source, (select pl.price_source from prebook_line pl where pl.id = x.prebook_line_id)) end
         from unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::numeric[], ?::numeric[], ?::int[], ?::text[], ?::text[])
           as x(invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type, price_source)
       returning id, invoice_id, line_no, units, unit_price
     ), invoices as (
       update invoice i set has_open_market = x.has_open_market, holiday = x.holiday, in_transit = x.in_transit, port_of_origin = x.port_of_origin,
              version = i.version + case when x.new_version then 1 else 0 end,
              updated_at = case when x.new_version then ?::timestamptz else i.updated_at end
         from unnest(?::int[], ?::boolean[], ?::boolean[], ?::boolean[], ?::text[], ?::boolean[]) as x(id, has_open_market, holiday, in_transit, port_of_origin, new_version)
        where i.id = x.id
     ), takes as (
       insert into invoice_line_box (invoice_line_id, box_id, units, previous_status, previous_inventory_type, previous_customer_id)
       select coalesce(t.line_id, a.id), t.box_id, t.units, t.previous_status, t.previous_inventory_type, t.previous_customer_id
         from unnest(?::int[], ?::int[], ?::int[], ?::int[], ?::int[], ?::text[], ?::text[], ?::int[]) with ordinality
           as t(line_id, invoice_id, line_no, box_id, units, previous_status, previous_inventory_type, previous_customer_id, n)
         left join added a on t.line_id is null and a.invoice_id = t.invoice_id and a.line_no = t.line_no
        order by t.n
       returning invoice_line_id, box_id
     ), charge_ids as (
       select invoice_id as id from totals union select invoice_id from added
     ), charge_lines as (
       select l.invoice_id, coalesce(t.units, l.units) as units, l.unit_price
         from invoice_line l left join totals t on t.id = l.id where ${RULES_ACTIVE} and l.invoice_id in (select id from charge_ids)
       union all
       select invoice_id, units, unit_price from added
     ), charge_takes as (
       select l.invoice_id, t.box_id from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
        where ${RULES_COUNT_BOXES} and l.invoice_id in (select id from charge_ids)
       union all
       select coalesce(a.invoice_id, l.invoice_id), n.box_id
         from takes n left join added a on a.id = n.invoice_line_id left join invoice_line l on l.id = n.invoice_line_id
     ), ${RECOMPUTE_CHARGES}
     select id, invoice_id, line_no from added`,
    [
      pgIntArray(write.resolveIssuesOfBoxIds),
      ...boxUpdateParams(write.boxes),
      pgArray(lineTotals.map((r) => r.id)),
      pgArray(lineTotals.map((r) => r.boxes)),
      pgArray(lineTotals.map((r) => r.units)),
      pgArray(lineTotals.map((r) => r.unitCost)),
      pgArray(newLines.map((r) => r.invoiceId)),
      pgArray(newLines.map((r) => r.lineNo)),
      pgArray(newLines.map((r) => r.productId)),
      pgArray(newLines.map((r) => r.boxes)),
      pgArray(newLines.map((r) => r.units)),
      pgArray(newLines.map((r) => r.unitPrice)),
      pgArray(newLines.map((r) => r.unitCost)),
      pgArray(newLines.map((r) => r.prebookLineId)),
      pgArray(newLines.map((r) => r.inventoryType)),
      pgArray(newLines.map((r) => r.priceSource)),
      at,
      pgArray(invoices.map((r) => r.id)),
      pgArray(invoices.map((r) => r.hasOpenMarket)),
      pgArray(invoices.map((r) => r.holiday)),
      pgArray(invoices.map((r) => r.inTransit)),
      pgArray(invoices.map((r) => r.portOfOrigin)),
      pgArray(invoices.map((r) => r.newVersion)),
      pgArray(takes.map((t) => t.lineId)),
      pgArray(takes.map((t) => t.invoiceId)),
      pgArray(takes.map((t) => t.lineNo)),
      pgArray(takes.map((t) => t.boxId)),
      pgArray(takes.map((t) => t.units)),
      pgArray(takes.map((t) => t.previous.status)),
      pgArray(takes.map((t) => t.previous.inventoryType)),
      pgArray(takes.map((t) => t.previous.customer?.id ?? null)),
    ],
  );
}
