import { describe, expect, it } from 'vitest';
import { creditKind, creditRows, creditSheetFor, type PulledCredit } from '../../../addin/sheets/credits.sheet';
import type { CellError } from '../../../addin/sheets/cells';
import { preparePush } from '../../../addin/sheets/documents';
import { allColumns, type CellValue, type SheetRow } from '../../../addin/sheets/tables';
import { decideCredits, selectedCredits } from '../../../addin/workflows/credit-approval.workflow';
import { pullDocuments } from '../../../addin/workflows/documents.workflow';
import { MemoryTables } from '../../support/memory-tables';

const rowOf = (row: number, values: Record<string, CellValue>): SheetRow => ({ row, values });

describe('the Credits table', () => {
  it('takes the Kind typed, or reads it from the numbers: Amount per Unit is PRICE, Units QUANTITY, Amount alone AMOUNT', () => {
    const errors: CellError[] = [];
    expect(creditKind('price', { units: true, amountPerUnit: false, amount: false }, errors)).toBe('PRICE');
    expect(creditKind(null, { units: true, amountPerUnit: true, amount: false }, errors)).toBe('PRICE');
    expect(creditKind(null, { units: true, amountPerUnit: false, amount: true }, errors)).toBe('QUANTITY');
    expect(creditKind(null, { units: false, amountPerUnit: false, amount: true }, errors)).toBe('AMOUNT');
    expect(errors).toEqual([]);
    expect(creditKind(null, { units: false, amountPerUnit: false, amount: false }, errors)).toBeNull();
    expect(errors[0].column).toBe('Kind');
  });

  it('reads numbers typed as text by the company decimal mark, Restock as a yes/no column, and reports every error of a credit by column', () => {
    const spec = creditSheetFor({ decimalSeparator: ',' });
    const prepared = preparePush(spec, [
      rowOf(1, { Ref: 'A', 'Invoice #': 'INV-000001', Product: 'ROSE', Kind: 'PRICE', Units: '1.250', 'Amount per Unit': '0,10', Amount: 99 }),
      rowOf(2, { Ref: 'B', 'Invoice #': 'INV-000001', Product: 'ROSE', Units: 3, Restock: 'x' }),
      rowOf(3, { Ref: 'C', 'Invoice #': 'INV-000001', Product: 'ROSE', Kind: 'AMOUNT', Amount: '5', Restock: 'Yes', Units: 2 }),
      rowOf(4, { Ref: 'C', 'Invoice #': 'INV-000001', Product: 'ROSE', Kind: 'QUANTITY', Restock: 'perhaps' }),
    ]);
    // A PRICE line sends its amount per unit, never the Amount shown beside it (the server works it out).
    expect(prepared.documents.map((d) => d.input.lines)).toEqual([
      [{ kind: 'PRICE', invoiceLine: null, product: 'ROSE', units: 1250, amountPerUnit: '0.10', amount: null, restock: false }],
      [{ kind: 'QUANTITY', invoiceLine: null, product: 'ROSE', units: 3, amountPerUnit: null, amount: null, restock: true }],
    ]);
    expect(prepared.updates.get(3)).toEqual({
      Status: 'ERROR',
      Message: 'Restock: only a QUANTITY line returns units to stock; Units: an AMOUNT line takes an Amount only',
    });
    expect(prepared.updates.get(4)).toEqual({
      Status: 'ERROR',
      Message: 'Restock: choose Yes or leave blank ("perhaps" is neither yes nor no); Units is required on a QUANTITY line',
    });
  });

  it('writes a pulled credit as one row per line, with its number, version and invoice line ids', () => {
    const credit: PulledCredit = {
      number: 'CR-000007',
      version: 3,
      status: 'PENDING',
      customer: { code: 'BLOOMS' },
      invoice: { number: 'INV-000001' },
      reason: { code: 'DAMAGED' },
      notes: 'bruised',
      rejectionReason: null,
      voidReason: null,
      approvedBy: null,
      lines: [
        { lineNo: 1, kind: 'QUANTITY', invoiceLine: { id: '41', product: { code: 'ROSE' } }, units: 100, amountPerUnit: '0.8', amount: '80.00', restock: true },
      ],
    };
    const [row] = creditRows(credit);
    const values = Object.fromEntries(allColumns('Credits').map((c, i) => [c, row[i]]));
    expect(values).toMatchObject({ 'Credit #': 'CR-000007', Product: 'ROSE', Units: 100, Amount: 80, Restock: 'Yes', Version: 3, 'Invoice Line': '41' });
  });
});

describe('approving and rejecting the selected rows', () => {
  it('decides each credit once, whatever rows of it are selected, and says so when no row is selected', async () => {
    expect(selectedCredits([rowOf(1, { 'Credit #': 'cr-000001' }), rowOf(2, { 'Credit #': 'CR-000001' }), rowOf(3, {})])).toEqual({
      numbers: ['CR-000001'],
      unnumbered: [rowOf(3, {})],
    });
    const calls: unknown[] = [];
    const api = { request: async <T>(_: string, variables?: Record<string, unknown>) => (calls.push(variables), {} as T) };
    const tables = new MemoryTables().add('Credits', [{ 'Credit #': 'CR-000001' }]);
    const none = await decideCredits({ tables, api }, [], { action: 'approve' });
    expect(none).toMatchObject({ intent: 'warning', text: expect.stringContaining('Select rows of the Credits table first') });
    const noReason = await decideCredits({ tables, api }, [rowOf(1, { 'Credit #': 'CR-000001' })], { action: 'reject', reason: ' ' });
    expect(noReason.text).toContain('Type why these credits are rejected');
    expect(calls).toEqual([]);
  });
});

describe('pulling credits', () => {
  it('filters credits by invoice and by the days they were requested, never by vendor, and writes one row per line', async () => {
    const asked: unknown[] = [];
    const node: PulledCredit = {
      number: 'CR-000002',
      version: 1,
      status: 'REJECTED',
      customer: { code: 'BLOOMS' },
      invoice: null,
      reason: { code: 'LATE' },
      notes: '',
      rejectionReason: 'no delay on record',
      voidReason: null,
      approvedBy: null,
      lines: [{ lineNo: 1, kind: 'AMOUNT', invoiceLine: null, units: null, amountPerUnit: null, amount: '25.00', restock: false }],
    };
    const api = {
      request: async <T>(_: string, variables?: Record<string, unknown>) => {
        asked.push(JSON.parse(JSON.stringify(variables?.filter)));
        return { credits: { nodes: [node], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 1 } } as T;
      },
    };
    const tables = new MemoryTables().add('Credits');
    const outcome = await pullDocuments({ tables, api }, 'credits', {
      vendor: 'ROSAS',
      invoice: ' inv-000001 ',
      status: 'rejected',
      from: '2027-02-01',
      to: '',
    });
    expect(asked).toEqual([{ invoice: 'INV-000001', status: 'REJECTED', dateFrom: '2027-02-01' }]);
    expect(outcome.text).toBe('1 credit(s) pulled: 0 refreshed in place, 1 added below. Edit them and push.');
    expect(tables.records('Credits')).toMatchObject([
      { 'Credit #': 'CR-000002', Kind: 'AMOUNT', Amount: 25, Message: 'pulled from the server: REJECTED: no delay on record' },
    ]);
  });
});
