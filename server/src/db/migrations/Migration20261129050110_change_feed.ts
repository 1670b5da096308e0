import { Migration } from '@mikro-orm/migrations';

export class Migration20261129050110_change_feed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "change_event" ("id" bigserial primary key, "xid" xid8 not null default pg_current_xact_id(), "type" text check ("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT')) not null, "entity_id" int not null, "key" varchar(60) not null, "version" int null, "change" text check ("change" in ('CREATED', 'UPDATED', 'DELETED')) not null, "customer_id" int null, "at" timestamptz not null default now());`,
    );
    this.addSql(`create index "change_event_xid_id_index" on "change_event" ("xid", "id");`);
    this.addSql(`alter table "change_event" add constraint "change_event_xid_type_entity_id_unique" unique ("xid", "type", "entity_id");`);

    // The outbox is written by triggers, in the writing transaction: every ORM flush and every set-based
    // statement (billing) is recorded once per document and transaction, and a rollback leaves nothing.
    this
      .addSql(`create or replace function "stemline_record_change"(doc_type text, doc_id int, kind text, fallback_key text, fallback_customer int) returns void language plpgsql as $$
      declare
        doc_key text;
        doc_version int;
        doc_customer int;
      begin
        if doc_id is null then return; end if;
        case doc_type
          when 'INVOICE' then select number, version, customer_id into doc_key, doc_version, doc_customer from invoice where id = doc_id;
          when 'PREBOOK' then select number, version, customer_id into doc_key, doc_version, doc_customer from prebook where id = doc_id;
          when 'PURCHASE_ORDER' then select number, version into doc_key, doc_version from purchase_order where id = doc_id;
          when 'STANDING_ORDER' then select number, version into doc_key, doc_version from standing_order where id = doc_id;
          when 'BOX' then select label into doc_key from box where id = doc_id;
          when 'CUSTOMER' then select code into doc_key from customer where id = doc_id;
          when 'VENDOR' then select code into doc_key from vendor where id = doc_id;
          when 'PRODUCT' then select code into doc_key from product where id = doc_id;
        end case;
        doc_key := coalesce(doc_key, fallback_key);
        if doc_type in ('INVOICE', 'PREBOOK') then doc_customer := coalesce(doc_customer, fallback_customer); end if;
        -- A line deleted with its (already deleted) document: the document's own row recorded it.
        if doc_key is null then return; end if;
        insert into change_event (xid, type, entity_id, key, version, change, customer_id)
        values (pg_current_xact_id(), doc_type, doc_id, doc_key, doc_version, kind, doc_customer)
        on conflict (xid, type, entity_id) do update set
          key = excluded.key,
          version = coalesce(excluded.version, change_event.version),
          change = case when excluded.change = 'DELETED' then 'DELETED' when change_event.change = 'CREATED' then 'CREATED' else excluded.change end,
          customer_id = coalesce(excluded.customer_id, change_event.customer_id);
      end $$;`);
    // Arguments: the feed type, the column naming the document (id on the document's own table), and the
    // document's key column on its own table ('' on a line table). A line moved to another document changes both.
    this.addSql(`create or replace function "stemline_change_trigger"() returns trigger language plpgsql as $$
      declare
        doc_type text := TG_ARGV[0];
        doc_column text := TG_ARGV[1];
        key_column text := nullif(TG_ARGV[2], '');
        new_row jsonb;
        old_row jsonb;
        kind text := 'UPDATED';
      begin
        if TG_OP <> 'DELETE' then new_row := to_jsonb(NEW); end if;
        if TG_OP <> 'INSERT' then old_row := to_jsonb(OLD); end if;
        if key_column is not null and TG_OP = 'INSERT' then kind := 'CREATED'; end if;
        if key_column is not null and TG_OP = 'DELETE' then kind := 'DELETED'; end if;
        if new_row is not null then
          perform stemline_record_change(doc_type, (new_row->>doc_column)::int, kind, new_row->>key_column, (new_row->>'customer_id')::int);
        end if;
        if old_row is not null and (new_row is null or (old_row->>doc_column) is distinct from (new_row->>doc_column)) then
          perform stemline_record_change(doc_type, (old_row->>doc_column)::int, kind, old_row->>key_column, (old_row->>'customer_id')::int);
        end if;
        return null;
      end $$;`);
    this.addSql(
      `create trigger "invoice_change_feed" after insert or update or delete on "invoice" for each row execute function stemline_change_trigger('INVOICE', 'id', 'number');`,
    );
    this.addSql(
      `create trigger "invoice_line_change_feed" after insert or update or delete on "invoice_line" for each row execute function stemline_change_trigger('INVOICE', 'invoice_id', '');`,
    );
    this.addSql(
      `create trigger "prebook_change_feed" after insert or update or delete on "prebook" for each row execute function stemline_change_trigger('PREBOOK', 'id', 'number');`,
    );
    this.addSql(
      `create trigger "prebook_line_change_feed" after insert or update or delete on "prebook_line" for each row execute function stemline_change_trigger('PREBOOK', 'prebook_id', '');`,
    );
    this.addSql(
      `create trigger "purchase_order_change_feed" after insert or update or delete on "purchase_order" for each row execute function stemline_change_trigger('PURCHASE_ORDER', 'id', 'number');`,
    );
    this.addSql(
      `create trigger "purchase_order_line_change_feed" after insert or update or delete on "purchase_order_line" for each row execute function stemline_change_trigger('PURCHASE_ORDER', 'purchase_order_id', '');`,
    );
    this.addSql(
      `create trigger "shipment_change_feed" after insert or update or delete on "shipment" for each row execute function stemline_change_trigger('PURCHASE_ORDER', 'purchase_order_id', '');`,
    );
    this.addSql(
      `create trigger "standing_order_change_feed" after insert or update or delete on "standing_order" for each row execute function stemline_change_trigger('STANDING_ORDER', 'id', 'number');`,
    );
    this.addSql(
      `create trigger "standing_order_line_change_feed" after insert or update or delete on "standing_order_line" for each row execute function stemline_change_trigger('STANDING_ORDER', 'standing_order_id', '');`,
    );
    this.addSql(
      `create trigger "box_change_feed" after insert or update or delete on "box" for each row execute function stemline_change_trigger('BOX', 'id', 'label');`,
    );
    this.addSql(
      `create trigger "customer_change_feed" after insert or update or delete on "customer" for each row execute function stemline_change_trigger('CUSTOMER', 'id', 'code');`,
    );
    this.addSql(
      `create trigger "ship_to_change_feed" after insert or update or delete on "ship_to" for each row execute function stemline_change_trigger('CUSTOMER', 'customer_id', '');`,
    );
    this.addSql(
      `create trigger "vendor_change_feed" after insert or update or delete on "vendor" for each row execute function stemline_change_trigger('VENDOR', 'id', 'code');`,
    );
    this.addSql(
      `create trigger "product_change_feed" after insert or update or delete on "product" for each row execute function stemline_change_trigger('PRODUCT', 'id', 'code');`,
    );
    // Documents that exist already enter the feed once, as created by this migration's transaction.
    this.addSql(`insert into "change_event" ("type", "entity_id", "key", "version", "change", "customer_id")
      select 'CUSTOMER', id, code, null::int, 'CREATED', null::int from customer
      union all select 'VENDOR', id, code, null::int, 'CREATED', null::int from vendor
      union all select 'PRODUCT', id, code, null::int, 'CREATED', null::int from product
      union all select 'STANDING_ORDER', id, number, version, 'CREATED', null::int from standing_order
      union all select 'PREBOOK', id, number, version, 'CREATED', customer_id from prebook
      union all select 'PURCHASE_ORDER', id, number, version, 'CREATED', null::int from purchase_order
      union all select 'BOX', id, label, null::int, 'CREATED', null::int from box
      union all select 'INVOICE', id, number, version, 'CREATED', customer_id from invoice
      order by 1, 2;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "invoice_change_feed" on "invoice";`);
    this.addSql(`drop trigger if exists "invoice_line_change_feed" on "invoice_line";`);
    this.addSql(`drop trigger if exists "prebook_change_feed" on "prebook";`);
    this.addSql(`drop trigger if exists "prebook_line_change_feed" on "prebook_line";`);
    this.addSql(`drop trigger if exists "purchase_order_change_feed" on "purchase_order";`);
    this.addSql(`drop trigger if exists "purchase_order_line_change_feed" on "purchase_order_line";`);
    this.addSql(`drop trigger if exists "shipment_change_feed" on "shipment";`);
    this.addSql(`drop trigger if exists "standing_order_change_feed" on "standing_order";`);
    this.addSql(`drop trigger if exists "standing_order_line_change_feed" on "standing_order_line";`);
    this.addSql(`drop trigger if exists "box_change_feed" on "box";`);
    this.addSql(`drop trigger if exists "customer_change_feed" on "customer";`);
    this.addSql(`drop trigger if exists "ship_to_change_feed" on "ship_to";`);
    this.addSql(`drop trigger if exists "vendor_change_feed" on "vendor";`);
    this.addSql(`drop trigger if exists "product_change_feed" on "product";`);
    this.addSql(`drop function if exists "stemline_change_trigger"();`);
    this.addSql(`drop function if exists "stemline_record_change"(text, int, text, text, int);`);
    this.addSql(`drop table if exists "change_event" cascade;`);
  }
}
