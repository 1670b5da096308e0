// Logical backups of a Stemline database, in one consistent snapshot, and their restore into an empty
// database. Not pg_dump: the embedded PostgreSQL (17) ships no client tools, and Debian's pg_dump (15)
// refuses to dump a newer server. The file is gzip'd JSON lines: a header, then each table's rows (as
// PostgreSQL's own row_to_json, so every type round-trips exactly), then the sequences.
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { initOrm } from './orm';

const FORMAT = 'stemline-backup';
const BATCH = 2000;
/** Rows per line of a table holding files (bytea, such as credit attachments of up to 10 MB): a line stays tens of MB, never GB. */
const FILE_BATCH = 4;

type Line =
  | { format: typeof FORMAT; version: 1; createdAt: string; migrations: string[] }
  | { table: string; rows: unknown[] }
  | { sequence: string; lastValue: string | null };

async function tables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r: { table_name: string }) => r.table_name);
}

/** Tables ordered so that every table comes after those its foreign keys point to. */
async function insertOrder(client: pg.Client, names: string[]): Promise<string[]> {
  const { rows } = await client.query(`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c
    join pg_namespace n on n.oid = c.connamespace where c.contype = 'f' and n.nspname = 'public'`);
  const parents = new Map(names.map((name) => [name, new Set<string>()]));
  for (const { child, parent } of rows as Array<{ child: string; parent: string }>) {
    if (child !== parent) parents.get(child.replace(/"/g, ''))?.add(parent.replace(/"/g, ''));
  }
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent, path);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

/** Writes a backup of `databaseUrl` to `file`; returns the number of rows per table. */
export async function backupDatabase(databaseUrl: string, file: string, onProgress?: (table: string, rows: number) => void): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts: Record<string, number> = {};
  async function* lines(): AsyncGenerator<string> {
    await client.query('begin isolation level repeatable read read only');
    const { rows: migrations } = await client.query(`select name from mikro_orm_migrations order by id`).catch(() => ({ rows: [] as Array<{ name: string }> }));
    yield (
      JSON.stringify({
        format: FORMAT,
        version: 1,
        createdAt: new Date().toISOString(),
        migrations: migrations.map((m: { name: string }) => m.name),
      } satisfies Line) + '\n'
    );
    // Parents before children, so a restore can insert rows as it reads them.
    for (const table of await insertOrder(client, await tables(client))) {
      const hasId =
        (await client.query(`select 1 from information_schema.columns where table_schema = 'public' and table_name = $1 and column_name = 'id'`, [table]))
          .rowCount! > 0;
      const holdsFiles =
        (await client.query(`select 1 from information_schema.columns where table_schema = 'public' and table_name = $1 and data_type = 'bytea'`, [table]))
          .rowCount! > 0;
      const batch = holdsFiles ? FILE_BATCH : BATCH;
      const quoted = client.escapeIdentifier(table);
      counts[table] = 0;
      for (let after: string | number = -1; ;) {
        const { rows }: pg.QueryResult<{ id?: number; row: string }> = hasId
          ? await client.query(`select t.id, row_to_json(t)::text as row from ${quoted} t where t.id > $1 order by t.id limit ${batch}`, [after])
          : await client.query(`select row_to_json(t)::text as row from ${quoted} t`);
        if (rows.length) yield JSON.stringify({ table, rows: rows.map((r: { row: string }) => JSON.parse(r.row)) } satisfies Line) + '\n';
        counts[table] += rows.length;
        onProgress?.(table, counts[table]);
        if (!hasId || rows.length < batch) break;
        after = rows[rows.length - 1].id!;
      }
    }
    const { rows: sequences } = await client.query(`select sequencename, last_value::text from pg_sequences where schemaname = 'public' order by 1`);
    for (const s of sequences as Array<{ sequencename: string; last_value: string | null }>) {
      yield JSON.stringify({ sequence: s.sequencename, lastValue: s.last_value } satisfies Line) + '\n';
    }
    await client.query('commit');
  }
  try {
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file, { mode: 0o600 }));
  } finally {
    await client.end();
  }
  return counts;
}

/**
 * Tables a restore leaves out: the change feed's (their transaction ids belong to the cluster that wrote
 * them), the failed-authentication counts (a minute's worth, of the old server's callers) and the scheduled
 * jobs' run history (of the old database's servers; a server started on the target writes its own). The
 * scheduled jobs' queue, pg-boss's `pgboss` schema, is outside `public` and neither backed up nor touched.
 */
const NOT_RESTORED_TABLES = new Set(['change_event', 'change_feed_state', 'auth_failure', 'job_run']);

/**
 * Rows the migrations themselves insert, which a restore may overwrite: the settings row while nobody has
 * changed it, the four standard box types and the eight default credit reasons as they were made (as the
 * migrations wrote them). Any other row, or a seeded one since changed, is someone's data.
 */
const SEEDED_ROWS: Record<string, string> = {
  settings: `version > 1`,
  box_type: `(code, name, fbe::numeric) not in (('FB', 'Full box', 1), ('HB', 'Half box', 0.5), ('QB', 'Quarter box', 0.25), ('EB', 'Eighth box', 0.125))`,
  credit_reason: `(code, name, applies_to, active) not in (${[
    ['DAMAGED', 'Damaged', 'BOTH'],
    ['DEHYDRATED', 'Dehydrated', 'BOTH'],
    ['SHORT', 'Short shipped', 'BOTH'],
    ['WRONG_PRODUCT', 'Wrong product', 'BOTH'],
    ['LATE', 'Late delivery', 'BOTH'],
    ['PRICE', 'Price correction', 'CUSTOMER'],
    ['QUALITY', 'Quality', 'BOTH'],
    ['OTHER', 'Other', 'BOTH'],
  ]
    .map(([code, name, appliesTo]) => `('${code}', '${name}', '${appliesTo}', true)`)
    .join(', ')})`,
};

