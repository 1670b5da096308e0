import { fromScaled } from '../../common/decimal';
import type { RequestContext } from '../../common/request-context';
import { requiredRelation } from '../../common/required-relation';
import type { Resolvers } from '../../generated/graphql';
import { BoxTypeSchema } from '../box-type/box-type.entity';
import { CarrierSchema } from '../carrier/carrier.entity';
import { CustomerSchema } from '../customer/customer.entity';
import type { Invoice } from '../invoice/invoice.entity';
import { lineTotalsOf, linesOfInvoice } from '../invoice/invoice-lines.loader';
import { listChargeRules, saveChargeRules } from './charge-rules.service';
import { setInvoiceCharge } from './charge.service';
import { chargesOfInvoice, chargesTotal, fuelWeightsOfInvoice, invoiceTotal, type InvoiceChargeView } from './charges.loader';
import { foldFuelSurcharge, plainDocumentLines, type DocumentLine } from './fob-prices';

const isFuel = (charge: InvoiceChargeView) => charge.basis === 'PORT_AND_BOX_TYPE';

/** What the customer invoice document prints, once per invoice and request: FOB prices for a customer with showFobPrice. */
const documents = new WeakMap<Invoice, Promise<{ lines: DocumentLine[]; charges: InvoiceChargeView[] }>>();
function documentOf(ctx: RequestContext, invoice: Invoice) {
  let found = documents.get(invoice);
  if (!found) {
    found = (async () => {
      const [lines, charges, customer] = await Promise.all([
        linesOfInvoice(ctx, invoice),
        chargesOfInvoice(ctx, invoice),
        ctx.loaders.reference(CustomerSchema)(invoice.customer),
      ]);
      const fuel = charges.filter(isFuel);
      if (!customer?.showFobPrice || fuel.length === 0) return { lines: plainDocumentLines(lines), charges };
      const folded = foldFuelSurcharge(lines, fromScaled(chargesTotal(fuel)), await fuelWeightsOfInvoice(ctx, invoice));
      return folded ? { lines: folded, charges: charges.filter((charge) => !isFuel(charge)) } : { lines: plainDocumentLines(lines), charges };
    })();
    documents.set(invoice, found);
  }
  return found;
}

export const chargeResolvers: Resolvers = {
  Query: {
    chargeRules: (_, { filter, first, after }, ctx) => listChargeRules(ctx, filter, { first, after }),
  },
  Mutation: {
    saveChargeRules: async (_, { input }, ctx) => {
      const { nodes, errors } = await saveChargeRules(ctx, input);
      return { chargeRules: nodes, errors };
    },
    setInvoiceCharge: (_, { input }, ctx) => setInvoiceCharge(ctx, input),
  },
  ChargeRule: {
    customer: (rule, _, ctx) => ctx.loaders.reference(CustomerSchema)(rule.customer),
    carrier: (rule, _, ctx) => ctx.loaders.reference(CarrierSchema)(rule.carrier),
    rates: async (rule, _, ctx) =>
      Promise.all(
        (await rule.rates.loadItems()).map(async (rate) => ({
          portOfOrigin: rate.portOfOrigin,
          boxType: (await requiredRelation('ChargeRate.boxType', ctx.loaders.reference(BoxTypeSchema)(rate.boxType))).code,
          amount: rate.amount,
        })),
      ),
  },
  Invoice: {
    charges: (invoice, _, ctx) => chargesOfInvoice(ctx, invoice),
    subtotal: async (invoice, _, ctx) => fromScaled((await lineTotalsOf(ctx, invoice)).total),
    chargesTotal: async (invoice, _, ctx) => fromScaled(chargesTotal(await chargesOfInvoice(ctx, invoice))),
    total: async (invoice, _, ctx) => fromScaled(await invoiceTotal(ctx, invoice)),
    documentLines: async (invoice, _, ctx) => (await documentOf(ctx, invoice)).lines,
    documentCharges: async (invoice, _, ctx) => (await documentOf(ctx, invoice)).charges,
  },
};
