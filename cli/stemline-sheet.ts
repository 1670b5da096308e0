// stemline-sheet: the buyer's sheets as .xlsx files, without Excel. A thin shell: the workflows in
// addin/workflows do the work, over the .xlsx table adapter.
import { access, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request } from '../addin/api/graphql-client';
import { date, type CellError } from '../addin/sheets/cells';
import { HEADER_SEARCH_ROWS, isBlank, WRITTEN_COLUMNS, type TableName } from '../addin/sheets/tables';
import { confirmStaging } from '../addin/workflows/confirm.workflow';
import { pullDocuments, pushDocuments, refreshStale, tableOf, type DocumentKind } from '../addin/workflows/documents.workflow';
import { invoiceDocumentsByNumber, invoiceDocumentsOfTruckDate, type InvoiceDocuments } from '../addin/workflows/invoice.workflow';
import { writeAging } from './aging.command';
import { pullInvoices, pullNeeds, pullProduction, pullStaging } from '../addin/workflows/lists.workflow';
import { pushShipments } from '../addin/workflows/shipments.workflow';
import { MissingTableError, type Outcome, type WorkflowContext } from '../addin/workflows/table-io';
import { writeAvailability } from './availability.command';
import { templateLists, yesNoLists } from '../addin/workflows/template.workflow';
import { ConnectionError, findConnection, type FoundConnection } from './connection';
import { labelsCommand } from './labels.command';
import { creditCommand } from './credit.command';
import { statementCommand } from './statement.command';
import { STOCK_OPTIONS, STOCK_TABLES, stockCommand } from './stock.command';
import { USAGE } from './usage';
import { PhaseTimings, TIMINGS_ENV } from './phase-timings';
import { resultsPathFor } from './results-workbook';
import { checkWritable, EXIT_RESULTS_ELSEWHERE, saveFailure, WorkbookNotWritableError } from './workbook-access';
import { checkFileStart, isCsvFile, WorkbookFileError } from './workbook-file';
import { checkFileSize, checkTableRows, workbookLimits } from './workbook-limits';
import { XlsxPushTables } from './xlsx-push-tables.adapter';
import { pullPriceLists, pushPriceLists } from '../addin/workflows/price-lists.workflow';

// exceljs (a fifth of a second to load) is imported only by the commands that use it: a push reads
// and writes its table without it (XlsxPushTables).
const exceljsTables = async () => (await import('./xlsx-tables.adapter')).XlsxTables;

/**
 * Whether a results workbook is there with a document saved by the push that wrote it (a value in
 * the column that holds what the server saved: the # column, or Labels); one that cannot be read counts.
 */
async function savedIn(results: string, table: TableName): Promise<boolean> {
  const exists = await access(results).then(
    () => true,
    () => false,
  );
  if (!exists) return false;
  try {
    const snapshot = await (await exceljsTables()).open(results).then((tables) => tables.read(table));
    const saved = WRITTEN_COLUMNS[table][0];
    return snapshot.rows.some((row) => !isBlank(row.values[saved]));
  } catch {
    return true;
  }
}

const TABLE_BY_ARGUMENT: Record<string, TableName> = {
  prebooks: 'Prebooks',
  'purchase-orders': 'PurchaseOrders',
  shipments: 'Shipments',
  staging: 'Staging',
  invoices: 'Invoices',
  ...STOCK_TABLES,
  credits: 'Credits',
  'price-lists': 'PriceLists',
  payments: 'Payments',
};
const KIND_BY_ARGUMENT: Record<string, DocumentKind> = { prebooks: 'prebooks', 'purchase-orders': 'purchaseOrders', credits: 'credits', payments: 'payments' };

class UsageError extends Error {}
/** A push or confirm that had nothing to send, against a server that cannot be reached or refuses the token. */
class NothingSentError extends Error {}

