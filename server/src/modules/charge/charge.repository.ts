// The SQL of invoice charges: recomputing them with an invoice's lines, set-based (every rule and every
// invoice in one statement), and the lock that keeps a daily cap across a customer's invoices of one day.
//
// THE LOCK. A daily cap (ChargeRule.maxPerDay) holds across a customer's invoices of one truck date: every
// transaction that writes charges first takes the transaction-scoped advisory lock of each (customer, truck
// date) it writes, in key order, AFTER the invoices it changes (step 5 of the lock order written at the head
// of billing.repository.ts), then recomputes in a later statement (which then sees what the lock's previous
// holder committed). Billing takes them in the statement that locks its candidate invoices
// (billing.repository lockCandidateInvoices) and recomputes in the statement that writes its lines.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, pgIntArray } from '../../common/loaders';
import { executePrepared } from '../../common/prepared-statement.repository';
import type { InvoiceChargeBasis } from './charge.entity';

/** The advisory lock key of a customer's charges on a truck date. */
export function chargeDayKey(customerId: number, truckDate: string): string {
  return `stemline:charges:${customerId}|${String(truckDate).slice(0, 10)}`;
}

/**
 * Takes the advisory locks of the keys in a `?::text[]` parameter in byte order (as every taker does, so two
 * never deadlock); one row, column `locked`. Used inside other statements: `where (...) >= 0` forces it after
 * what it refers to.
 */
export const LOCK_CHARGE_DAYS = `select count(pg_advisory_xact_lock(hashtextextended(k, 0))) as locked
       from (select k from (select distinct k from unnest(?::text[]) as k) as d order by k collate "C") as keys`;

/**
 * Whether any active rule counts boxes (a fuel surcharge, a charge per box): a caller's `charge_takes` reads an
 * invoice's takes only then (a one-time filter), so billing without such rules reads none.
 */
export const RULES_COUNT_BOXES = `exists (select 1 from charge_rule where active and (kind = 'FUEL_SURCHARGE' or basis = 'PER_BOX'))`;

/** Whether any rule is active: a caller's `charge_lines` reads an invoice's lines only then. */
export const RULES_ACTIVE = `exists (select 1 from charge_rule where active)`;

/**
 * The CTEs (after a `with` the caller writes, ending with a comma-free last CTE) that recompute the charges of
 * the invoices of a CTE `charge_ids(id)`, given CTEs `charge_lines(invoice_id, units, unit_price)` and
 * `charge_takes(invoice_id, box_id)`: those invoices' lines and takes as they now are (a caller writing lines
 * in the same statement passes what it writes). A charge set by hand (overridden) stays; every other one is
 * what the active rules give now; a VOID invoice or a transfer carries none. A rule's daily cap counts what the
 * customer's other invoices of the truck date carry (read under the day's lock; from those invoices by their index, then
 * each one's charge of the rule), then these invoices in id order.
 */
