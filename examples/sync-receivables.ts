// Keeps an accounting system's receivables equal to Stemline's, from the change feed: every invoice and
// payment created or changed since the last run is upserted into a local ledger (a JSON file standing in for
// the accounting system's database), and each customer's receivable is what its invoices have open less what
// its payments have not applied. Plain fetch, no dependencies:
//
//   STEMLINE_URL=http://localhost:4000/graphql STEMLINE_TOKEN=... node --import tsx examples/sync-receivables.ts
//
// The ledger (STEMLINE_LEDGER_FILE, default .stemline-receivables.json) keeps the feed's cursor with the
// documents, written together after each page: a crash repeats at most that page, and upserting by number
// makes a repeat harmless. The run prints each customer's receivable.
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface LedgerInvoice {
  customer: string;
  status: string;
  total: string;
  open: string;
}

export interface LedgerPayment {
  customer: string;
  status: string;
  amount: string;
  unapplied: string;
}

export interface Ledger {
  cursor: string | null;
  invoices: Record<string, LedgerInvoice>;
  payments: Record<string, LedgerPayment>;
}

interface Change {
  type: 'INVOICE' | 'PAYMENT';
  key: string;
  change: 'CREATED' | 'UPDATED' | 'DELETED' | 'REMOVED';
  invoice: { number: string; status: string; customer: { code: string }; total: string; openAmount: string } | null;
  payment: { number: string; status: string; customer: { code: string }; amount: string; unappliedAmount: string } | null;
}

interface ChangesData {
  changes: { nodes: Change[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

export const RECEIVABLE_CHANGES = `query ReceivableChanges($after: String, $first: Int) {
  changes(after: $after, types: [INVOICE, PAYMENT], first: $first) {
    nodes {
      type key change
      invoice { number status customer { code } total openAmount }
      payment { number status customer { code } amount unappliedAmount }
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

/** Applies one change to the ledger: the document as it is now, or its removal. */
export function applyChange(ledger: Ledger, change: Change): void {
  if (change.type === 'INVOICE') {
    const invoice = change.invoice;
    if (!invoice) delete ledger.invoices[change.key];
    else ledger.invoices[invoice.number] = { customer: invoice.customer.code, status: invoice.status, total: invoice.total, open: invoice.openAmount };
  } else {
    const payment = change.payment;
    if (!payment) delete ledger.payments[change.key];
    else
      ledger.payments[payment.number] = { customer: payment.customer.code, status: payment.status, amount: payment.amount, unapplied: payment.unappliedAmount };
  }
}

/** Cents of a decimal string, exactly. */
function cents(value: string): bigint {
  const [whole, fraction = ''] = value.replace('-', '').split('.');
  const amount = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return value.startsWith('-') ? -amount : amount;
}

function money(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Each customer's receivable in the ledger: open amounts of its invoices (VOID ones aside) less its payments' unapplied amounts. */
export function receivables(ledger: Ledger): Record<string, string> {
  const totals = new Map<string, bigint>();
  const add = (customer: string, amount: bigint) => totals.set(customer, (totals.get(customer) ?? 0n) + amount);
  for (const invoice of Object.values(ledger.invoices)) if (invoice.status !== 'VOID') add(invoice.customer, cents(invoice.open));
  for (const payment of Object.values(ledger.payments)) if (payment.status === 'POSTED') add(payment.customer, -cents(payment.unapplied));
  return Object.fromEntries([...totals].sort(([a], [b]) => a.localeCompare(b)).map(([customer, amount]) => [customer, money(amount)]));
}

/** Reads the changes after the ledger's cursor, page by page, saving the ledger (with the new cursor) after each page. */
export async function syncReceivables(connection: Connection, ledger: Ledger, save: (ledger: Ledger) => void, pageSize = 100): Promise<Ledger> {
  for (;;) {
    const { changes } = await request<ChangesData>(connection, RECEIVABLE_CHANGES, { after: ledger.cursor, first: pageSize });
    for (const change of changes.nodes) applyChange(ledger, change);
    ledger.cursor = changes.pageInfo.endCursor ?? ledger.cursor;
    save(ledger);
    if (!changes.pageInfo.hasNextPage) return ledger;
  }
}

async function main(): Promise<void> {
  const connection = { url: process.env.STEMLINE_URL ?? 'http://localhost:4000/graphql', token: process.env.STEMLINE_TOKEN ?? '' };
  if (!connection.token) throw new Error('Set STEMLINE_TOKEN to an API token of a staff role (ADMIN or ACCOUNTING).');
  const file = process.env.STEMLINE_LEDGER_FILE ?? '.stemline-receivables.json';
  const empty: Ledger = { cursor: null, invoices: {}, payments: {} };
  const ledger = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Ledger) : empty;
  const save = (next: Ledger) => {
    // Written whole, then renamed: the ledger on disk is always one page's state or the next.
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(next, null, 2));
    fs.renameSync(`${file}.tmp`, file);
  };
  await syncReceivables(connection, ledger, save);
  for (const [customer, amount] of Object.entries(receivables(ledger))) console.log(`${customer} ${amount}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
