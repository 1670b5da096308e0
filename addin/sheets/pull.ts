import type { CellValue } from './tables';

export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface Pulled<T> {
  nodes: T[];
  totalCount: number;
  /** Cancelled before every page was read: nodes holds only what came before. */
  cancelled: boolean;
}

/** Reads every page of a list query, reporting progress; stops between pages when cancelled, and says so. */
export async function pullPages<T>(
  fetchPage: (after: string | null) => Promise<Page<T>>,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<Pulled<T>> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    nodes.push(...page.nodes);
    onProgress?.(nodes.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || signal?.aborted) return { nodes, totalCount: page.totalCount, cancelled: signal?.aborted ?? false };
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
  return [
    null,
    `NEEDS-${vendor ?? 'VENDOR?'}`,
    vendor,
    null,
    null,
    null,
    null,
    need.product.code,
    need.boxType.code,
    boxes,
    need.unitsPerBox,
    need.vendorCost === null ? null : Number(need.vendorCost),
    need.prebookNumber,
    null,
    null,
    null,
    null,
  ];
}