export const RECOMPUTE_CHARGES = `charge_inv as (
       select i.id, i.customer_id, i.carrier_id, i.truck_date, c.fuel_surcharge, (i.status <> 'VOID' and i.kind = 'SALE') as chargeable
         from invoice i join customer c on c.id = i.customer_id where i.id in (select id from charge_ids)
     ), charge_sub as (
       select invoice_id, sum(units * unit_price) as subtotal from charge_lines where unit_price is not null group by 1
     ), charge_boxes as (
       select t.invoice_id, b.port_of_origin, b.box_type_id, count(distinct t.box_id) as n
         from charge_takes t join box b on b.id = t.box_id group by 1, 2, 3
     ), charge_due as (
       select i.id as invoice_id, r.id as rule_id, r.name as description, 'PORT_AND_BOX_TYPE' as basis, r.max_per_day,
              round(sum(bx.n * rt.amount), 2) as amount, i.customer_id, i.truck_date
         from charge_inv i
         join charge_rule r on r.kind = 'FUEL_SURCHARGE' and r.active and i.fuel_surcharge
         join charge_boxes bx on bx.invoice_id = i.id
         join charge_rate rt on rt.rule_id = r.id and rt.port_of_origin = bx.port_of_origin and rt.box_type_id = bx.box_type_id
        where i.chargeable
        group by i.id, r.id, r.name, r.max_per_day, i.customer_id, i.truck_date
       union all
       select i.id, r.id, r.name, r.basis, r.max_per_day,
              round(case r.basis
                      when 'PER_INVOICE' then r.amount
                      when 'PER_BOX' then r.amount * coalesce((select sum(bx.n) from charge_boxes bx where bx.invoice_id = i.id), 0)
                      else coalesce(s.subtotal, 0) * r.amount / 100 end, 2),
              i.customer_id, i.truck_date
         from charge_inv i
         join charge_rule r on r.kind = 'AUTOMATIC' and r.active
              and (r.customer_id is null or r.customer_id = i.customer_id) and (r.carrier_id is null or r.carrier_id = i.carrier_id)
         left join charge_sub s on s.invoice_id = i.id
        where i.chargeable
     ), charge_open as (
       select d.* from charge_due d
        where not exists (select 1 from invoice_charge k where k.invoice_id = d.invoice_id and k.rule_id = d.rule_id and k.overridden)
     ), charge_new as (
       select invoice_id, rule_id, description, basis, amount from charge_open where max_per_day is null
       union all
       select d.invoice_id, d.rule_id, d.description, d.basis,
              greatest(0, least(d.amount, d.max_per_day - coalesce(u.used, 0)
                - coalesce(sum(d.amount) over (partition by d.rule_id, d.customer_id, d.truck_date order by d.invoice_id
                                               rows between unbounded preceding and 1 preceding), 0)))
         from charge_open d
         left join lateral (
           select sum(c.amount) as used from invoice o join invoice_charge c on c.invoice_id = o.id and c.rule_id = d.rule_id
            where o.customer_id = d.customer_id and o.truck_date = d.truck_date and o.status <> 'VOID'
              and (c.overridden or o.id not in (select id from charge_ids))
         ) u on true
        where d.max_per_day is not null
     ), charge_gone as (
       delete from invoice_charge c
        where c.invoice_id in (select id from charge_ids)
          and (not c.overridden or exists (select 1 from charge_inv i where i.id = c.invoice_id and not i.chargeable))
          and not exists (select 1 from charge_new n where n.invoice_id = c.invoice_id and n.rule_id = c.rule_id and n.amount > 0)
     ), charge_set as (
       insert into invoice_charge (invoice_id, rule_id, description, basis, amount, overridden)
       select invoice_id, rule_id, description, basis, amount, false from charge_new where amount > 0
       on conflict (invoice_id, rule_id) do update set amount = excluded.amount, description = excluded.description, basis = excluded.basis
        where not invoice_charge.overridden
     )`;

