// What the task pane tells a buyer when a request to the server fails: what happened and what to do, in a
// buyer's words, with the technical detail (HTTP status, error codes, the endpoint) kept apart for an administrator.
import { DocumentRequestError } from './documents-client';
import { GraphQLRequestError } from './graphql-client';

export interface ExplainedError {
  /** The sentence the buyer reads. */
  message: string;
  /** What an administrator needs to look into it; shown folded away, never in the message. */
  detail?: string;
}

/** True when `serverUrl` is a web address a request can go to (http or https, with a host). */
export function isServerAddress(serverUrl: string): boolean {
  try {
    const url = new URL(serverUrl.trim());
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The server's address as typed under Connection, without a trailing slash. */
function shown(serverUrl: string): string {
  return serverUrl.trim().replace(/\/+$/, '');
}

/** Each role as a person reads it (the task pane's labels use the same words). */
export const ROLE_WORDS: Record<string, string> = {
  ADMIN: 'administrator',
  BUYER: 'buyer',
  SALES: 'sales',
  SALES_MANAGER: 'sales manager',
  ACCOUNTING: 'accounting',
  WAREHOUSE: 'warehouse',
  CUSTOMER: 'customer',
};

/** The message the clients make up when the server's answer carries no error of its own. */
const SERVER_SILENT = /^Server answered HTTP \d+$/;

function technical(error: { message: string; status: number; code?: string }): string {
  return [error.status ? `HTTP ${error.status}` : '', error.code ?? '', error.message].filter(Boolean).join(' · ');
}

/**
 * The buyer's version of an error thrown by a request to the server (GraphQLRequestError, DocumentRequestError)
 * or by anything else a task runs. Errors the server words for people (a missing invoice, a refused line) pass
 * through as they are; the connection's own failures (no server, a refused token, a wrong address, a server
 * that cannot answer) are told as what to do.
 */
export function explainError(error: unknown, connection: { serverUrl: string; token?: string }): ExplainedError {
  const raw = error instanceof Error ? error.message : String(error);
  const address = shown(connection.serverUrl);
  const requestError = error instanceof GraphQLRequestError || error instanceof DocumentRequestError ? error : null;
  if (!isServerAddress(connection.serverUrl) && (requestError?.status === 0 || error instanceof TypeError)) {
    return {
      message: address
        ? `"${address}" is not a server address: type it as your administrator gave it, such as https://stemline.example.com:4000, under Connection.`
        : 'No server address yet: type the one your administrator gave you under Connection, then Test connection.',
      detail: raw,
    };
  }
  if (!requestError) return { message: raw };
  const detail = technical(requestError);
  if (requestError.status === 0) {
    return { message: `Cannot reach the server at ${address}: check the address under Connection and that the server is running.`, detail };
  }
  switch (requestError.code) {
    case 'UNAUTHENTICATED':
      return connection.token?.trim()
        ? { message: 'The server refused this token: ask your administrator for a new one and paste it under Connection.', detail }
        : { message: 'No token yet: paste the API token your administrator gave you under Connection.', detail };
    case 'TOO_MANY_FAILED_AUTHENTICATIONS': {
      const seconds = /(\d+)\s*s\b/.exec(requestError.message)?.[1];
      return {
        message: `Too many tries with a wrong token from this computer: wait ${seconds ? `${seconds} seconds` : 'a minute'}, then try again with the right one.`,
        detail,
      };
    }
    case 'FORBIDDEN': {
      const role = /\b(ADMIN|BUYER|SALES_MANAGER|SALES|ACCOUNTING|WAREHOUSE|CUSTOMER)\b/.exec(requestError.message)?.[1];
      return {
        message: `Your token${role ? ` (${ROLE_WORDS[role]})` : ''} may not do this: ask your administrator for a token that may.`,
        detail,
      };
    }
    case 'DATABASE_UNAVAILABLE':
      return {
        message: 'The server is running but cannot reach its database: nothing was changed. Try again in a minute, or tell your administrator.',
        detail,
      };
  }
  // The server's own words (a refused line, a missing invoice): written for people already.
  if (!SERVER_SILENT.test(requestError.message)) return { message: requestError.message };
  // No answer a Stemline server gives: another web site at that address, or a proxy in the way.
  if (requestError.status === 404 || requestError.status === 405) {
    return { message: `No Stemline server answers at ${address}: check the address under Connection.`, detail };
  }
  if (requestError.status >= 500) {
    return { message: `The server at ${address} could not answer just now: try again in a minute, or tell your administrator.`, detail };
  }
  return { message: `The server at ${address} gave an answer the task pane cannot read: check the address under Connection.`, detail };
}
