// stemline-sheet: the buyer's sheets as .xlsx files, without Excel. A thin shell: the workflows in
// addin/workflows do the work, over the .xlsx table adapter.
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request } from '../addin/api/graphql-client';
import { date, type CellError } from '../addin/sheets/cells';
import type { TableName } from '../addin/sheets/tables';
import { confirmStaging } from '../addin/workflows/confirm.workflow';
import { pullDocuments, pushDocuments, refreshStale, tableOf, type DocumentKind } from '../addin/workflows/documents.workflow';
import { invoiceDocumentsByNumber, invoiceDocumentsOfTruckDate, type InvoiceDocuments } from '../addin/workflows/invoice.workflow';
import { pullInvoices, pullNeeds, pullProduction, pullStaging } from '../addin/workflows/lists.workflow';
import { pushShipments } from '../addin/workflows/shipments.workflow';
import { MissingTableError, type Outcome, type WorkflowContext } from '../addin/workflows/table-io';
import { templateLists, yesNoLists } from '../addin/workflows/template.workflow';
import { ConnectionError, findConnection, type FoundConnection } from './connection';
import { labelsCommand, LABELS_USAGE } from './labels.command';
import { PhaseTimings, TIMINGS_ENV } from './phase-timings';
import { XlsxPushTables } from './xlsx-push-tables.adapter';

// exceljs (a fifth of a second to load) is imported only by the commands that use it: a push reads
// and writes its table without it (XlsxPushTables).
const exceljsTables = async () => (await import('./xlsx-tables.adapter')).XlsxTables;

