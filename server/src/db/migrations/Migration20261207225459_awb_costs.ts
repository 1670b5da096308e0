import { Migration } from '@mikro-orm/migrations';

export class Migration20261207225459_awb_costs extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "awb_cost" ("id" serial primary key, "awb" varchar(40) not null, "freight" numeric(14,4) not null, "handling" numeric(14,4) not null, "duty" numeric(14,4) not null, "recorded_by" varchar(200) not null, "recorded_at" timestamptz not null);`,
    );
    this.addSql(`alter table "awb_cost" add constraint "awb_cost_awb_unique" unique ("awb");`);

    this.addSql(`create index "shipment_awb_index" on "shipment" ("awb");`);

    this.addSql(`alter table "box" add column "estimated_landed_unit_cost" numeric(14,4) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "awb_cost" cascade;`);

    this.addSql(`alter table "box" drop column "estimated_landed_unit_cost";`);

    this.addSql(`drop index "shipment_awb_index";`);
  }
}
