// The raw-SQL limit: the same logical writes as the server, set-based, straight through `pg`,
// with no ORM, no GraphQL and none of the checks (credit, issues, settings, locks per key).
import pg from 'pg';
import type { BenchPrebookInput } from './dataset';

/**
 * Confirms every staged box of the POs and bills those that serve prebook lines: one invoice per
 * consolidation key (customer, ship-to, carrier, truck date, customer PO, holiday), one line per
 * prebook line, one take per box. Five statements in one transaction.
 */
export async function baselineConfirmAndBill(databaseUrl: string, purchaseOrders: string[]): Promise<{ boxes: number; invoices: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `create temp table confirming on commit drop as
       select b.id, b.units, b.landed_unit_cost, b.product_id, b.customer_id as po_customer_id, d.prebook_line_id,
              p.customer_id, p.ship_to_id, p.carrier_id, p.truck_date, p.customer_po, p.holiday, pl.price, pl.cost
         from box b
         join purchase_order_line pol on pol.id = b.purchase_order_line_id
         join purchase_order po on po.id = pol.purchase_order_id
         left join box_demand d on d.box_id = b.id
         left join prebook_line pl on pl.id = d.prebook_line_id
         left join prebook p on p.id = pl.prebook_id
        where po.number = any($1::text[]) and b.status = 'STAGED'
        order by b.id
          for update of b`,
      [purchaseOrders],
    );
    const confirmed = await client.query(
      `update box b set status = 'IN_INVENTORY', confirmed_at = now(),
              inventory_type = case when c.prebook_line_id is null then 'M' else 'P' end,
              customer_id = coalesce(c.customer_id, c.po_customer_id), prebook_line_id = c.prebook_line_id
         from confirming c where b.id = c.id`,
    );
    const billed = await client.query(
      `with keys as (
         select distinct customer_id, ship_to_id, carrier_id, truck_date, customer_po, holiday from confirming where prebook_line_id is not null
       ), invoices as (
         insert into invoice (number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, status, source, holiday, has_open_market, invoice_date, created_at, updated_at)
         select 'INV-' || lpad(nextval('invoice_number_seq')::text, 6, '0'), customer_id, ship_to_id, carrier_id, truck_date, customer_po, 'PENDING', 'AUTO_BILLING', holiday, false, current_date, now(), now()
           from keys
         returning id, customer_id, ship_to_id, carrier_id, truck_date, customer_po, holiday
       ), grouped as (
         select i.id as invoice_id, c.prebook_line_id, c.product_id, count(*)::int as boxes, sum(c.units)::int as units, c.price,
                coalesce(c.cost, sum(c.landed_unit_cost * c.units) / sum(c.units)) as unit_cost
           from confirming c
           join invoices i on i.customer_id = c.customer_id and i.ship_to_id is not distinct from c.ship_to_id and i.carrier_id = c.carrier_id
                          and i.truck_date = c.truck_date and i.customer_po is not distinct from c.customer_po and i.holiday = c.holiday
          group by i.id, c.prebook_line_id, c.product_id, c.price, c.cost
       ), lines as (
         insert into invoice_line (invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type)
         select invoice_id, row_number() over (partition by invoice_id order by prebook_line_id), product_id, boxes, units, price, unit_cost, prebook_line_id, 'P'
           from grouped
         returning id, prebook_line_id
       )
       insert into invoice_line_box (invoice_line_id, box_id, units, previous_status, previous_inventory_type, previous_customer_id)
       select l.id, c.id, c.units, 'IN_INVENTORY', 'P', c.customer_id from confirming c join lines l on l.prebook_line_id = c.prebook_line_id`,
    );
    await client.query(`update box b set status = 'INVOICED', units_remaining = 0 from confirming c where b.id = c.id and c.prebook_line_id is not null`);
    const [{ invoices }] = (
      await client.query(
        `select count(distinct il.invoice_id)::int as invoices from invoice_line il join invoice_line_box t on t.invoice_line_id = il.id join confirming c on c.id = t.box_id`,
      )
    ).rows;
    await client.query('commit');
    if (billed.rowCount === null) throw new Error('billing wrote nothing');
    return { boxes: confirmed.rowCount ?? 0, invoices };
  } finally {
    await client.end();
  }
}

