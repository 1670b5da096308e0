// The invariants of docs/maintainers.md#invariants as counts over a whole database (0 everywhere is correct).
import pg from 'pg';

export interface InvariantCounts {
  /** Boxes on more than one live invoice line for all their units, or whose live takes exceed the box. */
  boxesBilledTwice: number;
  /** Boxes whose remaining units plus what live invoices took plus what adjustments wrote off is not the box. */
  boxesLost: number;
  /** Boxes whose fields disagree with their status. */
  boxesInBadState: number;
  /** Prebook lines billed beyond what they ordered. */
  prebookLinesOverbilled: number;
  /** Invoice lines whose units are not what they took. */
  invoiceLinesUnbalanced: number;
}

const LIVE_TAKES = `select t.box_id, sum(t.units) as units, count(*) as takes from invoice_line_box t
  join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id where i.status <> 'VOID' group by t.box_id`;

/** Units inventory adjustments (dumps, shrink, a count's missing boxes) took out of each box. */
const WRITTEN_OFF = `select a.box_id, sum(a.units) as units from inventory_adjustment a group by a.box_id`;

export async function countInvariantViolations(databaseUrl: string): Promise<InvariantCounts> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const count = async (sql: string) => Number((await client.query(`select count(*) as n from (${sql}) x`)).rows[0].n);
  try {
    return {
      boxesBilledTwice: await count(`select b.id from box b join (${LIVE_TAKES}) taken on taken.box_id = b.id
        where taken.units > b.units or (b.status = 'INVOICED' and taken.takes > 1 and exists (
          select 1 from invoice_line_box t join invoice_line l on l.id = t.invoice_line_id join invoice i on i.id = l.invoice_id
           where t.box_id = b.id and i.status <> 'VOID' and t.units = b.units))`),
      boxesLost: await count(
        `select b.id from box b left join (${LIVE_TAKES}) taken on taken.box_id = b.id left join (${WRITTEN_OFF}) adjusted on adjusted.box_id = b.id
          where b.units <> b.units_remaining + coalesce(taken.units, 0) + coalesce(adjusted.units, 0)`,
      ),
      boxesInBadState: await count(`select id from box where
           (status = 'STAGED' and (inventory_type is not null or confirmed_at is not null or units_remaining <> units))
        or (status = 'IN_INVENTORY' and (inventory_type is null or units_remaining <= 0))
        or (status = 'INVOICED' and units_remaining <> 0)`),
      prebookLinesOverbilled: await count(`select pl.id from prebook_line pl join invoice_line il on il.prebook_line_id = pl.id
          join invoice i on i.id = il.invoice_id and i.status <> 'VOID'
         group by pl.id
        having (pl.sell_by = 'BOX' and sum(il.boxes) > pl.boxes) or (pl.sell_by = 'UNIT' and sum(il.units) - pl.units >= pl.units_per_box)`),
      invoiceLinesUnbalanced: await count(
        `select l.id from invoice_line l left join invoice_line_box t on t.invoice_line_id = l.id group by l.id having l.units <> coalesce(sum(t.units), 0)`,
      ),
    };
  } finally {
    await client.end();
  }
}
