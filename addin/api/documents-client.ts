// Printable documents (/documents/... on the server): fetched with the same bearer token as GraphQL.
import type { Connection } from './graphql-client';

export class DocumentRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface FetchedDocument {
  bytes: Uint8Array;
  contentType: string;
  /** Labels or boxes the document holds (the server's x-document-count). */
  count: number;
}

/**
 * GETs a document path (as GraphQL links give them, such as `/documents/box-labels?purchaseOrder=PO-000001`),
 * or POSTs `body` to it (long lists of labels do not fit in a URL). Refusals come back as
 * DocumentRequestError with the server's message.
 */
export async function fetchDocument(
  connection: Connection,
  path: string,
  body?: Record<string, unknown>,
  fetchImpl: typeof fetch = connection.fetch ?? fetch,
): Promise<FetchedDocument> {
  const url = new URL(path, connection.serverUrl).toString();
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${connection.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new DocumentRequestError(`Cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`, 0);
  }
  if (!response.ok) {
    const refusal = (await response.json().catch(() => ({}))) as { error?: string; code?: string };
    throw new DocumentRequestError(refusal.error ?? `Server answered HTTP ${response.status}`, response.status, refusal.code);
  }
  return {
    bytes: new Uint8Array(await response.arrayBuffer()),
    contentType: response.headers.get('content-type') ?? '',
    count: Number(response.headers.get('x-document-count') ?? 0),
  };
}
