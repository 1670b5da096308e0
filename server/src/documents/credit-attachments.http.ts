// /documents/credits/CR-000001/attachments[/ID]: a credit's photos and PDFs, uploaded as multipart/form-data
// and served back as downloads (never shown inline: Content-Disposition attachment, nosniff). The limits
// and the file kinds are modules/credit-attachment's; this file reads the HTTP request.
import type http from 'node:http';
import { ATTACHING_ROLES, DOCUMENT_ROLES } from '../common/authorization';
import type { RequestContext } from '../common/request-context';
import { MAX_ATTACHMENTS_PER_CREDIT, MAX_UPLOAD_BODY_BYTES } from '../modules/credit-attachment/credit-attachment-rules';
import { attachFiles, attachmentFile, type AttachmentView, type UploadedFile } from '../modules/credit-attachment/credit-attachment.service';
import { documentUrls } from './document-urls';
import { DocumentError } from './documents.service';

const ATTACHMENTS_PATH = /^\/documents\/credits\/([^/]+)\/attachments(?:\/([^/]+))?$/;

export function isCreditAttachmentsPath(pathname: string): boolean {
  return ATTACHMENTS_PATH.test(pathname.replace(/\/+$/, ''));
}

function decoded(segment: string, what: string): string {
  let value: string;
  try {
    value = decodeURIComponent(segment);
  } catch {
    throw new DocumentError(400, 'INVALID_VALUE', `the ${what} in the path is not valid URL encoding`);
  }
  if (value.includes('\u0000')) throw new DocumentError(400, 'INVALID_VALUE', `the ${what} may not contain the NUL character (U+0000)`);
  return value;
}

/** The body, refused 413 past MAX_UPLOAD_BODY_BYTES (what is left of it is read and dropped, never kept). */
function readUpload(req: http.IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () =>
    new DocumentError(
      413,
      'BODY_TOO_LARGE',
      `An upload carries at most ${MAX_UPLOAD_BODY_BYTES.toLocaleString('en-US')} bytes (two files of 10 MB); send the files in several uploads. Nothing was stored.`,
    );
  if (declared > MAX_UPLOAD_BODY_BYTES) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPLOAD_BODY_BYTES) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The files of a multipart/form-data body, parsed by Node's own (WHATWG) form-data reader. */
async function filesOf(req: http.IncomingMessage): Promise<UploadedFile[]> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;.*boundary=/i.test(type)) {
    req.resume();
    throw new DocumentError(
      415,
      'NOT_MULTIPART',
      'Upload files as multipart/form-data, each in a part named "file" (curl -F file=@photo.jpg). Nothing was stored.',
    );
  }
  const body = await readUpload(req);
  let form: FormData;
  try {
    form = await new Request('http://upload.invalid/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
    }).formData();
  } catch {
    throw new DocumentError(400, 'BAD_MULTIPART', 'The multipart/form-data body could not be read (broken boundary or parts). Nothing was stored.');
  }
  const files: UploadedFile[] = [];
  const others: string[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') others.push(name);
    else files.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  if (others.length) {
    throw new DocumentError(
      400,
      'UNKNOWN_PARAMETER',
      `The upload has text field${others.length === 1 ? '' : 's'} ${others.join(', ')}; it takes files only, in parts named "file". Nothing was stored.`,
    );
  }
  if (files.length > MAX_ATTACHMENTS_PER_CREDIT) {
    throw new DocumentError(
      409,
      'TOO_MANY_ATTACHMENTS',
      `The upload has ${files.length} files; a credit carries at most ${MAX_ATTACHMENTS_PER_CREDIT}. Nothing was stored.`,
    );
  }
  return files;
}

/** How an attachment is shown in JSON answers: as GraphQL's CreditAttachment shows it. */
export function attachmentJson(view: AttachmentView) {
  return {
    id: String(view.id),
    fileName: view.fileName,
    contentType: view.contentType,
    size: view.size,
    url: documentUrls.creditAttachment(view.creditNumber, view.id),
    uploadedBy: view.uploadedBy,
    uploadedAt: view.uploadedAt.toISOString(),
  };
}

/** RFC 6266: the cleaned (ASCII) name; the stored name holds no quote or backslash. */
function disposition(fileName: string): string {
  return `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/**
 * POST (upload, answered 201 with the files stored) or GET/HEAD (one file) under /documents/credits/…/attachments.
 * Staff read every credit's files; a CUSTOMER token only its own. Uploading takes a role that files credits.
 */
export async function handleCreditAttachments(ctx: RequestContext, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const [, numberSegment, idSegment] = ATTACHMENTS_PATH.exec(url.pathname.replace(/\/+$/, ''))!;
  const number = decoded(numberSegment, 'credit number');
  const role = ctx.actor.role;
  if (req.method === 'POST') {
    if (idSegment !== undefined) throw new DocumentError(405, 'METHOD_NOT_ALLOWED', `POST files to /documents/credits/${number}/attachments`);
    if (!ATTACHING_ROLES.includes(role)) {
      req.resume();
      throw new DocumentError(403, 'FORBIDDEN', `Role ${role} may not attach files to credits; it needs ${ATTACHING_ROLES.join(' or ')}`);
    }
    if ([...url.searchParams.keys()].length) {
      req.resume();
      throw new DocumentError(400, 'UNKNOWN_PARAMETER', 'An upload takes no query parameters: send the files as multipart/form-data.');
    }
    const stored = await attachFiles(ctx, number, await filesOf(req));
    res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ attachments: stored.map(attachmentJson) }));
    return;
  }
  if (!DOCUMENT_ROLES.includes(role) && role !== 'CUSTOMER') throw new DocumentError(403, 'FORBIDDEN', `Role ${role} may not read credit attachments`);
  if (idSegment === undefined) {
    throw new DocumentError(
      405,
      'METHOD_NOT_ALLOWED',
      `POST files here to attach them; GET one file at /documents/credits/${number}/attachments/ID (the credit's attachments list the URLs).`,
    );
  }
  if ([...url.searchParams.keys()].length) throw new DocumentError(400, 'UNKNOWN_PARAMETER', 'An attachment takes no query parameters.');
  const file = await attachmentFile(ctx, number, decoded(idSegment, 'attachment id'));
  const headers: http.OutgoingHttpHeaders = {
    'content-type': file.contentType,
    'content-length': String(file.data.length),
    'content-disposition': disposition(file.fileName),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, no-store',
  };
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : file.data);
}
