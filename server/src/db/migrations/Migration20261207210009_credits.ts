import { Migration } from '@mikro-orm/migrations';

export class Migration20261207210009_credits extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "credit_reason" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "applies_to" text check ("applies_to" in ('CUSTOMER', 'VENDOR', 'BOTH')) not null default 'BOTH', "active" boolean not null default true);`,
    );
    this.addSql(`alter table "credit_reason" add constraint "credit_reason_code_unique" unique ("code");`);

    this.addSql(
      `create table "credit" ("id" serial primary key, "number" varchar(20) not null, "customer_id" int not null, "invoice_id" int null, "credit_date" date not null, "status" text check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'VOID')) not null default 'PENDING', "reason_id" int null, "notes" varchar(1000) not null default '', "requested_by" varchar(200) not null, "requested_at" timestamptz not null, "approved_by" varchar(200) null, "approved_at" timestamptz null, "closed_by" varchar(200) null, "closed_at" timestamptz null, "rejection_reason" varchar(1000) null, "void_reason" varchar(1000) null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "credit" add constraint "credit_number_unique" unique ("number");`);
    this.addSql(`create index "credit_customer_id_status_index" on "credit" ("customer_id", "status");`);
    this.addSql(`create index "credit_invoice_id_index" on "credit" ("invoice_id");`);

    this.addSql(
      `create table "credit_line" ("id" serial primary key, "credit_id" int not null, "line_no" int not null, "kind" text check ("kind" in ('QUANTITY', 'PRICE', 'AMOUNT')) not null, "invoice_line_id" int null, "units" int null, "amount_per_unit" numeric(14,4) null, "amount" numeric(14,4) not null, "restock" boolean not null default false);`,
    );
    this.addSql(`create index "credit_line_credit_id_index" on "credit_line" ("credit_id");`);
    this.addSql(`create index "credit_line_invoice_line_id_index" on "credit_line" ("invoice_line_id");`);

    this.addSql(`alter table "credit" add constraint "credit_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(
      `alter table "credit" add constraint "credit_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "credit" add constraint "credit_reason_id_foreign" foreign key ("reason_id") references "credit_reason" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "credit_line" add constraint "credit_line_credit_id_foreign" foreign key ("credit_id") references "credit" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "credit_line" add constraint "credit_line_invoice_line_id_foreign" foreign key ("invoice_line_id") references "invoice_line" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "api_token" drop constraint if exists "api_token_role_check";`);

    this.addSql(
      `alter table "api_token" add constraint "api_token_role_check" check("role" in ('ADMIN', 'BUYER', 'SALES', 'SALES_MANAGER', 'ACCOUNTING', 'WAREHOUSE', 'CUSTOMER'));`,
    );

    this.addSql(
      `alter table "settings" add column "credit_reason_required" boolean not null default true, add column "lock_confirmed_invoices" boolean not null default true, add column "allow_same_day_manager_edits" boolean not null default false;`,
    );

    this.addSql(`create sequence if not exists "credit_number_seq";`);
    // The default reasons, on an empty database as on an existing one (an ADMIN edits them with upsertCreditReasons).
    this.addSql(
      `insert into "credit_reason" ("code", "name", "applies_to", "active", "created_at", "updated_at") values
        ('DAMAGED', 'Damaged', 'BOTH', true, now(), now()),
        ('DEHYDRATED', 'Dehydrated', 'BOTH', true, now(), now()),
        ('SHORT', 'Short shipped', 'BOTH', true, now(), now()),
        ('WRONG_PRODUCT', 'Wrong product', 'BOTH', true, now(), now()),
        ('LATE', 'Late delivery', 'BOTH', true, now(), now()),
        ('PRICE', 'Price correction', 'CUSTOMER', true, now(), now()),
        ('QUALITY', 'Quality', 'BOTH', true, now(), now()),
        ('OTHER', 'Other', 'BOTH', true, now(), now())
       on conflict ("code") do nothing;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "credit_number_seq";`);

    this.addSql(`alter table "credit" drop constraint "credit_reason_id_foreign";`);

    this.addSql(`alter table "credit_line" drop constraint "credit_line_credit_id_foreign";`);

    this.addSql(`drop table if exists "credit_reason" cascade;`);

    this.addSql(`drop table if exists "credit" cascade;`);

    this.addSql(`drop table if exists "credit_line" cascade;`);

    this.addSql(`alter table "api_token" drop constraint if exists "api_token_role_check";`);

    this.addSql(`alter table "api_token" add constraint "api_token_role_check" check("role" in ('ADMIN', 'BUYER', 'SALES', 'WAREHOUSE', 'CUSTOMER'));`);

    this.addSql(
      `alter table "settings" drop column "credit_reason_required", drop column "lock_confirmed_invoices", drop column "allow_same_day_manager_edits";`,
    );
  }
}
