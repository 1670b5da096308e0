// GET /documents/availability: the availability list as a PDF, priced for a customer (stock module's availability).
import type { RequestContext } from '../common/request-context';
import { ProductSchema } from '../modules/product/product.entity';
import { availability, type AvailabilityArgs } from '../modules/stock/availability.service';
import { priceBasis, type AvailabilityDocumentData } from './availability.document';
import { readSeller } from './documents.repository';
import { DocumentError, type DocumentPlan } from './documents.service';

/** The availability list's data: the query's lines with product names, no cost. */
export async function availabilityDocumentData(ctx: RequestContext, args: AvailabilityArgs): Promise<AvailabilityDocumentData> {
  const view = await availability(ctx, args);
  const products = new Map((await ctx.em.find(ProductSchema, { id: { $in: view.lines.map((line) => line.product) } })).map((p) => [p.id, p]));
  return {
    customer: view.customer ? { code: view.customer.code, name: view.customer.name } : null,
    asOf: view.asOf,
    onHandOnly: view.onHandOnly,
    lines: view.lines.map((line) => {
      const product = products.get(line.product)!;
      return {
        productCode: product.code,
        productName: product.name,
        unit: product.unit,
        boxType: line.boxType,
        onHandBoxes: line.onHandBoxes,
        onHandUnits: line.onHandUnits,
        inTransit: line.inTransit,
        unitPrice: line.unitPrice,
        priceBasis: priceBasis(line.priceSource, line.priceSeason),
      };
    }),
  };
}

/** /documents/availability?customer=BLOOMS[&onHandOnly=true][&product=...][&location=...]: a PDF. */
export async function availabilityDocument(ctx: RequestContext, args: AvailabilityArgs): Promise<DocumentPlan> {
  if (!args.customer?.trim()) throw new DocumentError(400, 'REQUIRED', 'Give the customer the list is priced for: /documents/availability?customer=BLOOMS');
  const data = await availabilityDocumentData(ctx, args);
  const seller = await readSeller(ctx.em);
  const name = `availability-${data.customer?.code ?? 'all'}-${data.asOf}`.replace(/[^A-Za-z0-9._-]+/g, '_');
  return { contentType: 'application/pdf', filename: `${name}.pdf`, count: data.lines.length, job: { document: 'availability', seller, data } };
}
