import { Migration } from '@mikro-orm/migrations';
import { Migration20261129050110_change_feed } from './Migration20261129050110_change_feed';

// The change feed's triggers, per statement instead of per row (#18): one set-based upsert into change_event
// per statement, reading the statement's transition tables, instead of to_jsonb and a lookup and an upsert for
// every row. The rules are those of the row triggers they replace: a document's own row is CREATED, UPDATED or
// DELETED; a line (or shipment, ship-to) changes its document; a line moved between documents changes both; the
// key, version and customer are the document's own after the statement (its old row's when it was deleted); a
// line deleted with its document adds nothing; repeated changes in a transaction merge into one event.

interface FeedTable {
  table: string;
  docType: string;
  docColumn: string;
  /** The document's key column on its own table; null on a line table. */
  keyColumn: string | null;
}

const feedTables: FeedTable[] = [
  { table: 'invoice', docType: 'INVOICE', docColumn: 'id', keyColumn: 'number' },
  { table: 'invoice_line', docType: 'INVOICE', docColumn: 'invoice_id', keyColumn: null },
  { table: 'prebook', docType: 'PREBOOK', docColumn: 'id', keyColumn: 'number' },
  { table: 'prebook_line', docType: 'PREBOOK', docColumn: 'prebook_id', keyColumn: null },
  { table: 'purchase_order', docType: 'PURCHASE_ORDER', docColumn: 'id', keyColumn: 'number' },
  { table: 'purchase_order_line', docType: 'PURCHASE_ORDER', docColumn: 'purchase_order_id', keyColumn: null },
  { table: 'shipment', docType: 'PURCHASE_ORDER', docColumn: 'purchase_order_id', keyColumn: null },
  { table: 'standing_order', docType: 'STANDING_ORDER', docColumn: 'id', keyColumn: 'number' },
  { table: 'standing_order_line', docType: 'STANDING_ORDER', docColumn: 'standing_order_id', keyColumn: null },
  { table: 'box', docType: 'BOX', docColumn: 'id', keyColumn: 'label' },
  { table: 'customer', docType: 'CUSTOMER', docColumn: 'id', keyColumn: 'code' },
  { table: 'ship_to', docType: 'CUSTOMER', docColumn: 'customer_id', keyColumn: null },
  { table: 'vendor', docType: 'VENDOR', docColumn: 'id', keyColumn: 'code' },
  { table: 'product', docType: 'PRODUCT', docColumn: 'id', keyColumn: 'code' },
];

/** Where each feed type reads its document's key, version and customer. */
const documents: Record<string, { table: string; key: string; version: boolean; customer: boolean }> = {
  INVOICE: { table: 'invoice', key: 'number', version: true, customer: true },
  PREBOOK: { table: 'prebook', key: 'number', version: true, customer: true },
  PURCHASE_ORDER: { table: 'purchase_order', key: 'number', version: true, customer: false },
  STANDING_ORDER: { table: 'standing_order', key: 'number', version: true, customer: false },
  BOX: { table: 'box', key: 'label', version: false, customer: false },
  CUSTOMER: { table: 'customer', key: 'code', version: false, customer: false },
  VENDOR: { table: 'vendor', key: 'code', version: false, customer: false },
  PRODUCT: { table: 'product', key: 'code', version: false, customer: false },
};

/**
 * The upsert of one statement's changes. PL/pgSQL plans it once per session, on whatever statement comes
 * first: the document is read by id for each changed document (offset 0 keeps the lateral from becoming a
 * join the planner could hash over the whole document table), so the plan suits one row and 100,000 alike.
 */
