import type { CellValue } from './tables';

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Reads every page of a list query, reporting progress; stops between pages when cancelled. */
export async function pullPages<T>(fetchPage: (after: string | null) => Promise<Page<T>>, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    nodes.push(...page.nodes);
    onProgress?.(nodes.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || signal?.aborted) return nodes;
    after = page.pageInfo.endCursor;
  }
}

export interface PurchaseNeedRow {
  prebookNumber: string;
  product: { code: string };
  sellBy: 'BOX' | 'UNIT';
  boxType: { code: string };
  unitsPerBox: number;
  quantity: number;
  vendor: { code: string } | null;
  vendorCost: string | null;
}

/** A purchase need as a PurchaseOrders row to complete and push: one document (Ref) per vendor; units rounded up to boxes. */
export function purchaseOrderRowFromNeed(need: PurchaseNeedRow): CellValue[] {
  const boxes = need.sellBy === 'BOX' ? need.quantity : Math.ceil(need.quantity / need.unitsPerBox);
  const vendor = need.vendor?.code ?? null;
  return [null, `NEEDS-${vendor ?? 'VENDOR?'}`, vendor, null, null, null, null, need.product.code, need.boxType.code, boxes, need.unitsPerBox, need.vendorCost === null ? null : Number(need.vendorCost), need.prebookNumber, null, null, null];
}
