import { describe, expect, it } from 'vitest';
import { allColumns, type CellValue } from '../../../addin/sheets/tables';
import { prebookRows, pullDocuments, pushDocuments, refreshStale, type PulledPrebook } from '../../../addin/workflows/documents.workflow';
import type { Api } from '../../../addin/workflows/table-io';
import { SHEET_SETTINGS } from '../../../addin/api/documents';
import { MemoryTables } from '../../support/memory-tables';

const prebook = (number: string, version: number, lines: Array<Partial<PulledPrebook['lines'][number]>>): PulledPrebook => ({
  number,
  version,
  status: 'OPEN',
  customer: { code: 'BLOOMS' },
  shipTo: null,
  carrier: { code: 'FEDEX' },
  truckDate: '2027-05-04',
  customerPo: null,
  holiday: false,
  lines: lines.map((l, i) => ({
    id: `${number}-${i + 1}`,
    lineNo: i + 1,
    product: { code: 'VASE-20' },
    sellBy: 'BOX',
    boxType: { code: 'FB' },
    boxes: 1,
    unitsPerBox: 12,
    units: 12,
    price: null,
    cost: null,
    vendor: null,
    vendorCost: null,
    ...l,
  })),
});

/** The answer to the settings a push reads first: the company's decimal separator and its today. */
const settings = (decimalSeparator = '.', today = '2026-12-07') => ({ settings: { decimalSeparator, today } });

/** A server holding these prebooks, answering the prebooks query by number (or all), one page. */
function server(prebooks: PulledPrebook[]): Api & { filters: unknown[] } {
  const filters: unknown[] = [];
  return {
    filters,
    async request<T>(_query: string, variables?: Record<string, unknown>): Promise<T> {
      const filter = (variables?.filter ?? {}) as { number?: string };
      filters.push(filter);
      const nodes = prebooks.filter((p) => !filter.number || p.number === filter.number);
      return { prebooks: { nodes, pageInfo: { hasNextPage: false, endCursor: null }, totalCount: nodes.length } } as T;
    },
  };
}

