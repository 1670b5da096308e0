import type { EntityManager } from '@mikro-orm/postgresql';
import { executePrepared } from './prepared-statement.repository';

const SEQUENCES = {
  PB: 'prebook_number_seq',
  PO: 'purchase_order_number_seq',
  SO: 'standing_order_number_seq',
  INV: 'invoice_number_seq',
  B: 'box_label_seq',
  PR: 'production_run_number_seq',
  CNT: 'count_number_seq',
  CR: 'credit_number_seq',
  VC: 'vendor_credit_number_seq',
  PMT: 'payment_number_seq',
} as const;

export type DocumentPrefix = keyof typeof SEQUENCES;

/** Reserves `count` readable, sequential document numbers (PB-000001 ...) in one round trip. */
export async function nextDocumentNumbers(em: EntityManager, prefix: DocumentPrefix, count: number): Promise<string[]> {
  if (count === 0) return [];
  const rows = await executePrepared<{ n: string }>(em, `select nextval('${SEQUENCES[prefix]}') as n from generate_series(1, ?::int)`, [count]);
  return rows.map((row) => `${prefix}-${String(row.n).padStart(6, '0')}`);
}
