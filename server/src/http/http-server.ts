import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import type { App } from '../app';
import type { RequestContext } from '../common/request-context';
import { withRequestId } from '../common/request-id';
import { authenticationRefusal } from '../common/graphql-errors';
import { BODY_LIMIT_BYTES } from '../common/authorization';
import { handleDocuments, isDocumentsPath } from '../documents/documents.http';
import { findInvalidText, jsonMayHoldInvalidText } from '../common/text-input';
import { clientAddress } from './auth-throttle';
import { GRAPHIQL_ASSETS_PATH, prefersHtml, serveGraphiqlPage } from './graphiql-page';
import type { Logger } from '../logger';

/** The largest request body anyone may send (a staff role's limit; a CUSTOMER's is smaller: BODY_LIMIT_BYTES). */
export const MAX_BODY_BYTES = Math.max(...Object.values(BODY_LIMIT_BYTES));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml',
  '.map': 'application/json',
  '.ttf': 'font/ttf',
};

export interface HttpServerOptions {
  app: App;
  logger: Logger;
  /** Built task pane (dist/addin), served at / so it shares the origin of /graphql. */
  staticDir?: string;
  /**
   * Built GraphiQL page (dist/graphiql, `npm run build:graphiql`): given only when NODE_ENV=development.
   * A browser's GET /graphql then gets the page, and its assets come from /graphiql/.
   */
  graphiqlDir?: string;
  /** Answers GET /health: `ok` when the database answers. */
  healthCheck: () => Promise<void>;
  /** Addresses of reverse proxies whose X-Forwarded-For names the client (STEMLINE_TRUSTED_PROXIES). */
  trustedProxies?: readonly string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The rest of the request body is not read: answer, discard a little, close the connection. */
    readonly unread = false,
  ) {
    super(message);
  }
}

/**
 * Reads a request body of at most `limit` bytes (the caller's role's limit, BODY_LIMIT_BYTES); past it, 413.
 * A body over the largest limit of all is drained (so a staff client reads the 413); one over a smaller
 * role's limit is not read at all (the answer goes, the connection closes).
 */
function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new HttpError(413, `request body larger than ${limit} bytes`, limit < MAX_BODY_BYTES);
    const declared = Number(req.headers['content-length']);
    if (limit < MAX_BODY_BYTES && Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping the body; drain the rest (or, past a smaller role's limit, close after the answer).
        req.removeAllListeners('data');
        if (limit >= MAX_BODY_BYTES) req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** What the client may still send after a refusal is discarded, never kept, up to this much; then the connection is dropped. */
const DISCARD_AFTER_REFUSAL_BYTES = 64 * 1024;

/**
 * Answers without reading the request body: the connection closes after the answer. What is already on
 * its way is discarded up to a small amount (so the client reads the answer rather than a reset), then
 * the socket is dropped. Nothing of the body is kept or parsed.
 */
function refuseWithoutReading(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(body));
  let discarded = 0;
  const drop = () => req.socket.destroy();
  const timer = setTimeout(drop, 2_000).unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_AFTER_REFUSAL_BYTES) drop();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('error', () => clearTimeout(timer));
}

