import { fromScaled } from '../../common/decimal';
import type { Resolvers } from '../../generated/graphql';
import type { RequestContext } from '../../common/request-context';
import type { Invoice } from './invoice.entity';
import { takesOfLine } from './invoice-takes.loader';
import { confirmInvoice, createInvoice, findInvoice, listInvoices, printPickTicket, setInvoicePrices, voidInvoice } from './invoice.service';
import { gpmPercent, invoiceTotals, lineAmount, lineCost } from './invoice-totals';
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
  },
  Invoice: {
    lines: (invoice) => [...invoice.lines.getItems()].sort((a, b) => a.lineNo - b.lineNo),
    total: (invoice) => fromScaled(invoiceTotals(invoice).total),
    cost: (invoice) => fromScaled(invoiceTotals(invoice).cost),
    gpmPercent: (invoice) => {
      const { total, cost, pricePending } = invoiceTotals(invoice);
      return pricePending ? null : gpmPercent(total, cost);
    },
    pricePending: (invoice) => invoiceTotals(invoice).pricePending,
  },
  InvoiceLine: {
    amount: (line) => {
      const amount = lineAmount(line);
      return amount === null ? null : fromScaled(amount);
    },
    cost: (line) => fromScaled(lineCost(line)),
    gpmPercent: (line) => gpmPercent(lineAmount(line), lineCost(line)),
    takes: (line, _, ctx) => takesOfLine(ctx, line),
    suggestedUnitPrice: (line, _, ctx) => suggestedUnitPrice(ctx, line.unitPrice, line.unitCost, line.invoice.customer),
    labels: async (line, _, ctx) => (await takesOfLine(ctx, line)).map((take) => take.label),
  },
  PickTicket: {
    invoiceNumber: (invoice) => invoice.number,
    lines: (invoice, _, ctx) => pickTicketLines(ctx, invoice),
  },
};
