// A year of a distributor's history, written with set-based SQL before the bench's day of work: 250
// working days with Valentine's and Mother's Day peaks, purchase orders and their shipments, prebooks (some
// from standing orders), boxes in every final state (invoiced, in inventory, written off), invoices, credits, write-offs, the audit trail and the
// change feed such a year leaves. Ids come from the tables' own sequences and document numbers from the
// numbering sequences, so the day's work numbers on from the history as it would on a real database.
import pg from 'pg';
import { log } from './process-metrics';

export interface HistoryPlan {
  /** About how many boxes the year holds. */
  boxes: number;
  customers: number;
  products: number;
  vendors: number;
}

export const YEAR_OF_BOXES = 1_000_000;

/** `--history 1y` (a year of about a million boxes) or `--history N` (a year of N boxes). */
export function historyPlan(option: string): HistoryPlan {
  const boxes = option === '1y' ? YEAR_OF_BOXES : Number(option);
  if (!Number.isInteger(boxes) || boxes < 1000) throw new Error(`--history takes 1y or a number of boxes of at least 1000 (got ${JSON.stringify(option)})`);
  return { boxes, customers: 500, products: 1000, vendors: 20 };
}

export interface HistoryCounts {
  [table: string]: number;
}

const FEED_TABLES = [
  'invoice',
  'invoice_line',
  'prebook',
  'prebook_line',
  'purchase_order',
  'purchase_order_line',
  'shipment',
  'standing_order',
  'standing_order_line',
  'box',
  'customer',
  'ship_to',
  'vendor',
  'product',
];

/**
 * Writes the year into `databaseUrl` (a migrated database with a location and carriers) in one transaction.
 * The change feed's triggers are off meanwhile: the feed gets one event per document per day it changed,
 * written afterwards in one transaction per day, oldest first, so that its transaction ids order it as
 * the year wrote it and a cursor taken after the history reads only what follows.
 */
