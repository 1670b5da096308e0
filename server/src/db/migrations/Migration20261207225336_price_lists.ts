import { Migration } from '@mikro-orm/migrations';

export class Migration20261207225336_price_lists extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "price_list" ("id" serial primary key, "code" varchar(40) not null, "name" varchar(200) not null, "kind" text check ("kind" in ('PREBOOK', 'OPEN_MARKET', 'STANDING_ORDER')) not null, "master" boolean not null default false, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "price_list" add constraint "price_list_code_unique" unique ("code");`);
    this.addSql(`create unique index "price_list_master_kind_unique" on "price_list" ("kind") where "master";`);

    this.addSql(
      `create table "price_list_customer" ("id" serial primary key, "price_list_id" int not null, "customer_id" int not null, "kind" text check ("kind" in ('PREBOOK', 'OPEN_MARKET', 'STANDING_ORDER')) not null);`,
    );
    this.addSql(`create index "price_list_customer_price_list_id_index" on "price_list_customer" ("price_list_id");`);
    this.addSql(`alter table "price_list_customer" add constraint "price_list_customer_customer_id_kind_unique" unique ("customer_id", "kind");`);

    this.addSql(
      `create table "price_season" ("id" serial primary key, "price_list_id" int not null, "name" varchar(100) not null, "from_date" date not null, "to_date" date not null);`,
    );
    this.addSql(`alter table "price_season" add constraint "price_season_price_list_id_name_unique" unique ("price_list_id", "name");`);

    this.addSql(
      `create table "price_list_price" ("id" serial primary key, "price_list_id" int not null, "season_id" int null, "product_id" int not null, "box_type_id" int null, "price" numeric(14,4) not null);`,
    );
    this.addSql(`create index "price_list_price_price_list_id_index" on "price_list_price" ("price_list_id");`);
    this.addSql(`create index "price_list_price_season_id_index" on "price_list_price" ("season_id");`);
    this.addSql(`create index "price_list_price_product_id_index" on "price_list_price" ("product_id");`);

    this.addSql(
      `alter table "price_list_customer" add constraint "price_list_customer_price_list_id_foreign" foreign key ("price_list_id") references "price_list" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "price_list_customer" add constraint "price_list_customer_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "price_season" add constraint "price_season_price_list_id_foreign" foreign key ("price_list_id") references "price_list" ("id") on update cascade;`,
    );

    this.addSql(
      `alter table "price_list_price" add constraint "price_list_price_price_list_id_foreign" foreign key ("price_list_id") references "price_list" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "price_list_price" add constraint "price_list_price_season_id_foreign" foreign key ("season_id") references "price_season" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "price_list_price" add constraint "price_list_price_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "price_list_price" add constraint "price_list_price_box_type_id_foreign" foreign key ("box_type_id") references "box_type" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "prebook_line" add column "price_source" text check ("price_source" in ('LINE', 'CUSTOMER_SEASON', 'CUSTOMER_LIST', 'MASTER_SEASON', 'MASTER_LIST')) null;`,
    );

    this.addSql(
      `alter table "invoice_line" add column "price_source" text check ("price_source" in ('LINE', 'CUSTOMER_SEASON', 'CUSTOMER_LIST', 'MASTER_SEASON', 'MASTER_LIST')) null;`,
    );

    // Prices typed before price lists came from the line.
    this.addSql(`update "prebook_line" set "price_source" = 'LINE' where "price" is not null;`);
    this.addSql(`update "invoice_line" set "price_source" = 'LINE' where "unit_price" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "price_list_customer" drop constraint "price_list_customer_price_list_id_foreign";`);

    this.addSql(`alter table "price_season" drop constraint "price_season_price_list_id_foreign";`);

    this.addSql(`alter table "price_list_price" drop constraint "price_list_price_price_list_id_foreign";`);

    this.addSql(`alter table "price_list_price" drop constraint "price_list_price_season_id_foreign";`);

    this.addSql(`drop table if exists "price_list" cascade;`);

    this.addSql(`drop table if exists "price_list_customer" cascade;`);

    this.addSql(`drop table if exists "price_season" cascade;`);

    this.addSql(`drop table if exists "price_list_price" cascade;`);

    this.addSql(`alter table "invoice_line" drop column "price_source";`);

    this.addSql(`alter table "prebook_line" drop column "price_source";`);
  }
}
