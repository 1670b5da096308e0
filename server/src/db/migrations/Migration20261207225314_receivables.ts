import { Migration } from '@mikro-orm/migrations';

// Receivables: payments and their applications to invoices, finance-charge and fee invoices, and the change
// feed's PAYMENT entries. A payment's own row is CREATED, UPDATED or DELETED; an application (written,
// changed or removed) changes both its payment and its invoice (the invoice's open amount moved). The
// conflict rule is the feed's: repeated changes in a transaction merge into one event.

const UPSERT = `on conflict (xid, type, entity_id) do update set
            key = excluded.key,
            version = coalesce(excluded.version, change_event.version),
            change = case when excluded.change = 'DELETED' then 'DELETED' when change_event.change = 'CREATED' then 'CREATED' else excluded.change end,
            customer_id = coalesce(excluded.customer_id, change_event.customer_id);`;

function paymentRows(rows: string, kind: string): string {
  return `insert into change_event (xid, type, entity_id, key, version, change, customer_id)
          select pg_current_xact_id(), 'PAYMENT', r.id, r.number, r.version, '${kind}', r.customer_id from ${rows} r order by r.id
          ${UPSERT}`;
}

/** The payments and invoices of the applications in `rows` (a transition table, or two as a union). */
function applicationRows(rows: string): string {
  return `insert into change_event (xid, type, entity_id, key, version, change, customer_id)
          select pg_current_xact_id(), 'PAYMENT', p.id, p.number, p.version, 'UPDATED', p.customer_id
            from payment p where p.id in (select payment_id from (${rows}) a) order by p.id
          ${UPSERT}
          insert into change_event (xid, type, entity_id, key, version, change, customer_id)
          select pg_current_xact_id(), 'INVOICE', i.id, i.number, i.version, 'UPDATED', i.customer_id
            from invoice i where i.id in (select invoice_id from (${rows}) a) order by i.id
          ${UPSERT}`;
}

const TRIGGERS = [
  {
    table: 'payment',
    body: `if TG_OP = 'INSERT' then ${paymentRows('new_rows', 'CREATED')}
          elsif TG_OP = 'UPDATE' then ${paymentRows('new_rows', 'UPDATED')}
          else ${paymentRows('old_rows', 'DELETED')}
          end if;`,
  },
  {
    table: 'payment_application',
    body: `if TG_OP = 'INSERT' then ${applicationRows('select payment_id, invoice_id from new_rows')}
          elsif TG_OP = 'UPDATE' then ${applicationRows('select payment_id, invoice_id from new_rows union select payment_id, invoice_id from old_rows')}
          else ${applicationRows('select payment_id, invoice_id from old_rows')}
          end if;`,
  },
];

