import { Migration } from '@mikro-orm/migrations';

export class Migration20261123030711_receiving_invoices extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "invoice" ("id" serial primary key, "number" varchar(20) not null, "customer_id" int not null, "ship_to_id" int null, "carrier_id" int null, "truck_date" date not null, "customer_po" varchar(60) null, "status" text check ("status" in ('PENDING', 'CONFIRMED', 'VOID')) not null default 'PENDING', "pick_ticket_printed" boolean not null default false, "source" text check ("source" in ('AUTO_BILLING', 'ALLOCATION', 'MANUAL')) not null, "holiday" boolean not null default false, "port_of_origin" varchar(40) null, "version" int not null default 1, "confirmed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "invoice" add constraint "invoice_number_unique" unique ("number");`);
    this.addSql(`create index "invoice_customer_id_truck_date_index" on "invoice" ("customer_id", "truck_date");`);
    this.addSql(`create index "invoice_status_index" on "invoice" ("status");`);

    this.addSql(
      `create table "shipment" ("id" serial primary key, "purchase_order_id" int not null, "awb" varchar(40) null, "ship_date" date not null, "arrival_date" date not null, "port_of_origin" varchar(40) not null, "freight" numeric(14,4) null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "shipment_purchase_order_id_index" on "shipment" ("purchase_order_id");`);

    this.addSql(
      `create table "invoice_line" ("id" serial primary key, "invoice_id" int not null, "line_no" int not null, "product_id" int not null, "boxes" int not null, "units" int not null, "unit_price" numeric(14,4) null, "unit_cost" numeric(14,4) not null, "prebook_line_id" int null, "inventory_type" text check ("inventory_type" in ('P', 'S', 'M')) not null);`,
    );
    this.addSql(`create index "invoice_line_invoice_id_index" on "invoice_line" ("invoice_id");`);
    this.addSql(`create index "invoice_line_prebook_line_id_index" on "invoice_line" ("prebook_line_id");`);

    this.addSql(
      `create table "box" ("id" serial primary key, "label" varchar(60) not null, "shipment_id" int not null, "purchase_order_line_id" int not null, "product_id" int not null, "box_type_id" int not null, "location_id" int not null, "units" int not null, "units_remaining" int not null, "port_of_origin" varchar(40) not null, "landed_unit_cost" numeric(14,4) not null, "status" text check ("status" in ('STAGED', 'IN_INVENTORY', 'INVOICED', 'VOID')) not null default 'STAGED', "received" boolean not null default false, "received_at" timestamptz null, "shipped_out_at" timestamptz null, "inventory_type" text check ("inventory_type" in ('P', 'S', 'M')) null, "customer_id" int null, "prebook_line_id" int null, "confirmed_at" timestamptz null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "box" add constraint "box_label_unique" unique ("label");`);
    this.addSql(`create index "box_shipment_id_index" on "box" ("shipment_id");`);
    this.addSql(`create index "box_purchase_order_line_id_index" on "box" ("purchase_order_line_id");`);
    this.addSql(`create index "box_status_product_id_index" on "box" ("status", "product_id");`);
    this.addSql(`create index "box_status_customer_id_index" on "box" ("status", "customer_id");`);

    this.addSql(
      `create table "invoice_line_box" ("id" serial primary key, "invoice_line_id" int not null, "box_id" int not null, "units" int not null, "previous_status" text check ("previous_status" in ('STAGED', 'IN_INVENTORY', 'INVOICED', 'VOID')) not null, "previous_inventory_type" text check ("previous_inventory_type" in ('P', 'S', 'M')) null, "previous_customer_id" int null);`,
    );
    this.addSql(`create index "invoice_line_box_invoice_line_id_index" on "invoice_line_box" ("invoice_line_id");`);
    this.addSql(`create index "invoice_line_box_box_id_index" on "invoice_line_box" ("box_id");`);

    this.addSql(`create table "box_demand" ("id" serial primary key, "box_id" int not null, "prebook_line_id" int not null, "units" int not null);`);
    this.addSql(`create index "box_demand_prebook_line_id_index" on "box_demand" ("prebook_line_id");`);
    this.addSql(`alter table "box_demand" add constraint "box_demand_box_id_prebook_line_id_unique" unique ("box_id", "prebook_line_id");`);

    this.addSql(
      `alter table "invoice" add constraint "invoice_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice" add constraint "invoice_ship_to_id_foreign" foreign key ("ship_to_id") references "ship_to" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "invoice" add constraint "invoice_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "shipment" add constraint "shipment_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "invoice_line" add constraint "invoice_line_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice_line" add constraint "invoice_line_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice_line" add constraint "invoice_line_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "box" add constraint "box_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade;`);
    this.addSql(
      `alter table "box" add constraint "box_purchase_order_line_id_foreign" foreign key ("purchase_order_line_id") references "purchase_order_line" ("id") on update cascade;`,
    );
    this.addSql(`alter table "box" add constraint "box_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`);
    this.addSql(`alter table "box" add constraint "box_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade;`);
    this.addSql(`alter table "box" add constraint "box_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade;`);
    this.addSql(
      `alter table "box" add constraint "box_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "box" add constraint "box_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "invoice_line_box" add constraint "invoice_line_box_invoice_line_id_foreign" foreign key ("invoice_line_id") references "invoice_line" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice_line_box" add constraint "invoice_line_box_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice_line_box" add constraint "invoice_line_box_previous_customer_id_foreign" foreign key ("previous_customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`alter table "box_demand" add constraint "box_demand_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`);
    this.addSql(
      `alter table "box_demand" add constraint "box_demand_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade;`,
    );

    // Hand-added: invoice numbers (INV-000001) and generated box labels (B-000001).
    this.addSql(`create sequence if not exists "invoice_number_seq";`);
    this.addSql(`create sequence if not exists "box_label_seq";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "invoice_number_seq";`);
    this.addSql(`drop sequence if exists "box_label_seq";`);

    this.addSql(`alter table "invoice_line" drop constraint "invoice_line_invoice_id_foreign";`);

    this.addSql(`alter table "box" drop constraint "box_shipment_id_foreign";`);

    this.addSql(`alter table "invoice_line_box" drop constraint "invoice_line_box_invoice_line_id_foreign";`);

    this.addSql(`alter table "invoice_line_box" drop constraint "invoice_line_box_box_id_foreign";`);

    this.addSql(`alter table "box_demand" drop constraint "box_demand_box_id_foreign";`);

    this.addSql(`drop table if exists "invoice" cascade;`);

    this.addSql(`drop table if exists "shipment" cascade;`);

    this.addSql(`drop table if exists "invoice_line" cascade;`);

    this.addSql(`drop table if exists "box" cascade;`);

    this.addSql(`drop table if exists "invoice_line_box" cascade;`);

    this.addSql(`drop table if exists "box_demand" cascade;`);
  }
}
