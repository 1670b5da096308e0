// stemline-sheet: push and pull Stemline sheets as .xlsx files, without Excel.
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request, type Connection } from '../addin/api/graphql-client';
import { CONFIRM_STAGING, INVOICE_DOCUMENT, INVOICE_DOCUMENTS, INVOICES, SAVE_PREBOOKS, SAVE_PURCHASE_ORDERS, SELLER, STAGING } from '../addin/api/documents';
import type { ConfirmStagingMutation, ConfirmStagingMutationVariables, InvoiceDocumentQuery, SellerQuery } from '../addin/api/generated/operations';
import { date, type CellError } from '../addin/sheets/cells';
import { customerInvoiceSheet, type CustomerInvoice } from '../addin/sheets/customer-invoice.document';
import { idempotencyKey, rowProblems, type DocumentSheetSpec } from '../addin/sheets/documents';
import { pullPages, type Page } from '../addin/sheets/pull';
import { CHUNK_LINES, pushRows, type PushAnswer } from '../addin/sheets/push';
import { invoiceRows, type InvoiceSummary } from '../addin/sheets/invoices.sheet';
import { prebookSheet } from '../addin/sheets/prebooks.sheet';
import { purchaseOrderSheet } from '../addin/sheets/purchase-orders.sheet';
import { confirmUpdates, labelsToConfirm, stagingRow, type ConfirmResult, type StagedBox } from '../addin/sheets/staging.sheet';
import type { TableName } from '../addin/sheets/tables';
import ExcelJS from 'exceljs';
import { ConnectionError, findConnection, type FoundConnection } from './connection';
import { addPrintableSheet } from './printable-workbook';
import { applyUpdates, openTable, writeTable } from './workbook';

const USAGE = `Usage:
  stemline-sheet push prebooks <file.xlsx>
  stemline-sheet push purchase-orders <file.xlsx>
  stemline-sheet pull staging --out <file.xlsx> [--po PO-000001] [--vendor CODE] [--customer CODE]
  stemline-sheet confirm <staging.xlsx> [--preview]
  stemline-sheet pull invoices --out <file.xlsx> [--customer CODE] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet invoice <INV-000001> [INV-000002 ...] --out <file.xlsx>
  stemline-sheet invoice --truck-date <YYYY-MM-DD> --out <file.xlsx>
  stemline-sheet new <prebooks|purchase-orders|staging|invoices> --out <file.xlsx>

Options: --server URL (or STEMLINE_SERVER; default: the server npm start runs here, https then http on localhost:$PORT or 4000),
  --token TOKEN (or STEMLINE_TOKEN; default: the first ADMIN token npm start keeps in $STEMLINE_DATA_DIR/admin-token, .data/admin-token).
Results are written back into the same workbook: Status and Message per row, and the # column.`;

function progress(done: number, total: number, what: string): void {
  process.stderr.write(`\r${what}: ${done}/${total}${done === total ? '\n' : ''}`);
}

async function pushDocuments<H, L>(connection: Connection, file: string, spec: DocumentSheetSpec<H, L>, mutation: string, field: 'savePrebooks' | 'savePurchaseOrders') {
  const open = await openTable(file, spec.table);
  const updates = await pushRows(spec, open.rows, {
    operation: field,
    send: async (input, key) => (await request<Record<string, PushAnswer>>(connection, mutation, { input, key }))[field],
    check: async (input) => (await request<Record<string, PushAnswer>>(connection, mutation, { input, dryRun: true }))[field],
    onProgress: (done, total) => progress(done, total, `Pushing ${spec.table}`),
  });
  applyUpdates(open, updates);
  await open.workbook.xlsx.writeFile(file);
  const statuses = [...updates.values()].map((u) => u.Status);
  const count = (s: string) => statuses.filter((x) => x === s).length;
  console.log(`${file}: ${count('OK')} row(s) OK, ${count('ERROR')} with errors, ${count('STALE')} stale.`);
  const problems = rowProblems(open.rows, updates);
  for (const problem of problems.slice(0, 50)) console.log(`  ${open.sheet.name} row ${problem.row}: ${problem.status} ${problem.message}`);
  if (problems.length > 50) console.log(`  ... and ${problems.length - 50} more row(s): see the Message column.`);
  return count('ERROR') + count('STALE') === 0;
}

async function pullAll<T>(connection: Connection, query: string, field: string, filter: Record<string, unknown>, what: string): Promise<T[]> {
  const pulled = await pullPages<T>(
    async (after) => (await request<Record<string, Page<T>>>(connection, query, { filter, first: 500, after }))[field],
    (done, total) => progress(done, total, what),
  );
  return pulled.nodes;
}

async function confirmFile(connection: Connection, file: string, preview: boolean): Promise<boolean> {
  const open = await openTable(file, 'Staging');
  const marked = labelsToConfirm(open.rows);
  if (marked.length === 0) {
    console.log(`${file}: no row is marked in the Confirm column.`);
    return true;
  }
  const results: ConfirmResult[] = [];
  for (let i = 0; i < marked.length; i += CHUNK_LINES) {
    const labels = marked.slice(i, i + CHUNK_LINES).map((m) => m.label);
    const key = preview ? null : await idempotencyKey('confirmStaging', labels);
    const data = await request<ConfirmStagingMutation>(connection, CONFIRM_STAGING, { labels, dryRun: preview, key } satisfies ConfirmStagingMutationVariables);
    results.push(...data.confirmStaging.results);
    progress(Math.min(i + CHUNK_LINES, marked.length), marked.length, preview ? 'Previewing' : 'Confirming');
  }
  applyUpdates(open, confirmUpdates(marked, results, preview));
  await open.workbook.xlsx.writeFile(file);
  const errors = results.filter((r) => r.outcome === 'ERROR').length;
  console.log(`${file}: ${results.length - errors} box(es) ${preview ? 'would be confirmed' : 'confirmed'}, ${errors} error(s).`);
  return errors === 0;
}

