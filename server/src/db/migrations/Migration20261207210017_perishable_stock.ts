import { Migration } from '@mikro-orm/migrations';

export class Migration20261207210017_perishable_stock extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence if not exists "count_number_seq";`);
    this.addSql(
      `create table "count" ("id" serial primary key, "number" varchar(20) not null, "location_id" int not null, "status" text check ("status" in ('OPEN', 'CLOSED')) not null default 'OPEN', "started_by" varchar(200) not null, "started_at" timestamptz not null, "closed_by" varchar(200) null, "closed_at" timestamptz null);`,
    );
    this.addSql(`alter table "count" add constraint "count_number_unique" unique ("number");`);

    this.addSql(
      `create table "count_scan" ("id" serial primary key, "count_id" int not null, "label" varchar(60) not null, "scanned_by" varchar(200) not null, "scanned_at" timestamptz not null);`,
    );
    this.addSql(`alter table "count_scan" add constraint "count_scan_count_id_label_unique" unique ("count_id", "label");`);

    this.addSql(
      `create table "product_category" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "max_age_days" int null);`,
    );
    this.addSql(`alter table "product_category" add constraint "product_category_code_unique" unique ("code");`);

    this.addSql(
      `create table "inventory_adjustment" ("id" serial primary key, "box_id" int not null, "units" int not null, "unit_cost" numeric(14,4) not null, "value" numeric(14,4) not null, "reason" text check ("reason" in ('DUMP', 'SHRINK', 'EXPIRED', 'DONATION', 'SAMPLE', 'OTHER')) not null, "note" varchar(500) null, "count_id" int null, "actor" varchar(200) not null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "inventory_adjustment_box_id_index" on "inventory_adjustment" ("box_id");`);
    this.addSql(`create index "inventory_adjustment_count_id_index" on "inventory_adjustment" ("count_id");`);
    this.addSql(`create index "inventory_adjustment_at_index" on "inventory_adjustment" ("at");`);

    this.addSql(`create table "count_expected_box" ("id" serial primary key, "count_id" int not null, "box_id" int not null, "units" int not null);`);
    this.addSql(`create index "count_expected_box_box_id_index" on "count_expected_box" ("box_id");`);
    this.addSql(`alter table "count_expected_box" add constraint "count_expected_box_count_id_box_id_unique" unique ("count_id", "box_id");`);

    this.addSql(`alter table "count" add constraint "count_location_id_foreign" foreign key ("location_id") references "location" ("id") on update cascade;`);

    this.addSql(`alter table "count_scan" add constraint "count_scan_count_id_foreign" foreign key ("count_id") references "count" ("id") on update cascade;`);

    this.addSql(
      `alter table "inventory_adjustment" add constraint "inventory_adjustment_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "inventory_adjustment" add constraint "inventory_adjustment_count_id_foreign" foreign key ("count_id") references "count" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "count_expected_box" add constraint "count_expected_box_count_id_foreign" foreign key ("count_id") references "count" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "count_expected_box" add constraint "count_expected_box_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`,
    );

    this.addSql(`alter table "product" add column "category_id" int null;`);
    this.addSql(
      `alter table "product" add constraint "product_category_id_foreign" foreign key ("category_id") references "product_category" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "settings" add column "age_bands" jsonb not null default '[{"name":"1-4","maxDays":4},{"name":"5-9","maxDays":9},{"name":"10+","maxDays":null}]';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "count_scan" drop constraint "count_scan_count_id_foreign";`);

    this.addSql(`alter table "inventory_adjustment" drop constraint "inventory_adjustment_count_id_foreign";`);

    this.addSql(`alter table "count_expected_box" drop constraint "count_expected_box_count_id_foreign";`);

    this.addSql(`alter table "product" drop constraint "product_category_id_foreign";`);

    this.addSql(`drop table if exists "count" cascade;`);

    this.addSql(`drop table if exists "count_scan" cascade;`);

    this.addSql(`drop table if exists "product_category" cascade;`);

    this.addSql(`drop table if exists "inventory_adjustment" cascade;`);

    this.addSql(`drop table if exists "count_expected_box" cascade;`);

    this.addSql(`alter table "product" drop column "category_id";`);

    this.addSql(`alter table "settings" drop column "age_bands";`);
    this.addSql(`drop sequence if exists "count_number_seq";`);
  }
}
