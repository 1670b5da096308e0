// An in-memory TableIO for workflow tests: tables as header + rows of values, with a log of every call.
import { allColumns, rowsForHeader, rowsFromValues, isBlank, type CellValue, type RowUpdate, type TableName } from '../../addin/sheets/tables';
import { failed } from '../../addin/workflows/outcome';
import { MissingTableError, type TableIO, type TableSnapshot, type TemplateLists } from '../../addin/workflows/table-io';

export interface MemoryTable {
  header: string[];
  rows: CellValue[][];
  highlighted: Set<number>;
}

export class MemoryTables implements TableIO {
  readonly tables = new Map<TableName, MemoryTable>();
  readonly calls: string[] = [];

  /** A table with the contract's columns and rows given by column name. */
  add(table: TableName, rows: Array<Record<string, CellValue>> = [], header: string[] = allColumns(table)): this {
    this.tables.set(table, { header, rows: rows.map((r) => header.map((c) => r[c] ?? null)), highlighted: new Set() });
    return this;
  }

  /** The rows as records by column name. */
  records(table: TableName): Array<Record<string, CellValue>> {
    const t = this.get(table);
    return t.rows.map((r) => Object.fromEntries(t.header.map((c, i) => [c, r[i] ?? null])));
  }

  private get(table: TableName): MemoryTable {
    const t = this.tables.get(table);
    if (!t) throw new MissingTableError(table);
    return t;
  }

  async read(table: TableName): Promise<TableSnapshot> {
    this.calls.push(`read ${table}`);
    const t = this.get(table);
    const values = t.rows.map((r) => [...r]);
    return { header: [...t.header], values, rows: rowsFromValues(table, t.header, values, 1), headerRow: 1 };
  }

  async update(table: TableName, _snapshot: TableSnapshot, updates: Map<number, RowUpdate>): Promise<void> {
    this.calls.push(`update ${table} ${[...updates.keys()].join(',')}`);
    const t = this.get(table);
    for (const [row, update] of updates) {
      const cells = (t.rows[row - 1] ??= t.header.map(() => null));
      for (const [column, value] of Object.entries(update)) {
        const col = t.header.indexOf(column);
        if (col >= 0) cells[col] = value ?? null;
      }
      if (failed(update)) t.highlighted.add(row);
      else t.highlighted.delete(row);
    }
  }

  async replace(table: TableName, rows: CellValue[][]): Promise<void> {
    this.calls.push(`replace ${table} ${rows.length}`);
    const t = this.get(table);
    t.rows = rowsForHeader(table, t.header, rows);
    t.highlighted.clear();
  }

  async append(table: TableName, rows: CellValue[][]): Promise<void> {
    this.calls.push(`append ${table} ${rows.length}`);
    const t = this.get(table);
    t.rows = [...t.rows.filter((r) => r.some((v) => !isBlank(v))), ...rowsForHeader(table, t.header, rows)];
  }

  async remove(table: TableName, rows: number[]): Promise<void> {
    this.calls.push(`remove ${table} ${rows.join(',')}`);
    const t = this.get(table);
    for (const row of [...rows].sort((a, b) => b - a)) t.rows.splice(row - 1, 1);
  }

  async create(table: TableName, _lists: TemplateLists): Promise<void> {
    this.calls.push(`create ${table}`);
    this.add(table);
  }
}
