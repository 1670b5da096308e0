import { Migration } from '@mikro-orm/migrations';

export class Migration20261207202951_job_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "job_run" ("id" bigserial primary key, "job" varchar(100) not null, "period_key" varchar(10) not null, "attempt" int not null, "state" text check ("state" in ('RUNNING', 'COMPLETED', 'FAILED')) not null, "started_at" timestamptz not null, "ended_at" timestamptz null, "result" text null, "error" text null);`,
    );
    this.addSql(`create index "job_run_job_started_at_index" on "job_run" ("job", "started_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "job_run" cascade;`);
  }
}