/**
 * The customer invoice document, one sheet per invoice, ready to print or send:
 * the invoices named, or every invoice of a truck date that is not void.
 */
async function invoiceDocuments(connection: Connection, numbers: string[], truckDate: string | undefined, out: string): Promise<boolean> {
  let invoices: CustomerInvoice[] = [];
  const missing: string[] = [];
  let seller: SellerQuery['settings'];
  if (truckDate) {
    const errors: CellError[] = [];
    const day = date(truckDate, '--truck-date', errors);
    if (!day) throw new UsageError(errors[0]?.message ?? '--truck-date is required');
    seller = (await request<SellerQuery>(connection, SELLER)).settings;
    const all = await pullAll<CustomerInvoice>(connection, INVOICE_DOCUMENTS, 'invoices', { truckDateFrom: day, truckDateTo: day }, 'Pulling invoices');
    invoices = all.filter((invoice) => invoice.status !== 'VOID');
    if (invoices.length === 0) {
      console.error(`stemline-sheet: no invoice with truck date ${day}${all.length ? ' that is not void' : ''}.`);
      return false;
    }
  } else {
    for (const number of numbers) {
      const data = await request<InvoiceDocumentQuery>(connection, INVOICE_DOCUMENT, { number: number.trim() });
      seller = data.settings;
      if (data.invoice) invoices.push(data.invoice);
      else missing.push(number);
    }
    if (missing.length) {
      console.error(`stemline-sheet: no invoice ${missing.join(', ')}; nothing was written.`);
      return false;
    }
  }
  const workbook = new ExcelJS.Workbook();
  for (const invoice of invoices) addPrintableSheet(workbook, customerInvoiceSheet(invoice, seller!));
  await workbook.xlsx.writeFile(out);
  console.log(`${out}: ${invoices.length} invoice(s), one sheet each: ${invoices.map((i) => i.number).join(', ')}.`);
  return true;
}

const TABLE_BY_ARGUMENT: Record<string, TableName> = { prebooks: 'Prebooks', 'purchase-orders': 'PurchaseOrders', staging: 'Staging', invoices: 'Invoices' };

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      out: { type: 'string' },
      preview: { type: 'boolean' },
      po: { type: 'string' },
      vendor: { type: 'string' },
      customer: { type: 'string' },
      status: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'truck-date': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, what, file] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  let connection: FoundConnection | undefined;
  const needs = (value: string | undefined, name: string): string => {
    if (!value) throw new UsageError(`${name} is required`);
    return value;
  };
  try {
    if (command === 'new') {
      const table = TABLE_BY_ARGUMENT[what ?? ''];
      if (!table) throw new UsageError(`unknown table "${what}"`);
      await writeTable(needs(values.out, '--out'), table, []);
      console.log(`${values.out}: an empty ${table} table.`);
      return 0;
    }
    connection = await findConnection({ server: values.server, token: values.token });
    if (command === 'push' && what === 'prebooks') return (await pushDocuments(connection, needs(file, 'the .xlsx file'), prebookSheet, SAVE_PREBOOKS, 'savePrebooks')) ? 0 : 1;
    if (command === 'push' && what === 'purchase-orders') return (await pushDocuments(connection, needs(file, 'the .xlsx file'), purchaseOrderSheet, SAVE_PURCHASE_ORDERS, 'savePurchaseOrders')) ? 0 : 1;
    if (command === 'invoice') {
      const numbers = positionals.slice(1);
      if (!numbers.length && !values['truck-date']) throw new UsageError('give invoice numbers, or --truck-date');
      return (await invoiceDocuments(connection, numbers, values['truck-date'], needs(values.out, '--out'))) ? 0 : 1;
    }
    if (command === 'confirm') return (await confirmFile(connection, needs(what, 'the staging .xlsx file'), values.preview ?? false)) ? 0 : 1;
    if (command === 'pull' && what === 'staging') {
      const filter = { purchaseOrder: values.po, vendor: values.vendor, customer: values.customer };
      const boxes = await pullAll<StagedBox>(connection, STAGING, 'staging', filter, 'Pulling staging');
      await writeTable(needs(values.out, '--out'), 'Staging', boxes.map(stagingRow));
      console.log(`${values.out}: ${boxes.length} staged box(es).`);
      return 0;
    }
    if (command === 'pull' && what === 'invoices') {
      const filter = { customer: values.customer, status: values.status, truckDateFrom: values.from, truckDateTo: values.to };
      const invoices = await pullAll<InvoiceSummary>(connection, INVOICES, 'invoices', filter, 'Pulling invoices');
      await writeTable(needs(values.out, '--out'), 'Invoices', invoices.flatMap(invoiceRows));
      console.log(`${values.out}: ${invoices.length} invoice(s).`);
      return 0;
    }
    throw new UsageError(`unknown command "${[command, what].filter(Boolean).join(' ')}"`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`stemline-sheet: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConnectionError) {
      console.error(`stemline-sheet: ${error.message}`);
      return 1;
    }
    if (error instanceof GraphQLRequestError) {
      const refused = error.code === 'UNAUTHENTICATED' && connection ? `: the server refused the token from ${connection.tokenFrom}; pass a valid --token or STEMLINE_TOKEN` : '';
      const unreachable = error.status === 0 && connection ? `; is the server running? Pass --server URL (or STEMLINE_SERVER) if it is elsewhere` : '';
      console.error(`stemline-sheet: ${error.message}${error.code ? ` (${error.code})` : ''}${refused}${unreachable}`);
      return 1;
    }
    console.error(`stemline-sheet: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

class UsageError extends Error {}