export class Migration20261207225314_receivables extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "payment" ("id" serial primary key, "number" varchar(20) not null, "customer_id" int not null, "payment_date" date not null, "amount" numeric(14,4) not null, "method" text check ("method" in ('CHECK', 'WIRE', 'ACH', 'CARD', 'CASH', 'OTHER')) not null, "reference" varchar(100) not null default '', "status" text check ("status" in ('POSTED', 'VOID')) not null default 'POSTED', "recorded_by" varchar(200) not null, "void_reason" varchar(1000) null, "voided_by" varchar(200) null, "voided_at" timestamptz null, "fee_invoice_id" int null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "payment" add constraint "payment_number_unique" unique ("number");`);
    this.addSql(`create index "payment_customer_id_status_index" on "payment" ("customer_id", "status");`);

    this.addSql(
      `create table "payment_application" ("id" serial primary key, "payment_id" int null, "credit_id" int null, "invoice_id" int not null, "amount" numeric(14,4) not null, "applied_by" varchar(200) not null, "applied_at" timestamptz not null, "reversed_at" timestamptz null);`,
    );
    this.addSql(`create index "payment_application_payment_id_index" on "payment_application" ("payment_id");`);
    this.addSql(`create index "payment_application_credit_id_index" on "payment_application" ("credit_id");`);
    this.addSql(`create index "payment_application_invoice_id_index" on "payment_application" ("invoice_id");`);

    this.addSql(
      `alter table "payment" add constraint "payment_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_fee_invoice_id_foreign" foreign key ("fee_invoice_id") references "invoice" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "payment_application" add constraint "payment_application_payment_id_foreign" foreign key ("payment_id") references "payment" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "payment_application" add constraint "payment_application_credit_id_foreign" foreign key ("credit_id") references "credit" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "payment_application" add constraint "payment_application_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`,
    );

    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(`alter table "invoice" drop constraint if exists "invoice_kind_check";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT', 'PAYMENT'));`,
    );

    this.addSql(
      `alter table "settings" add column "finance_charge_percent_monthly" numeric(7,3) not null default '0', add column "finance_charge_grace_days" int not null default 0;`,
    );

    this.addSql(`alter table "invoice" add column "fee_amount" numeric(14,4) null, add column "charge_period" varchar(7) null;`);
    this.addSql(`alter table "invoice" add constraint "invoice_kind_check" check("kind" in ('SALE', 'TRANSFER', 'FINANCE_CHARGE', 'FEE'));`);
    this.addSql(`alter table "invoice" add constraint "invoice_customer_id_charge_period_unique" unique ("customer_id", "charge_period");`);
    this.addSql(`create sequence if not exists "payment_number_seq";`);
    for (const { table, body } of TRIGGERS) {
      this.addSql(`create or replace function "stemline_change_feed_${table}"() returns trigger language plpgsql as $$
        begin
          if to_regclass('change_event') is null then return null; end if;
          ${body}
          return null;
        end $$;`);
      this.addSql(
        `create trigger "${table}_change_feed_insert" after insert on "${table}" referencing new table as new_rows for each statement execute function "stemline_change_feed_${table}"();`,
      );
      this.addSql(
        `create trigger "${table}_change_feed_update" after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function "stemline_change_feed_${table}"();`,
      );
      this.addSql(
        `create trigger "${table}_change_feed_delete" after delete on "${table}" referencing old table as old_rows for each statement execute function "stemline_change_feed_${table}"();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const { table } of TRIGGERS) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists "${table}_change_feed_${op}" on "${table}";`);
      this.addSql(`drop function if exists "stemline_change_feed_${table}"();`);
    }
    this.addSql(`drop sequence if exists "payment_number_seq";`);
    this.addSql(`delete from "change_event" where "type" = 'PAYMENT';`);
    this.addSql(`alter table "payment_application" drop constraint "payment_application_payment_id_foreign";`);

    this.addSql(`drop table if exists "payment" cascade;`);

    this.addSql(`drop table if exists "payment_application" cascade;`);

    this.addSql(`alter table "change_event" drop constraint if exists "change_event_type_check";`);

    this.addSql(`alter table "invoice" drop constraint if exists "invoice_kind_check";`);

    this.addSql(
      `alter table "change_event" add constraint "change_event_type_check" check("type" in ('INVOICE', 'PREBOOK', 'PURCHASE_ORDER', 'STANDING_ORDER', 'BOX', 'CUSTOMER', 'VENDOR', 'PRODUCT'));`,
    );

    this.addSql(`alter table "invoice" drop constraint "invoice_customer_id_charge_period_unique";`);
    this.addSql(`alter table "invoice" drop column "fee_amount", drop column "charge_period";`);

    this.addSql(`delete from "invoice" where "kind" in ('FINANCE_CHARGE', 'FEE');`);
    this.addSql(`alter table "invoice" add constraint "invoice_kind_check" check("kind" in ('SALE', 'TRANSFER'));`);

    this.addSql(`alter table "settings" drop column "finance_charge_percent_monthly", drop column "finance_charge_grace_days";`);
  }
}
