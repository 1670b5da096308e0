import { Migration } from '@mikro-orm/migrations';

// A return scan records when, by whom and why a box that left the warehouse came back.

export class Migration20261208000007_box_return_scan extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "box" add column "returned_at" timestamptz null, add column "returned_by" varchar(200) null, add column "return_reason" text null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "box" drop column "returned_at", drop column "returned_by", drop column "return_reason";`);
  }
}
