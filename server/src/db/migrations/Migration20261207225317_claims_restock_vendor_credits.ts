import { Migration } from '@mikro-orm/migrations';

// Restocked units of customer credits (credit_restock, box.restock_of_id), farm claims (vendor_credit and its
// lines, numbered VC-...), and the change feed's statement triggers for both, by the rules of
// change_feed_statement_triggers: a credit's or claim's own row is CREATED, UPDATED or DELETED, a line changes
// its document, the key, version (and a credit's customer) are the document's after the statement.

interface FeedTable {
  table: string;
  docType: 'CREDIT' | 'VENDOR_CREDIT';
  docTable: string;
  docColumn: string;
  own: boolean;
}

const feedTables: FeedTable[] = [
  { table: 'credit', docType: 'CREDIT', docTable: 'credit', docColumn: 'id', own: true },
  { table: 'credit_line', docType: 'CREDIT', docTable: 'credit', docColumn: 'credit_id', own: false },
  { table: 'vendor_credit', docType: 'VENDOR_CREDIT', docTable: 'vendor_credit', docColumn: 'id', own: true },
  { table: 'vendor_credit_line', docType: 'VENDOR_CREDIT', docTable: 'vendor_credit', docColumn: 'vendor_credit_id', own: false },
];

function recordChanges(t: FeedTable, kind: string, transitionTables: ('new_rows' | 'old_rows')[]): string {
  const customer = t.docType === 'CREDIT';
  const fallbackKey = t.own ? 'r."number"::text' : 'null::text';
  const fallbackCustomer = t.own && customer ? 'r."customer_id"' : 'null::int';
  const rows = transitionTables
    .map(
      (name, i) => `select r."${t.docColumn}" as doc_id, ${fallbackKey} as fallback_key, ${fallbackCustomer} as fallback_customer, ${i} as pref from ${name} r`,
    )
    .join(' union all ');
  return `insert into change_event (xid, type, entity_id, key, version, change, customer_id)
          select pg_current_xact_id(), '${t.docType}', c.doc_id, coalesce(d."number", c.fallback_key), d.version, '${kind}',
                 ${customer ? 'coalesce(d.customer_id, c.fallback_customer)' : 'null::int'}
          from (select distinct on (doc_id) doc_id, fallback_key, fallback_customer from (${rows}) s
                where doc_id is not null order by doc_id, pref) c
          left join lateral (select * from "${t.docTable}" d where d.id = c.doc_id offset 0) d on true
          where coalesce(d."number", c.fallback_key) is not null
          order by c.doc_id
          on conflict (xid, type, entity_id) do update set
            key = excluded.key,
            version = coalesce(excluded.version, change_event.version),
            change = case when excluded.change = 'DELETED' then 'DELETED' when change_event.change = 'CREATED' then 'CREATED' else excluded.change end,
            customer_id = coalesce(excluded.customer_id, change_event.customer_id);`;
}

function feedTriggers(t: FeedTable): string[] {
  const kinds = t.own ? { insert: 'CREATED', update: 'UPDATED', delete: 'DELETED' } : { insert: 'UPDATED', update: 'UPDATED', delete: 'UPDATED' };
  const fn = `stemline_change_feed_${t.table}`;
  return [
    `create or replace function "${fn}"() returns trigger language plpgsql as $$
        begin
          if to_regclass('change_event') is null then return null; end if;
          if TG_OP = 'INSERT' then
            ${recordChanges(t, kinds.insert, ['new_rows'])}
          elsif TG_OP = 'UPDATE' then
            ${recordChanges(t, kinds.update, ['new_rows', 'old_rows'])}
          else
            ${recordChanges(t, kinds.delete, ['old_rows'])}
          end if;
          return null;
        end $$;`,
    `create trigger "${t.table}_change_feed_insert" after insert on "${t.table}" referencing new table as new_rows for each statement execute function "${fn}"();`,
    `create trigger "${t.table}_change_feed_update" after update on "${t.table}" referencing old table as old_rows new table as new_rows for each statement execute function "${fn}"();`,
    `create trigger "${t.table}_change_feed_delete" after delete on "${t.table}" referencing old table as old_rows for each statement execute function "${fn}"();`,
  ];
}

