// stemline-sheet's stock commands: the Inventory sheet (pull coloured by age band, push of adjustments)
// and the Count sheet (push scans into a physical count, refresh its report, close it).
import type { TableName } from '../addin/sheets/tables';
import { closeCount, pullInventory, pushAdjustments, pushCount, refreshCountReport } from '../addin/workflows/stock.workflow';
import type { Outcome, WorkflowContext } from '../addin/workflows/table-io';

export const STOCK_USAGE = `  stemline-sheet pull inventory --out <file.xlsx> [--location CODE] [--product CODE] [--customer CODE]
  stemline-sheet push inventory <file.xlsx>                (rows with Adjust Units and a Reason)
  stemline-sheet push count <file.xlsx> [--location CODE | --count CNT-000001]
  stemline-sheet refresh count <file.xlsx> [--count CNT-000001]
  stemline-sheet close count <file.xlsx> [--count CNT-000001] [--apply-missing-as SHRINK]`;

export const STOCK_OPTIONS = {
  location: { type: 'string' },
  product: { type: 'string' },
  count: { type: 'string' },
  'apply-missing-as': { type: 'string' },
} as const;

export const STOCK_TABLES: Record<string, TableName> = { inventory: 'Inventory', count: 'Count' };

type Work = (ctx: WorkflowContext) => Promise<Outcome>;

export interface StockShell {
  command: string;
  what: string | undefined;
  file: string | undefined;
  values: { location?: string; product?: string; customer?: string; count?: string; 'apply-missing-as'?: string };
  /** Pulls into the --out workbook's table (made when missing). */
  pullInto(table: TableName, label: string, work: Work): Promise<number>;
  /**
   * Reads the workbook and writes results into it; `pushes` reads it with the push adapter (results only: no
   * rows added, no fills), which the stock commands do without: a Count gets rows, an Inventory row its colour back.
   */
  inFile(path: string, label: string, work: Work, pushes?: TableName, sends?: boolean): Promise<number>;
  needs(value: string | undefined, name: string): string;
}

const REASONS = ['DUMP', 'SHRINK', 'EXPIRED', 'DONATION', 'SAMPLE', 'OTHER'];

/** Runs a stock command; null when the command is not one of them. */
export async function stockCommand(shell: StockShell): Promise<number | null> {
  const { command, what, values } = shell;
  const file = () => shell.needs(shell.file, 'the .xlsx file');
  if (command === 'pull' && what === 'inventory')
    return shell.pullInto('Inventory', 'Pulling inventory', (ctx) =>
      pullInventory(ctx, { location: values.location, product: values.product, customer: values.customer }),
    );
  if (command === 'push' && what === 'inventory') return shell.inFile(file(), 'Adjusting inventory', pushAdjustments, undefined, true);
  if (command === 'push' && what === 'count')
    return shell.inFile(file(), 'Scanning', (ctx) => pushCount(ctx, { count: values.count, location: values.location }), undefined, true);
  if (command === 'refresh' && what === 'count') return shell.inFile(file(), 'Count report', (ctx) => refreshCountReport(ctx, { count: values.count }));
  if (command === 'close' && what === 'count') {
    const reason = values['apply-missing-as']?.trim().toUpperCase();
    if (reason && !REASONS.includes(reason)) shell.needs(undefined, `--apply-missing-as one of ${REASONS.join(', ')} (not "${values['apply-missing-as']}")`);
    return shell.inFile(file(), 'Closing the count', (ctx) => closeCount(ctx, { count: values.count, applyMissingAs: reason }), undefined, true);
  }
  return null;
}