export async function seedHistory(databaseUrl: string, plan: HistoryPlan): Promise<HistoryCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const started = process.hrtime.bigint();
    const result = await client.query(sql, params);
    log(
      `  history: ${what}${result.rowCount ? ` (${result.rowCount.toLocaleString('en-US')} rows)` : ''} in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`,
    );
    return result;
  };
  try {
    await client.query('begin');
    for (const table of FEED_TABLES) await client.query(`alter table ${table} disable trigger user`);
    await masters(step, plan);
    await calendar(step, plan);
    await purchasing(step);
    await selling(step);
    await afterSales(step);
    await trail(step);
    for (const table of FEED_TABLES) await client.query(`alter table ${table} enable trigger user`);
    await client.query('commit');
    const [, feedSeconds] = await timed(() => feedByDay(client));
    log(`  history: change feed, a transaction per day, in ${feedSeconds.toFixed(1)} s`);
    await step('vacuum and analyze', 'vacuum analyze');
    const counts: HistoryCounts = {};
    for (const table of [
      'box',
      'purchase_order',
      'prebook',
      'prebook_line',
      'invoice',
      'invoice_line',
      'credit',
      'inventory_adjustment',
      'audit_event',
      'change_event',
    ]) {
      counts[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    }
    return counts;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

type Step = (what: string, sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

/**
 * The customers, flower products and farms the database has, completed to the plan's numbers (a tenth of the
 * new customers with a ship-to, products in two categories, farms at three ports): the day's customers
 * get a year of history too.
 */
async function masters(step: Step, plan: HistoryPlan): Promise<void> {
  await step(
    'customers',
    `insert into customer (code, name, created_at, updated_at, payment_terms_days, credit_limit)
     select 'H-C' || lpad(i::text, 4, '0'), 'History customer ' || i, now() - interval '400 days', now(), case when i % 4 = 0 then 15 else 30 end,
            case when i % 3 = 0 then 50000 end
       from generate_series(1, $1::int - (select count(*) from customer where kind = 'REGULAR')::int) i`,
    [plan.customers],
  );
  await step(
    'ship-tos',
    `insert into ship_to (customer_id, code, name, created_at, updated_at)
     select c.id, 'DC-1', 'Main DC', now(), now() from customer c where c.code like 'H-C%' and substr(c.code, 4)::int % 10 = 0`,
  );
  await step(
    'categories',
    `insert into product_category (code, name, created_at, updated_at, max_age_days)
     values ('H-ROSE', 'Roses', now(), now(), 10), ('H-FILLER', 'Fillers', now(), now(), 14), ('H-HARD', 'Hard goods', now(), now(), null)
     on conflict do nothing`,
  );
  await step(
    'products',
    `insert into product (code, name, created_at, updated_at, kind, unit, default_box_type_id, default_units_per_box, category_id)
     select 'H-P' || lpad(i::text, 4, '0'), 'History product ' || i, now() - interval '400 days', now(), 'LIVE', 'STEM',
            (select id from box_type where code = 'QB'), 100,
            (select id from product_category where code = case when i % 3 = 0 then 'H-FILLER' else 'H-ROSE' end)
       from generate_series(1, $1::int - (select count(*) from product where kind = 'LIVE')::int) i`,
    [plan.products],
  );
  await step(
    'farms',
    `insert into vendor (code, name, created_at, updated_at, kind, default_port_of_origin)
     select 'H-FARM-' || lpad(i::text, 2, '0'), 'History farm ' || i, now() - interval '400 days', now(), 'FARM', (array['BOG', 'MDE', 'UIO'])[1 + i % 3]
       from generate_series(1, $1::int - (select count(*) from vendor where kind = 'FARM')::int) i`,
    [plan.vendors],
  );
  for (const [name, table, kind] of [
    ['h_customer', 'customer', 'REGULAR'],
    ['h_product', 'product', 'LIVE'],
    ['h_vendor', 'vendor', 'FARM'],
  ]) {
    await step(
      `${name}`,
      `create temp table ${name} on commit drop as select row_number() over (order by id)::int as i, * from ${table} where kind = '${kind}'`,
    );
  }
  await step(
    'standing orders',
    `insert into standing_order (number, customer_id, carrier_id, weekdays, every_weeks, start_date, active, version, created_at, updated_at)
     select 'SO-' || lpad(nextval('standing_order_number_seq')::text, 6, '0'), c.id, (select min(id) from carrier), '{MON,THU}', 1,
            current_date - 400, true, 1, now() - interval '400 days', now()
       from h_customer c where c.i % 10 = 5 order by c.id`,
  );
  await step('h_carrier', `create temp table h_carrier on commit drop as select row_number() over (order by id)::int - 1 as i, id from carrier`);
  await step(
    'h_standing',
    `create temp table h_standing on commit drop as select s.id, hc.i as cust from standing_order s join h_customer hc on hc.id = s.customer_id`,
  );
}

/**
 * The working days (Monday to Friday but ten holidays, about 250) weighted for the peaks, the boxes of each
 * day in lines of three of one product for one customer from one farm, and what became of each line.
 */
async function calendar(step: Step, plan: HistoryPlan): Promise<void> {
  await step(
    'days',
    `create temp table h_day on commit drop as
     with days as (
       select d::date as d from generate_series(current_date - 365, current_date - 1, interval '1 day') d
        where extract(isodow from d) < 6 and extract(doy from d)::int % 26 <> 0
     ), weighted as (
       select d, case when extract(month from d) = 2 and extract(day from d) <= 13 then 4
                      when extract(month from d) = 5 and extract(day from d) <= 10 then 3 else 1 end as w from days
     ), sized as (
       select row_number() over (order by d)::int as day_no, d, floor($1::numeric * w / sum(w) over ())::int as boxes from weighted
     )
     select day_no, d, boxes, coalesce(sum(boxes) over (order by day_no rows between unbounded preceding and 1 preceding), 0)::bigint as first_box from sized`,
    [plan.boxes],
  );
  await step(
    'lines',
    `create temp table h_line on commit drop as
     with l as (
       select dd.day_no, dd.d, ((n - dd.first_box - 1) / 3)::int as k, count(*)::int as boxes
         from h_day dd, generate_series(dd.first_box + 1, dd.first_box + dd.boxes) n group by 1, 2, 3
     ), h as (
       select l.*, l.day_no::bigint * 1000000 + l.k as key, (select max(day_no) from h_day) as last_day from l
     )
     select day_no, d, k, boxes,
            1 + abs(hashint8(key)) % $1 as cust, 1 + abs(hashint8(key + 7)) % $2 as prod, 1 + abs(hashint8(key + 13)) % $3 as vend,
            case when abs(hashint8(key + 29)) % 100 < 72 then 'PREBOOK'
                 when day_no > last_day - 3 then 'STOCK'
                 when abs(hashint8(key + 29)) % 100 < 76 then 'SPLIT'
                 when abs(hashint8(key + 29)) % 100 < 92 then 'SOLD'
                 when abs(hashint8(key + 29)) % 100 = 97 and day_no % 10 = 0 then 'STOCK'
                 else 'DUMP' end as fate,
            null::int as po_line_id, null::int as prebook_line_id, null::int as invoice_line_id, null::int as split_line_id
       from h`,
    [plan.customers, plan.products, plan.vendors],
  );
  await step('line ids', `update h_line set po_line_id = nextval('purchase_order_line_id_seq')`);
  await step(`prebook line ids`, `update h_line set prebook_line_id = nextval('prebook_line_id_seq') where fate = 'PREBOOK'`);
  await step(`invoice line ids`, `update h_line set invoice_line_id = nextval('invoice_line_id_seq') where fate in ('PREBOOK', 'SOLD', 'SPLIT')`);
  await step(`split line ids`, `update h_line set split_line_id = nextval('invoice_line_id_seq') where fate = 'SPLIT'`);
}

/** One purchase order a day per farm, a shipment each, a PO line per line, and the boxes. */
async function purchasing(step: Step): Promise<void> {
  await step(
    'h_po',
    `create temp table h_po on commit drop as
     select day_no, d, vend, nextval('purchase_order_id_seq')::int as id, nextval('purchase_order_number_seq') as num, nextval('shipment_id_seq')::int as shipment_id
       from (select * from h_line order by day_no, vend) l group by day_no, d, vend order by day_no, vend`,
  );
  await step(
    'purchase orders',
    `insert into purchase_order (id, number, vendor_id, location_id, ship_date, port_of_origin, status, version, created_at, updated_at)
     select p.id, 'PO-' || lpad(p.num::text, 6, '0'), v.id, (select min(id) from location), p.d - 2, coalesce(v.default_port_of_origin, 'BOG'),
            'RECEIVED', 3, p.d - 6, p.d
       from h_po p join h_vendor v on v.i = p.vend order by p.id`,
  );
  await step(
    'shipments',
    `insert into shipment (id, purchase_order_id, awb, ship_date, arrival_date, port_of_origin, freight, created_at)
     select p.shipment_id, p.id, '729-' || lpad(p.id::text, 8, '0'), p.d - 2, p.d, coalesce(v.default_port_of_origin, 'BOG'), 25.00, p.d - 2
       from h_po p join h_vendor v on v.i = p.vend order by p.id`,
  );
  await step(
    'PO lines',
    `insert into purchase_order_line (id, purchase_order_id, line_no, product_id, box_type_id, boxes, units_per_box, unit_cost)
     select l.po_line_id, p.id, row_number() over (partition by p.id order by l.k), pr.id, pr.default_box_type_id, l.boxes, 100, 0.25 + (l.prod % 20) / 100.0
       from h_line l join h_po p on p.day_no = l.day_no and p.vend = l.vend join h_product pr on pr.i = l.prod order by l.po_line_id`,
  );
  await step(
    'prebooks',
    `create temp table h_prebook on commit drop as
     select day_no, d, cust, nextval('prebook_id_seq')::int as id, nextval('prebook_number_seq') as num
       from (select distinct day_no, d, cust from h_line where fate = 'PREBOOK' order by day_no, cust) x`,
  );
  await step(
    'prebook rows',
    `insert into prebook (id, number, customer_id, ship_to_id, carrier_id, truck_date, source, standing_order_id, status, version, created_at, updated_at)
     select b.id, 'PB-' || lpad(b.num::text, 6, '0'), c.id, (select min(s.id) from ship_to s where s.customer_id = c.id),
            (select k.id from h_carrier k where k.i = b.cust % (select count(*) from h_carrier)), b.d, case when so.id is null then 'PREBOOK' else 'STANDING_ORDER' end, so.id, 'OPEN', 2, b.d - 10, b.d
       from h_prebook b join h_customer c on c.i = b.cust left join h_standing so on so.cust = b.cust order by b.id`,
  );
  await step(
    'prebook lines',
    `insert into prebook_line (id, prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id, vendor_cost, created_at, updated_at)
     select l.prebook_line_id, b.id, row_number() over (partition by b.id order by l.k), pr.id, 'BOX', pr.default_box_type_id, l.boxes, 100, l.boxes * 100,
            0.55 + (l.prod % 40) / 100.0, 0.30 + (l.prod % 20) / 100.0, v.id, 0.25 + (l.prod % 20) / 100.0, b.d - 10, b.d
       from h_line l join h_prebook b on b.day_no = l.day_no and b.cust = l.cust join h_product pr on pr.i = l.prod join h_vendor v on v.i = l.vend
      where l.prebook_line_id is not null order by l.prebook_line_id`,
  );
  await step(
    'PO links',
    `insert into purchase_order_line_link (purchase_order_line_id, prebook_line_id, boxes, units)
     select l.po_line_id, l.prebook_line_id, l.boxes, l.boxes * 100 from h_line l where l.prebook_line_id is not null order by l.po_line_id`,
  );
  await step(
    'boxes',
    `insert into box (id, label, shipment_id, purchase_order_line_id, product_id, box_type_id, location_id, units, units_remaining, port_of_origin,
                      landed_unit_cost, status, received, received_at, shipped_out_at, inventory_type, customer_id, prebook_line_id, confirmed_at, created_at)
     select nextval('box_id_seq'), 'B-' || lpad(nextval('box_label_seq')::text, 6, '0'), p.shipment_id, l.po_line_id, pr.id, pr.default_box_type_id,
            (select min(id) from location), 100, case when l.fate = 'STOCK' then 100 else 0 end, coalesce(v.default_port_of_origin, 'BOG'),
            0.30 + (l.prod % 20) / 100.0,
            case l.fate when 'STOCK' then 'IN_INVENTORY' when 'DUMP' then 'VOID' else 'INVOICED' end,
            true, l.d + time '07:00',
            case when l.fate in ('PREBOOK', 'SOLD', 'SPLIT') then l.d + time '15:00' end,
            case when l.prebook_line_id is not null then 'P' else 'M' end,
            case when l.fate in ('PREBOOK', 'SOLD') then c.id end, l.prebook_line_id,
            l.d + time '08:00', l.d - 2
       from h_line l cross join generate_series(1, l.boxes) n
       join h_po p on p.day_no = l.day_no and p.vend = l.vend join h_product pr on pr.i = l.prod join h_vendor v on v.i = l.vend
       join h_customer c on c.i = l.cust
      order by l.day_no, l.k, n`,
  );
}

/**
 * An invoice a day per customer for its prebooked boxes (auto-billing) and one for its open-market buys
 * (allocation); a split box went 60 units to one customer and 40 to the next.
 */
async function selling(step: Step): Promise<void> {
  await step(
    'h_invoice',
    `create temp table h_invoice on commit drop as
     select day_no, d, cust, source, nextval('invoice_id_seq')::int as id, nextval('invoice_number_seq') as num
       from (select distinct day_no, d, cust, case when fate = 'PREBOOK' then 'AUTO_BILLING' else 'ALLOCATION' end as source
               from h_line where fate in ('PREBOOK', 'SOLD', 'SPLIT')
             union
             select day_no, d, 1 + cust % (select count(*) from h_customer), 'ALLOCATION' from h_line where fate = 'SPLIT'
             order by day_no, cust, source) x`,
  );
  await step(
    'invoices',
    `insert into invoice (id, number, customer_id, carrier_id, truck_date, status, source, holiday, version, confirmed_at, created_at, updated_at,
                          in_transit, has_open_market, kind, invoice_date)
     select i.id, 'INV-' || lpad(i.num::text, 6, '0'), c.id,
            (select k.id from h_carrier k where k.i = i.cust % (select count(*) from h_carrier)), i.d, 'CONFIRMED', i.source,
            false, 2, i.d + time '18:00', i.d + time '08:00', i.d + time '18:00',
            false, i.source = 'ALLOCATION', 'SALE', i.d
       from h_invoice i join h_customer c on c.i = i.cust order by i.id`,
  );
  const price = `case when l.fate = 'PREBOOK' then 0.55 + (l.prod % 40) / 100.0 else 0.65 + (l.prod % 40) / 100.0 end`;
  await step(
    'invoice lines',
    `insert into invoice_line (id, invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type)
     select x.id, x.invoice_id, row_number() over (partition by x.invoice_id order by x.id), x.product_id, x.boxes, x.units, x.unit_price, x.unit_cost, x.prebook_line_id, x.inventory_type
       from (
         select l.invoice_line_id as id, i.id as invoice_id, pr.id as product_id, l.boxes, l.boxes * case when l.fate = 'SPLIT' then 60 else 100 end as units,
                ${price} as unit_price, 0.30 + (l.prod % 20) / 100.0 as unit_cost, l.prebook_line_id, case when l.fate = 'PREBOOK' then 'P' else 'M' end as inventory_type
           from h_line l join h_product pr on pr.i = l.prod
           join h_invoice i on i.day_no = l.day_no and i.cust = l.cust and i.source = case when l.fate = 'PREBOOK' then 'AUTO_BILLING' else 'ALLOCATION' end
          where l.invoice_line_id is not null
         union all
         select l.split_line_id, i.id, pr.id, l.boxes, l.boxes * 40, ${price}, 0.30 + (l.prod % 20) / 100.0, null, 'M'
           from h_line l join h_product pr on pr.i = l.prod
           join h_invoice i on i.day_no = l.day_no and i.cust = 1 + l.cust % (select count(*) from h_customer) and i.source = 'ALLOCATION'
          where l.split_line_id is not null
       ) x order by x.id`,
  );
  await step(
    'box takes',
    `insert into invoice_line_box (invoice_line_id, box_id, units, previous_status, previous_inventory_type, previous_customer_id)
     select t.line_id, b.id, t.units, t.previous_status, t.previous_type, t.previous_customer
       from box b join h_line l on l.po_line_id = b.purchase_order_line_id
       cross join lateral (values (l.invoice_line_id, case when l.fate = 'SPLIT' then 60 else 100 end,
                                   case when l.fate = 'PREBOOK' then 'STAGED' else 'IN_INVENTORY' end,
                                   case when l.fate = 'PREBOOK' then null else 'M' end, case when l.fate = 'PREBOOK' then b.customer_id end),
                                  (l.split_line_id, 40, 'IN_INVENTORY', 'M', null::int)) t(line_id, units, previous_status, previous_type, previous_customer)
      where t.line_id is not null
      order by t.line_id, b.id`,
  );
}

/** Credits on one prebooked line in fifty (a box of it, approved), and the write-offs of dumped boxes. */
async function afterSales(step: Step): Promise<void> {
  await step(
    'h_credit',
    `create temp table h_credit on commit drop as
     select l.invoice_line_id, l.d, l.prod, c.id as customer_id, il.invoice_id, nextval('credit_id_seq')::int as id, nextval('credit_number_seq') as num
       from h_line l join h_customer c on c.i = l.cust join invoice_line il on il.id = l.invoice_line_id
      where l.fate = 'PREBOOK' and abs(hashint8(l.day_no::bigint * 1000000 + l.k + 41)) % 50 = 0 order by l.day_no, l.k`,
  );
  await step(
    'credits',
    `insert into credit (id, number, customer_id, invoice_id, credit_date, status, reason_id, notes, requested_by, requested_at, approved_by, approved_at, version, created_at, updated_at)
     select h.id, 'CR-' || lpad(h.num::text, 6, '0'), h.customer_id, h.invoice_id, h.d + 2, 'APPROVED',
            (select id from credit_reason where code = case when h.prod % 3 = 0 then 'DEHYDRATED' else 'DAMAGED' end), 'one box arrived damaged',
            'history', h.d + 2 + time '09:00', 'history', h.d + 2 + time '11:00', 2, h.d + 2 + time '09:00', h.d + 2 + time '11:00'
       from h_credit h order by h.id`,
  );
  await step(
    'credit lines',
    `insert into credit_line (credit_id, line_no, kind, invoice_line_id, units, amount_per_unit, amount, restock)
     select h.id, 1, 'QUANTITY', h.invoice_line_id, 100, il.unit_price, 100 * il.unit_price, false from h_credit h join invoice_line il on il.id = h.invoice_line_id order by h.id`,
  );
  await step(
    'write-offs',
    `insert into inventory_adjustment (box_id, units, unit_cost, value, reason, note, actor, at)
     select b.id, 100, b.landed_unit_cost, 100 * b.landed_unit_cost, case when b.id % 4 = 0 then 'DUMP' else 'EXPIRED' end, 'past its age', 'history',
            b.received_at + interval '9 days'
       from box b where b.status = 'VOID' and b.label like 'B-%' and b.inventory_type = 'M' and b.prebook_line_id is null and b.units_remaining = 0
        and not exists (select 1 from invoice_line_box t where t.box_id = b.id) order by b.id`,
  );
}

/** The audit trail (a row per document written, confirmed or credited) and the change feed, dated as the year went. */
async function trail(step: Step): Promise<void> {
  await step(
    'audit trail',
    `insert into audit_event (at, actor, action, entity, entity_id, payload)
     select at, actor, action, entity, entity_id, payload from (
       select p.created_at as at, 'history' as actor, 'create' as action, 'Prebook' as entity, p.number as entity_id, jsonb_build_object('lines', count(l.id)) as payload
         from prebook p join prebook_line l on l.prebook_id = p.id join h_prebook h on h.id = p.id group by p.id
       union all
       select p.created_at, 'history', 'ship', 'PurchaseOrder', p.number, jsonb_build_object('boxes', sum(pl.boxes))
         from purchase_order p join purchase_order_line pl on pl.purchase_order_id = p.id join h_po h on h.id = p.id group by p.id
       union all
       select i.confirmed_at, 'history', 'confirm', 'Invoice', i.number, null from invoice i join h_invoice h on h.id = i.id
       union all
       select c.approved_at, 'history', 'approve', 'Credit', c.number, null from credit c join h_credit h on h.id = c.id
       union all
       select a.at, 'history', 'adjust', 'Box', a.box_id::text, jsonb_build_object('units', a.units, 'reason', a.reason) from inventory_adjustment a where a.actor = 'history'
     ) x order by at`,
  );
  // The feed's events, kept aside to be written a day at a time once this transaction has committed.
  await step(
    'change feed rows',
    `create unlogged table history_change as
     select at::date as day, type, entity_id, key, version, change, customer_id, at
       from (
         select 'PURCHASE_ORDER' as type, p.id as entity_id, p.number as key, p.version, 'CREATED' as change, null::int as customer_id, p.created_at as at from purchase_order p join h_po h on h.id = p.id
         union all select 'PREBOOK', p.id, p.number, p.version, 'CREATED', p.customer_id, p.created_at from prebook p join h_prebook h on h.id = p.id
         union all select 'INVOICE', i.id, i.number, i.version, 'CREATED', i.customer_id, i.confirmed_at from invoice i join h_invoice h on h.id = i.id
         union all select 'BOX', b.id, b.label, null, 'CREATED', null, b.created_at from box b join h_line l on l.po_line_id = b.purchase_order_line_id
         union all select 'BOX', b.id, b.label, null, 'UPDATED', null, coalesce(b.shipped_out_at, b.confirmed_at) from box b join h_line l on l.po_line_id = b.purchase_order_line_id
                    where b.confirmed_at is not null
       ) x`,
  );
  await step('change feed index', `create index on history_change (day)`);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - started) / 1e9];
}

/** Writes the feed's events kept aside, a day per transaction (each takes the next transaction id), then drops them. */
async function feedByDay(client: pg.Client): Promise<void> {
  // What the feed held already (the master data) was written before the year began, as its place in the feed says.
  await client.query(`update change_event set at = least(at, (select min(at) from history_change) - interval '1 day')`);
  const { rows } = await client.query<{ day: string }>(`select distinct day::text as day from history_change order by 1`);
  for (const { day } of rows) {
    await client.query(
      `insert into change_event (type, entity_id, key, version, change, customer_id, at)
       select type, entity_id, key, version, change, customer_id, at from history_change where day = $1::date order by at, type, entity_id`,
      [day],
    );
  }
  await client.query('drop table history_change');
}
