import { wrap } from '@mikro-orm/core';
import { fromScaled } from '../../common/decimal';
import type { Resolvers } from '../../generated/graphql';
import type { RequestContext } from '../../common/request-context';
import { requiredRelation } from '../../common/required-relation';
import { InvoiceSchema, type Invoice } from './invoice.entity';
import { takesOfLine } from './invoice-takes.loader';
import { lineTotalsOf, linesOfInvoice, type InvoiceLineView } from './invoice-lines.loader';
import { ProductSchema } from '../product/product.entity';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema, ShipToSchema } from '../customer/customer.entity';
import { prebookLineById } from '../prebook/prebook-lines.loader';
import { confirmInvoice, createInvoice, findInvoice, listInvoices, mergeInvoices, printPickTicket, setInvoicePrices, voidInvoice } from './invoice.service';
import { gpmPercent, lineMoney } from './invoice-totals';
import { suggestedUnitPrice } from '../prebook/suggested-price';

function pickTicketLines(ctx: RequestContext, invoice: Invoice) {
  return Promise.all(
    [...invoice.lines.getItems()]
      .sort((a, b) => a.lineNo - b.lineNo)
      .map(async (line) => ({ product: line.product, boxes: line.boxes, units: line.units, labels: (await takesOfLine(ctx, line)).map((take) => take.label) })),
  );
}

export const invoiceResolvers: Resolvers = {
  Query: {
    invoices: (_, { filter, first, after }, ctx) => listInvoices(ctx, filter, { first, after }),
    invoice: (_, { number }, ctx) => findInvoice(ctx, number),
  },
  Mutation: {
    createInvoice: (_, { input, idempotencyKey }, ctx) => createInvoice(ctx, input, idempotencyKey),
    setInvoicePrices: (_, { number, prices, version }, ctx) => setInvoicePrices(ctx, number, prices, version),
    confirmInvoice: (_, { number }, ctx) => confirmInvoice(ctx, number),
    printPickTicket: async (_, { number }, ctx) => {
      const { invoice, errors } = await printPickTicket(ctx, number);
      return { invoice, errors, pickTicket: invoice && !errors.length ? invoice : null };
    },
    voidInvoice: (_, { number }, ctx) => voidInvoice(ctx, number),
    mergeInvoices: (_, { target, sources }, ctx) => mergeInvoices(ctx, target, sources),
  },
  Invoice: {
    // A list reads invoices alone: their customers, ship-tos and carriers are loaded for the whole page at once.
    customer: (invoice, _, ctx) => requiredRelation('Invoice.customer', ctx.loaders.reference(CustomerSchema)(invoice.customer)),
    shipTo: (invoice, _, ctx) => ctx.loaders.reference(ShipToSchema)(invoice.shipTo),
    carrier: (invoice, _, ctx) => ctx.loaders.reference(CarrierSchema)(invoice.carrier),
    lines: (invoice, _, ctx) => linesOfInvoice(ctx, invoice),
    cost: async (invoice, _, ctx) => fromScaled((await lineTotalsOf(ctx, invoice)).cost),
    gpmPercent: async (invoice, _, ctx) => {
      const { total, cost, pricePending } = await lineTotalsOf(ctx, invoice);
      return pricePending ? null : gpmPercent(total, cost);
    },
    pricePending: async (invoice, _, ctx) => (await lineTotalsOf(ctx, invoice)).pricePending,
    mergedInto: async (invoice, _, ctx) => (invoice.mergedInto ? ((await ctx.loaders.reference(InvoiceSchema)(invoice.mergedInto))?.number ?? null) : null),
  },
  InvoiceLine: {
    // A list's lines hold references: products and prebook lines are loaded for the whole request at once.
    product: (line, _, ctx) => requiredRelation('InvoiceLine.product', ctx.loaders.reference(ProductSchema)(line.product)),
    prebookLine: (line, _, ctx) => {
      const prebookLine = line.prebookLine;
      if (prebookLine && wrap(prebookLine).isInitialized() && wrap(prebookLine.prebook).isInitialized()) return prebookLine;
      const id = prebookLine?.id ?? ('prebookLineId' in line ? (line as InvoiceLineView).prebookLineId : null);
      return id == null ? null : prebookLineById(ctx, id);
    },
    amount: (line) => {
      const { amount } = lineMoney(line);
      return amount === null ? null : fromScaled(amount);
    },
    cost: (line) => fromScaled(lineMoney(line).cost),
    gpmPercent: (line) => {
      const { amount, cost } = lineMoney(line);
      return gpmPercent(amount, cost);
    },
    takes: (line, _, ctx) => takesOfLine(ctx, line),
    suggestedUnitPrice: (line, _, ctx) => suggestedUnitPrice(ctx, line.unitPrice, line.unitCost, line.invoice.customer),
    labels: async (line, _, ctx) => (await takesOfLine(ctx, line)).map((take) => take.label),
  },
  PickTicket: {
    invoiceNumber: (invoice) => invoice.number,
    lines: (invoice, _, ctx) => pickTicketLines(ctx, invoice),
  },
};
