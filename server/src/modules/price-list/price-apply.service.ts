// applyPriceLists: pending prices of OPEN prebooks' lines and PENDING invoices' lines filled from the lists
// as they are now, never over a price; a dry run only shows what it would do.
import { filterReferenceId } from '../../common/references';
import type { RequestContext } from '../../common/request-context';
import { inTransaction } from '../../common/transaction';
import type { ApplyPriceListsFilter } from '../../generated/graphql';
import { recordAudit } from '../audit/audit.service';
import { CustomerSchema } from '../customer/customer.entity';
import type { PriceListKind } from './price-list.entity';
import {
  fillInvoiceLinePrices,
  fillPrebookLinePrices,
  loadPriceBook,
  selectPendingInvoiceLines,
  selectPendingPrebookLines,
  type PendingPriceRow,
} from './price-list.repository';
import { invoicePricesFilled } from './price-fill-hooks';
import { resolvePrice, type PriceSource } from './price-precedence';

export interface AppliedPrice {
  lineKind: 'PREBOOK_LINE' | 'INVOICE_LINE';
  lineId: string;
  number: string;
  lineNo: number;
  customer: string;
  product: string;
  truckDate: string;
  kind: PriceListKind;
  price: string;
  source: PriceSource;
}

/** The list kind of a pending line: a prebook's source; for an invoice line, OPEN_MARKET for open-market stock, else its prebook's. */
export function kindOfPendingLine(row: Pick<PendingPriceRow, 'prebook_source' | 'inventory_type'>): PriceListKind {
  if (row.inventory_type === 'M') return 'OPEN_MARKET';
  return row.prebook_source === 'STANDING_ORDER' ? 'STANDING_ORDER' : 'PREBOOK';
}

export async function applyPriceLists(ctx: RequestContext, filter: ApplyPriceListsFilter | null | undefined, dryRun: boolean) {
  return inTransaction(ctx, async (em) => {
    const customerId = filter?.customer ? await filterReferenceId(em, CustomerSchema, filter.customer, 'filter.customer') : null;
    const pending = { customerId, from: filter?.truckDateFrom ?? null, to: filter?.truckDateTo ?? null };
    const prebookLines = await selectPendingPrebookLines(em, pending);
    const invoiceLines = await selectPendingInvoiceLines(em, pending);
    const all = [...prebookLines, ...invoiceLines];
    const book = await loadPriceBook(
      em,
      [...new Set(all.map(kindOfPendingLine))],
      all.map((row) => Number(row.customer_id)),
      all.map((row) => Number(row.product_id)),
    );
    const priced = (rows: PendingPriceRow[], lineKind: AppliedPrice['lineKind']): AppliedPrice[] =>
      rows.flatMap((row) => {
        const kind = kindOfPendingLine(row);
        const resolved = resolvePrice(book, {
          kind,
          customerId: Number(row.customer_id),
          productId: Number(row.product_id),
          boxTypeId: row.box_type_id == null ? null : Number(row.box_type_id),
          date: row.truck_date,
          linePrice: null,
        });
        if (resolved.price == null || resolved.source == null) return [];
        const { price, source } = resolved;
        return [
          {
            lineKind,
            lineId: String(row.id),
            number: row.number,
            lineNo: row.line_no,
            customer: row.customer_code,
            product: row.product_code,
            truckDate: row.truck_date,
            kind,
            price,
            source,
          },
        ];
      });
    const prebookPrices = priced(prebookLines, 'PREBOOK_LINE');
    const invoicePrices = priced(invoiceLines, 'INVOICE_LINE');
    if (!dryRun) {
      const at = new Date();
      const fill = (lines: AppliedPrice[]) => lines.map((l) => ({ id: Number(l.lineId), price: l.price, source: l.source }));
      await fillPrebookLinePrices(em, fill(prebookPrices), at);
      // Charges computed from the invoices' lines (a percentage of the subtotal) follow, in this transaction.
      await invoicePricesFilled(em, await fillInvoiceLinePrices(em, fill(invoicePrices), at));
      recordAudit(em, ctx.actor, 'apply-price-lists', 'PriceList', 'many', { filter, prebookLines: prebookPrices.length, invoiceLines: invoicePrices.length });
      await em.flush();
    }
    const lines = [...prebookPrices, ...invoicePrices];
    return { lines, stillPending: all.length - lines.length, dryRun, errors: [] };
  });
}