describe('documents workflow', () => {
  it('lays a prebook out as rows: quantities by how the line sells, money as numbers, number, version and line ids', () => {
    const rows = prebookRows(
      prebook('PB-000001', 3, [
        { price: '0.8500', vendor: { code: 'ROSAS' }, vendorCost: '0.41' },
        { sellBy: 'UNIT', boxes: null, units: 300 },
      ]),
    );
    const at = (r: unknown[], c: string) => r[allColumns('Prebooks').indexOf(c)];
    expect(
      rows.map((r) => [
        at(r, 'Prebook #'),
        at(r, 'Sell By'),
        at(r, 'Boxes'),
        at(r, 'Units'),
        at(r, 'Price'),
        at(r, 'Vendor'),
        at(r, 'Vendor Cost'),
        at(r, 'Version'),
        at(r, 'Line Id'),
      ]),
    ).toEqual([
      ['PB-000001', 'BOX', 1, null, 0.85, 'ROSAS', 0.41, 3, 'PB-000001-1'],
      ['PB-000001', 'UNIT', null, 300, null, null, null, 3, 'PB-000001-2'],
    ]);
  });

  it("pushes into a table that takes updates in parts: each chunk's rows written as it comes back, then the rest, every row once", async () => {
    // 3,000 lines of 30 prebooks (chunks of 2,500 and 500 lines), and a prebook with a bad row.
    const rows: Array<Record<string, CellValue>> = [];
    for (let d = 0; d < 30; d++)
      for (let l = 0; l < 100; l++)
        rows.push({ Ref: `D${d}`, Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-05-04', Product: 'VASE-20', Boxes: 1, 'Units/Box': 12 });
    rows.push({ Ref: 'BAD', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': 'someday', Product: 'VASE-20', Boxes: 1 });
    class InParts extends MemoryTables {
      readonly updatesInParts = true;
    }
    const tables = new InParts().add('Prebooks', rows);
    let numbered = 0;
    const api: Api = {
      async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
        if (query === SHEET_SETTINGS) return settings() as T;
        const input = variables!.input as Array<{ lines: unknown[] }>;
        if (variables!.dryRun) return { savePrebooks: { results: [], errors: [] } } as T;
        const prebooks = input.map((doc) => ({
          number: `PB-${String(++numbered).padStart(6, '0')}`,
          lineIds: doc.lines.map((_, i) => `${numbered}-${i + 1}`),
        }));
        const results = prebooks.map((p, i) => ({ index: i + 1, number: p.number, version: 1, status: 'SAVED' }));
        return { savePrebooks: { results, errors: [], prebooks, replayed: false } } as T;
      },
    };
    const outcome = await pushDocuments({ tables, api }, 'prebooks');
    const [ids, ...updates] = tables.calls.filter((c) => c.startsWith('update'));
    // First every new document's id, in every row, before anything is sent; then rows 1-2500 (25 prebooks), 2501-3000, then the bad row.
    expect(ids.split(' ')[2].split(',').length).toBe(3001);
    expect(updates.map((c) => c.split(' ')[2].split(',').length)).toEqual([2500, 500, 1]);
    const written = updates.flatMap((c) => c.split(' ')[2].split(',')).map(Number);
    expect(new Set(written).size).toBe(written.length);
    const records = tables.records('Prebooks');
    expect(records[2999]).toMatchObject({ Status: 'OK', 'Prebook #': 'PB-000030', 'Line Id': '30-100' });
    expect(records[3000]).toMatchObject({ Status: 'ERROR' });
    expect(outcome.problems.map((p) => p.row)).toEqual([3001]);
  });

  it('refreshes only the stale documents: in place, surplus rows removed, other rows as they were', async () => {
    const tables = new MemoryTables().add('Prebooks', [
      { 'Prebook #': 'PB-000001', Product: 'VASE-20', Boxes: 9, Status: 'STALE', Version: 1 },
      { 'Prebook #': 'PB-000002', Product: 'VASE-20', Boxes: 5, Status: 'OK', Version: 1, Message: 'my edit' },
      { 'Prebook #': 'PB-000001', Product: 'CARN-WHITE', Units: 10, Status: 'STALE', Version: 1 },
      { Ref: 'NEW', Product: 'VASE-20', Boxes: 1 },
    ]);
    const api = server([prebook('PB-000001', 4, [{ boxes: 2 }]), prebook('PB-000002', 7, [{ boxes: 1 }])]);
    const outcome = await refreshStale({ tables, api }, 'prebooks');
    expect(api.filters).toEqual([{ number: 'PB-000001' }]);
    expect(outcome.text).toContain('1 stale document(s) refreshed from the server (PB-000001)');
    expect(tables.records('Prebooks').map((r) => [r['Prebook #'], r.Ref, r.Boxes, r.Status, r.Version, r.Message])).toEqual([
      ['PB-000001', null, 2, 'OK', 4, 'pulled from the server'],
      ['PB-000002', null, 5, 'OK', 1, 'my edit'],
      [null, 'NEW', 1, null, null, null],
    ]);
    expect(tables.calls.filter((c) => !c.startsWith('read'))).toEqual(['update Prebooks 1', 'remove Prebooks 3']);
  });

  it('pulls by filter: documents in the table are replaced in place, the others added below', async () => {
    const tables = new MemoryTables().add('Prebooks', [{ 'Prebook #': 'PB-000002', Product: 'VASE-20', Boxes: 5, Version: 1 }]);
    const api = server([prebook('PB-000001', 1, [{ boxes: 2 }, { boxes: 3 }]), prebook('PB-000002', 2, [{ boxes: 1 }])]);
    const outcome = await pullDocuments({ tables, api }, 'prebooks', { customer: ' BLOOMS ', status: 'open', from: '2027-05-01', to: '' });
    expect(api.filters).toEqual([
      { number: undefined, customer: 'BLOOMS', vendor: undefined, status: 'OPEN', truckDateFrom: '2027-05-01', truckDateTo: undefined },
    ]);
    expect(outcome).toMatchObject({ intent: 'success', text: '2 prebook(s) pulled: 1 refreshed in place, 1 added below. Edit them and push.' });
    expect(tables.records('Prebooks').map((r) => [r['Prebook #'], r.Boxes, r.Version])).toEqual([
      ['PB-000002', 1, 2],
      ['PB-000001', 2, 1],
      ['PB-000001', 3, 1],
    ]);
  });

  it('says that an AWB column on PurchaseOrders (sheets made before the Shipments table) is not read', async () => {
    const header = [...allColumns('PurchaseOrders'), 'AWB'];
    const tables = new MemoryTables().add(
      'PurchaseOrders',
      [{ Ref: 'P', Vendor: 'ROSAS', Location: 'MIA', 'Ship Date': '2027-03-01', Product: 'VASE-20', Boxes: 1, 'Unit Cost': 1, AWB: 'AWB-9' }],
      header,
    );
    const api: Api = {
      async request<T>(query: string): Promise<T> {
        if (query === SHEET_SETTINGS) return settings() as T;
        return { savePurchaseOrders: { results: [{ index: 1, number: 'PO-000001', version: 1, status: 'SAVED' }], errors: [], replayed: false } } as T;
      },
    };
    const outcome = await pushDocuments({ tables, api }, 'purchaseOrders');
    expect(outcome).toMatchObject({
      intent: 'warning',
      text: '1 row(s) OK, 0 with errors, 0 stale. The AWB column is not read here: record shipments in the Shipments table.',
    });
  });

  it("reads the company's decimal separator and today from the server before reading a number or a truck date", async () => {
    const tables = new MemoryTables().add('Prebooks', [
      { Ref: 'A', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-01-04', Product: 'VASE-20', Boxes: '2', Price: '0,85' },
      { Ref: 'B', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2026-12-06', Product: 'VASE-20', Boxes: '1.000', Price: '1.250,50' },
      { Ref: 'C', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2028-01-04', Product: 'VASE-20', Boxes: 1 },
    ]);
    const sent: unknown[] = [];
    const queries: string[] = [];
    const answer = (decimalSeparator: string) => ({
      async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
        queries.push(query === SHEET_SETTINGS ? 'settings' : variables?.dryRun ? 'check' : 'save');
        if (query === SHEET_SETTINGS) return settings(decimalSeparator) as T;
        const input = variables!.input as unknown[];
        if (variables!.dryRun) return { savePrebooks: { results: [], errors: [] } } as T;
        sent.push(...input);
        const results = input.map((_, i) => ({ index: i + 1, number: `PB-00000${sent.length - input.length + i + 1}`, version: 1, status: 'SAVED' }));
        return { savePrebooks: { results, errors: [], prebooks: [], replayed: false } } as T;
      },
    });
    const outcome = await pushDocuments({ tables, api: answer(',') }, 'prebooks');
    expect(queries).toEqual(['settings', 'save', 'check']);
    expect(sent).toMatchObject([
      { ref: 'A', lines: [{ boxes: 2, price: '0.85' }] },
      { ref: 'C', truckDate: '2028-01-04' },
    ]);
    expect(tables.records('Prebooks').map((r) => [r.Status, r.Message])).toEqual([
      ['OK', 'saved'],
      [
        'ERROR',
        'Truck Date 2026-12-06 is before today (2026-12-07): correct it, or if this prebook is for a past truck push with "Allow past truck dates" (stemline-sheet push prebooks --allow-past)',
      ],
      ['OK', 'saved; warning: Truck Date 2028-01-04 is more than a year ahead: check it'],
    ]);
    expect(outcome.text).toBe('2 row(s) OK, 1 with errors, 0 stale. 1 row(s) OK with a warning in Message: a truck date more than a year ahead.');

    // The buyer allows the past truck; with a decimal point, 0,85 has two readings and is refused.
    const again = new MemoryTables().add('Prebooks', [
      { Ref: 'B', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2026-12-06', Product: 'VASE-20', Boxes: '1,000', Price: '1,250.50' },
      { Ref: 'D', Customer: 'BLOOMS', Carrier: 'FEDEX', 'Truck Date': '2027-01-04', Product: 'VASE-20', Boxes: 1, Price: '0,85' },
    ]);
    sent.length = 0;
    await pushDocuments({ tables: again, api: answer('.') }, 'prebooks', { allowPast: true });
    expect(sent).toMatchObject([{ ref: 'B', truckDate: '2026-12-06', lines: [{ boxes: 1000, price: '1250.50' }] }]);
    expect(again.records('Prebooks')[1]).toMatchObject({
      Status: 'ERROR',
      Message: 'Price "0,85" could be 0.85 or 85: this company writes numbers with a decimal point (1,250.50), so type 0.85 or 85',
    });
  });
});
