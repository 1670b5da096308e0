import { GraphQLError } from 'graphql';

/** Missing, unknown or revoked token: HTTP 401, nothing read or written. */
export function unauthenticated(message = 'Missing, invalid or revoked API token: send Authorization: Bearer <token>'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Too many failed authentications from this address or with this token prefix: HTTP 429, wait `retryAfter` seconds. */
export function tooManyFailedAuthentications(message: string, retryAfter: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TOO_MANY_FAILED_AUTHENTICATIONS', retryAfter, http: { status: 429 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });
}

/**
 * A filter argument names a record or document that does not exist (or that the caller may not see);
 * `suggestions`, for an unknown code, are the codes most like it (extensions.suggestions, left out when none).
 */
export function referenceError(code: string, message: string, path: string, suggestions?: string[]): GraphQLError {
  return new GraphQLError(message, { extensions: { code, field: path, argumentPath: path.split('.'), ...(suggestions?.length ? { suggestions } : {}) } });
}

/** UNKNOWN_CUSTOMER, AMBIGUOUS_REFERENCE, ...: expected answers to a bad filter argument, not failures. */
export function isReferenceErrorCode(code: string): boolean {
  return /^(UNKNOWN|AMBIGUOUS)_[A-Z_]+$/.test(code);
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_ERROR_MESSAGES =
  /Connection terminated|connection error|Timeout acquiring a connection|terminating connection due to administrator command|the database system is (starting up|shutting down)/i;

/** Whether an error (or what caused it) says the database cannot be reached, rather than that a query is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof candidate.code === 'string' && CONNECTION_ERROR_CODES.has(candidate.code)) return true;
    if (typeof candidate.message === 'string' && CONNECTION_ERROR_MESSAGES.test(candidate.message)) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = candidate.cause;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not reachable right now; nothing was changed by this request. Try again shortly.';

/** The database is down or restarting: HTTP 503, and the client may retry (with its idempotency key). */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, { extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } } });
}

/** The HTTP answer to a failed authentication: 401, 429 with Retry-After past the throttle's limit, 503 without a database; else null. */
export function authenticationRefusal(error: unknown): { status: number; code: string; message: string; headers: Record<string, string> } | null {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  const message = (error as Error).message;
  if (code === 'UNAUTHENTICATED') return { status: 401, code, message, headers: {} };
  if (code === 'DATABASE_UNAVAILABLE') return { status: 503, code, message, headers: {} };
  if (code === 'TOO_MANY_FAILED_AUTHENTICATIONS') {
    const retryAfter = Number((error as { extensions?: { retryAfter?: unknown } }).extensions?.retryAfter) || 60;
    return { status: 429, code, message, headers: { 'retry-after': String(retryAfter) } };
  }
  return null;
}
