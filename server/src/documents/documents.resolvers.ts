import DataLoader from 'dataloader';
import { DOCUMENT_ROLES } from '../common/authorization';
import type { RequestContext } from '../common/request-context';
import type { DocumentFormat as GraphQLDocumentFormat, Resolvers } from '../generated/graphql';
import type { Seller } from './document-data';
import { invoiceOfBoxes, readSeller } from './documents.repository';
import { documentUrls } from './document-urls';
import type { DocumentFormat } from './documents.service';

const format = (value: GraphQLDocumentFormat | null | undefined): DocumentFormat => (value === 'ZPL' ? 'zpl' : 'pdf');
const mayPrint = (ctx: RequestContext) => DOCUMENT_ROLES.includes(ctx.actor.role);

const invoicedLoaders = new WeakMap<RequestContext['loaders'], DataLoader<number, boolean>>();

/** Whether each box is on an invoice that is not void: one query for every box of the request. */
function isInvoiced(ctx: RequestContext, boxId: number): Promise<boolean> {
  let loader = invoicedLoaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader<number, boolean>(async (ids) => {
      const invoiceOf = await invoiceOfBoxes(ctx.em, [...ids]);
      return ids.map((id) => invoiceOf.has(id));
    });
    invoicedLoaders.set(ctx.loaders, loader);
  }
  return loader.load(boxId);
}

const sellers = new WeakMap<RequestContext['loaders'], Promise<Seller & { timeZone: string }>>();

/** The seller printed on invoices: read once per request, however many invoices ask. */
function sellerOf(ctx: RequestContext): Promise<Seller & { timeZone: string }> {
  let seller = sellers.get(ctx.loaders);
  if (!seller) {
    seller = readSeller(ctx.em);
    sellers.set(ctx.loaders, seller);
  }
  return seller;
}

/** The links from GraphQL to the printable documents of documents.http.ts. */
export const documentResolvers: Resolvers = {
  Shipment: {
    labelsUrl: (shipment, args, ctx) => (mayPrint(ctx) ? documentUrls.shipmentLabels(shipment.id, format(args.format)) : null),
  },
  PurchaseOrder: {
    labelsUrl: (po, args, ctx) => (mayPrint(ctx) ? documentUrls.purchaseOrderLabels(po.number, format(args.format)) : null),
  },
  Box: {
    labelsUrl: (box, args, ctx) => (mayPrint(ctx) ? documentUrls.boxLabels([box.label], format(args.format)) : null),
    shippingLabelUrl: async (box, args, ctx) =>
      mayPrint(ctx) && (await isInvoiced(ctx, box.id)) ? documentUrls.shippingLabels([box.label], format(args.format)) : null,
  },
  Invoice: {
    seller: (_, __, ctx) => sellerOf(ctx),
    labelsUrl: (invoice, args, ctx) =>
      mayPrint(ctx) && invoice.status !== 'VOID' ? documentUrls.invoiceShippingLabels(invoice.number, format(args.format)) : null,
    pickTicketUrl: (invoice, _, ctx) => (mayPrint(ctx) ? documentUrls.pickTicket(invoice.number) : null),
  },
  ScanResult: {
    // Produced by this scan's billing, or the box was invoiced before it left (billed at confirmation).
    shippingLabelUrl: async (result, args, ctx) =>
      mayPrint(ctx) && result.boxId && (result.shippingLabel || (await isInvoiced(ctx, result.boxId)))
        ? documentUrls.shippingLabels([result.label], format(args.format))
        : null,
  },
  Credit: {
    memoUrl: (credit) => documentUrls.creditMemo(credit.number),
    seller: (_, __, ctx) => sellerOf(ctx),
  },
  CreditAttachment: {
    url: (attachment) => documentUrls.creditAttachment(attachment.creditNumber, attachment.id),
  },
  PrintPickTicketPayload: {
    pickTicketUrl: (payload, _, ctx) => (mayPrint(ctx) && payload.invoice && !payload.errors.length ? documentUrls.pickTicket(payload.invoice.number) : null),
  },
};