function recordChanges(t: FeedTable, kind: string, transitionTables: ('new_rows' | 'old_rows')[]): string {
  const doc = documents[t.docType];
  const fallbackKey = t.keyColumn ? `r."${t.keyColumn}"::text` : 'null::text';
  const fallbackCustomer = t.keyColumn && doc.customer ? 'r."customer_id"' : 'null::int';
  // The new row's values win over the old row's for a document in both (its row was updated, not moved).
  const rows = transitionTables
    .map(
      (name, i) => `select r."${t.docColumn}" as doc_id, ${fallbackKey} as fallback_key, ${fallbackCustomer} as fallback_customer, ${i} as pref from ${name} r`,
    )
    .join(' union all ');
  return `insert into change_event (xid, type, entity_id, key, version, change, customer_id)
          select pg_current_xact_id(), '${t.docType}', c.doc_id, coalesce(d."${doc.key}", c.fallback_key), ${doc.version ? 'd.version' : 'null::int'}, '${kind}',
                 ${doc.customer ? 'coalesce(d.customer_id, c.fallback_customer)' : 'null::int'}
          from (select distinct on (doc_id) doc_id, fallback_key, fallback_customer from (${rows}) s
                where doc_id is not null order by doc_id, pref) c
          left join lateral (select * from "${doc.table}" d where d.id = c.doc_id offset 0) d on true
          where coalesce(d."${doc.key}", c.fallback_key) is not null
          order by c.doc_id
          on conflict (xid, type, entity_id) do update set
            key = excluded.key,
            version = coalesce(excluded.version, change_event.version),
            change = case when excluded.change = 'DELETED' then 'DELETED' when change_event.change = 'CREATED' then 'CREATED' else excluded.change end,
            customer_id = coalesce(excluded.customer_id, change_event.customer_id);`;
}

function functionName(t: FeedTable): string {
  return `stemline_change_feed_${t.table}`;
}

export class Migration20261129080000_change_feed_statement_triggers extends Migration {
  override async up(): Promise<void> {
    for (const t of feedTables) {
      this.addSql(`drop trigger if exists "${t.table}_change_feed" on "${t.table}";`);
      const kinds = t.keyColumn ? { insert: 'CREATED', update: 'UPDATED', delete: 'DELETED' } : { insert: 'UPDATED', update: 'UPDATED', delete: 'UPDATED' };
      this.addSql(`create or replace function "${functionName(t)}"() returns trigger language plpgsql as $$
        begin
          -- The feed's own migration rolled back alone (its down drops change_event): record nothing.
          if to_regclass('change_event') is null then return null; end if;
          if TG_OP = 'INSERT' then
            ${recordChanges(t, kinds.insert, ['new_rows'])}
          elsif TG_OP = 'UPDATE' then
            ${recordChanges(t, kinds.update, ['new_rows', 'old_rows'])}
          else
            ${recordChanges(t, kinds.delete, ['old_rows'])}
          end if;
          return null;
        end $$;`);
      this.addSql(
        `create trigger "${t.table}_change_feed_insert" after insert on "${t.table}" referencing new table as new_rows for each statement execute function "${functionName(t)}"();`,
      );
      this.addSql(
        `create trigger "${t.table}_change_feed_update" after update on "${t.table}" referencing old table as old_rows new table as new_rows for each statement execute function "${functionName(t)}"();`,
      );
      this.addSql(
        `create trigger "${t.table}_change_feed_delete" after delete on "${t.table}" referencing old table as old_rows for each statement execute function "${functionName(t)}"();`,
      );
    }
    this.addSql(`drop function if exists "stemline_change_trigger"();`);
    this.addSql(`drop function if exists "stemline_record_change"(text, int, text, text, int);`);
  }

  override async down(): Promise<void> {
    for (const t of feedTables) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists "${t.table}_change_feed_${op}" on "${t.table}";`);
      this.addSql(`drop function if exists "${functionName(t)}"();`);
    }
    // The row triggers and their functions, as the change feed's migration made them.
    const original = new Migration20261129050110_change_feed(this.driver, this.config);
    await original.up();
    for (const query of original.getQueries()) {
      const text = String(query);
      if (text.startsWith('create or replace function') || text.startsWith('create trigger')) this.addSql(query);
    }
  }
}