/** Inserts the prebooks the savePrebooks measurement sends, each line with its cost, vendor and vendor cost as the server stores them: two statements. */
export async function baselineSavePrebooks(databaseUrl: string, prebooks: BenchPrebookInput[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const headers = await client.query(
      `insert into prebook (number, customer_id, carrier_id, truck_date, customer_po, created_at, updated_at)
       select 'PB-' || lpad(nextval('prebook_number_seq')::text, 6, '0'), c.id, k.id, x.truck_date::date, x.customer_po, now(), now()
         from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as x(customer, carrier, truck_date, customer_po, n)
         join customer c on c.code = x.customer join carrier k on k.code = x.carrier
        order by x.n
       returning id`,
      [prebooks.map((p) => p.customer), prebooks.map((p) => p.carrier), prebooks.map((p) => p.truckDate), prebooks.map((p) => p.customerPo)],
    );
    const ids = headers.rows.map((r: { id: number }) => r.id);
    const lines = prebooks.flatMap((p, i) => p.lines.map((l, n) => ({ prebook: ids[i], lineNo: n + 1, ...l })));
    const inserted = await client.query(
      `insert into prebook_line (prebook_id, line_no, product_id, sell_by, box_type_id, boxes, units_per_box, units, price, cost, vendor_id, vendor_cost,
                                 created_at, updated_at)
       select x.prebook, x.line_no, p.id, 'BOX', p.default_box_type_id, x.boxes, x.units_per_box, x.boxes * x.units_per_box, x.price::numeric,
              x.cost::numeric, v.id, x.vendor_cost::numeric, now(), now()
         from unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
              as x(prebook, line_no, product, boxes, units_per_box, price, cost, vendor, vendor_cost)
         join product p on p.code = x.product left join vendor v on v.code = x.vendor`,
      [
        lines.map((l) => l.prebook),
        lines.map((l) => l.lineNo),
        lines.map((l) => l.product),
        lines.map((l) => l.boxes),
        lines.map((l) => l.unitsPerBox),
        lines.map((l) => l.price),
        lines.map((l) => l.cost),
        lines.map((l) => l.vendor),
        lines.map((l) => l.vendorCost),
      ],
    );
    await client.query('commit');
    return inserted.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

/** The prebook lines of one truck date as stored, one text: the server's and the baseline's must be equal (same masters, same ids). */
export async function prebookLinesDigest(databaseUrl: string, truckDate: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select count(*)::int as lines,
              md5(string_agg(concat_ws('|', p.customer_id, p.carrier_id, p.customer_po, l.line_no, l.product_id, l.sell_by, l.box_type_id, l.boxes,
                                       l.units_per_box, l.units, l.price, l.cost, l.vendor_id, l.vendor_cost), ',' order by p.customer_id, p.customer_po, l.line_no)) as digest
         from prebook_line l join prebook p on p.id = l.prebook_id
        where p.truck_date = $1::date`,
      [truckDate],
    );
    return `${rows[0].lines} lines, ${rows[0].digest}`;
  } finally {
    await client.end();
  }
}

/**
 * One inbound scan with billing, as raw SQL in one transaction per box, over a pool of `clients`
 * connections (one per scanner, as the server's clients have one request each in flight):
 * lock the box and its prebook line, mark it received and confirmed (reading what the line has
 * billed so far), take the consolidation key's advisory lock (the server's key), find or create the
 * pending invoice of the key, add to the prebook line's invoice line or add one, write the take and
 * mark the box invoiced. The same tables and triggers as the server; no ORM, no GraphQL, none of the
 * settings, credit or issue checks.
 */
export function baselineScanner(databaseUrl: string, clients: number): { scan: (label: string) => Promise<void>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  const scan = async (label: string) => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const locked = await client.query(
        `select b.id, b.units, b.landed_unit_cost, b.product_id, d.prebook_line_id, pl.boxes as ordered, pl.price, pl.cost,
                p.customer_id, p.ship_to_id, p.carrier_id, p.truck_date::text as truck_date, p.customer_po, p.holiday
           from box b join box_demand d on d.box_id = b.id join prebook_line pl on pl.id = d.prebook_line_id join prebook p on p.id = pl.prebook_id
          where b.label = $1 and b.status = 'STAGED' and not b.received
            for update of b, pl`,
        [label],
      );
      if (locked.rowCount !== 1) throw new Error(`baseline scan of ${label}: ${locked.rowCount} staged boxes`);
      const box = locked.rows[0];
      // The line is locked, so what it billed is read after every other billing of it committed.
      const confirmed = await client.query(
        `update box set received = true, received_at = now(), status = 'IN_INVENTORY', confirmed_at = now(), inventory_type = 'P',
                customer_id = $2, prebook_line_id = $3
          where id = $1
         returning (select coalesce(sum(il.boxes), 0)::int from invoice_line il join invoice i on i.id = il.invoice_id
                     where il.prebook_line_id = $3 and i.status <> 'VOID') as billed`,
        [box.id, box.customer_id, box.prebook_line_id],
      );
      if (confirmed.rows[0].billed >= box.ordered) throw new Error(`baseline scan of ${label}: its prebook line is fully billed`);
      const key = `stemline:invoice:${[box.customer_id, box.ship_to_id, box.carrier_id, box.truck_date, box.customer_po].map((part) => part ?? '').join('|')}`;
      await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [key]);
      const invoice = await client.query(
        `with found as (
           select id from invoice
            where customer_id = $1 and ship_to_id is not distinct from $2 and carrier_id = $3 and truck_date = $4::date
              and customer_po is not distinct from $5 and holiday = $6 and status = 'PENDING'
            order by id limit 1 for update
         ), touched as (
           update invoice set updated_at = now(), version = version + 1 where id = (select id from found) returning id
         ), made as (
           insert into invoice (number, customer_id, ship_to_id, carrier_id, truck_date, customer_po, status, source, holiday, has_open_market,
                                invoice_date, created_at, updated_at)
           select 'INV-' || lpad(nextval('invoice_number_seq')::text, 6, '0'), $1, $2, $3, $4::date, $5, 'PENDING', 'AUTO_BILLING', $6, false, current_date, now(), now()
            where not exists (select 1 from found)
           returning id
         )
         select id from touched union all select id from made`,
        [box.customer_id, box.ship_to_id, box.carrier_id, box.truck_date, box.customer_po, box.holiday],
      );
      const invoiceId = invoice.rows[0].id;
      const line = await client.query(
        `with found as (
           update invoice_line set boxes = boxes + 1, units = units + $4,
                  unit_cost = coalesce($6::numeric, round((unit_cost * units + $5::numeric * $4) / (units + $4), 4))
            where invoice_id = $1 and prebook_line_id = $2 and inventory_type = 'P'
           returning id
         ), made as (
           insert into invoice_line (invoice_id, line_no, product_id, boxes, units, unit_price, unit_cost, prebook_line_id, inventory_type)
           select $1, coalesce((select max(line_no) from invoice_line where invoice_id = $1), 0) + 1, $3, 1, $4, $7::numeric, coalesce($6::numeric, $5::numeric), $2, 'P'
            where not exists (select 1 from found)
           returning id
         )
         select id from found union all select id from made`,
        [invoiceId, box.prebook_line_id, box.product_id, box.units, box.landed_unit_cost, box.cost, box.price],
      );
      await client.query(
        `with take as (
           insert into invoice_line_box (invoice_line_id, box_id, units, previous_status, previous_inventory_type, previous_customer_id)
           values ($1, $2, $3, 'IN_INVENTORY', 'P', $4)
         )
         update box set status = 'INVOICED', units_remaining = 0 where id = $2`,
        [line.rows[0].id, box.id, box.units, box.customer_id],
      );
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  };
  return { scan, close: () => pool.end() };
}
