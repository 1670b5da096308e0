import { Migration } from '@mikro-orm/migrations';

export class Migration20261207225353_credit_attachments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "credit_attachment" ("id" serial primary key, "credit_id" int not null, "file_name" varchar(200) not null, "content_type" varchar(40) not null, "size" int not null, "data" bytea not null, "uploaded_by" varchar(200) not null, "uploaded_at" timestamptz not null);`,
    );
    this.addSql(`create index "credit_attachment_credit_id_index" on "credit_attachment" ("credit_id");`);

    this.addSql(
      `alter table "credit_attachment" add constraint "credit_attachment_credit_id_foreign" foreign key ("credit_id") references "credit" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "credit_attachment" cascade;`);
  }
}
