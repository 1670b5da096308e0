import { Migration } from '@mikro-orm/migrations';

export class Migration20261207171149_document_ids extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "prebook" add column "document_id" varchar(64) null;`);
    this.addSql(`alter table "prebook" add constraint "prebook_document_id_unique" unique ("document_id");`);

    this.addSql(`alter table "purchase_order" add column "document_id" varchar(64) null;`);
    this.addSql(`alter table "purchase_order" add constraint "purchase_order_document_id_unique" unique ("document_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "prebook" drop constraint "prebook_document_id_unique";`);
    this.addSql(`alter table "prebook" drop column "document_id";`);

    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_document_id_unique";`);
    this.addSql(`alter table "purchase_order" drop column "document_id";`);
  }
}