export class Migration20261207225317_claims_restock_vendor_credits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "credit_restock" ("id" serial primary key, "credit_line_id" int not null, "source_box_id" int not null, "box_id" int not null, "units" int not null, "unit_cost" numeric(14,4) not null);`,
    );
    this.addSql(`create index "credit_restock_credit_line_id_index" on "credit_restock" ("credit_line_id");`);
    this.addSql(`create index "credit_restock_source_box_id_index" on "credit_restock" ("source_box_id");`);
    this.addSql(`create index "credit_restock_box_id_index" on "credit_restock" ("box_id");`);

    this.addSql(
      `create table "vendor_credit" ("id" serial primary key, "number" varchar(20) not null, "vendor_id" int not null, "status" text check ("status" in ('PENDING', 'SENT', 'ACCEPTED', 'REJECTED')) not null default 'PENDING', "source" text check ("source" in ('CREDIT', 'INSPECTION', 'MANUAL')) not null default 'MANUAL', "source_credit_id" int null, "reason_id" int null, "notes" varchar(1000) not null default '', "created_by" varchar(200) not null, "status_by" varchar(200) null, "status_at" timestamptz null, "status_note" varchar(1000) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "vendor_credit" add constraint "vendor_credit_number_unique" unique ("number");`);
    this.addSql(`create index "vendor_credit_source_credit_id_index" on "vendor_credit" ("source_credit_id");`);
    this.addSql(`create index "vendor_credit_vendor_id_status_index" on "vendor_credit" ("vendor_id", "status");`);

    this.addSql(
      `create table "vendor_credit_line" ("id" serial primary key, "vendor_credit_id" int not null, "line_no" int not null, "box_id" int null, "purchase_order_line_id" int null, "invoice_line_id" int null, "units" int not null, "product_amount" numeric(14,4) not null, "freight_amount" numeric(14,4) not null, "duty_amount" numeric(14,4) not null, "handling_amount" numeric(14,4) not null, "amount" numeric(14,4) not null);`,
    );
    this.addSql(`create index "vendor_credit_line_vendor_credit_id_index" on "vendor_credit_line" ("vendor_credit_id");`);
    this.addSql(`create index "vendor_credit_line_box_id_index" on "vendor_credit_line" ("box_id");`);
    this.addSql(`create index "vendor_credit_line_purchase_order_line_id_index" on "vendor_credit_line" ("purchase_order_line_id");`);
    this.addSql(`create index "vendor_credit_line_invoice_line_id_index" on "vendor_credit_line" ("invoice_line_id");`);

    this.addSql(
      `alter table "credit_restock" add constraint "credit_restock_credit_line_id_foreign" foreign key ("credit_line_id") references "credit_line" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "credit_restock" add constraint "credit_restock_source_box_id_foreign" foreign key ("source_box_id") references "box" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "credit_restock" add constraint "credit_restock_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "vendor_credit" add constraint "vendor_credit_vendor_id_foreign" foreign key ("vendor_id") references "vendor" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "vendor_credit" add constraint "vendor_credit_source_credit_id_foreign" foreign key ("source_credit_id") references "credit" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "vendor_credit" add constraint "vendor_credit_reason_id_foreign" foreign key ("reason_id") references "credit_reason" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "vendor_credit_line" add constraint "vendor_credit_line_vendor_credit_id_foreign" foreign key ("vendor_credit_id") references "vendor_credit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "vendor_credit_line" add constraint "vendor_credit_line_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "vendor_credit_line" add constraint "vendor_credit_line_purchase_order_line_id_foreign" foreign key ("purchase_order_line_id") references "purchase_order_line" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "vendor_credit_line" add constraint "vendor_credit_line_invoice_line_id_foreign" foreign key ("invoice_line_id") references "invoice_line" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT', 'CREDIT', 'VENDOR_CREDIT'));`,
    );

    this.addSql(`alter table "box" add column "restock_of_id" int null;`);
    this.addSql(
      `alter table "box" add constraint "box_restock_of_id_foreign" foreign key ("restock_of_id") references "box" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`create sequence if not exists "vendor_credit_number_seq";`);
    for (const t of feedTables) for (const sql of feedTriggers(t)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const t of feedTables) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists "${t.table}_change_feed_${op}" on "${t.table}";`);
      this.addSql(`drop function if exists "stemline_change_feed_${t.table}"();`);
    }
    this.addSql(`delete from "change_event" where "type" in ('CREDIT', 'VENDOR_CREDIT');`);
    this.addSql(`drop sequence if exists "vendor_credit_number_seq";`);
    this.addSql(`alter table "vendor_credit_line" drop constraint "vendor_credit_line_vendor_credit_id_foreign";`);

    this.addSql(`drop table if exists "credit_restock" cascade;`);

    this.addSql(`drop table if exists "vendor_credit" cascade;`);

    this.addSql(`drop table if exists "vendor_credit_line" cascade;`);

    this.addSql(`alter table "box" drop constraint "box_restock_of_id_foreign";`);

    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(`alter table "box" drop column "restock_of_id";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT'));`,
    );
  }
}