/** A restore refused: the target holds data (what, per table), and nothing was changed. */
export class RestoreRefusedError extends Error {
  constructor(readonly found: Record<string, number>) {
    super(
      `the target database already holds data (${Object.entries(found)
        .map(([table, rows]) => `${table}: ${rows} row${rows === 1 ? '' : 's'}`)
        .join(', ')}); nothing was changed. Restore into a new, empty database, or pass --replace to replace it (a backup of what it holds is written first)`,
    );
  }
}

/** Per table, the rows a database holds beyond what its migrations seeded (tables with none are left out). */
export async function rowsHeld(client: pg.Client): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of await tables(client)) {
    if (table === 'mikro_orm_migrations' || NOT_RESTORED_TABLES.has(table)) continue;
    const seeded = SEEDED_ROWS[table];
    const { rows } = await client.query(`select count(*)::int as n from public.${client.escapeIdentifier(table)}${seeded ? ` where ${seeded}` : ''}`);
    if (rows[0].n > 0) found[table] = rows[0].n;
  }
  return found;
}

/** Drops every table and sequence of the public schema: what --replace does once the safety backup is written. */
async function dropEverything(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('begin');
    const names = await tables(client);
    if (names.length) await client.query(`drop table ${names.map((n) => `public.${client.escapeIdentifier(n)}`).join(', ')} cascade`);
    const { rows } = await client.query(`select sequencename from pg_sequences where schemaname = 'public'`);
    for (const { sequencename } of rows as Array<{ sequencename: string }>) await client.query(`drop sequence public.${client.escapeIdentifier(sequencename)}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

export interface RestoreOptions {
  /** Replace a database that holds data: written to `safetyFile` first, then dropped. */
  replace?: { safetyFile: string };
}

/**
 * Restores a backup into `databaseUrl`, which must hold no Stemline data (rows the migrations seed aside;
 * anything else is refused with RestoreRefusedError before anything is changed), or, with `replace`,
 * whose data is first saved to a backup of its own and then dropped. The schema is migrated up to the
 * backup's migrations, the rows go in (in foreign-key order, one transaction), the sequences are set, and
 * then any newer migrations run. Returns the number of rows per table.
 */
export async function restoreDatabase(file: string, databaseUrl: string, options: RestoreOptions = {}): Promise<Record<string, number>> {
  const input = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  const iterator = input[Symbol.asyncIterator]();
  const first = await iterator.next();
  const header = first.done ? null : (JSON.parse(first.value) as Line);
  if (!header || !('format' in header) || header.format !== FORMAT) throw new Error(`${file} is not a Stemline backup`);

  // What the target holds is looked at before anything (a migration included) changes it.
  const probe = new pg.Client({ connectionString: databaseUrl });
  await probe.connect();
  let held: Record<string, number>;
  try {
    held = await rowsHeld(probe);
  } finally {
    await probe.end();
  }
  if (Object.keys(held).length) {
    if (!options.replace) throw new RestoreRefusedError(held);
    await backupDatabase(databaseUrl, options.replace.safetyFile);
    await dropEverything(databaseUrl);
  }

  const orm = await initOrm(databaseUrl, { debug: false });
  try {
    const migrator = orm.getMigrator();
    const known = new Set((await migrator.getExecutedMigrations()).map((m) => m.name));
    if (known.size && header.migrations.some((name) => !known.has(name)))
      throw new Error('the target database has other migrations: restore into a new, empty database');
    const last = header.migrations.at(-1);
    if (last && !known.has(last)) await migrator.up({ to: last });
  } finally {
    await orm.close();
  }

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('begin');
    const names = (await tables(client)).filter((t) => t !== 'mikro_orm_migrations');
    // Checked again in the restore's transaction: a server started on the target meanwhile may have written.
    const meanwhile = await rowsHeld(client);
    if (Object.keys(meanwhile).length) throw new RestoreRefusedError(meanwhile);
    // Seed rows the migrations inserted (box types, settings, credit reasons) come back from the backup instead.
    await client.query(`truncate ${names.map((n) => client.escapeIdentifier(n)).join(', ')} restart identity cascade`);
    const sequences: Array<{ sequence: string; lastValue: string | null }> = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const line = JSON.parse(next.value) as Line;
      if ('table' in line) {
        // Transaction ids of the change feed belong to the cluster that wrote them: the restore's own
        // inserts record every restored document afresh (CREATED), and a client syncs again from there.
        if (line.table === 'mikro_orm_migrations' || NOT_RESTORED_TABLES.has(line.table)) continue;
        if (!names.includes(line.table)) throw new Error(`the backup has a table ${line.table} this schema does not`);
        const quoted = client.escapeIdentifier(line.table);
        await client.query(`insert into public.${quoted} select * from json_populate_recordset(null::public.${quoted}, $1::json)`, [JSON.stringify(line.rows)]);
        counts[line.table] = (counts[line.table] ?? 0) + line.rows.length;
      } else if ('sequence' in line) {
        if (![...NOT_RESTORED_TABLES].some((table) => line.sequence.includes(table))) sequences.push(line);
      }
    }
    for (const { sequence, lastValue } of sequences) {
      await client.query(
        lastValue === null ? `select setval($1, 1, false)` : `select setval($1, $2::bigint, true)`,
        lastValue === null ? [sequence] : [sequence, lastValue],
      );
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }

  const orm2 = await initOrm(databaseUrl, { debug: false });
  try {
    await orm2.getMigrator().up();
  } finally {
    await orm2.close();
  }
  return counts;
}
