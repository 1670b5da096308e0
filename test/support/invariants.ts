import { expect } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';

/** The invariants of docs/maintainers.md#invariants, checked over the whole database. */
export async function checkBoxInvariants(orm: MikroORM): Promise<void> {
  const sql = (query: string) => orm.em.getConnection().execute(query);
  // Each state has the fields that go with it.
  expect(
    await sql(`select label from box where
       (status = 'STAGED' and (inventory_type is not null or confirmed_at is not null or units_remaining <> units))
    or (status = 'IN_INVENTORY' and (inventory_type is null or units_remaining <= 0))
    or (status = 'INVOICED' and units_remaining <> 0)
    or (status = 'VOID' and units_remaining <> 0)
    or status not in ('STAGED', 'IN_INVENTORY', 'INVOICED', 'VOID')`),
  ).toEqual([]);
  // No unit appears or vanishes: what is left plus what live invoices took plus what was adjusted out is the box.
  expect(
    await sql(`select b.label from box b left join (
      select t.box_id, sum(t.units) as units from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       where i.status <> 'VOID' group by t.box_id) taken on taken.box_id = b.id
      left join (select a.box_id, sum(a.units) as units from inventory_adjustment a group by a.box_id) adjusted on adjusted.box_id = b.id
     where b.units <> b.units_remaining + coalesce(taken.units, 0) + coalesce(adjusted.units, 0)`),
  ).toEqual([]);
  // A box billed whole is on exactly one line of a live invoice.
  expect(
    await sql(`select b.label from box b where b.status = 'INVOICED' and exists (
      select 1 from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       where t.box_id = b.id and i.status <> 'VOID' and t.units = b.units) and 1 <> (
      select count(*) from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
       where t.box_id = b.id and i.status <> 'VOID')`),
  ).toEqual([]);
  // Invoice lines add up to what they took; no PO line ships more than it ordered.
  const unbalanced = await sql(
    `select l.id from invoice_line l left join invoice_line_box t on t.invoice_line_id = l.id group by l.id having l.units <> coalesce(sum(t.units), 0)`,
  );
  if (unbalanced.length && process.env.FC_DEBUG) {
    console.log(
      JSON.stringify(
        await sql(
          `select l.id, l.units, l.boxes, l.prebook_line_id, i.number, i.status, i.source, (select json_agg(json_build_object('box', t.box_id, 'units', t.units)) from invoice_line_box t where t.invoice_line_id = l.id) as takes from invoice_line l join invoice i on i.id = l.invoice_id where l.id = ${unbalanced[0].id}`,
        ),
      ),
    );
  }
  expect(unbalanced).toEqual([]);
  expect(await sql(`select l.id from purchase_order_line l join box b on b.purchase_order_line_id = l.id group by l.id having count(*) > l.boxes`)).toEqual([]);
}

/**
 * Auto-billing never bills a prebook line beyond its quantity, with zero tolerance: boxes for lines sold
 * by the box; units for lines sold in units. The only exception is billUnitsAsBoxes rounding
 * (docs/maintainers.md#shared-boxes-and-lines-sold-in-units), stated exactly: a unit line may bill beyond its units by at most the rounding remainders of
 * the boxes bought for it that it billed from, a box's remainder being its units beyond all the demands
 * it was bought for (box.units - sum of box_demand.units). Boxes not bought for the line (open market,
 * another line's released stock) give it no allowance: from them it bills only what it needs.
 */
export async function checkNoOverbilling(orm: MikroORM): Promise<void> {
  const rows = await orm.em.getConnection().execute(`
    with billed as (
      select il.prebook_line_id as id, sum(il.boxes) as boxes, sum(il.units) as units
        from invoice_line il join invoice i on i.id = il.invoice_id and i.status <> 'VOID'
       where il.prebook_line_id is not null group by 1
    ), remainders as (
      select x.prebook_line_id as id, sum(x.remainder) as units from (
        select distinct il.prebook_line_id, b.id as box_id,
               greatest(0, b.units - (select coalesce(sum(d.units), 0) from box_demand d where d.box_id = b.id)) as remainder
          from invoice_line il join invoice i on i.id = il.invoice_id and i.status <> 'VOID'
          join invoice_line_box t on t.invoice_line_id = il.id join box b on b.id = t.box_id
         where exists (select 1 from box_demand d where d.box_id = b.id and d.prebook_line_id = il.prebook_line_id)
      ) x group by 1
    )
    select pl.id, pl.sell_by, pl.boxes as ordered_boxes, pl.units as ordered_units,
           billed.boxes as billed_boxes, billed.units as billed_units, coalesce(remainders.units, 0) as remainder
      from prebook_line pl join billed on billed.id = pl.id left join remainders on remainders.id = pl.id`);
  const over = rows.filter((r: any) =>
    r.sell_by === 'BOX' ? Number(r.billed_boxes) > Number(r.ordered_boxes) : Number(r.billed_units) > Number(r.ordered_units) + Number(r.remainder),
  );
  expect(over).toEqual([]);
}

/**
 * No unit is left as a customer's stock that nothing needs (docs/maintainers.md#invariants, releaseFulfilled): with
 * OPEN_MARKET, a box in inventory whose prebook lines are all fully billed is open market (type M, no
 * customer), not type P or S; with KEEP_CUSTOMER it stays as it is. Only of the boxes with these labels
 * (a box left by an earlier setting is not judged by the current one).
 */
export async function checkLeftoversFollowReleaseFulfilled(orm: MikroORM, releaseFulfilled: string, labels: readonly string[]): Promise<void> {
  if (releaseFulfilled !== 'OPEN_MARKET') return;
  const rows = await orm.em.getConnection().execute(
    `
    with billed as (
      select il.prebook_line_id as id, sum(il.boxes) as boxes, sum(il.units) as units
        from invoice_line il join invoice i on i.id = il.invoice_id and i.status <> 'VOID'
       where il.prebook_line_id is not null group by 1
    )
    select b.label, b.units_remaining, b.inventory_type from box b
     where b.label = any(?::text[]) and b.status = 'IN_INVENTORY' and b.inventory_type in ('P', 'S') and b.units_remaining > 0
       and exists (select 1 from box_demand d where d.box_id = b.id)
       and not exists (
         select 1 from box_demand d join prebook_line pl on pl.id = d.prebook_line_id left join billed on billed.id = pl.id
          where d.box_id = b.id
            and (case when pl.sell_by = 'BOX' then coalesce(billed.boxes, 0) < coalesce(pl.boxes, 0) else coalesce(billed.units, 0) < pl.units end))`,
    [`{${labels.map((label) => `"${label}"`).join(',')}}`],
  );
  expect(rows).toEqual([]);
}
