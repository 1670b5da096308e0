import { Migration } from '@mikro-orm/migrations';

export class Migration20261123023246 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null, "actor" varchar(200) not null, "action" varchar(60) not null, "entity" varchar(60) not null, "entity_id" varchar(60) not null, "payload" jsonb null);`,
    );
    this.addSql(`create index "audit_event_entity_entity_id_index" on "audit_event" ("entity", "entity_id");`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);

    this.addSql(
      `create table "box_type" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "fbe" numeric(8,4) not null);`,
    );
    this.addSql(`alter table "box_type" add constraint "box_type_code_unique" unique ("code");`);

    this.addSql(
      `create table "carrier" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "carrier" add constraint "carrier_code_unique" unique ("code");`);

    this.addSql(
      `create table "customer" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text check ("kind" in ('REGULAR', 'FUTURE_SALES')) not null default 'REGULAR', "credit_hold" boolean not null default false, "credit_limit" numeric(14,4) null, "open_balance" numeric(14,4) not null default '0', "target_gpm" numeric(7,3) null, "consolidate_invoices_on_auto_billing" boolean not null default false, "excluded_from_auto_billing" boolean not null default false);`,
    );
    this.addSql(`alter table "customer" add constraint "customer_code_unique" unique ("code");`);

    this.addSql(
      `create table "api_token" ("id" serial primary key, "name" varchar(200) not null, "secret_hash" varchar(64) not null, "role" text check ("role" in ('ADMIN', 'BUYER', 'SALES', 'WAREHOUSE', 'CUSTOMER')) not null, "customer_id" int null, "created_at" timestamptz not null, "created_by" varchar(200) not null, "revoked_at" timestamptz null);`,
    );
    this.addSql(`alter table "api_token" add constraint "api_token_secret_hash_unique" unique ("secret_hash");`);

    this.addSql(
      `create table "location" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "bill_units_as_boxes" boolean not null default false);`,
    );
    this.addSql(`alter table "location" add constraint "location_code_unique" unique ("code");`);

    this.addSql(
      `create table "product" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text check ("kind" in ('LIVE', 'HARD', 'FINISHED')) not null, "unit" text check ("unit" in ('STEM', 'BUNCH', 'EACH')) not null, "stems_per_bunch" int null, "default_box_type_id" int not null, "default_units_per_box" int not null);`,
    );
    this.addSql(`alter table "product" add constraint "product_code_unique" unique ("code");`);

    this.addSql(
      `create table "settings" ("id" int not null, "auto_billing" text check ("auto_billing" in ('OFF', 'ON_OUTBOUND_SCAN', 'ON_MANUAL_CONFIRMATION', 'ON_INCOMING_SCAN_OR_CONFIRMATION')) not null default 'ON_MANUAL_CONFIRMATION', "release_fulfilled" text check ("release_fulfilled" in ('OPEN_MARKET', 'KEEP_CUSTOMER')) not null default 'OPEN_MARKET', "separate_in_transit_and_on_hand" boolean not null default false, "consolidate_open_market" boolean not null default true, "separate_holiday" boolean not null default true, "separate_by_port_of_origin" boolean not null default false, "separate_by_pick_ticket" boolean not null default true, "delay_days_allowed" int not null default 0, "allow_multiple_prebook_lines_per_po_line" boolean not null default false, "freight_per_fbe" numeric(14,4) not null default '0', "duty_percent_by_port" jsonb not null default '[]', "standing_order_lead_days" int not null default 14, "target_gpm" numeric(7,3) not null default '30', "version" int not null default 1, "updated_at" timestamptz not null, constraint "settings_pkey" primary key ("id"));`,
    );

    this.addSql(
      `create table "ship_to" ("id" serial primary key, "customer_id" int not null, "code" varchar(40) not null, "name" varchar(200) not null, "address" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "ship_to" add constraint "ship_to_customer_id_code_unique" unique ("customer_id", "code");`);

    this.addSql(
      `create table "vendor" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text check ("kind" in ('FARM', 'HARD_GOODS', 'PRODUCTION')) not null, "default_port_of_origin" varchar(20) null);`,
    );
    this.addSql(`alter table "vendor" add constraint "vendor_code_unique" unique ("code");`);

    this.addSql(
      `alter table "api_token" add constraint "api_token_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "product" add constraint "product_default_box_type_id_foreign" foreign key ("default_box_type_id") references "box_type" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "ship_to" add constraint "ship_to_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );

    // Reference data (hand-added): the settings row and the standard box types.
    this.addSql(`insert into "settings" ("id", "updated_at") values (1, now());`);
    this.addSql(
      `insert into "box_type" ("code", "name", "fbe", "created_at", "updated_at") values ('FB', 'Full box', 1, now(), now()), ('HB', 'Half box', 0.5, now(), now()), ('QB', 'Quarter box', 0.25, now(), now()), ('EB', 'Eighth box', 0.125, now(), now());`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product" drop constraint "product_default_box_type_id_foreign";`);

    this.addSql(`alter table "api_token" drop constraint "api_token_customer_id_foreign";`);

    this.addSql(`alter table "ship_to" drop constraint "ship_to_customer_id_foreign";`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "box_type" cascade;`);

    this.addSql(`drop table if exists "carrier" cascade;`);

    this.addSql(`drop table if exists "customer" cascade;`);

    this.addSql(`drop table if exists "api_token" cascade;`);

    this.addSql(`drop table if exists "location" cascade;`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "settings" cascade;`);

    this.addSql(`drop table if exists "ship_to" cascade;`);

    this.addSql(`drop table if exists "vendor" cascade;`);
  }
}
