import type { Resolvers } from '../../generated/graphql';
import { findInvoice } from '../invoice/invoice.service';
import { findPrebook } from '../prebook/prebook.service';
import { findPurchaseOrder } from '../purchase-order/purchase-order.service';
import { BoxSchema } from '../box/box.entity';
import { POPULATE_BOX } from '../receiving/staging-inventory.service';
import { findCredit } from '../credit/credit-query.service';
import { findVendorCredit } from '../vendor-credit/vendor-credit.service';
import { listChanges } from './change.service';

export const changeResolvers: Resolvers = {
  Query: {
    changes: (_, args, ctx) => listChanges(ctx, args),
  },
  Change: {
    id: (change) => String(change.entityId),
    // A document that left the reader's scope is not shown to it.
    invoice: (change, _, ctx) => (change.type === 'INVOICE' && change.change !== 'REMOVED' ? findInvoice(ctx, change.key) : null),
    prebook: (change, _, ctx) => (change.type === 'PREBOOK' && change.change !== 'REMOVED' ? findPrebook(ctx, change.key) : null),
    purchaseOrder: (change, _, ctx) => (change.type === 'PURCHASE_ORDER' && ctx.actor.role !== 'CUSTOMER' ? findPurchaseOrder(ctx, change.key) : null),
    box: (change, _, ctx) =>
      change.type === 'BOX' && ctx.actor.role !== 'CUSTOMER' ? ctx.em.findOne(BoxSchema, { label: change.key }, { populate: POPULATE_BOX }) : null,
    credit: (change, _, ctx) => (change.type === 'CREDIT' && change.change !== 'REMOVED' ? findCredit(ctx, change.key) : null),
    vendorCredit: (change, _, ctx) => (change.type === 'VENDOR_CREDIT' && ctx.actor.role !== 'CUSTOMER' ? findVendorCredit(ctx, change.key) : null),
  },
};
