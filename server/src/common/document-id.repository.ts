// The SQL of client document ids: a sheet's new document carries one from its first read, so a
// retried push finds the document it already saved instead of making a second one.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentPrefix } from './document-number.repository';
import { pgArray } from './loaders';

/** The tables of the documents a sheet pushes, by their number prefix. */
const TABLES: Partial<Record<DocumentPrefix, { table: string; lines: string; parent: string }>> = {
  PB: { table: 'prebook', lines: 'prebook_line', parent: 'prebook_id' },
  PO: { table: 'purchase_order', lines: 'purchase_order_line', parent: 'purchase_order_id' },
};

/** A document saved under a client's document id: its number, version, and its lines' ids by line number. */
export interface SavedByDocumentId {
  number: string;
  version: number;
  lineIds: string[];
}

export function hasDocumentIds(prefix: DocumentPrefix): boolean {
  return TABLES[prefix] !== undefined;
}

/**
 * Takes a transaction-long lock per document id (in one order, so two pushes never wait on each
 * other): a second push of the same document, from another chunk or another server process, waits
 * for the first to commit and then finds what it saved.
 */
export async function lockDocumentIds(em: EntityManager, prefix: DocumentPrefix, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`select pg_advisory_xact_lock(h) from (select hashtextextended(? || k, 0) as h from unnest(?::text[]) as k order by 1) as ordered`, [
    `${prefix}:`,
    pgArray([...ids]),
  ]);
}

/** The documents already saved under these client ids. */
export async function savedByDocumentIds(em: EntityManager, prefix: DocumentPrefix, ids: readonly string[]): Promise<Map<string, SavedByDocumentId>> {
  const tables = TABLES[prefix];
  if (!tables || ids.length === 0) return new Map();
  const rows = await em.execute<Array<{ document_id: string; number: string; version: number; line_ids: Array<number | string> | null }>>(
    `select d.document_id, d.number, d.version,
            (select array_agg(l.id order by l.line_no) from ${tables.lines} l where l.${tables.parent} = d.id) as line_ids
       from ${tables.table} d
      where d.document_id = any(?::text[])`,
    [pgArray([...ids])],
  );
  return new Map(rows.map((row) => [row.document_id, { number: row.number, version: Number(row.version), lineIds: (row.line_ids ?? []).map(String) }]));
}
