import { Migration } from '@mikro-orm/migrations';

export class Migration20261207175122_auth_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "auth_failure" ("scope" text check ("scope" in ('ADDRESS', 'TOKEN')) not null, "key" varchar(100) not null, "minute" timestamptz not null, "count" int not null, constraint "auth_failure_pkey" primary key ("scope", "key", "minute"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auth_failure" cascade;`);
  }
}
