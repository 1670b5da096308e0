import { Migration } from '@mikro-orm/migrations';

export class Migration20261123024946_prebooks_purchase_orders extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_record" ("key" varchar(200) not null, "operation" varchar(60) not null, "request_hash" varchar(64) not null, "response" jsonb not null, "actor" varchar(200) not null, "created_at" timestamptz not null, constraint "idempotency_record_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "standing_order" ("id" serial primary key, "number" varchar(20) not null, "customer_id" int not null, "ship_to_id" int null, "carrier_id" int not null, "customer_po" varchar(60) null, "weekdays" text[] not null, "every_weeks" int not null default 1, "start_date" date not null, "end_date" date null, "holiday" boolean not null default false, "active" boolean not null default true, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "standing_order" add constraint "standing_order_number_unique" unique ("number");`);

    this.addSql(
      `create table "prebook" ("id" serial primary key, "number" varchar(20) not null, "customer_id" int not null, "ship_to_id" int null, "carrier_id" int not null, "truck_date" date not null, "customer_po" varchar(60) null, "holiday" boolean not null default false, "source" text check ("source" in ('PREBOOK', 'STANDING_ORDER')) not null default 'PREBOOK', "standing_order_id" int null, "status" text check ("status" in ('OPEN', 'CANCELLED', 'CLOSED')) not null default 'OPEN', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "prebook" add constraint "prebook_number_unique" unique ("number");`);
    this.addSql(`create index "prebook_customer_id_truck_date_index" on "prebook" ("customer_id", "truck_date");`);
    this.addSql(`create index "prebook_truck_date_index" on "prebook" ("truck_date");`);
    this.addSql(`alter table "prebook" add constraint "prebook_standing_order_id_truck_date_unique" unique ("standing_order_id", "truck_date");`);

    this.addSql(
      `create table "standing_order_line" ("id" serial primary key, "standing_order_id" int not null, "line_no" int not null, "product_id" int not null, "sell_by" text check ("sell_by" in ('BOX', 'UNIT')) not null, "box_type_id" int not null, "boxes" int null, "units_per_box" int not null, "units" int not null, "price" numeric(14,4) null, "cost" numeric(14,4) null, "vendor_id" int null, "vendor_cost" numeric(14,4) null);`,
    );
    this.addSql(`create index "standing_order_line_standing_order_id_index" on "standing_order_line" ("standing_order_id");`);

    this.addSql(
      `create table "purchase_order" ("id" serial primary key, "number" varchar(20) not null, "vendor_id" int not null, "customer_id" int null, "location_id" int not null, "ship_date" date not null, "port_of_origin" varchar(40) not null, "status" text check ("status" in ('OPEN', 'CONFIRMED', 'SHIPPED', 'RECEIVED', 'CANCELLED')) not null default 'OPEN', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_number_unique" unique ("number");`);
    this.addSql(`create index "purchase_order_vendor_id_ship_date_index" on "purchase_order" ("vendor_id", "ship_date");`);

    this.addSql(
      `create table "purchase_order_line" ("id" serial primary key, "purchase_order_id" int not null, "line_no" int not null, "product_id" int not null, "box_type_id" int not null, "boxes" int not null, "units_per_box" int not null, "unit_cost" numeric(14,4) not null);`,
    );
    this.addSql(`create index "purchase_order_line_purchase_order_id_index" on "purchase_order_line" ("purchase_order_id");`);

    this.addSql(
      `create table "prebook_line" ("id" serial primary key, "prebook_id" int not null, "line_no" int not null, "product_id" int not null, "sell_by" text check ("sell_by" in ('BOX', 'UNIT')) not null, "box_type_id" int not null, "boxes" int null, "units_per_box" int not null, "units" int not null, "price" numeric(14,4) null, "cost" numeric(14,4) null, "vendor_id" int null, "vendor_cost" numeric(14,4) null, "unable_to_source" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "prebook_line_prebook_id_index" on "prebook_line" ("prebook_id");`);

    this.addSql(
      `create table "purchase_order_line_link" ("id" serial primary key, "purchase_order_line_id" int not null, "prebook_line_id" int not null, "boxes" int null, "units" int null);`,
    );
    this.addSql(`create index "purchase_order_line_link_prebook_line_id_index" on "purchase_order_line_link" ("prebook_line_id");`);
    this.addSql(
      `alter table "purchase_order_line_link" add constraint "purchase_order_line_link_purchase_order_line_id_p_d0c4e_unique" unique ("purchase_order_line_id", "prebook_line_id");`,
    );

    this.addSql(
      `alter table "standing_order" add constraint "standing_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "standing_order" add constraint "standing_order_ship_to_id_foreign" foreign key ("ship_to_id") references "ship_to" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "standing_order" add constraint "standing_order_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "prebook" add constraint "prebook_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "prebook" add constraint "prebook_ship_to_id_foreign" foreign key ("ship_to_id") references "ship_to" ("id") on update cascade on delete set null;`,
    );
    this.addSql(`alter table "prebook" add constraint "prebook_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade;`);
    this.addSql(
      `alter table "prebook" add constraint "prebook_standing_order_id_foreign" foreign key ("standing_order_id") references "standing_order" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "standing_order_line" add constraint "standing_order_line_standing_order_id_foreign" foreign key ("standing_order_id") references "standing_order" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "standing_order_line" add constraint "standing_order_line_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "standing_order_line" add constraint "standing_order_line_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "standing_order_line" add constraint "standing_order_line_vendor_id_foreign" foreign key ("vendor_id") references "vendor" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_vendor_id_foreign" foreign key ("vendor_id") references "vendor" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "purchase_order" add constraint "purchase_order_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "purchase_order_line" add constraint "purchase_order_line_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order_line" add constraint "purchase_order_line_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order_line" add constraint "purchase_order_line_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "prebook_line" add constraint "prebook_line_prebook_id_foreign" foreign key ("prebook_id") references "prebook" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "prebook_line" add constraint "prebook_line_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "prebook_line" add constraint "prebook_line_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "prebook_line" add constraint "prebook_line_vendor_id_foreign" foreign key ("vendor_id") references "vendor" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "purchase_order_line_link" add constraint "purchase_order_line_link_purchase_order_line_id_foreign" foreign key ("purchase_order_line_id") references "purchase_order_line" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "purchase_order_line_link" add constraint "purchase_order_line_link_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade;`,
    );

    // Hand-added: readable document numbers (PB-000001, PO-000001, SO-000001).
    this.addSql(`create sequence if not exists "prebook_number_seq";`);
    this.addSql(`create sequence if not exists "purchase_order_number_seq";`);
    this.addSql(`create sequence if not exists "standing_order_number_seq";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "prebook_number_seq";`);
    this.addSql(`drop sequence if exists "purchase_order_number_seq";`);
    this.addSql(`drop sequence if exists "standing_order_number_seq";`);

    this.addSql(`alter table "prebook" drop constraint "prebook_standing_order_id_foreign";`);

    this.addSql(`alter table "standing_order_line" drop constraint "standing_order_line_standing_order_id_foreign";`);

    this.addSql(`alter table "prebook_line" drop constraint "prebook_line_prebook_id_foreign";`);

    this.addSql(`alter table "purchase_order_line" drop constraint "purchase_order_line_purchase_order_id_foreign";`);

    this.addSql(`alter table "purchase_order_line_link" drop constraint "purchase_order_line_link_purchase_order_line_id_foreign";`);

    this.addSql(`alter table "purchase_order_line_link" drop constraint "purchase_order_line_link_prebook_line_id_foreign";`);

    this.addSql(`drop table if exists "idempotency_record" cascade;`);

    this.addSql(`drop table if exists "standing_order" cascade;`);

    this.addSql(`drop table if exists "prebook" cascade;`);

    this.addSql(`drop table if exists "standing_order_line" cascade;`);

    this.addSql(`drop table if exists "purchase_order" cascade;`);

    this.addSql(`drop table if exists "purchase_order_line" cascade;`);

    this.addSql(`drop table if exists "prebook_line" cascade;`);

    this.addSql(`drop table if exists "purchase_order_line_link" cascade;`);
  }
}
