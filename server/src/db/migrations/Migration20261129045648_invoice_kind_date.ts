import { Migration } from '@mikro-orm/migrations';
import { defaultTimeZone } from '../../common/today';

export class Migration20261129045648_invoice_kind_date extends Migration {
  override async up(): Promise<void> {
    // Hand-edited: existing invoices get their date from when they were made, in the company's time zone,
    // and invoices to production companies become transfers.
    this.addSql(
      `alter table "invoice" add column "kind" text check ("kind" in ('SALE', 'TRANSFER')) not null default 'SALE', add column "invoice_date" date null;`,
    );
    this.addSql(
      `update "invoice" set "invoice_date" = ("created_at" at time zone coalesce((select "time_zone" from "settings" where "id" = 1), 'UTC'))::date;`,
    );
    this.addSql(`alter table "invoice" alter column "invoice_date" set not null;`);
    this.addSql(`update "invoice" i set "kind" = 'TRANSFER' from "customer" c where c."id" = i."customer_id" and c."kind" = 'PRODUCTION';`);
    // A database that never chose a time zone starts with the server's TZ when it is an IANA name.
    this.addSql(`update "settings" set "time_zone" = '${defaultTimeZone().replace(/'/g, "''")}' where "id" = 1 and "time_zone" = 'UTC';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice" drop column "kind", drop column "invoice_date";`);
  }
}
