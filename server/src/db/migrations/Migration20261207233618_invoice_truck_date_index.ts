import { Migration } from '@mikro-orm/migrations';

export class Migration20261207233618_invoice_truck_date_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "invoice_truck_date_index" on "invoice" ("truck_date");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "invoice_truck_date_index";`);
  }
}