async function handleGraphQL(app: App, req: http.IncomingMessage, res: http.ServerResponse, url: URL, trustedProxies: readonly string[]): Promise<void> {
  // Who is calling, before a byte of the body is read: a stranger's 10 MB never reaches memory.
  let context: RequestContext;
  try {
    context = await app.createContext(req.headers.authorization, clientAddress(req, trustedProxies));
  } catch (error) {
    const refusal = authenticationRefusal(error);
    if (!refusal) throw error;
    refuseWithoutReading(req, res, refusal.status, { errors: [{ message: refusal.message, extensions: { code: refusal.code } }] }, refusal.headers);
    return;
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown = undefined;
  let bodyMayHoldInvalidText = false;
  if (req.method === 'POST') {
    const raw = await readBody(req, BODY_LIMIT_BYTES[context.actor.role]);
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        throw new HttpError(400, 'request body is not valid JSON');
      }
      bodyMayHoldInvalidText = jsonMayHoldInvalidText(raw);
    } else {
      body = raw;
      bodyMayHoldInvalidText = true;
    }
  }
  // Text the database cannot store (U+0000, lone surrogates) is refused up front, naming where it is.
  const invalid = (bodyMayHoldInvalidText ? findInvalidText(body, '') : null) ?? findInvalidText(Object.fromEntries(url.searchParams), '');
  if (invalid) {
    sendJson(res, 400, { errors: [{ message: `${invalid.problem}: ${invalid.path}`, extensions: { code: 'BAD_USER_INPUT', field: invalid.path } }] });
    return;
  }
  const request = req.method === 'POST' ? (body as { query?: unknown; operationName?: unknown } | undefined) : undefined;
  const refusal = app.refuseBeforeValidation(
    request ? request.query : url.searchParams.get('query'),
    request ? request.operationName : url.searchParams.get('operationName'),
    context.actor.role,
  );
  if (refusal) {
    sendJson(res, refusal.status, { errors: [refusal.error] });
    return;
  }
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search: url.search, body };
  const response = await app.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => context,
  });
  const responseHeaders: Record<string, string> = {};
  for (const [key, value] of response.headers) responseHeaders[key] = value;
  res.writeHead(response.status ?? 200, responseHeaders);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
  } else {
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

/** The file at `pathname` under `root` (never outside it), or false when there is none. */
async function serveStatic(root: string, pathname: string, res: http.ServerResponse): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in the path ${pathname}`);
  }
  const file = path.resolve(root, decoded.replace(/^\/+/, ''));
  if (!file.startsWith(path.resolve(root) + path.sep)) return false;
  const content = await fs.readFile(file).catch(() => null);
  if (!content) return false;
  res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(content);
  return true;
}

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/** HTTPS when `tls` is given (Office requires it for a sideloaded task pane), plain HTTP otherwise. */
export function createHttpServer(options: HttpServerOptions, tls?: TlsFiles): http.Server {
  const { app, logger } = options;
  const trustedProxies = options.trustedProxies ?? [];
  const handler: http.RequestListener = (req, res) =>
    withRequestId((requestId) => {
      res.setHeader('x-request-id', requestId);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const route = async () => {
        if (options.graphiqlDir && req.method === 'GET') {
          // Development only. The page is static and needs no token; the queries it sends still do.
          if (url.pathname === '/graphql' && prefersHtml(req.headers.accept)) return serveGraphiqlPage(options.graphiqlDir, res);
          if (url.pathname.startsWith(GRAPHIQL_ASSETS_PATH) && (await serveStatic(options.graphiqlDir, url.pathname.slice(GRAPHIQL_ASSETS_PATH.length), res)))
            return;
        }
        // A CORS preflight carries no credentials: answered without authenticating, never counted as a failure.
        if (req.method === 'OPTIONS' && (url.pathname === '/graphql' || isDocumentsPath(url.pathname))) {
          res.writeHead(204, { allow: url.pathname === '/graphql' ? 'GET, POST, OPTIONS' : 'GET, HEAD, POST, OPTIONS' });
          res.end();
          return;
        }
        if (url.pathname === '/graphql') return handleGraphQL(app, req, res, url, trustedProxies);
        if (isDocumentsPath(url.pathname))
          return handleDocuments(
            { createContext: (authorization) => app.createContext(authorization, clientAddress(req, trustedProxies)), logger },
            req,
            res,
            url,
          );
        if (url.pathname === '/health' && req.method === 'GET') {
          await options.healthCheck().then(
            () => sendJson(res, 200, { status: 'ok' }),
            () => sendJson(res, 503, { status: 'database unavailable' }),
          );
          return;
        }
        if (req.method === 'GET' && options.staticDir && (await serveStatic(options.staticDir, url.pathname === '/' ? 'taskpane.html' : url.pathname, res)))
          return;
        sendJson(res, 404, { error: `nothing at ${url.pathname}; GraphQL is at /graphql` });
      };
      route().catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        if (status === 500) logger.error({ err: error, requestId }, 'http request failed');
        if (error instanceof HttpError && error.unread && !res.headersSent) refuseWithoutReading(req, res, status, { error: error.message });
        else if (!res.headersSent) sendJson(res, status, error instanceof HttpError ? { error: error.message } : { error: 'internal server error', requestId });
        else res.end();
      });
    });
  return tls ? https.createServer({ cert: tls.cert, key: tls.key }, handler) : http.createServer(handler);
}
