import type { RequestContext } from '../../common/request-context';
import type { Invoice } from './invoice.entity';
import { linesOfInvoice } from './invoice-lines.loader';
import { invoiceTotalsOf, type InvoiceTotals } from './invoice-totals';

/** An invoice's totals, summed once per request for total, cost, gpmPercent, pricePending and openAmount. */
const totals = new WeakMap<Invoice, Promise<InvoiceTotals>>();
export function totalsOf(ctx: RequestContext, invoice: Invoice): Promise<InvoiceTotals> {
  let found = totals.get(invoice);
  if (!found) {
    found = linesOfInvoice(ctx, invoice).then((lines) => invoiceTotalsOf(invoice, lines));
    totals.set(invoice, found);
  }
  return found;
}
