import { Migration } from '@mikro-orm/migrations';

// Suggestions for unknown codes ("did you mean ROSE-MONDIAL?") rank master data by trigram similarity
// (pg_trgm) and edit distance (fuzzystrmatch). Both ship with PostgreSQL and are trusted extensions: the
// database's owner may create them without being a superuser.
export class Migration20261207170000_fuzzy_match_extensions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists "pg_trgm";`);
    this.addSql(`create extension if not exists "fuzzystrmatch";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop extension if exists "fuzzystrmatch";`);
    this.addSql(`drop extension if exists "pg_trgm";`);
  }
}
