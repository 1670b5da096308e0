import { Migration } from '@mikro-orm/migrations';

export class Migration20261129052351_invoice_merged_into extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "invoice" add column "merged_into_id" int null;`);
    this.addSql(
      `alter table "invoice" add constraint "invoice_merged_into_id_foreign" foreign key ("merged_into_id") references "invoice" ("id") on update cascade on delete set null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "invoice" drop constraint "invoice_merged_into_id_foreign";`);

    this.addSql(`alter table "invoice" drop column "merged_into_id";`);
  }
}
