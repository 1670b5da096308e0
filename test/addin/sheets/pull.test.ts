import { describe, expect, it } from 'vitest';
import { pullPages, type Page } from '../../../addin/sheets/pull';
import { allColumns, rowsForHeader } from '../../../addin/sheets/tables';

/** Three pages of two nodes; the cursor is the index of the next node. */
const fetchPage =
  (onFetch?: (after: string | null) => void) =>
  async (after: string | null): Promise<Page<number>> => {
    onFetch?.(after);
    const from = Number(after ?? 0);
    return { nodes: [from, from + 1], pageInfo: { hasNextPage: from + 2 < 6, endCursor: String(from + 2) }, totalCount: 6 };
  };

describe('pulling every page', () => {
  it('reads every page and says it is complete', async () => {
    const progress: Array<[number, number]> = [];
    const pulled = await pullPages(fetchPage(), (done, total) => progress.push([done, total]));
    expect(pulled).toEqual({ nodes: [0, 1, 2, 3, 4, 5], totalCount: 6, cancelled: false });
    expect(progress).toEqual([
      [2, 6],
      [4, 6],
      [6, 6],
    ]);
  });

  it('stops after the page being read when cancelled, and says the result is partial', async () => {
    const controller = new AbortController();
    const pulled = await pullPages(
      fetchPage((after) => after === '2' && controller.abort()),
      undefined,
      controller.signal,
    );
    expect(pulled).toEqual({ nodes: [0, 1, 2, 3], totalCount: 6, cancelled: true });
  });
});

describe('rows laid out under a reordered header', () => {
  it("puts each value under its own header and leaves the buyer's own columns blank", () => {
    const standard = allColumns('Invoices');
    const header = ['Mine', ...[...standard].reverse()];
    const [row] = rowsForHeader('Invoices', header, [standard.map((c) => c)]);
    expect(row).toEqual([null, ...[...standard].reverse()]);
  });

  it('skips a missing hidden column but refuses a missing visible one', () => {
    const standard = allColumns('PurchaseOrders');
    const header = standard.filter((c) => c !== 'Pushed');
    expect(rowsForHeader('PurchaseOrders', header, [standard])).toEqual([header]);
    expect(() =>
      rowsForHeader(
        'PurchaseOrders',
        header.filter((c) => c !== 'Port'),
        [standard],
      ),
    ).toThrow('The PurchaseOrders table lacks the column(s) Port');
  });
});
