import { Migration } from '@mikro-orm/migrations';

export class Migration20261129054553_production_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence if not exists "production_run_number_seq";`);
    this.addSql(
      `create table "production_run" ("id" serial primary key, "number" varchar(20) not null, "production_company_id" int not null, "production_purchase_order_id" int null, "status" text check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN', "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "production_run" add constraint "production_run_number_unique" unique ("number");`);

    this.addSql(`create table "production_run_transfer" ("id" serial primary key, "production_run_id" int not null, "invoice_id" int not null);`);
    this.addSql(`create index "production_run_transfer_production_run_id_index" on "production_run_transfer" ("production_run_id");`);
    this.addSql(`alter table "production_run_transfer" add constraint "production_run_transfer_invoice_id_unique" unique ("invoice_id");`);

    this.addSql(`create table "production_run_purchase_order" ("id" serial primary key, "production_run_id" int not null, "purchase_order_id" int not null);`);
    this.addSql(`create index "production_run_purchase_order_production_run_id_index" on "production_run_purchase_order" ("production_run_id");`);
    this.addSql(
      `alter table "production_run_purchase_order" add constraint "production_run_purchase_order_purchase_order_id_unique" unique ("purchase_order_id");`,
    );

    this.addSql(`create table "production_run_line" ("id" serial primary key, "production_run_id" int not null, "prebook_line_id" int not null);`);
    this.addSql(`create index "production_run_line_production_run_id_index" on "production_run_line" ("production_run_id");`);
    this.addSql(`alter table "production_run_line" add constraint "production_run_line_prebook_line_id_unique" unique ("prebook_line_id");`);

    this.addSql(
      `alter table "production_run" add constraint "production_run_production_company_id_foreign" foreign key ("production_company_id") references "customer" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "production_run" add constraint "production_run_production_purchase_order_id_foreign" foreign key ("production_purchase_order_id") references "purchase_order" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "production_run_transfer" add constraint "production_run_transfer_production_run_id_foreign" foreign key ("production_run_id") references "production_run" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "production_run_transfer" add constraint "production_run_transfer_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "production_run_purchase_order" add constraint "production_run_purchase_order_production_run_id_foreign" foreign key ("production_run_id") references "production_run" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "production_run_purchase_order" add constraint "production_run_purchase_order_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "production_run_line" add constraint "production_run_line_production_run_id_foreign" foreign key ("production_run_id") references "production_run" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "production_run_line" add constraint "production_run_line_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade;`,
    );

    this.addSql(`alter table "product" add column "recipe" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "production_run_number_seq";`);
    this.addSql(`alter table "production_run_transfer" drop constraint "production_run_transfer_production_run_id_foreign";`);

    this.addSql(`alter table "production_run_purchase_order" drop constraint "production_run_purchase_order_production_run_id_foreign";`);

    this.addSql(`alter table "production_run_line" drop constraint "production_run_line_production_run_id_foreign";`);

    this.addSql(`drop table if exists "production_run" cascade;`);

    this.addSql(`drop table if exists "production_run_transfer" cascade;`);

    this.addSql(`drop table if exists "production_run_purchase_order" cascade;`);

    this.addSql(`drop table if exists "production_run_line" cascade;`);

    this.addSql(`alter table "product" drop column "recipe";`);
  }
}