const USAGE = `Usage:
  stemline-sheet new <prebooks|purchase-orders|shipments|staging|invoices> --out <file.xlsx>
  stemline-sheet push prebooks <file.xlsx> [--allow-past]
  stemline-sheet push purchase-orders <file.xlsx>
  stemline-sheet push shipments <file.xlsx>
  stemline-sheet pull prebooks --out <file.xlsx> [--number PB-…] [--customer CODE] [--vendor CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull purchase-orders --out <file.xlsx> [--number PO-…] [--vendor CODE] [--customer CODE] [--status OPEN] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull needs --out <file.xlsx> [--customer CODE] [--vendor CODE]
  stemline-sheet refresh <prebooks|purchase-orders> <file.xlsx>
  stemline-sheet pull staging --out <file.xlsx> [--po PO-000001] [--vendor CODE] [--customer CODE]
  stemline-sheet confirm <staging.xlsx> [--preview]
  stemline-sheet pull invoices --out <file.xlsx> [--customer CODE] [--status PENDING] [--from YYYY-MM-DD] [--to YYYY-MM-DD]
  stemline-sheet pull production --out <file.xlsx> [--run PR-000001] [--customer CODE] [--status OPEN]
  stemline-sheet invoice <INV-000001> [INV-000002 ...] --out <file.xlsx>
  stemline-sheet invoice --truck-date <YYYY-MM-DD> --out <file.xlsx>
${LABELS_USAGE}

Dates of prebooks are truck dates, of purchase orders ship dates. A new prebook's truck date before the
company's today is refused unless the push has --allow-past; one more than a year ahead is saved with a
warning. A pull into a workbook that already
has the table updates the pulled documents in place and keeps every other row; refresh pulls again only
the documents a push marked STALE. A workbook's table is found by its Excel table name (Excel,
LibreOffice and openpyxl workbooks alike) or a sheet of that name with the header in row 1.

Options: --server URL (or STEMLINE_SERVER; default: the server npm start runs here, https then http on localhost:$PORT or 4000),
  --token TOKEN (or STEMLINE_TOKEN; default: the first ADMIN token npm start keeps in $STEMLINE_DATA_DIR/admin-token, .data/admin-token).
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
  // Rows as Excel numbers them, under the table's name; past 50 the Message column has the rest.
  for (const problem of outcome.problems.slice(0, 50))
    console.log(`  ${outcome.table ? `${outcome.table} ` : ''}row ${problem.sheetRow}: ${problem.status} ${problem.message}`);
  if (outcome.problems.length > 50) console.log(`  ... and ${outcome.problems.length - 50} more row(s): see the Message column.`);
  return outcome.problems.length || outcome.intent === 'error' ? 1 : 0;
}

/** Writes the customer invoices, one printable sheet each, into a new workbook (nothing when one is missing). */
async function writeInvoices(out: string, found: InvoiceDocuments, what: string): Promise<number> {
  if (found.missing.length) {
    console.error(`stemline-sheet: no invoice ${found.missing.join(', ')}; nothing was written.`);
    return 1;
  }
  if (found.invoices.length === 0) {
    console.error(`stemline-sheet: no invoice ${what}${found.void ? ' that is not void' : ''}.`);
    return 1;
  }
  const [{ default: ExcelJS }, { addPrintableSheet }] = await Promise.all([import('exceljs'), import('./printable-workbook')]);
  const workbook = new ExcelJS.Workbook();
  for (const invoice of found.invoices) addPrintableSheet(workbook, invoice.sheet);
  await workbook.xlsx.writeFile(out);
  console.log(`${out}: ${found.invoices.length} invoice(s), one sheet each: ${found.invoices.map((i) => i.number).join(', ')}.`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const timings = process.env[TIMINGS_ENV] === '1' ? new PhaseTimings() : undefined;
  timings?.mark('started');
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
      run: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'truck-date': { type: 'string' },
      'allow-past': { type: 'boolean' },
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
  const api = {
    request: <T>(query: string, variables?: Record<string, unknown>) => {
      if (!connection) throw new Error('no connection to the server yet');
      if (!timings) return request<T>(connection, query, variables);
      timings.mark('firstRequest');
      return request<T>(connection, query, variables).finally(() => timings.mark('lastAnswer', true));
    },
  };
  const open = async (path: string, label: string) => {
    const tables = await (await exceljsTables()).open(path);
    const ctx: WorkflowContext = { tables, api, onProgress: progress(label) };
    return { tables, ctx };
  };
  /**
   * A workflow that reads one table and writes results into its rows (push, confirm) goes through
   * XlsxPushTables when it reads the workbook and the table has all its columns; otherwise, as
   * every other command, through exceljs.
   */
  const openForPush = async (path: string, table: TableName, label: string) => {
    const fast = await XlsxPushTables.open(path, table);
    if (!fast?.complete(table)) return open(path, label);
    const ctx: WorkflowContext = { tables: fast, api, onProgress: progress(label) };
    return { tables: fast, ctx };
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
  const inFile = async (path: string, label: string, work: (ctx: WorkflowContext) => Promise<Outcome>, pushes?: TableName) => {
    await access(path).catch(() => {
      throw new Error(`${path}: no such file (stemline-sheet new, or a pull with --out, makes one)`);
    });
    const { tables, ctx } = pushes ? await openForPush(path, pushes, label) : await open(path, label);
    timings?.mark('opened');
    const outcome = await work(ctx);
    timings?.mark('worked');
    await tables.save();
    timings?.mark('saved');
    if (timings) process.stderr.write(`${timings.line()}\n`);
    return report(path, outcome);
  };
  try {
    if (command === 'new') {
      const table = TABLE_BY_ARGUMENT[what ?? ''];
      if (!table) throw new UsageError(`unknown table "${what}"`);
      const out = needs(values.out, '--out');
      const tables = await (await exceljsTables()).open(out);
      // Drop-down lists come from the server when one can be found; without one the table is made all the same.
      let unreachable = '';
      connection = await findConnection({ server: values.server, token: values.token }).catch((error: unknown) => {
        if (!(error instanceof ConnectionError)) throw error;
        unreachable = error.message;
        return undefined;
      });
      const lists = connection ? await templateLists({ api }) : { columns: yesNoLists(), shipTosByCustomer: {} };
      await tables.create(table, lists);
      await tables.save();
      console.log(`${out}: an empty ${table} table${connection ? ', with drop-down lists from the server' : ` (no drop-down lists: ${unreachable})`}.`);
      return 0;
    }
    connection = await findConnection({ server: values.server, token: values.token });
    if (command === 'invoice') {
      const numbers = positionals.slice(1);
      const out = needs(values.out, '--out');
      if (values['truck-date']) {
        const errors: CellError[] = [];
        const day = date(values['truck-date'], '--truck-date', errors);
        if (!day) throw new UsageError(errors[0]?.message ?? '--truck-date is required');
        return await writeInvoices(out, await invoiceDocumentsOfTruckDate({ api, onProgress: progress('Pulling invoices') }, day), `with truck date ${day}`);
      }
      if (!numbers.length) throw new UsageError('give invoice numbers, or --truck-date');
      return await writeInvoices(out, await invoiceDocumentsByNumber(api, numbers), numbers.join(', '));
    }
    if (command === 'push' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      const choices = { allowPast: values['allow-past'] ?? false };
      return await inFile(needs(file, 'the .xlsx file'), `Pushing ${what}`, (ctx) => pushDocuments(ctx, kind, choices), tableOf(kind));
    }
    if (command === 'push' && what === 'shipments') return await inFile(needs(file, 'the .xlsx file'), 'Shipping', pushShipments, 'Shipments');
    if (command === 'refresh' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      return await inFile(needs(file, 'the .xlsx file'), `Refreshing ${what}`, (ctx) => refreshStale(ctx, kind));
    }
    if (command === 'confirm')
      return await inFile(
        needs(what, 'the staging .xlsx file'),
        values.preview ? 'Previewing' : 'Confirming',
        (ctx) => confirmStaging(ctx, values.preview ?? false),
        'Staging',
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
    if (command === 'pull' && what === 'production')
      return await pullInto('Production', 'Pulling production runs', (ctx) =>
        pullProduction(ctx, { run: values.run, productionCompany: values.customer, status: values.status }),
      );
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
      const refused =
        error.code === 'UNAUTHENTICATED' && connection
          ? `: the server refused the token from ${connection.tokenFrom}; pass a valid --token or STEMLINE_TOKEN`
          : '';
      const unreachable = error.status === 0 && connection ? `; is the server running? Pass --server URL (or STEMLINE_SERVER) if it is elsewhere` : '';
      console.error(`stemline-sheet: ${error.message}${error.code ? ` (${error.code})` : ''}${refused}${unreachable}`);
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
