import DataLoader from 'dataloader';
import type { RequestContext } from '../../common/request-context';
import { ProductSchema, type Product } from '../product/product.entity';
import type { Invoice, InvoiceLine } from './invoice.entity';
import { selectLinesOfInvoices, type InvoiceLineRow } from './invoice.repository';
import { invoiceTotals, type InvoiceTotals } from './invoice-totals';

/**
 * An invoice line a list read as plain values: what the API shows of it. Its product is a reference
 * (loaded with the page's other products); its prebook line an id, read when a client asks for it;
 * takes are read by invoice-takes.loader.ts.
 */
export interface InvoiceLineView extends Pick<
  InvoiceLine,
  'id' | 'lineNo' | 'product' | 'boxes' | 'units' | 'unitPrice' | 'priceSource' | 'unitCost' | 'inventoryType'
> {
  invoice: Invoice;
  prebookLineId: number | null;
  prebookLine: null;
  takes: null;
}

/** What the InvoiceLine resolvers are given (codegen.yml mappers): a stored entity, or a list's view. */
export type InvoiceLineModel = InvoiceLine | InvoiceLineView;

/** An invoice's line rows, with the products of the whole batch (by id) they name. */
interface LoadedLines {
  rows: InvoiceLineRow[];
  products: Map<number, Product>;
}
const loaders = new WeakMap<RequestContext['loaders'], DataLoader<number, LoadedLines>>();
/** Each invoice's lines once per request (an invoice entity belongs to its request's EntityManager): lines and totals share them. */
const read = new WeakMap<Invoice, Promise<InvoiceLineModel[]>>();

/**
 * An invoice's lines by line number: from the invoice when a mutation loaded them, else read for every
 * invoice of the request at once. Lists do not populate lines into the ORM: hydrating them (and the
 * prebook lines they bill) took most of a page's read.
 */
export async function linesOfInvoice(ctx: RequestContext, invoice: Invoice): Promise<InvoiceLineModel[]> {
  if (invoice.lines.isInitialized()) return [...invoice.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo);
  let lines = read.get(invoice);
  if (!lines) {
    lines = readLines(ctx, invoice);
    read.set(invoice, lines);
  }
  return lines;
}

async function readLines(ctx: RequestContext, invoice: Invoice): Promise<InvoiceLineModel[]> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, LoadedLines>(async (invoiceIds) => {
      const byInvoice = new Map<number, InvoiceLineRow[]>(invoiceIds.map((id) => [id, []]));
      const rows = await selectLinesOfInvoices(ctx.em, invoiceIds);
      for (const row of rows) byInvoice.get(Number(row.invoice_id))?.push(row);
      // The products the lines name, by the request's reference loader (the statement a client asking for
      // product { code } sends anyway): each line's view holds its product, answered at once rather than by
      // a promise per line, and not looked up again in the ORM's identity map line by line.
      const reference = ctx.loaders.reference(ProductSchema);
      const found = await Promise.all([...new Set(rows.map((row) => Number(row.product_id)))].map((id) => reference(ctx.em.getReference(ProductSchema, id))));
      const products = new Map(found.filter((product): product is Product => product != null).map((product) => [product.id, product]));
      return invoiceIds.map((id) => ({ rows: byInvoice.get(id)!, products }));
    });
    loaders.set(ctx.loaders, loader);
  }
  const { rows, products } = await loader.load(invoice.id);
  return rows.map((row) => lineView(ctx, invoice, row, products));
}

function lineView(ctx: RequestContext, invoice: Invoice, row: InvoiceLineRow, products: Map<number, Product>): InvoiceLineView {
  const productId = Number(row.product_id);
  return {
    id: Number(row.id),
    lineNo: row.line_no,
    invoice,
    product: products.get(productId) ?? ctx.em.getReference(ProductSchema, productId),
    boxes: row.boxes,
    units: row.units,
    unitPrice: row.unit_price,
    priceSource: row.price_source ?? null,
    unitCost: row.unit_cost,
    prebookLineId: row.prebook_line_id == null ? null : Number(row.prebook_line_id),
    prebookLine: null,
    inventoryType: row.inventory_type,
    takes: null,
  } as InvoiceLineView;
}

/** An invoice's line totals, summed once per request for its total, cost, gpmPercent, pricePending and charges. */
const totals = new WeakMap<Invoice, Promise<InvoiceTotals>>();
export function lineTotalsOf(ctx: RequestContext, invoice: Invoice): Promise<InvoiceTotals> {
  let found = totals.get(invoice);
  if (!found) {
    found = linesOfInvoice(ctx, invoice).then(invoiceTotals);
    totals.set(invoice, found);
  }
  return found;
}
