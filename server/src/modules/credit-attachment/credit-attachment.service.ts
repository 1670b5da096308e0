// Attachments of credits: photos or PDFs of what went wrong, uploaded and served through /documents/
// (documents/credit-attachments.http.ts). Every refusal is an AttachmentError with its HTTP status; nothing
// is stored unless every file of the upload is accepted.
import DataLoader from 'dataloader';
import { actorLabel, type RequestContext } from '../../common/request-context';
import { recordAudit } from '../audit/audit.service';
import {
  ACCEPTED_KINDS,
  cleanFileName,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_CREDIT,
  readableSize,
  sniffAttachmentType,
  type AttachmentType,
} from './credit-attachment-rules';
import {
  insertAttachments,
  lockCreditForAttachments,
  selectAttachmentFile,
  selectAttachmentsOfCredits,
  type AttachmentRow,
} from './credit-attachment.repository';

/** An expected refusal of an upload or a download, answered with its HTTP status and a message that says what to do. */
export class AttachmentError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One file as the multipart body carried it. */
export interface UploadedFile {
  /** The name the client gave (cleaned before it is stored). */
  name: string;
  bytes: Buffer;
}

/** What an attachment shows (GraphQL CreditAttachment, and the upload's answer). */
export interface AttachmentView {
  id: number;
  creditNumber: string;
  fileName: string;
  contentType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: Date;
}

/** Credit statuses staff may still attach files to; a CUSTOMER attaches only to its own PENDING claim. */
const STAFF_ATTACHABLE = ['PENDING', 'APPROVED'];

function normalNumber(number: string): string {
  return number.trim().toUpperCase();
}

/** The file's type, or the refusal naming the file and what is wrong with it. */
function checkFile(file: UploadedFile, index: number): AttachmentType {
  const which = `File ${index + 1} (${file.name || 'no name'})`;
  if (file.bytes.length === 0) throw new AttachmentError(400, 'EMPTY_FILE', `${which} is empty; nothing was stored.`);
  if (file.bytes.length > MAX_ATTACHMENT_BYTES) {
    throw new AttachmentError(
      413,
      'FILE_TOO_LARGE',
      `${which} has ${readableSize(file.bytes.length)}; a file may have at most ${readableSize(MAX_ATTACHMENT_BYTES)}. Nothing was stored.`,
    );
  }
  const type = sniffAttachmentType(file.bytes);
  if (!type) {
    throw new AttachmentError(
      415,
      'UNSUPPORTED_FILE_TYPE',
      `${which} is not a ${ACCEPTED_KINDS} file (its content says so, whatever its name); nothing was stored.`,
    );
  }
  return type;
}

/**
 * Stores the files on the credit, all or none: under the credit's row lock, so two uploads at once never
 * take it past MAX_ATTACHMENTS_PER_CREDIT. A CUSTOMER token attaches only to its own PENDING credits;
 * another customer's credit answers as unknown.
 */
export async function attachFiles(ctx: RequestContext, creditNumber: string, files: readonly UploadedFile[]): Promise<AttachmentView[]> {
  const number = normalNumber(creditNumber);
  if (!files.length) throw new AttachmentError(400, 'NO_FILE', 'The upload carries no file: send each one as a multipart/form-data part named "file".');
  const types = files.map(checkFile);
  return ctx.em.transactional(async (em) => {
    const credit = await lockCreditForAttachments(em, number);
    const customer = ctx.actor.role === 'CUSTOMER';
    if (!credit || (customer && credit.customer_id !== ctx.actor.customerId)) throw new AttachmentError(404, 'UNKNOWN_CREDIT', `No credit ${number}.`);
    if (customer ? credit.status !== 'PENDING' : !STAFF_ATTACHABLE.includes(credit.status)) {
      throw new AttachmentError(
        409,
        'CREDIT_CLOSED',
        `${credit.number} is ${credit.status}: files are attached to a ${customer ? 'PENDING claim' : 'PENDING or APPROVED credit'} only. Nothing was stored.`,
      );
    }
    if (credit.attachments + files.length > MAX_ATTACHMENTS_PER_CREDIT) {
      throw new AttachmentError(
        409,
        'TOO_MANY_ATTACHMENTS',
        `${credit.number} has ${credit.attachments} of at most ${MAX_ATTACHMENTS_PER_CREDIT} files; ${files.length} more would be too many. Nothing was stored.`,
      );
    }
    const by = actorLabel(ctx.actor);
    const at = new Date();
    const stored = files.map((file, index) => ({ fileName: cleanFileName(file.name, types[index]), contentType: types[index], data: file.bytes }));
    const ids = await insertAttachments(em, credit.id, stored, by, at);
    const views = ids.map((id, index): AttachmentView => ({
      id,
      creditNumber: credit.number,
      fileName: stored[index].fileName,
      contentType: stored[index].contentType,
      size: stored[index].data.length,
      uploadedBy: by,
      uploadedAt: at,
    }));
    recordAudit(em, ctx.actor, 'attachCreditFiles', 'Credit', credit.id, {
      number: credit.number,
      files: views.map(({ id, fileName, contentType, size }) => ({ id, fileName, contentType, size })),
    });
    await em.flush();
    return views;
  });
}

/** One attachment's bytes; a CUSTOMER token reads only its own credits' files (another's answers as unknown). */
export async function attachmentFile(ctx: RequestContext, creditNumber: string, attachmentId: string): Promise<AttachmentView & { data: Buffer }> {
  const number = normalNumber(creditNumber);
  const id = /^\d{1,10}$/.test(attachmentId) ? Number(attachmentId) : NaN;
  const row = Number.isSafeInteger(id) && id > 0 && id < 2 ** 31 ? await selectAttachmentFile(ctx.em, number, id) : null;
  if (!row || (ctx.actor.role === 'CUSTOMER' && row.customer_id !== ctx.actor.customerId)) {
    throw new AttachmentError(404, 'UNKNOWN_ATTACHMENT', `${number} has no attachment ${attachmentId}.`);
  }
  return { ...view(row, number), data: Buffer.from(row.data) };
}

function view(row: AttachmentRow, creditNumber: string): AttachmentView {
  return {
    id: row.id,
    creditNumber,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
  };
}

const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, AttachmentRow[]>>();

/** The attachments of a credit (without their bytes), read for every credit of the request at once. */
export async function attachmentsOfCredit(ctx: RequestContext, credit: { id: number; number: string }): Promise<AttachmentView[]> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, AttachmentRow[]>(async (ids) => {
      const byCredit = await selectAttachmentsOfCredits(ctx.em, ids);
      return ids.map((id) => byCredit.get(id) ?? []);
    });
    loaders.set(ctx.loaders, loader);
  }
  return (await loader.load(credit.id)).map((row) => view(row, credit.number));
}
