import { Migration } from '@mikro-orm/migrations';

export class Migration20261207171051_change_feed_retention extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "change_feed_state" ("id" int not null, "pruned_xid" xid8 not null default '0', "pruned_id" bigint not null default '0', "pruned_at" timestamptz null, constraint "change_feed_state_pkey" primary key ("id"));`,
    );

    this.addSql(`alter table "settings" add column "change_feed_retention_days" int not null default 90;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "change_feed_state" cascade;`);

    this.addSql(`alter table "settings" drop column "change_feed_retention_days";`);
  }
}
