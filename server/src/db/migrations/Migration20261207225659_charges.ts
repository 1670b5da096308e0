import { Migration } from '@mikro-orm/migrations';

export class Migration20261207225659_charges extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "charge_rule" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text check ("kind" in ('FUEL_SURCHARGE', 'AUTOMATIC')) not null, "customer_id" int null, "carrier_id" int null, "basis" text check ("basis" in ('PERCENT_OF_SUBTOTAL', 'PER_INVOICE', 'PER_BOX')) null, "amount" numeric(14,4) null, "max_per_day" numeric(14,2) null, "active" boolean not null default true);`,
    );
    this.addSql(`alter table "charge_rule" add constraint "charge_rule_code_unique" unique ("code");`);

    this.addSql(
      `create table "charge_rate" ("id" serial primary key, "rule_id" int not null, "port_of_origin" varchar(40) not null, "box_type_id" int not null, "amount" numeric(14,4) not null);`,
    );

    this.addSql(
      `create table "invoice_charge" ("id" serial primary key, "invoice_id" int not null, "rule_id" int null, "description" varchar(200) not null, "basis" text check ("basis" in ('PERCENT_OF_SUBTOTAL', 'PER_INVOICE', 'PER_BOX', 'PORT_AND_BOX_TYPE')) not null, "amount" numeric(14,2) not null, "overridden" boolean not null default false);`,
    );
    this.addSql(`alter table "invoice_charge" add constraint "invoice_charge_invoice_id_rule_id_unique" unique ("invoice_id", "rule_id");`);

    this.addSql(
      `alter table "charge_rule" add constraint "charge_rule_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "charge_rule" add constraint "charge_rule_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "charge_rate" add constraint "charge_rate_rule_id_foreign" foreign key ("rule_id") references "charge_rule" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "charge_rate" add constraint "charge_rate_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "invoice_charge" add constraint "invoice_charge_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "invoice_charge" add constraint "invoice_charge_rule_id_foreign" foreign key ("rule_id") references "charge_rule" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "customer" add column "fuel_surcharge" boolean not null default false, add column "show_fob_price" boolean not null default false;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "charge_rate" drop constraint "charge_rate_rule_id_foreign";`);

    this.addSql(`alter table "invoice_charge" drop constraint "invoice_charge_rule_id_foreign";`);

    this.addSql(`drop table if exists "charge_rule" cascade;`);

    this.addSql(`drop table if exists "charge_rate" cascade;`);

    this.addSql(`drop table if exists "invoice_charge" cascade;`);

    this.addSql(`alter table "customer" drop column "fuel_surcharge", drop column "show_fob_price";`);
  }
}
