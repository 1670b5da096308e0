import { Migration } from '@mikro-orm/migrations';

// A prebook or invoice moved to another customer leaves the old customer's feed with a REMOVED entry: a second
// statement trigger on update (named to fire after "<table>_change_feed_update", which wrote the document's
// event) records the customer each document belonged to before the statement, once per transaction (the first
// owner is kept through several moves).
const tables = [
  { table: 'prebook', type: 'PREBOOK' },
  { table: 'invoice', type: 'INVOICE' },
];

export class Migration20261207171524_change_feed_removed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "change_event" add column "removed_customer_id" int null;`);
    for (const { table, type } of tables) {
      this.addSql(`create or replace function "stemline_change_feed_${table}_owner"() returns trigger language plpgsql as $$
        begin
          if to_regclass('change_event') is null then return null; end if;
          update change_event e set removed_customer_id = coalesce(e.removed_customer_id, o.customer_id)
            from old_rows o join new_rows n on n.id = o.id
           where o.customer_id is distinct from n.customer_id
             and e.xid = pg_current_xact_id() and e.type = '${type}' and e.entity_id = o.id;
          return null;
        end $$;`);
      this.addSql(
        `create trigger "${table}_change_feed_update_owner" after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function "stemline_change_feed_${table}_owner"();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const { table } of tables) {
      this.addSql(`drop trigger if exists "${table}_change_feed_update_owner" on "${table}";`);
      this.addSql(`drop function if exists "stemline_change_feed_${table}_owner"();`);
    }
    this.addSql(`alter table "change_event" drop column "removed_customer_id";`);
  }
}
