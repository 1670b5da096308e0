import { Migration } from '@mikro-orm/migrations';

export class Migration20261129044905_settings_company_customer_terms extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "customer" drop constraint if exists "customer_kind_check";`);

    this.addSql(`alter table "customer" add column "billing_address" text null, add column "payment_terms_days" int not null default 30;`);
    this.addSql(`alter table "customer" add constraint "customer_kind_check" check("kind" in ('REGULAR', 'FUTURE_SALES', 'PRODUCTION'));`);

    this.addSql(
      `alter table "settings" add column "time_zone" varchar(64) not null default 'UTC', add column "company_name" varchar(200) not null default '', add column "company_address" varchar(500) not null default '', add column "company_phone" varchar(60) not null default '', add column "company_tax_id" varchar(60) not null default '';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer" drop constraint if exists "customer_kind_check";`);

    this.addSql(`alter table "customer" drop column "billing_address", drop column "payment_terms_days";`);

    this.addSql(`alter table "customer" add constraint "customer_kind_check" check("kind" in ('REGULAR', 'FUTURE_SALES'));`);

    this.addSql(
      `alter table "settings" drop column "time_zone", drop column "company_name", drop column "company_address", drop column "company_phone", drop column "company_tax_id";`,
    );
  }
}