/** Why a request failed, in the buyer's words. */
function serverProblem(error: GraphQLRequestError, connection: FoundConnection | undefined): string {
  const where = connection ? ` at ${connection.serverUrl}` : '';
  if (error.status === 0) return `the Stemline server${where} cannot be reached: is it running? Pass --server URL (or STEMLINE_SERVER) if it is elsewhere.`;
  if (error.code === 'UNAUTHENTICATED')
    return `the Stemline server${where} refused the token${connection ? ` from ${connection.tokenFrom}` : ''}: pass a valid --token or STEMLINE_TOKEN.`;
  return `the Stemline server${where} answered: ${error.message}.`;
}

/**
 * The server took the push, but the workbook could not be saved afterwards: the results go to a
 * workbook beside it, and the documents saved are listed with their numbers (pushing the workbook
 * again finds them by their Document Id: nothing is saved twice).
 */
async function resultsElsewhere(file: string, outcome: Outcome, failure: unknown, saveTo: (to: string) => Promise<void>): Promise<number> {
  const results = resultsPathFor(file);
  const written = await saveTo(results).then(
    () => true,
    () => false,
  );
  console.log(`${file}: ${outcome.text}`);
  console.error(
    `stemline-sheet: ${file} could not be saved after the server took the push (${saveFailure(failure)}). ${
      written ? `The results are in ${results}.` : `The results could not be written to ${results} either: the server has them all the same.`
    } Pushing ${file} again is safe: the documents already saved are recognised, not saved twice.`,
  );
  if (outcome.saved?.length) {
    console.log(`Saved on the server (${outcome.saved.length}):`);
    for (const { number, sheetRows } of outcome.saved) console.log(`  ${number}: row${sheetRows.length > 1 ? 's' : ''} ${rowRanges(sheetRows)}`);
  }
  for (const problem of outcome.problems.slice(0, 50))
    console.log(`  ${outcome.table ? `${outcome.table} ` : ''}row ${problem.sheetRow}: ${problem.status} ${problem.message}`);
  return EXIT_RESULTS_ELSEWHERE;
}

