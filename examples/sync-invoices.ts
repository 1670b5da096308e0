// Pulls Stemline's change feed and prints the invoices created or changed since the last run, the way an
// accounting system would sync them. Plain fetch, no dependencies:
//
//   STEMLINE_URL=http://localhost:4000/graphql STEMLINE_TOKEN=... node --import tsx examples/sync-invoices.ts [--watch]
//
// The cursor is kept in STEMLINE_CURSOR_FILE (default .stemline-invoices.cursor) and saved after each page
// has been handled: the feed never skips a committed change and never repeats one after that cursor, so a
// run picks up exactly where the previous one stopped. (A crash between handling a page and saving the
// cursor repeats that page: make the handling idempotent, e.g. upsert by invoice number and version.)
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

export type ChangeKind = 'CREATED' | 'UPDATED' | 'DELETED';

export interface InvoiceLine {
  lineNo: number;
  product: { code: string };
  boxes: number;
  units: number;
  unitPrice: string | null;
  amount: string | null;
}

export interface Invoice {
  number: string;
  status: 'PENDING' | 'CONFIRMED' | 'VOID';
  customer: { code: string; name: string };
  truckDate: string;
  customerPo: string | null;
  total: string;
  pricePending: boolean;
  version: number;
  lines: InvoiceLine[];
}

export interface InvoiceChange {
  cursor: string;
  key: string;
  version: number | null;
  change: ChangeKind;
  at: string;
  /** The invoice as it is now; null when it no longer exists. */
  invoice: Invoice | null;
}

interface ChangesData {
  changes: { nodes: InvoiceChange[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const INVOICE_CHANGES = `query InvoiceChanges($after: String, $first: Int) {
  changes(after: $after, types: [INVOICE], first: $first) {
    nodes {
      cursor key version change at
      invoice { number status customer { code name } truckDate customerPo total pricePending version lines { lineNo product { code } boxes units unitPrice amount } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface Connection {
  url: string;
  token: string;
}

async function request<T>(connection: Connection, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(connection.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${connection.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  if (body.errors?.length || !body.data) {
    throw new Error(
      `Stemline answered ${response.status}: ${body.errors?.map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ') ?? 'no data'}`,
    );
  }
  return body.data;
}

/**
 * Reads the invoice changes after `cursor`, page by page, handing each page to `handle` before moving on.
 * Returns the cursor to store for the next run (the feed's endCursor, set even when nothing changed).
 */
export async function syncInvoices(
  connection: Connection,
  cursor: string | null,
  handle: (changes: InvoiceChange[], cursor: string | null) => Promise<void> | void,
  pageSize = 100,
): Promise<string | null> {
  for (;;) {
    const { changes } = await request<ChangesData>(connection, INVOICE_CHANGES, { after: cursor, first: pageSize });
    cursor = changes.pageInfo.endCursor ?? cursor;
    await handle(changes.nodes, cursor);
    if (!changes.pageInfo.hasNextPage) return cursor;
  }
}

export function describeChange(change: InvoiceChange): string {
  const invoice = change.invoice;
  if (!invoice) return `${change.change} ${change.key} (no longer exists)`;
  const price = invoice.pricePending ? `${invoice.total} + price pending` : invoice.total;
  return `${change.change === 'CREATED' ? 'new' : 'changed'} ${invoice.number} v${change.version ?? invoice.version} ${invoice.status} ${invoice.customer.code} truck ${invoice.truckDate} lines ${invoice.lines.length} total ${price}`;
}

async function main(): Promise<void> {
  const connection = { url: process.env.STEMLINE_URL ?? 'http://localhost:4000/graphql', token: process.env.STEMLINE_TOKEN ?? '' };
  if (!connection.token) throw new Error('Set STEMLINE_TOKEN to an API token (any role; a CUSTOMER token sees its own invoices).');
  const cursorFile = process.env.STEMLINE_CURSOR_FILE ?? '.stemline-invoices.cursor';
  const watch = process.argv.includes('--watch');
  let cursor = fs.existsSync(cursorFile) ? fs.readFileSync(cursorFile, 'utf8').trim() || null : null;
  for (;;) {
    cursor = await syncInvoices(connection, cursor, (changes, next) => {
      for (const change of changes) console.log(describeChange(change));
      if (next) fs.writeFileSync(cursorFile, next);
    });
    if (!watch) return;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
