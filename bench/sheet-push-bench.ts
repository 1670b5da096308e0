// The buyer's push of a Prebooks sheet end to end: `stemline-sheet push prebooks file.xlsx` run as a
// user runs it (its own process: start-up, reading the workbook, the chunked pushes, Status/Message/#
// written back, the file saved), timed by the wall clock.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { allColumns, type CellValue } from '../addin/sheets/tables';
import { parseTimings, TIMINGS_ENV, type PhaseStep } from '../cli/phase-timings';
import { XlsxTables } from '../cli/xlsx-tables.adapter';
import type { BenchPrebookInput } from './dataset';

const BIN = path.resolve(import.meta.dirname, '../bin/stemline-sheet.js');

/** Runs stemline-sheet in its own process; the wall time, its output and where its time went. Throws when it fails. */
export async function runSheetTool(args: string[]): Promise<{ seconds: number; output: string; timings: Partial<Record<PhaseStep, number>> | undefined }> {
  const start = process.hrtime.bigint();
  // BENCH_CPU_PROF=<dir>: a .cpuprofile of the tool too, as of each server process.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, [...profile, BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [TIMINGS_ENV]: '1' } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (code !== 0) throw new Error(`stemline-sheet ${args.join(' ')} exited with ${code}:\n${output.slice(-2000)}`);
  return { seconds, output, timings: parseTimings(output) };
}

/**
 * A Prebooks workbook as a buyer has it: made by `stemline-sheet new prebooks` (the table, with the
 * server's drop-down lists), one row per prebook line, the header cells repeated on each row.
 */
export async function writePrebooksWorkbook(file: string, connection: string[], prebooks: BenchPrebookInput[]): Promise<number> {
  await runSheetTool(['new', 'prebooks', '--out', file, ...connection]);
  const tables = await XlsxTables.open(file);
  const columns = allColumns('Prebooks');
  const rows: CellValue[][] = prebooks.flatMap((prebook) =>
    prebook.lines.map((line) => {
      const values: Record<string, CellValue> = {
        Ref: prebook.ref,
        Customer: prebook.customer,
        Carrier: prebook.carrier,
        'Truck Date': new Date(`${prebook.truckDate}T00:00:00Z`),
        'Customer PO': prebook.customerPo,
        Product: line.product,
        Boxes: line.boxes,
        'Units/Box': line.unitsPerBox,
        Price: Number(line.price),
        Vendor: line.vendor,
        'Vendor Cost': Number(line.vendorCost),
      };
      return columns.map((column) => values[column] ?? null);
    }),
  );
  await tables.append('Prebooks', rows);
  await tables.save();
  return rows.length;
}

/** Statuses of the Prebooks rows as the push wrote them back, counted, and how many rows have their Prebook #. */
export async function pushedStatuses(file: string): Promise<{ statuses: Record<string, number>; numbered: number }> {
  const tables = await XlsxTables.open(file);
  const snapshot = await tables.read('Prebooks');
  const statuses: Record<string, number> = {};
  let numbered = 0;
  for (const row of snapshot.rows) {
    if (!row.values.Product) continue;
    const status = String(row.values.Status ?? '');
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (row.values['Prebook #']) numbered++;
  }
  return { statuses, numbered };
}