/** Worksheet rows as the buyer reads them: 2-4, 7. */
function rowRanges(rows: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
    parts.push(j > i ? `${rows[i]}-${rows[j]}` : String(rows[i]));
    i = j;
  }
  return parts.join(', ');
}

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
  if (argv[0] === 'credit') return creditCommand(argv.slice(1));
  if (argv[0] === 'statement') return statementCommand(argv.slice(1));
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
      invoice: { type: 'string' },
      vendor: { type: 'string' },
      customer: { type: 'string' },
      status: { type: 'string' },
      run: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      'truck-date': { type: 'string' },
      'allow-past': { type: 'boolean' },
      'as-of': { type: 'string' },
      'on-hand-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      ...STOCK_OPTIONS,
    },
  });
  const [command, what, file] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  let connection: FoundConnection | undefined;
  // Requests made so far: a push or confirm that sent nothing still checks the server and the token.
  let requests = 0;
  const needs = (value: string | undefined, name: string): string => {
    if (!value) throw new UsageError(`${name} is required`);
    return value;
  };
  const api = {
    request: <T>(query: string, variables?: Record<string, unknown>) => {
      if (!connection) throw new Error('no connection to the server yet');
      requests++;
      if (!timings) return request<T>(connection, query, variables);
      timings.mark('firstRequest');
      return request<T>(connection, query, variables).finally(() => timings.mark('lastAnswer', true));
    },
  };
  /** Only push and confirm read a CSV file (their results go to a workbook beside it); every other command needs a workbook. */
  const noCsv = (path: string) => {
    if (isCsvFile(path))
      throw new WorkbookFileError(
        `${path}: a CSV file: only push and confirm read CSV files; this command needs an Excel workbook (.xlsx): ${
          command === 'new' || command === 'pull'
            ? 'give --out a name ending in .xlsx'
            : `use "${resultsPathFor(path)}" (written by a push of the .csv) or save the .csv as "Excel Workbook (.xlsx)"`
        }.`,
      );
    return path;
  };
  const open = async (path: string, label: string) => {
    const tables = await (await exceljsTables()).open(noCsv(path));
    const ctx: WorkflowContext = { tables, api, onProgress: progress(label) };
    return { tables, ctx };
  };
  /**
   * A workflow that reads one table and writes results into its rows (push, confirm) goes through
   * XlsxPushTables when it reads the workbook and the table has all its columns; otherwise, as
   * every other command, through exceljs.
   */
  const openForPush = async (path: string, table: TableName, label: string) => {
    if (isCsvFile(path)) return openCsv(path, table, label);
    const fast = await XlsxPushTables.open(path, table);
    if (!fast?.complete(table)) return open(path, label);
    const ctx: WorkflowContext = { tables: fast, api, onProgress: progress(label) };
    return { tables: fast, ctx };
  };
  /**
   * A CSV file's records as the table of a new workbook, saved as "<name> (results).xlsx" beside it.
   * A push refuses a CSV whose results workbook records saved documents (a # on a row): that push
   * saved them already, and the results workbook (with their numbers) is what to push again.
   */
  const openCsv = async (path: string, table: TableName, label: string) => {
    const results = resultsPathFor(path);
    if (command === 'push' && (await savedIn(results, table)))
      throw new WorkbookFileError(
        `${path}: "${results}" holds what an earlier push of this file saved, with the documents' numbers: push that workbook instead (pushing the .csv again would send its new rows again as new documents), or delete or rename it to push the .csv anyway. Nothing was sent.`,
      );
    await checkFileSize(path);
    const rows = (await import('./csv-file')).readCsv(await readFile(path), path);
    // Checked again, exactly, when the table is read: here before a workbook is built of them.
    if (rows.length > workbookLimits().maxRows + HEADER_SEARCH_ROWS) checkTableRows(path, table, rows.length - 1);
    const tables = (await exceljsTables()).fromRows(table, rows, results, path);
    const ctx: WorkflowContext = { tables, api, onProgress: progress(label) };
    return { tables, ctx };
  };
  /** A pull writes into the file's table, made (with drop-downs) when the file has none. */
  const pullInto = async (table: TableName, label: string, pull: (ctx: WorkflowContext) => Promise<Outcome>) => {
    const out = needs(values.out, '--out');
    await checkWritable(out);
    const { tables, ctx } = await open(out, label);
    if (!tables.has(table)) await tables.create(table, await templateLists(ctx));
    const outcome = await pull(ctx);
    await tables.save();
    return report(out, outcome);
  };
  /**
   * A command that reads a workbook and writes results into it: refused before anything is sent when the
   * workbook cannot be written; `sends` when it writes to the server (push, confirm), which is then
   * checked even if nothing needed sending. Results that cannot be saved into the workbook after the
   * server took the push go beside it (resultsPathFor), with the saved documents listed.
   */
  const inFile = async (path: string, label: string, work: (ctx: WorkflowContext) => Promise<Outcome>, pushes?: TableName, sends = false) => {
    await access(path).catch(() => {
      throw new Error(`${path}: no such file (stemline-sheet new, or a pull with --out, makes one)`);
    });
    // A CSV is only read: its results go to a workbook beside it, which must be writable instead.
    await checkWritable(isCsvFile(path) ? resultsPathFor(path) : path);
    const { tables, ctx } = pushes ? await openForPush(path, pushes, label) : await open(path, label);
    // The new documents' ids are saved before the push is sent: a workbook that cannot take them is refused, with nothing sent.
    tables.persist = async () => {
      await tables.save().catch((error: unknown) => {
        throw new WorkbookNotWritableError(path, saveFailure(error));
      });
    };
    timings?.mark('opened');
    const before = requests;
    const outcome = await work(ctx);
    timings?.mark('worked');
    if (sends && requests === before) await checkServer(path, outcome);
    const saved = await tables.save().then(
      () => null,
      (error: unknown) => error,
    );
    timings?.mark('saved');
    if (timings) process.stderr.write(`${timings.line()}\n`);
    if (saved !== null) return resultsElsewhere(path, outcome, saved, (to) => tables.save(to));
    const code = report(path, outcome);
    if (isCsvFile(path)) console.log(`Results written to ${resultsPathFor(path)} (the table with Status and Message per row; ${path} is unchanged).`);
    return code;
  };
  /** Nothing was sent (every row unchanged, or nothing marked): the server and the token are checked all the same. */
  const checkServer = async (path: string, outcome: Outcome) => {
    try {
      await api.request('query StemlineSheetCheck { me { role } }');
    } catch (error) {
      if (!(error instanceof GraphQLRequestError)) throw error;
      throw new NothingSentError(`${path}: ${outcome.text} Nothing needed sending, but ${serverProblem(error, connection)}`);
    }
  };
  try {
    if (command === 'new') {
      const table = TABLE_BY_ARGUMENT[what ?? ''];
      if (!table) throw new UsageError(`unknown table "${what}"`);
      const out = noCsv(needs(values.out, '--out'));
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
    // A file that is no workbook is told so before the server is looked for.
    const given = command === 'confirm' ? what : command === 'push' || command === 'refresh' ? file : undefined;
    if (given) await checkFileStart(given);
    if (command === 'pull' && values.out) noCsv(values.out);
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
    if (command === 'aging')
      return await writeAging(api, { asOf: values['as-of'], customer: values.customer, out: noCsv(needs(values.out, '--out')) }, (m) => new UsageError(m));
    if (command === 'availability' && !what)
      return await writeAvailability(noCsv(needs(values.out, '--out')), api, { customer: values.customer, onHandOnly: values['on-hand-only'] ?? false });
    if (command === 'push' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      const choices = { allowPast: values['allow-past'] ?? false };
      return await inFile(needs(file, 'the .xlsx file'), `Pushing ${what}`, (ctx) => pushDocuments(ctx, kind, choices), tableOf(kind), true);
    }
    if (command === 'push' && what === 'price-lists') return await inFile(needs(file, 'the .xlsx file'), 'Pushing prices', pushPriceLists, 'PriceLists', true);
    if (command === 'pull' && what === 'price-lists') return await pullInto('PriceLists', 'Pulling price lists', pullPriceLists);
    if (command === 'push' && what === 'shipments') return await inFile(needs(file, 'the .xlsx file'), 'Shipping', pushShipments, 'Shipments', true);
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
        true,
      );
    const stock = await stockCommand({ command, what, file, values, pullInto, inFile, needs });
    if (stock !== null) return stock;
    if (command === 'pull' && KIND_BY_ARGUMENT[what ?? '']) {
      const kind = KIND_BY_ARGUMENT[what!];
      const { number, customer, vendor, invoice, status, from, to } = values;
      const filter = { number, customer, vendor, invoice, status, from, to };
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
    if (error instanceof WorkbookFileError) {
      console.error(`stemline-sheet: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError) {
      console.error(`stemline-sheet: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof WorkbookNotWritableError) {
      console.error(`stemline-sheet: ${error.file}: ${error.message}.`);
      return 2;
    }
    if (error instanceof NothingSentError) {
      console.error(`stemline-sheet: ${error.message}`);
      return 1;
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
      // New documents went with the ids saved in the file: a push cut off half-way can be pushed again as it is.
      const again =
        error.status === 0 && command === 'push' && KIND_BY_ARGUMENT[what ?? '']
          ? `. Push ${file} again once the server answers: the documents it already saved are recognised, not saved twice`
          : '';
      console.error(`stemline-sheet: ${error.message}${error.code ? ` (${error.code})` : ''}${refused}${unreachable}${again}`);
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