/** Takes the charge-day locks of these invoices (their customers and truck dates), in key order: two statements. */
export async function lockChargeDaysOfInvoices(em: EntityManager, invoiceIds: readonly number[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  const days = await em.execute<Array<{ customer_id: number; truck_date: string }>>(
    `select distinct customer_id, truck_date::text as truck_date from invoice where id = any(?::int[])`,
    [pgIntArray(invoiceIds)],
  );
  await executePrepared(em, LOCK_CHARGE_DAYS, [pgArray(days.map((d) => chargeDayKey(Number(d.customer_id), d.truck_date)))]);
}

/**
 * Takes the charge-day locks of these invoices, then recomputes their charges in one more statement,
 * whatever the invoices and rules.
 */
export async function lockAndRecomputeCharges(em: EntityManager, invoiceIds: readonly number[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  await lockChargeDaysOfInvoices(em, invoiceIds);
  await executePrepared(
    em,
    `with charge_ids as (select distinct id from unnest(?::int[]) as id),
     charge_lines as (select invoice_id, units, unit_price from invoice_line where ${RULES_ACTIVE} and invoice_id in (select id from charge_ids)),
     charge_takes as (
       select l.invoice_id, t.box_id from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
        where ${RULES_COUNT_BOXES} and l.invoice_id in (select id from charge_ids)
     ), ${RECOMPUTE_CHARGES}
     select count(*) as invoices from charge_ids`,
    [pgIntArray(invoiceIds)],
  );
}

/** An invoice charge as lists read it. */
export interface InvoiceChargeRow {
  id: number;
  invoice_id: number;
  rule_code: string | null;
  rule_kind: string | null;
  description: string;
  basis: InvoiceChargeBasis;
  amount: string;
  overridden: boolean;
}

/** The charges of many invoices in one statement, by invoice, fuel surcharges first, then by description. */
export async function selectChargesOfInvoices(em: EntityManager, invoiceIds: readonly number[]): Promise<InvoiceChargeRow[]> {
  if (invoiceIds.length === 0) return [];
  return em.execute<InvoiceChargeRow[]>(
    `select c.id, c.invoice_id, r.code as rule_code, r.kind as rule_kind, c.description, c.basis, c.amount::text as amount, c.overridden
       from invoice_charge c left join charge_rule r on r.id = c.rule_id
      where c.invoice_id = any(?::int[])
      order by c.invoice_id, (c.basis = 'PORT_AND_BOX_TYPE') desc, c.description, c.id`,
    [pgIntArray(invoiceIds)],
  );
}

/**
 * What each line of these invoices would carry of their fuel surcharges, in one statement: per line, the rates
 * of the active fuel surcharge rules for the port and box type of each box it took (a box once per line). Lines
 * without any are left out.
 */
export async function selectFuelWeightsOfLines(
  em: EntityManager,
  invoiceIds: readonly number[],
): Promise<Array<{ invoice_id: number; line_id: number; weight: string }>> {
  if (invoiceIds.length === 0) return [];
  return em.execute<Array<{ invoice_id: number; line_id: number; weight: string }>>(
    `select x.invoice_id, x.line_id, sum(rt.amount)::text as weight
       from (select distinct l.invoice_id, t.invoice_line_id as line_id, t.box_id from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id
              where l.invoice_id = any(?::int[])) x
       join box b on b.id = x.box_id
       join charge_rate rt on rt.port_of_origin = b.port_of_origin and rt.box_type_id = b.box_type_id
       join charge_rule r on r.id = rt.rule_id and r.active and r.kind = 'FUEL_SURCHARGE'
      group by x.invoice_id, x.line_id`,
    [pgIntArray(invoiceIds)],
  );
}

/** Locks an invoice's charge of a rule (when there is one) and reads it. */
export async function lockInvoiceCharge(
  em: EntityManager,
  invoiceId: number,
  ruleId: number,
): Promise<{ id: number; amount: string; overridden: boolean } | null> {
  const [row] = await em.execute<Array<{ id: number; amount: string; overridden: boolean }>>(
    `select id, amount::text as amount, overridden from invoice_charge where invoice_id = ? and rule_id = ? for update`,
    [invoiceId, ruleId],
  );
  return row ? { id: Number(row.id), amount: row.amount, overridden: row.overridden } : null;
}

/** Sets an invoice's charge of a rule by hand (overridden): written as typed, kept by every recomputation. */
export async function upsertOverriddenCharge(
  em: EntityManager,
  charge: { invoiceId: number; ruleId: number; description: string; basis: string; amount: string },
): Promise<void> {
  await em.execute(
    `insert into invoice_charge (invoice_id, rule_id, description, basis, amount, overridden) values (?, ?, ?, ?, ?, true)
     on conflict (invoice_id, rule_id) do update set amount = excluded.amount, overridden = true`,
    [charge.invoiceId, charge.ruleId, charge.description, charge.basis, charge.amount],
  );
}

/** Hands an invoice's charge of a rule back to its rule (the next recomputation sets its amount). */
export async function releaseOverriddenCharge(em: EntityManager, invoiceId: number, ruleId: number): Promise<void> {
  await em.execute(`update invoice_charge set overridden = false where invoice_id = ? and rule_id = ?`, [invoiceId, ruleId]);
}
