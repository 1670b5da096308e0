// stemline-sheet credit CR-000001 [VC-000001 ...] --out file.xlsx: printable credit memos (CR-…) and farm
// claim sheets (VC-…, staff only), one sheet each, written like the printable invoices
// (cli/printable-workbook.ts). Nothing is written when one is missing.
import { parseArgs } from 'node:util';
import { GraphQLRequestError, request } from '../addin/api/graphql-client';
import { creditDocuments, isFarmClaimNumber } from '../addin/workflows/credit-memo.workflow';
import { ConnectionError, findConnection } from './connection';

export const CREDIT_USAGE = `  stemline-sheet credit <CR-000001|VC-000001> [CR-…|VC-… ...] --out <file.xlsx>`;

class UsageError extends Error {}

/** Runs `stemline-sheet credit ...` (argv without the word "credit"); the exit code. */
export async function creditCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { server: { type: 'string' }, token: { type: 'string' }, out: { type: 'string' } },
    });
    if (!values.out) throw new UsageError('--out <file.xlsx> is required');
    if (!values.out.toLowerCase().endsWith('.xlsx'))
      throw new UsageError('--out must end in .xlsx (as a PDF: GET /documents/credit-memos/CR-… or /documents/farm-claims/VC-…)');
    const numbers = positionals.map((number) => number.trim()).filter(Boolean);
    if (!numbers.length) throw new UsageError('give one or more credit or farm claim numbers, e.g. CR-000001 or VC-000001');
    const connection = await findConnection({ server: values.server, token: values.token });
    const found = await creditDocuments({ request: (query, variables) => request(connection, query, variables) }, numbers);
    if (found.missing.length) {
      const named = found.missing.map((n) => `${isFarmClaimNumber(n) ? 'farm claim' : 'credit'} ${n}`);
      console.error(`stemline-sheet: no ${named.join(', ')}; nothing was written.`);
      return 1;
    }
    const [{ default: ExcelJS }, { addPrintableSheet }] = await Promise.all([import('exceljs'), import('./printable-workbook')]);
    const workbook = new ExcelJS.Workbook();
    for (const credit of found.credits) addPrintableSheet(workbook, credit.sheet);
    await workbook.xlsx.writeFile(values.out);
    const claims = found.credits.filter((c) => isFarmClaimNumber(c.number)).length;
    const memos = found.credits.length - claims;
    const kinds = [memos ? `${memos} credit memo(s)` : '', claims ? `${claims} farm claim sheet(s)` : ''].filter(Boolean).join(' and ');
    console.log(`${values.out}: ${kinds}, one sheet each: ${found.credits.map((c) => c.number).join(', ')}.`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`stemline-sheet credit: ${error.message}\n\nUsage:\n${CREDIT_USAGE}`);
      return 2;
    }
    if (error instanceof ConnectionError || error instanceof GraphQLRequestError) {
      console.error(`stemline-sheet credit: ${error.message}`);
      return 1;
    }
    console.error(`stemline-sheet credit: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
