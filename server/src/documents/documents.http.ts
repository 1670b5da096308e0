// GET (or POST) /documents/...: printable documents, behind the same bearer tokens as /graphql.
import type http from 'node:http';
import { GraphQLError } from 'graphql';
import { DOCUMENT_ROLES } from '../common/authorization';
import { authenticationRefusal, isDatabaseUnavailable, isReferenceErrorCode } from '../common/graphql-errors';
import type { RequestContext } from '../common/request-context';
import type { StagingFilter } from '../generated/graphql';
import { WorkerCrashed, WorkerJobFailed } from '../common/worker-pool';
import type { Logger } from '../logger';
import {
  boxLabelsDocument,
  DocumentError,
  farmClaimDocument,
  pickTicketDocument,
  shippingLabelsDocument,
  type BoxLabelSelection,
  type DocumentFormat,
  type DocumentPlan,
  type ShippingLabelSelection,
} from './documents.service';
import { AttachmentError } from '../modules/credit-attachment/credit-attachment.service';
import { handleCreditAttachments, isCreditAttachmentsPath } from './credit-attachments.http';
import { creditMemoDocument } from './credit-memo.service';
import { renderInWorker } from './render-pool';
import { availabilityDocument } from './availability-list';
import { statementDocument } from './statement.service';

export const DOCUMENTS_PREFIX = '/documents/';
/** A POSTed list of labels: 2,000 labels of 60 characters fit with room to spare. */
const MAX_DOCUMENT_BODY_BYTES = 1024 * 1024;

/** A document of more labels (or boxes) than this is a heavy render, capped per token. */
export const HEAVY_RENDER_BOXES = 100;
/** Heavy renders one token may have running at once; another is refused 429 until one ends. */
export const HEAVY_RENDERS_PER_TOKEN = 2;
/** Heavy renders running, by token. */
const heavyRenders = new Map<string, number>();

const STAGING_FIELDS = ['purchaseOrder', 'vendor', 'product', 'label', 'awb', 'received', 'customer', 'prebookNumber', 'overdue'] as const;

export function isDocumentsPath(pathname: string): boolean {
  return pathname === '/documents' || pathname.startsWith(DOCUMENTS_PREFIX);
}

/** Request parameters from the query string, or from a JSON object body on POST (same names). */
type Params = Map<string, unknown>;

