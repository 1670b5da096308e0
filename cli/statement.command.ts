// stemline-sheet statement --customer C [--customer D ...] --from D --to D [--type open-items] --out file.xlsx:
// customer statements, one printable sheet each, each numbering its own pages. Nothing is written when one fails.
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request } from '../addin/api/graphql-client';
import { date, type CellError } from '../addin/sheets/cells';
import { statementDocuments } from '../addin/workflows/statement.workflow';
import { ConnectionError, findConnection } from './connection';

export const STATEMENT_USAGE = `  stemline-sheet statement --customer CODE [--customer CODE ...] --to <YYYY-MM-DD> [--from <YYYY-MM-DD>] [--type balance-forward|open-items] --out <file.xlsx>`;

class UsageError extends Error {}

function day(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const errors: CellError[] = [];
  const parsed = date(value, name, errors);
  if (!parsed) throw new UsageError(errors[0]?.message ?? `${name} must be a date (YYYY-MM-DD)`);
  return parsed;
}

/** Runs `stemline-sheet statement ...` (argv without the word "statement"); the exit code. */
export async function statementCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        out: { type: 'string' },
        customer: { type: 'string', multiple: true },
        from: { type: 'string' },
        to: { type: 'string' },
        type: { type: 'string' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}: name customers with --customer`);
    if (!values.out) throw new UsageError('--out <file.xlsx> is required');
    if (!values.out.toLowerCase().endsWith('.xlsx'))
      throw new UsageError('--out must end in .xlsx (a statement as a PDF: GET /documents/statements/CUSTOMER?from=…&to=…)');
    const customers = (values.customer ?? [])
      .flatMap((c) => c.split(','))
      .map((c) => c.trim())
      .filter(Boolean);
    if (!customers.length) throw new UsageError('give one or more customers: --customer CODE');
    const to = day(values.to, '--to');
    if (!to) throw new UsageError('--to <YYYY-MM-DD> is required: the last day of the period');
    const from = day(values.from, '--from');
    if (from && from > to) throw new UsageError(`--from ${from} is after --to ${to}`);
    const kind = (values.type ?? 'balance-forward').trim().toLowerCase().replace(/_/g, '-');
    if (kind !== 'balance-forward' && kind !== 'open-items') throw new UsageError(`--type must be balance-forward or open-items, not "${values.type}"`);
    const connection = await findConnection({ server: values.server, token: values.token });
    const statements = await statementDocuments({ request: (query, variables) => request(connection, query, variables) }, customers, {
      from,
      to,
      type: kind === 'open-items' ? 'OPEN_ITEMS' : 'BALANCE_FORWARD',
    });
    const [{ default: ExcelJS }, { addPrintableSheet }] = await Promise.all([import('exceljs'), import('./printable-workbook')]);
    const workbook = new ExcelJS.Workbook();
    for (const statement of statements) addPrintableSheet(workbook, statement.sheet);
    await workbook.xlsx.writeFile(values.out);
    const list = statements.map((s) => `${s.customer} ${s.closingBalance}`).join(', ');
    console.log(`${values.out}: ${statements.length} statement(s) to ${to}, one sheet each (closing balances: ${list}).`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`stemline-sheet statement: ${error.message}\n\nUsage:\n${STATEMENT_USAGE}`);
      return 2;
    }
    if (error instanceof ConnectionError || error instanceof GraphQLRequestError) {
      console.error(`stemline-sheet statement: ${error.message}; nothing was written.`);
      return 1;
    }
    console.error(`stemline-sheet statement: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
