import { Migration } from '@mikro-orm/migrations';

export class Migration20261123031644_billing extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "shipping_label" ("id" serial primary key, "box_id" int not null, "invoice_id" int not null, "text" varchar(200) not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`alter table "shipping_label" add constraint "shipping_label_box_id_unique" unique ("box_id");`);

    this.addSql(
      `create table "billing_issue" ("id" serial primary key, "box_id" int not null, "prebook_line_id" int null, "code" text check ("code" in ('PREBOOK_CANCELLED', 'PREBOOK_CLOSED', 'CREDIT_HOLD', 'CREDIT_LIMIT', 'CUSTOMER_EXCLUDED', 'TRUCK_DATE_PASSED', 'MIXED_BOX')) not null, "message" text not null, "at" timestamptz not null, "resolved_at" timestamptz null);`,
    );
    this.addSql(`create index "billing_issue_box_id_index" on "billing_issue" ("box_id");`);
    this.addSql(`create index "billing_issue_resolved_at_index" on "billing_issue" ("resolved_at");`);

    this.addSql(
      `alter table "shipping_label" add constraint "shipping_label_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`,
    );
    this.addSql(
      `alter table "shipping_label" add constraint "shipping_label_invoice_id_foreign" foreign key ("invoice_id") references "invoice" ("id") on update cascade;`,
    );

    this.addSql(`alter table "billing_issue" add constraint "billing_issue_box_id_foreign" foreign key ("box_id") references "box" ("id") on update cascade;`);
    this.addSql(
      `alter table "billing_issue" add constraint "billing_issue_prebook_line_id_foreign" foreign key ("prebook_line_id") references "prebook_line" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`drop index "invoice_customer_id_truck_date_index";`);

    this.addSql(`alter table "invoice" add column "in_transit" boolean null, add column "has_open_market" boolean not null default false;`);
    this.addSql(`create index "invoice_customer_id_truck_date_status_index" on "invoice" ("customer_id", "truck_date", "status");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "shipping_label" cascade;`);

    this.addSql(`drop table if exists "billing_issue" cascade;`);

    this.addSql(`drop index "invoice_customer_id_truck_date_status_index";`);
    this.addSql(`alter table "invoice" drop column "in_transit", drop column "has_open_market";`);

    this.addSql(`create index "invoice_customer_id_truck_date_index" on "invoice" ("customer_id", "truck_date");`);
  }
}
