// Exporting and pruning the audit trail by date. The export is gzip'd JSON lines: a header, then one line
// per event in id order, read in one consistent snapshot. Pruning deletes only what the file holds, after
// the file is written and read back, in small transactions so that writers never wait on it.
import fs from 'node:fs';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';

export const AUDIT_EXPORT_FORMAT = 'stemline-audit-export';
const BATCH = 5000;

export interface AuditExportOptions {
  /** A calendar date (YYYY-MM-DD): events before the start of that day in the company's time zone. */
  before: string;
  /** Delete the exported events once the file is written and read back. */
  prune?: boolean;
  /** Events deleted per transaction while pruning. */
  pruneBatch?: number;
}

export interface AuditExportResult {
  /** The instant events are taken before, as ISO text. */
  cutoff: string;
  timeZone: string;
  exported: number;
  pruned: number;
}

export class AuditExportError extends Error {}

/** A calendar date typed by an operator, or an error saying what is expected. */
export function parseExportDate(text: string | undefined): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!match || !date || date.toISOString().slice(0, 10) !== text) {
    throw new AuditExportError(`--before needs a date as YYYY-MM-DD (got ${text === undefined ? 'nothing' : JSON.stringify(text)})`);
  }
  return text;
}

/** Writes the audit events of `databaseUrl` older than `options.before` to `file`, then prunes them if asked. */
export async function exportAuditTrail(databaseUrl: string, file: string, options: AuditExportOptions): Promise<AuditExportResult> {
  const before = parseExportDate(options.before);
  if (fs.existsSync(file)) throw new AuditExportError(`${file} exists already: choose another --out`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const [{ cutoff, time_zone: timeZone }] = (
      await client.query<{ cutoff: Date; time_zone: string }>(
        `select ($1::date::timestamp at time zone s.time_zone) as cutoff, s.time_zone from settings s where s.id = 1`,
        [before],
      )
    ).rows;
    let exported = 0;
    let lastId = '0';
    async function* lines(): AsyncGenerator<string> {
      await client.query('begin isolation level repeatable read read only');
      yield (
        JSON.stringify({ format: AUDIT_EXPORT_FORMAT, version: 1, before, timeZone, cutoff: cutoff.toISOString(), createdAt: new Date().toISOString() }) + '\n'
      );
      for (;;) {
        const { rows } = await client.query<{ id: string; line: string }>(
          `select id::text, json_build_object('id', id, 'at', at, 'actor', actor, 'action', action, 'entity', entity, 'entityId', entity_id, 'payload', payload)::text as line
             from audit_event where at < $1 and id > $2::bigint order by id limit ${BATCH}`,
          [cutoff, lastId],
        );
        for (const row of rows) yield row.line + '\n';
        exported += rows.length;
        if (rows.length) lastId = rows[rows.length - 1].id;
        if (rows.length < BATCH) break;
      }
      await client.query('commit');
    }
    await pipeline(Readable.from(lines()), zlib.createGzip(), fs.createWriteStream(file, { flags: 'wx' }));
    let pruned = 0;
    if (options.prune && exported > 0) {
      const held = await countExportedEvents(file);
      if (held !== exported) throw new AuditExportError(`${file} holds ${held} events where ${exported} were written: nothing pruned`);
      pruned = await pruneEvents(client, cutoff, lastId, options.pruneBatch ?? BATCH);
    }
    return { cutoff: cutoff.toISOString(), timeZone, exported, pruned };
  } finally {
    await client.end();
  }
}

/** The number of events an export file holds (its lines after the header), checking the header. */
export async function countExportedEvents(file: string): Promise<number> {
  let count = -1;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity })) {
    if (count === -1 && (JSON.parse(line) as { format?: string }).format !== AUDIT_EXPORT_FORMAT) throw new AuditExportError(`${file} is not an audit export`);
    if (line) count++;
  }
  return Math.max(count, 0);
}

/** Deletes, oldest first and `batch` at a time, the events before `cutoff` up to id `lastId` (those exported). */
async function pruneEvents(client: pg.Client, cutoff: Date, lastId: string, batch: number): Promise<number> {
  let pruned = 0;
  for (;;) {
    const { rowCount } = await client.query(
      `delete from audit_event where id in (select id from audit_event where at < $1 and id <= $2::bigint order by id limit $3)`,
      [cutoff, lastId, batch],
    );
    pruned += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return pruned;
  }
}
