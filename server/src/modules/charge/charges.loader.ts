import DataLoader from 'dataloader';
import { toScaled } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import type { Invoice } from '../invoice/invoice.entity';
import { totalsOf } from '../invoice/invoice-total.loader';
import type { InvoiceChargeBasis } from './charge.entity';
import { selectChargesOfInvoices, selectFuelWeightsOfLines } from './charge.repository';

/** An invoice charge as the API shows it. */
export interface InvoiceChargeView {
  rule: string | null;
  /** The rule's kind: FUEL_SURCHARGE charges fold into FOB prices. */
  ruleKind: string | null;
  description: string;
  basis: InvoiceChargeBasis;
  amount: string;
  overridden: boolean;
}

const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, InvoiceChargeView[]>>();

/** An invoice's charges (fuel surcharges first), read for every invoice of the request at once. */
export function chargesOfInvoice(ctx: RequestContext, invoice: Pick<Invoice, 'id'>): Promise<InvoiceChargeView[]> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, InvoiceChargeView[]>(async (ids) => {
      const byInvoice = new Map<number, InvoiceChargeView[]>(ids.map((id) => [id, []]));
      for (const row of await selectChargesOfInvoices(ctx.em, ids)) {
        byInvoice.get(Number(row.invoice_id))?.push({
          rule: row.rule_code,
          ruleKind: row.rule_kind,
          description: row.description,
          basis: row.basis,
          amount: row.amount,
          overridden: row.overridden,
        });
      }
      return ids.map((id) => byInvoice.get(id)!);
    });
    loaders.set(ctx.loaders, loader);
  }
  return loader.load(invoice.id);
}

/** What charges add up to, scaled. */
export function chargesTotal(charges: readonly InvoiceChargeView[]): bigint {
  return charges.reduce((sum, charge) => sum + toScaled(charge.amount), 0n);
}

/**
 * What an invoice's total is, scaled: its lines' amounts (and a fee invoice's amount: invoice-totals
 * invoiceTotalsOf) plus its charges. Its SQL twin is invoice.repository invoiceTotalSql.
 */
export async function invoiceTotal(ctx: RequestContext, invoice: Invoice): Promise<bigint> {
  const [totals, charges] = await Promise.all([totalsOf(ctx, invoice), chargesOfInvoice(ctx, invoice)]);
  return totals.total + chargesTotal(charges);
}

const weightLoaders = new WeakMap<RequestContext['loaders'], DataLoader<number, Map<number, string>>>();

/** What each line of an invoice would carry of its fuel surcharges (by line id), read for every invoice of the request at once. */
export function fuelWeightsOfInvoice(ctx: RequestContext, invoice: Pick<Invoice, 'id'>): Promise<Map<number, string>> {
  let loader = weightLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, Map<number, string>>(async (ids) => {
      const byInvoice = new Map<number, Map<number, string>>(ids.map((id) => [id, new Map()]));
      for (const row of await selectFuelWeightsOfLines(ctx.em, ids)) byInvoice.get(Number(row.invoice_id))?.set(Number(row.line_id), row.weight);
      return ids.map((id) => byInvoice.get(id)!);
    });
    weightLoaders.set(ctx.loaders, loader);
  }
  return loader.load(invoice.id);
}
