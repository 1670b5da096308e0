// The task pane's words for a failed request: what to do, for a buyer; the technical side kept apart.
import { describe, expect, it } from 'vitest';
import { explainError, isServerAddress } from '../../../addin/api/connection-errors';
import { DocumentRequestError } from '../../../addin/api/documents-client';
import { GraphQLRequestError } from '../../../addin/api/graphql-client';

const connection = { serverUrl: 'https://stemline.example.com:4000/', token: 'stl_abc' };
/** Words a buyer should never have to read in the main message. */
const JARGON = /Bearer|Authorization|HTTP|graphql|UNAUTHENTICATED|FORBIDDEN|fetch|ECONNREFUSED|status|\b\d{3}\b/i;

describe('explainError', () => {
  it.each([
    [
      'an unreachable server',
      new GraphQLRequestError('Cannot reach https://stemline.example.com:4000/graphql: Failed to fetch', 0),
      'Cannot reach the server at https://stemline.example.com:4000: check the address under Connection and that the server is running.',
    ],
    [
      'a refused token',
      new GraphQLRequestError('Missing, invalid or revoked API token: send Authorization: Bearer <token>', 401, 'UNAUTHENTICATED'),
      'The server refused this token: ask your administrator for a new one and paste it under Connection.',
    ],
    [
      'too many wrong tokens',
      new GraphQLRequestError('Too many failed authentications from 10.0.0.7: try again in 42 s', 429, 'TOO_MANY_FAILED_AUTHENTICATIONS'),
      'Too many tries with a wrong token from this computer: wait 42 seconds, then try again with the right one.',
    ],
    [
      'a role that may not',
      new GraphQLRequestError('Role SALES may not call confirmStaging; it needs ADMIN or WAREHOUSE', 200, 'FORBIDDEN'),
      'Your token (sales) may not do this: ask your administrator for a token that may.',
    ],
    [
      'a sales token refused a credit approval',
      new GraphQLRequestError('Role SALES may not call approveCredit; it needs ADMIN or SALES_MANAGER', 200, 'FORBIDDEN'),
      'Your token (sales) may not do this: ask your administrator for a token that may.',
    ],
    [
      'an accounting token refused a change',
      new GraphQLRequestError('Role ACCOUNTING may not call confirmInvoice; it needs ADMIN or BUYER or SALES or SALES_MANAGER', 200, 'FORBIDDEN'),
      'Your token (accounting) may not do this: ask your administrator for a token that may.',
    ],
    [
      'a server without its database',
      new GraphQLRequestError('The database is not reachable right now; nothing was changed by this request. Try again shortly.', 503, 'DATABASE_UNAVAILABLE'),
      'The server is running but cannot reach its database: nothing was changed. Try again in a minute, or tell your administrator.',
    ],
    [
      'another web site at the address',
      new GraphQLRequestError('Server answered HTTP 404', 404),
      'No Stemline server answers at https://stemline.example.com:4000: check the address under Connection.',
    ],
    [
      'a proxy that fails',
      new GraphQLRequestError('Server answered HTTP 502', 502),
      'The server at https://stemline.example.com:4000 could not answer just now: try again in a minute, or tell your administrator.',
    ],
    [
      'an answer that is not the server’s',
      new GraphQLRequestError('Server answered HTTP 200', 200),
      'The server at https://stemline.example.com:4000 gave an answer the task pane cannot read: check the address under Connection.',
    ],
    [
      'a refused document',
      new DocumentRequestError('Missing, invalid or revoked API token: send Authorization: Bearer <token>', 401, 'UNAUTHENTICATED'),
      'The server refused this token: ask your administrator for a new one and paste it under Connection.',
    ],
    [
      'an unreachable document server',
      new DocumentRequestError('Cannot reach https://stemline.example.com:4000/documents/box-labels: Failed to fetch', 0),
      'Cannot reach the server at https://stemline.example.com:4000: check the address under Connection and that the server is running.',
    ],
  ])('tells %s in a buyer’s words, the technical side apart', (_, error, message) => {
    const explained = explainError(error, connection);
    expect(explained.message).toBe(message);
    // The address is the buyer's own, as typed under Connection; the rest is in plain words.
    expect(explained.message.replace('https://stemline.example.com:4000', '')).not.toMatch(JARGON);
    expect(explained.detail).toContain(error.message);
  });

  it('keeps the technical side: status, code and the raw message', () => {
    const refused = new GraphQLRequestError('Missing, invalid or revoked API token: send Authorization: Bearer <token>', 401, 'UNAUTHENTICATED');
    expect(explainError(refused, connection).detail).toBe(
      'HTTP 401 · UNAUTHENTICATED · Missing, invalid or revoked API token: send Authorization: Bearer <token>',
    );
  });

  it('asks for a token when there is none, and for an address when there is none or it is not one', () => {
    const refused = new GraphQLRequestError('Missing, invalid or revoked API token: send Authorization: Bearer <token>', 401, 'UNAUTHENTICATED');
    expect(explainError(refused, { ...connection, token: ' ' }).message).toBe(
      'No token yet: paste the API token your administrator gave you under Connection.',
    );
    const invalid = new TypeError("Failed to construct 'URL': Invalid base URL");
    expect(explainError(invalid, { serverUrl: '', token: 'x' }).message).toBe(
      'No server address yet: type the one your administrator gave you under Connection, then Test connection.',
    );
    expect(
      explainError(new GraphQLRequestError('Cannot reach localhost:4000/graphql: Failed to fetch', 0), { serverUrl: 'localhost:4000', token: 'x' }),
    ).toEqual({
      message: '"localhost:4000" is not a server address: type it as your administrator gave it, such as https://stemline.example.com:4000, under Connection.',
      detail: 'Cannot reach localhost:4000/graphql: Failed to fetch',
    });
  });

  it('passes the server’s own words through, and any other error as it is', () => {
    const refusal = new GraphQLRequestError('No invoice INV-000999', 200, 'UNKNOWN_INVOICE');
    expect(explainError(refusal, connection)).toEqual({ message: 'No invoice INV-000999' });
    expect(explainError(new Error('Select rows of the Staging table first: their box labels print.'), connection)).toEqual({
      message: 'Select rows of the Staging table first: their box labels print.',
    });
    expect(explainError('plain', connection)).toEqual({ message: 'plain' });
  });

  it('knows a server address from something else', () => {
    expect(['https://a.example:4000', 'http://localhost:4000/', ' http://10.0.0.2 '].map(isServerAddress)).toEqual([true, true, true]);
    expect(['', 'localhost:4000', 'ftp://a.example', 'stemline'].map(isServerAddress)).toEqual([false, false, false, false]);
  });
});
