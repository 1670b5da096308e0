// stemline-sheet: the buyer's sheets as .xlsx files, without Excel. A thin shell: the workflows in
// addin/workflows do the work, over the .xlsx table adapter.
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request, type Connection } from '../addin/api/graphql-client';
import type { TableName } from '../addin/sheets/tables';
import { confirmStaging } from '../addin/workflows/confirm.workflow';
import { pullDocuments, pushDocuments, refreshStale, type DocumentKind } from '../addin/workflows/documents.workflow';
import { pullInvoices, pullNeeds, pullStaging } from '../addin/workflows/lists.workflow';
import { pushShipments } from '../addin/workflows/shipments.workflow';
import { MissingTableError, type Outcome, type WorkflowContext } from '../addin/workflows/table-io';
import { templateLists } from '../addin/workflows/template.workflow';
import { XlsxTables } from './xlsx-tables.adapter';
import { labelsCommand, LABELS_USAGE } from './labels.command';

const USAGE = `Usage:
  stemline-sheet new <prebooks|purchase-orders|shipments|staging|invoices> --out <file.xlsx>
  stemline-sheet push prebooks <file.xlsx>
  stemline-sheet push purchase-orders <file.xlsx>
  stemline-sheet push shipments <file.xlsx>
  stemline-sheet pull prebooks --out <file.xlsx> [--number PB-…] [--customer CODE] [--vendor CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull purchase-orders --out <file.xlsx> [--number PO-…] [--vendor CODE] [--customer CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull needs --out <file.xlsx> [--customer CODE] [--vendor CODE]
  stemline-sheet refresh <prebooks|purchase-orders> <file.xlsx>
  stemline-sheet pull staging --out <file.xlsx> [--po PO-000001] [--vendor CODE] [--customer CODE]
  stemline-sheet confirm <staging.xlsx> [--preview]
  stemline-sheet pull invoices --out <file.xlsx> [--customer CODE] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
${LABELS_USAGE}

Dates of prebooks are truck dates, of purchase orders ship dates. A pull into a workbook that already
has the table updates the pulled documents in place and keeps every other row; refresh pulls again only
the documents a push marked STALE. A workbook's table is found by its Excel table name (Excel,
LibreOffice and openpyxl workbooks alike) or a sheet of that name with the header in row 1.

Options: --server URL (or STEMLINE_SERVER, default http://localhost:4000), --token TOKEN (or STEMLINE_TOKEN).
Results are written back into the same workbook: Status and Message per row, and the # column.`;

const TABLE_BY_ARGUMENT: Record<string, TableName> = {
  prebooks: 'Prebooks',
  'purchase-orders': 'PurchaseOrders',
  shipments: 'Shipments',
  staging: 'Staging',
  invoices: 'Invoices',
};
const KIND_BY_ARGUMENT: Record<string, DocumentKind> = { prebooks: 'prebooks', 'purchase-orders': 'purchaseOrders' };

class UsageError extends Error {}

function progress(what: string) {
  return (done: number, total: number) => process.stderr.write(`\r${what}: ${done}/${total}${done === total ? '\n' : ''}`);
}

function report(file: string, outcome: Outcome): number {
  console.log(`${file}: ${outcome.text}`);
  for (const problem of outcome.problems) console.log(`  row ${problem.sheetRow}: ${problem.status} ${problem.message}`);
  return outcome.problems.length || outcome.intent === 'error' ? 1 : 0;
}

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
      number: { type: 'string' },
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
  const api = { request: <T>(query: string, variables?: Record<string, unknown>) => request<T>(connection, query, variables) };
  const open = async (path: string, label: string) => {
    const tables = await XlsxTables.open(path);
    const ctx: WorkflowContext = { tables, api, onProgress: progress(label) };
    return { tables, ctx };
  };
  /** A pull writes into the file's table, made (with drop-downs) when the file has none. */
  const pullInto = async (table: TableName, label: string, pull: (ctx: WorkflowContext) => Promise<Outcome>) => {
    const out = needs(values.out, '--out');
    const { tables, ctx } = await open(out, label);
    if (!tables.has(table)) await tables.create(table, await templateLists(ctx));
    const outcome = await pull(ctx);
    await tables.save();
    return report(out, outcome);
  };
  const inFile = async (path: string, label: string, work: (ctx: WorkflowContext) => Promise<Outcome>) => {
    await access(path).catch(() => {
      throw new Error(`${path}: no such file (stemline-sheet new, or a pull with --out, makes one)`);
    });
    const { tables, ctx } = await open(path, label);
    const outcome = await work(ctx);
    await tables.save();
    return report(path, outcome);
  };
  try {
    if (command === 'new') {
      const table = TABLE_BY_ARGUMENT[what ?? ''];
      if (!table) throw new UsageError(`unknown table "${what}"`);
      const out = needs(values.out, '--out');
      const tables = await XlsxTables.open(out);
      const lists = connection.token ? await templateLists({ api }) : { columns: {}, shipTosByCustomer: {} };
      await tables.create(table, lists);
      await tables.save();
      console.log(
        `${out}: an empty ${table} table${connection.token ? ', with drop-down lists from the server' : ' (no drop-down lists: give --token to get them from the server)'}.`,
      );
      return 0;
    }
    if (!connection.token) throw new UsageError('an API token is required: --token or STEMLINE_TOKEN');
    if (command === 'push' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      return await inFile(needs(file, 'the .xlsx file'), `Pushing ${what}`, (ctx) => pushDocuments(ctx, kind));
    }
    if (command === 'push' && what === 'shipments') return await inFile(needs(file, 'the .xlsx file'), 'Shipping', pushShipments);
    if (command === 'refresh' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      return await inFile(needs(file, 'the .xlsx file'), `Refreshing ${what}`, (ctx) => refreshStale(ctx, kind));
    }
    if (command === 'confirm')
      return await inFile(needs(what, 'the staging .xlsx file'), values.preview ? 'Previewing' : 'Confirming', (ctx) =>
        confirmStaging(ctx, values.preview ?? false),
      );
    if (command === 'pull' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      const filter = { number: values.number, customer: values.customer, vendor: values.vendor, status: values.status, from: values.from, to: values.to };
      return await pullInto(TABLE_BY_ARGUMENT[what!], `Pulling ${what}`, (ctx) => pullDocuments(ctx, kind, filter));
    }
    if (command === 'pull' && what === 'needs')
      return await pullInto('PurchaseOrders', 'Pulling needs', (ctx) => pullNeeds(ctx, { customer: values.customer, vendor: values.vendor }));
    if (command === 'pull' && what === 'staging')
      return await pullInto('Staging', 'Pulling staging', (ctx) =>
        pullStaging(ctx, { purchaseOrder: values.po, vendor: values.vendor, customer: values.customer }),
      );
    if (command === 'pull' && what === 'invoices')
      return await pullInto('Invoices', 'Pulling invoices', (ctx) =>
        pullInvoices(ctx, { customer: values.customer, status: values.status, from: values.from, to: values.to }),
      );
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
    if (error instanceof MissingTableError) {
      console.error(
        `stemline-sheet: ${file ?? what}: no ${error.table} table (an Excel table named ${error.table}, or a sheet of that name): stemline-sheet new creates one`,
      );
      return 1;
    }
    console.error(`stemline-sheet: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
