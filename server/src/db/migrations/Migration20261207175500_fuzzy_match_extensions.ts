import { Migration } from '@mikro-orm/migrations';

// Suggestions for unknown codes ("did you mean ROSE-MONDIAL?") rank master data by trigram similarity
// (pg_trgm) and edit distance (fuzzystrmatch). Both ship with PostgreSQL and are trusted extensions: the
// database's owner may create them without being a superuser. The trigram indexes are declared on the
// entities too (trigramIndexes in common/entity-properties), so the schema diff expects them.
/** The master data whose codes are suggested: trigram indexes on code and name find the candidates. */
const TABLES = ['customer', 'ship_to', 'carrier', 'product', 'vendor', 'box_type', 'location'];

export class Migration20261207175500_fuzzy_match_extensions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists "pg_trgm";`);
    this.addSql(`create extension if not exists "fuzzystrmatch";`);
    for (const table of TABLES) {
      this.addSql(`create index if not exists "${table}_code_trgm_index" on "${table}" using gist ("code" gist_trgm_ops);`);
      this.addSql(`create index if not exists "${table}_name_trgm_index" on "${table}" using gist ("name" gist_trgm_ops);`);
    }
  }

  override async down(): Promise<void> {
    for (const table of TABLES) {
      this.addSql(`drop index if exists "${table}_code_trgm_index";`);
      this.addSql(`drop index if exists "${table}_name_trgm_index";`);
    }
    this.addSql(`drop extension if exists "fuzzystrmatch";`);
    this.addSql(`drop extension if exists "pg_trgm";`);
  }
}
