// stemline-sheet: push and pull Stemline sheets as .xlsx files, without Excel.
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request, type Connection } from '../addin/api/graphql-client';
import { CONFIRM_STAGING, INVOICES, SAVE_PREBOOKS, SAVE_PURCHASE_ORDERS, STAGING } from '../addin/api/documents';
import type { ConfirmStagingMutation, ConfirmStagingMutationVariables } from '../addin/api/generated/operations';
import { idempotencyKey, type DocumentSheetSpec } from '../addin/sheets/documents';
import { pullPages, type Page } from '../addin/sheets/pull';
import { CHUNK_LINES, pushRows, type PushAnswer } from '../addin/sheets/push';
import { invoiceRows, type InvoiceSummary } from '../addin/sheets/invoices.sheet';
import { prebookSheet } from '../addin/sheets/prebooks.sheet';
import { purchaseOrderSheet } from '../addin/sheets/purchase-orders.sheet';
import { confirmUpdates, labelsToConfirm, stagingRow, type ConfirmResult, type StagedBox } from '../addin/sheets/staging.sheet';
import type { TableName } from '../addin/sheets/tables';
import { labelsCommand, LABELS_USAGE } from './labels.command';
import { applyUpdates, openTable, writeTable } from './workbook';

const USAGE = `Usage:
  stemline-sheet push prebooks <file.xlsx>
  stemline-sheet push purchase-orders <file.xlsx>
  stemline-sheet pull staging --out <file.xlsx> [--po PO-000001] [--vendor CODE] [--customer CODE]
  stemline-sheet confirm <staging.xlsx> [--preview]
  stemline-sheet pull invoices --out <file.xlsx> [--customer CODE] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet new <prebooks|purchase-orders|staging|invoices> --out <file.xlsx>
${LABELS_USAGE}

Options: --server URL (or STEMLINE_SERVER, default http://localhost:4000), --token TOKEN (or STEMLINE_TOKEN).
Results are written back into the same workbook: Status and Message per row, and the # column.`;

function progress(done: number, total: number, what: string): void {
  process.stderr.write(`\r${what}: ${done}/${total}${done === total ? '\n' : ''}`);
}

async function pushDocuments<H, L>(connection: Connection, file: string, spec: DocumentSheetSpec<H, L>, mutation: string, field: 'savePrebooks' | 'savePurchaseOrders') {
  const open = await openTable(file, spec.table);
  const updates = await pushRows(spec, open.rows, {
    operation: field,
    send: async (input, key) => (await request<Record<string, PushAnswer>>(connection, mutation, { input, key }))[field],
    onProgress: (done, total) => progress(done, total, `Pushing ${spec.table}`),
  });
  applyUpdates(open, updates);
  await open.workbook.xlsx.writeFile(file);
  const statuses = [...updates.values()].map((u) => u.Status);
  const count = (s: string) => statuses.filter((x) => x === s).length;
  console.log(`${file}: ${count('OK')} row(s) OK, ${count('ERROR')} with errors, ${count('STALE')} stale.`);
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

const TABLE_BY_ARGUMENT: Record<string, TableName> = { prebooks: 'Prebooks', 'purchase-orders': 'PurchaseOrders', staging: 'Staging', invoices: 'Invoices' };

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'labels') return labelsCommand(argv.slice(1));
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
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, what, file] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const connection: Connection = {
    serverUrl: values.server ?? process.env.STEMLINE_SERVER ?? 'http://localhost:4000',
    token: values.token ?? process.env.STEMLINE_TOKEN ?? '',
  };
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
    if (!connection.token) throw new UsageError('an API token is required: --token or STEMLINE_TOKEN');
    if (command === 'push' && what === 'prebooks') return (await pushDocuments(connection, needs(file, 'the .xlsx file'), prebookSheet, SAVE_PREBOOKS, 'savePrebooks')) ? 0 : 1;
    if (command === 'push' && what === 'purchase-orders') return (await pushDocuments(connection, needs(file, 'the .xlsx file'), purchaseOrderSheet, SAVE_PURCHASE_ORDERS, 'savePurchaseOrders')) ? 0 : 1;
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
    if (error instanceof GraphQLRequestError) {
      console.error(`stemline-sheet: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      return 1;
    }
    console.error(`stemline-sheet: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

class UsageError extends Error {}
