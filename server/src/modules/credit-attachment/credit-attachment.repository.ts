// The SQL of credit attachments: the files' bytes never leave the database except to be served.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgIntArray } from '../../common/loaders';

/** A credit as an upload checks it, read under its row lock so two uploads count each other's files. */
export interface AttachableCreditRow {
  id: number;
  number: string;
  customer_id: number;
  status: string;
  attachments: number;
}

export async function lockCreditForAttachments(em: EntityManager, number: string): Promise<AttachableCreditRow | null> {
  const [row] = await em.execute<AttachableCreditRow[]>(`select id, number, customer_id, status from credit where number = ? for update`, [number]);
  if (!row) return null;
  // Counted by a statement of its own, after the lock: its snapshot sees the files of an upload that held the lock before.
  const [count] = await em.execute<Array<{ n: number }>>(`select count(*)::int as n from credit_attachment where credit_id = ?`, [row.id]);
  return { ...row, id: Number(row.id), customer_id: Number(row.customer_id), attachments: Number(count.n) };
}

export interface NewAttachmentRow {
  fileName: string;
  contentType: string;
  data: Buffer;
}

/** Stores the files of one credit; their ids in the order given. */
export async function insertAttachments(em: EntityManager, creditId: number, files: readonly NewAttachmentRow[], by: string, at: Date): Promise<number[]> {
  const ids: number[] = [];
  for (const file of files) {
    const [row] = await em.execute<Array<{ id: number }>>(
      `insert into credit_attachment (credit_id, file_name, content_type, size, data, uploaded_by, uploaded_at) values (?, ?, ?, ?, ?, ?, ?) returning id`,
      [creditId, file.fileName, file.contentType, file.data.length, file.data, by, at],
    );
    ids.push(Number(row.id));
  }
  return ids;
}

/** What an attachment shows without its bytes. */
export interface AttachmentRow {
  id: number;
  credit_id: number;
  file_name: string;
  content_type: string;
  size: number;
  uploaded_by: string;
  uploaded_at: Date;
}

/** The attachments of each credit, oldest first (credits without any are left out). */
export async function selectAttachmentsOfCredits(em: EntityManager, creditIds: readonly number[]): Promise<Map<number, AttachmentRow[]>> {
  const byCredit = new Map<number, AttachmentRow[]>();
  if (creditIds.length === 0) return byCredit;
  const rows = await em.execute<AttachmentRow[]>(
    `select id, credit_id, file_name, content_type, size, uploaded_by, uploaded_at from credit_attachment where credit_id = any(?::int[]) order by id`,
    [pgIntArray(creditIds)],
  );
  for (const row of rows) {
    const attachment = { ...row, id: Number(row.id), credit_id: Number(row.credit_id), size: Number(row.size), uploaded_at: new Date(row.uploaded_at) };
    byCredit.set(attachment.credit_id, [...(byCredit.get(attachment.credit_id) ?? []), attachment]);
  }
  return byCredit;
}

/** One attachment's bytes with its credit's number, customer and what it shows; null when the credit has no such file. */
export async function selectAttachmentFile(
  em: EntityManager,
  creditNumber: string,
  attachmentId: number,
): Promise<(AttachmentRow & { customer_id: number; data: Buffer }) | null> {
  const [row] = await em.execute<Array<AttachmentRow & { customer_id: number; data: Buffer }>>(
    `select a.id, a.credit_id, a.file_name, a.content_type, a.size, a.uploaded_by, a.uploaded_at, a.data, c.customer_id
       from credit_attachment a join credit c on c.id = a.credit_id where c.number = ? and a.id = ?`,
    [creditNumber, attachmentId],
  );
  return row ? { ...row, id: Number(row.id), credit_id: Number(row.credit_id), customer_id: Number(row.customer_id), size: Number(row.size) } : null;
}
