import { Migration } from '@mikro-orm/migrations';

export class Migration20261207173000_settings_decimal_separator extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "settings" add column "decimal_separator" text check ("decimal_separator" in ('.', ',')) not null default '.';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "settings" drop column "decimal_separator";`);
  }
}
