// One contract for reading .xlsx: on workbooks generated with exceljs and with openpyxl (values of
// every type, shared and inline strings, dates under built-in and custom formats, blank and styled
// cells, formulas with and without computed values, tables anywhere), the push's own reader
// (XlsxPushTables) reads the same table as the exceljs adapter (XlsxTables), or declines (opens as
// null, or finds the table lacking columns), and the push goes through exceljs.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue, TableName } from '../../addin/sheets/tables';
import type { TableSnapshot } from '../../addin/workflows/table-io';
import { XlsxPushTables } from '../../cli/xlsx-push-tables.adapter';
import { XlsxTables } from '../../cli/xlsx-tables.adapter';
import { workbookSpec, writeWithExceljs, writeWithOpenpyxl, type WorkbookSpec } from '../support/generated-workbooks';
import { propertyOptions } from '../support/property';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stemline-xlsx-readers-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

/** A value as the comparison sees it: dates by their time (an invalid one as such: NaN equals nothing). */
function comparable(value: CellValue): unknown {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : { date: value.toISOString() };
  return value;
}

function comparableSnapshot(snapshot: TableSnapshot) {
  return {
    header: snapshot.header,
    headerRow: snapshot.headerRow,
    values: snapshot.values.map((cells) => cells.map(comparable)),
    rows: snapshot.rows.map((row) => ({ ...row, values: Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, comparable(v)])) })),
  };
}

/** Both readers on one file: the same table read, or the fast reader declines. */
async function sameTableOrDeclined(file: string, table: TableName): Promise<'read' | 'declined'> {
  const fast = await XlsxPushTables.open(file, table);
  if (!fast?.complete(table)) return 'declined';
  const mine = comparableSnapshot(await fast.read(table));
  const theirs = await (await XlsxTables.open(file)).read(table).then(comparableSnapshot, (error: unknown) => {
    throw new Error(`the push's reader read the table, the exceljs adapter refused it: ${error instanceof Error ? error.message : String(error)}`);
  });
  expect(mine).toEqual(theirs);
  return 'read';
}

const RUNS = Number(process.env.FC_RUNS ?? 100);

describe("the push's .xlsx reader and the exceljs adapter read the same table, or the push's reader declines", () => {
  it('on workbooks written by exceljs', { timeout: 120_000 }, async () => {
    const seen = { read: 0, declined: 0 };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(workbookSpec(), async (spec) => {
        const file = path.join(dir, `exceljs-${n++}.xlsx`);
        await writeWithExceljs(file, spec);
        seen[await sameTableOrDeclined(file, spec.table)]++;
      }),
      propertyOptions(RUNS),
    );
    // Not a vacuous agreement: the push's reader reads a good part of them itself (some 45% of exceljs's, 30% of
    // openpyxl's, whose formulas never have a computed value).
    expect(seen.read, `read ${seen.read}, declined ${seen.declined}`).toBeGreaterThan(RUNS / 8);
  });

  it('on workbooks written by openpyxl (one Python process for the batch)', { timeout: 120_000 }, async () => {
    const specs = fc.sample(workbookSpec(), propertyOptions(RUNS));
    const entries = specs.map((spec, i) => ({ file: path.join(dir, `openpyxl-${i}.xlsx`), spec }));
    await writeWithOpenpyxl(entries);
    const seen = { read: 0, declined: 0 };
    const failures: Array<{ spec: WorkbookSpec; error: string }> = [];
    for (const { file, spec } of entries)
      await sameTableOrDeclined(file, spec.table).then(
        (verdict) => seen[verdict]++,
        (error: unknown) => failures.push({ spec, error: error instanceof Error ? error.message : String(error) }),
      );
    // A batch has no shrinking: the smallest failing spec is shown whole.
    const smallest = failures.sort((a, b) => JSON.stringify(a.spec).length - JSON.stringify(b.spec).length)[0];
    expect(
      smallest,
      smallest && `${failures.length} of ${entries.length} disagree; the smallest:\n${JSON.stringify(smallest.spec)}\n${smallest.error}`,
    ).toBeUndefined();
    expect(seen.read, `read ${seen.read}, declined ${seen.declined}`).toBeGreaterThan(RUNS / 8);
  });
});