function readJsonBody(req: http.IncomingMessage): Promise<Params> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DOCUMENT_BODY_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new DocumentError(413, 'BODY_TOO_LARGE', `request body larger than ${MAX_DOCUMENT_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      try {
        const body: unknown = raw.trim() ? JSON.parse(raw) : {};
        if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
        resolve(new Map(Object.entries(body)));
      } catch {
        reject(new DocumentError(400, 'BAD_REQUEST', 'The body must be a JSON object, e.g. {"labels": ["B-000001"], "format": "pdf"}.'));
      }
    });
    req.on('error', reject);
  });
}

function queryParams(url: URL): Params {
  const params: Params = new Map();
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    if (key === 'label' || key === 'labels') {
      const labels = values.flatMap((value) => (key === 'labels' ? value.split(',') : [value]));
      params.set('labels', [...((params.get('labels') as string[] | undefined) ?? []), ...labels]);
    } else {
      params.set(key, values[values.length - 1]);
    }
  }
  return params;
}

function noNul(key: string, value: string): string {
  // PostgreSQL cannot hold U+0000 in text: refused here rather than failing in the database.
  if (value.includes('\u0000')) throw new DocumentError(400, 'INVALID_VALUE', `${key} may not contain the NUL character (U+0000)`);
  return value;
}

function text(params: Params, key: string): string | undefined {
  const value = params.get(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number') return noNul(key, String(value));
  throw new DocumentError(400, 'INVALID_VALUE', `${key} must be a string`);
}

function bool(params: Params, key: string): boolean | undefined {
  const value = params.get(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw new DocumentError(400, 'INVALID_VALUE', `${key} must be true or false, not "${String(value)}"`);
}

function labelList(params: Params): string[] | undefined {
  const value = params.get('labels');
  if (value === undefined) return undefined;
  if (typeof value === 'string') return noNul('labels', value).split(',');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return (value as string[]).map((label) => noNul('labels', label));
  throw new DocumentError(400, 'INVALID_VALUE', 'labels must be a list of box labels (comma-separated in a URL)');
}

function formatOf(params: Params): DocumentFormat {
  const format = (text(params, 'format') ?? 'pdf').toLowerCase();
  if (format !== 'pdf' && format !== 'zpl') throw new DocumentError(400, 'INVALID_VALUE', `format must be pdf or zpl, not "${format}"`);
  return format;
}

function refuseOthers(params: Params, allowed: readonly string[]): void {
  const unknown = [...params.keys()].filter((key) => !allowed.includes(key));
  if (unknown.length)
    throw new DocumentError(
      400,
      'UNKNOWN_PARAMETER',
      `Unknown parameter${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; this document takes ${allowed.join(', ')}.`,
    );
}

function boxLabelSelection(params: Params): BoxLabelSelection {
  const staging = params.get('staging');
  if (staging !== undefined) {
    refuseOthers(params, ['staging', 'format', ...STAGING_FIELDS]);
    // In a JSON body the filter may come as an object: {"staging": {"vendor": "ROSAS"}}.
    const filterParams: Params = staging && typeof staging === 'object' ? new Map(Object.entries(staging)) : params;
    if (filterParams !== params) refuseOthers(filterParams, STAGING_FIELDS);
    else if (bool(params, 'staging') === false)
      throw new DocumentError(400, 'INVALID_VALUE', 'staging=false selects nothing; leave it out, or give labels, purchaseOrder or shipment');
    const filter: StagingFilter = {
      purchaseOrder: text(filterParams, 'purchaseOrder'),
      vendor: text(filterParams, 'vendor'),
      product: text(filterParams, 'product'),
      label: text(filterParams, 'label'),
      awb: text(filterParams, 'awb'),
      received: bool(filterParams, 'received'),
      customer: text(filterParams, 'customer'),
      prebookNumber: text(filterParams, 'prebookNumber'),
      overdue: bool(filterParams, 'overdue'),
    };
    return { staging: filter };
  }
  refuseOthers(params, ['labels', 'purchaseOrder', 'shipment', 'staging', 'format']);
  return { labels: labelList(params), purchaseOrder: text(params, 'purchaseOrder'), shipment: text(params, 'shipment') };
}

function shippingLabelSelection(params: Params): ShippingLabelSelection {
  refuseOthers(params, ['labels', 'invoice', 'format']);
  return { labels: labelList(params), invoice: text(params, 'invoice') };
}

const CREDIT_MEMO_PATH = /^\/documents\/credit-memos\/([^/]+)$/;
const STATEMENT_PATH = /^\/documents\/statements\/([^/]+)$/;

/** Documents a CUSTOMER token may fetch (its own only; each document checks whose it is). */
function isCustomerDocumentPath(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return CREDIT_MEMO_PATH.test(path) || STATEMENT_PATH.test(path);
}

/** A document number from the path, decoded. */
function pathNumber(segment: string, what: string): string {
  try {
    return noNul(what, decodeURIComponent(segment));
  } catch (error) {
    if (error instanceof DocumentError) throw error;
    throw new DocumentError(400, 'INVALID_VALUE', `the ${what} number in the path is not valid URL encoding`);
  }
}

const USAGE =
  'Documents: GET /documents/box-labels?purchaseOrder=PO-000001|shipment=12|labels=B-000001,B-000002|staging=true&vendor=ROSAS [&format=pdf|zpl], ' +
  'GET /documents/shipping-labels?invoice=INV-000001|labels=B-000001 [&format=pdf|zpl], GET /documents/pick-tickets/INV-000001, ' +
  'GET /documents/credit-memos/CR-000001, POST (multipart) /documents/credits/CR-000001/attachments, GET /documents/farm-claims/VC-000001, ' +
  'GET /documents/availability?customer=BLOOMS [&onHandOnly=true&product=...&location=...], ' +
  'GET /documents/statements/BLOOMS?from=2027-05-01&to=2027-05-31 [&type=open-items]';

async function route(ctx: RequestContext, req: http.IncomingMessage, url: URL): Promise<DocumentPlan> {
  const path = url.pathname.replace(/\/+$/, '');
  const params = req.method === 'POST' ? await readJsonBody(req) : queryParams(url);
  if (req.method === 'POST') for (const [key, value] of queryParams(url)) if (!params.has(key)) params.set(key, value);
  if (path === '/documents/box-labels') return boxLabelsDocument(ctx, boxLabelSelection(params), formatOf(params));
  if (path === '/documents/shipping-labels') return shippingLabelsDocument(ctx, shippingLabelSelection(params), formatOf(params));
  if (path === '/documents/availability') {
    refuseOthers(params, ['customer', 'onHandOnly', 'product', 'location', 'format']);
    if (formatOf(params) !== 'pdf') throw new DocumentError(400, 'INVALID_VALUE', 'an availability list is a PDF only (format=pdf)');
    const args = {
      customer: text(params, 'customer'),
      onHandOnly: bool(params, 'onHandOnly'),
      product: text(params, 'product'),
      location: text(params, 'location'),
    };
    return availabilityDocument(ctx, args);
  }
  const ticket = /^\/documents\/pick-tickets\/([^/]+)$/.exec(path);
  if (ticket) {
    refuseOthers(params, ['format']);
    if (formatOf(params) !== 'pdf') throw new DocumentError(400, 'INVALID_VALUE', 'a pick ticket is a PDF only (format=pdf)');
    return pickTicketDocument(ctx, pathNumber(ticket[1], 'invoice'));
  }
  const memo = CREDIT_MEMO_PATH.exec(path);
  if (memo) {
    refuseOthers(params, ['format']);
    if (formatOf(params) !== 'pdf') throw new DocumentError(400, 'INVALID_VALUE', 'a credit memo is a PDF only (format=pdf)');
    return creditMemoDocument(ctx, pathNumber(memo[1], 'credit'));
  }
  const statement = STATEMENT_PATH.exec(path);
  if (statement) {
    refuseOthers(params, ['from', 'to', 'type', 'format']);
    if (formatOf(params) !== 'pdf') throw new DocumentError(400, 'INVALID_VALUE', 'a statement is a PDF only (format=pdf)');
    return statementDocument(ctx, pathNumber(statement[1], 'customer'), { from: text(params, 'from'), to: text(params, 'to'), type: text(params, 'type') });
  }
  const claim = /^\/documents\/farm-claims\/([^/]+)$/.exec(path);
  if (claim) {
    refuseOthers(params, ['format']);
    if (formatOf(params) !== 'pdf') throw new DocumentError(400, 'INVALID_VALUE', 'a farm claim is a PDF only (format=pdf)');
    return farmClaimDocument(ctx, pathNumber(claim[1], 'claim'));
  }
  throw new DocumentError(404, 'NOT_FOUND', `Nothing at ${url.pathname}. ${USAGE}`);
}

/** A heavy render counts against its token while it runs; over the cap it is refused 429. */
async function renderCapped(ctx: RequestContext, document: DocumentPlan): Promise<Buffer> {
  if (document.count <= HEAVY_RENDER_BOXES) return renderInWorker(document.job);
  const token = ctx.actor.tokenId === null ? `env:${ctx.actor.name}` : `token:${ctx.actor.tokenId}`;
  const running = heavyRenders.get(token) ?? 0;
  if (running >= HEAVY_RENDERS_PER_TOKEN) {
    throw new DocumentError(
      429,
      'TOO_MANY_RENDERS',
      `This token already has ${running} documents of more than ${HEAVY_RENDER_BOXES} labels rendering; ` +
        `one token renders at most ${HEAVY_RENDERS_PER_TOKEN} at once. Wait for one to finish, then ask again.`,
    );
  }
  heavyRenders.set(token, running + 1);
  try {
    return await renderInWorker(document.job);
  } finally {
    const left = (heavyRenders.get(token) ?? 1) - 1;
    if (left > 0) heavyRenders.set(token, left);
    else heavyRenders.delete(token);
  }
}

/** Seconds to wait before asking again: about what a 2,000-label document takes to render. */
const RETRY_AFTER_SECONDS = 3;

function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  // A refusal that sets its own wait (the authentication throttle) keeps it.
  if ((status === 429 || status === 503) && !res.hasHeader('retry-after')) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: message, code }));
}

/**
 * Serves /documents/...: authenticates first (nothing is read, not even the body, for a caller without a
 * valid token; a CUSTOMER token reaches only its own credit memos and credit files), then renders in a
 * worker thread (HEAD checks the request and answers its headers without rendering). A credit's files
 * are uploaded and served by credit-attachments.http.ts. Every expected refusal is a 4xx with a message; anything else is logged and
 * answered 5xx without details.
 */
export async function handleDocuments(
  options: { createContext(authorization: string | undefined): Promise<RequestContext>; logger: Logger },
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<void> {
  try {
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD, POST');
      throw new DocumentError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here: GET a document, or POST its parameters as JSON`);
    }
    const ctx = await options.createContext(req.headers.authorization);
    if (isCreditAttachmentsPath(url.pathname)) return await handleCreditAttachments(ctx, req, res, url);
    if (!DOCUMENT_ROLES.includes(ctx.actor.role) && !(ctx.actor.role === 'CUSTOMER' && isCustomerDocumentPath(url.pathname))) {
      throw new DocumentError(403, 'FORBIDDEN', `Role ${ctx.actor.role} may not print documents; it needs ${DOCUMENT_ROLES.join(' or ')}`);
    }
    const document = await route(ctx, req, url);
    const disposition = document.filename.endsWith('.zpl') ? 'attachment' : 'inline';
    const headers: http.OutgoingHttpHeaders = {
      'content-type': document.contentType,
      'content-disposition': `${disposition}; filename="${document.filename}"`,
      'cache-control': 'no-store',
      'x-document-count': String(document.count),
    };
    // HEAD: the same checks and headers as GET, but no render (so no length either).
    if (req.method === 'HEAD') {
      res.writeHead(200, headers);
      res.end();
      return;
    }
    const body = await renderCapped(ctx, document);
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.end(body);
  } catch (error) {
    if (error instanceof DocumentError || error instanceof AttachmentError) return sendError(res, error.status, error.code, error.message);
    if (error instanceof WorkerCrashed || error instanceof WorkerJobFailed) {
      options.logger.error({ err: error, path: url.pathname }, 'document render failed');
      if (error instanceof WorkerCrashed)
        return sendError(res, 503, 'RENDER_FAILED', 'The document could not be rendered (its renderer stopped); nothing was printed. Try again shortly.');
      return sendError(res, 500, 'RENDER_FAILED', 'The document could not be rendered; nothing was printed.');
    }
    // 401, or 429 past the failed-authentication limit, as /graphql answers them (503 is worded below).
    const refused = authenticationRefusal(error);
    if (refused && refused.status !== 503) {
      for (const [name, value] of Object.entries(refused.headers)) res.setHeader(name, value);
      return sendError(res, refused.status, refused.code, refused.message);
    }
    const code = error instanceof GraphQLError ? String(error.extensions?.code ?? '') : '';
    // A filter naming master data that does not exist (the staging filter shares GraphQL's lookups).
    if (isReferenceErrorCode(code))
      return sendError(res, code.startsWith('UNKNOWN_') ? 404 : 400, code, error instanceof Error ? error.message.replace(/ in filter\./, ' in ') : code);
    if (code === 'BAD_USER_INPUT') return sendError(res, 400, code, (error as GraphQLError).message);
    if (isDatabaseUnavailable(error) || (error instanceof GraphQLError && error.extensions?.code === 'DATABASE_UNAVAILABLE')) {
      return sendError(res, 503, 'DATABASE_UNAVAILABLE', 'The database is not reachable right now; try again shortly.');
    }
    options.logger.error({ err: error, path: url.pathname }, 'document request failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal server error');
  }
}
